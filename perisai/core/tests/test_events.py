"""Domain events (perisai.core.events): receivers in the transaction commit or roll back with the change;
receivers after commit run once it commits, never after a rollback, and their failures never reach the writer."""

from __future__ import annotations

import logging

import pytest
from django.db import transaction

from perisai.core.events import DomainEvent

pytestmark = pytest.mark.django_db

heard: list[tuple[str, dict]] = []


def in_transaction(**payload) -> None:
    heard.append(("in", payload))


def after_commit(**payload) -> None:
    heard.append(("after", payload))


def broken(**payload) -> None:
    raise RuntimeError("mail server down")


@pytest.fixture
def event():
    heard.clear()
    return DomainEvent("something_changed", fields=("thing_ids",))


class DomainEventTests:
    def test_a_payload_other_than_the_declared_fields_is_refused(self, event):
        with pytest.raises(TypeError, match="thing_ids"):
            event.fire(thing_id=1)
        with pytest.raises(TypeError):
            event.fire(thing_ids=[1], name="Melati")

    def test_receivers_in_the_transaction_run_at_once_and_after_commit_ones_at_the_commit(
        self, event, django_capture_on_commit_callbacks
    ):
        event.subscribe(in_transaction)
        event.subscribe(after_commit, after_commit=True)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            event.fire(thing_ids=[1, 2])
            assert heard == [("in", {"thing_ids": [1, 2]})]
        assert len(callbacks) == 1
        assert heard[-1] == ("after", {"thing_ids": [1, 2]})

    def test_after_a_rollback_receivers_after_commit_never_run(self, event, django_capture_on_commit_callbacks):
        event.subscribe(after_commit, after_commit=True)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(RuntimeError), transaction.atomic():
                event.fire(thing_ids=[3])
                raise RuntimeError
        assert callbacks == [] and heard == []

    def test_a_receiver_in_the_transaction_that_fails_fails_the_change(self, event):
        event.subscribe(broken)
        with pytest.raises(RuntimeError, match="mail server"):
            event.fire(thing_ids=[4])

    def test_a_receiver_after_commit_that_fails_is_logged_and_the_others_still_run(
        self, event, django_capture_on_commit_callbacks, caplog
    ):
        event.subscribe(broken, after_commit=True)
        event.subscribe(after_commit, after_commit=True)
        with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
            event.fire(thing_ids=[5])
        assert heard == [("after", {"thing_ids": [5]})]
        assert "something_changed" in caplog.text

    def test_subscribing_twice_adds_the_receiver_once(self, event):
        event.subscribe(in_transaction)
        event.subscribe(in_transaction)
        event.fire(thing_ids=[6])
        assert heard == [("in", {"thing_ids": [6]})]
