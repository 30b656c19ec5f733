"""The database rate limiter: one upsert per count, sliding windows, and no count lost to requests at the same
moment (both databases: run the suite with DATABASE_URL pointing at PostgreSQL for the second)."""

import datetime as dt
import threading

import pytest
import time_machine
from django.db import close_old_connections, connection, transaction

from perisai.core import ratelimit
from perisai.core.models import RateCounter

HOUR = dt.timedelta(hours=1)
START = dt.datetime(2026, 12, 7, 9, 0, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def no_pruning(monkeypatch):
    """One hit in 500 prunes old rows: never in these tests, whose counts it would not change anyway."""
    monkeypatch.setattr(ratelimit.secrets, "randbelow", lambda n: 1)


@pytest.mark.django_db
class HitTests:
    def test_each_hit_returns_the_count_of_the_window_including_itself(self):
        with time_machine.travel(START, tick=False):
            assert [ratelimit.hit("t", "10.0.0.1", window=HOUR) for _ in range(3)] == [1, 2, 3]
        assert RateCounter.objects.get().count == 3  # one row per slice, counted up

    def test_earlier_slices_of_the_window_count_and_older_ones_do_not(self):
        for minutes_ago in (90, 58, 30, 2):  # 90 minutes ago is outside the hour (slices are 2 minutes long)
            with time_machine.travel(START - dt.timedelta(minutes=minutes_ago), tick=False):
                ratelimit.hit("t", "10.0.0.1", window=HOUR)
        with time_machine.travel(START, tick=False):
            assert ratelimit.hit("t", "10.0.0.1", window=HOUR) == 4
            assert ratelimit.count("t", "10.0.0.1", window=HOUR) == 4
        with time_machine.travel(START + dt.timedelta(minutes=31), tick=False):  # 58, 30 min ago: out
            assert ratelimit.hit("t", "10.0.0.1", window=HOUR) == 3  # 2 minutes ago, the one before, this one

    def test_a_slice_ahead_of_this_clock_is_not_counted(self):
        with time_machine.travel(START + dt.timedelta(minutes=10), tick=False):  # another worker's clock ahead
            ratelimit.hit("t", "10.0.0.1", window=HOUR)
        with time_machine.travel(START, tick=False):
            assert ratelimit.hit("t", "10.0.0.1", window=HOUR) == 1

    def test_identities_and_buckets_are_counted_apart(self):
        with time_machine.travel(START, tick=False):
            ratelimit.hit("t", "10.0.0.1", window=HOUR)
            assert ratelimit.hit("t", "10.0.0.2", window=HOUR) == 1
            assert ratelimit.hit("u", "10.0.0.1", window=HOUR) == 1
            assert ratelimit.hit("t", "10.0.0.1", window=HOUR) == 2

    def test_hit_many_counts_each_in_one_statement_and_answers_in_the_order_given(self, django_assert_num_queries):
        with time_machine.travel(START, tick=False):
            ratelimit.hit("device", "abc", window=HOUR)
            with django_assert_num_queries(1):
                counts = ratelimit.hit_many([("address", "10.0.0.1"), ("device", "abc")], window=HOUR)
        assert counts == [1, 2]

    def test_the_same_event_given_twice_counts_once(self):
        with time_machine.travel(START, tick=False):
            assert ratelimit.hit_many([("t", "a"), ("t", "a")], window=HOUR) == [1, 1]

    def test_no_address_is_stored_in_clear(self):
        ratelimit.hit("t", "10.0.0.1", window=HOUR)
        assert "10.0.0.1" not in RateCounter.objects.get().key

    def test_a_hit_inside_a_transaction_that_rolls_back_is_not_counted(self):
        with time_machine.travel(START, tick=False):
            with pytest.raises(RuntimeError), transaction.atomic():
                ratelimit.hit("t", "10.0.0.1", window=HOUR)
                raise RuntimeError
            assert ratelimit.hit("t", "10.0.0.1", window=HOUR) == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_hits_at_the_same_moment_all_count_and_each_sees_a_different_total():
    """The slice's row does not exist yet: twenty requests race to create it, and none is lost or answered twice."""
    barrier = threading.Barrier(20)
    totals, errors = [], []

    def one():
        try:
            barrier.wait(timeout=30)
            with time_machine.travel(START, tick=False):
                totals.append(ratelimit.hit("t", "10.0.0.1", window=HOUR))
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert sorted(totals) == list(range(1, 21))
    assert RateCounter.objects.get().count == 20
