"""Concurrent opening of 20 cases yields 20 distinct consecutive registration numbers (both databases)."""

import threading

import pytest
from django.db import close_old_connections, connection

from perisai.accounts.choices import Role
from perisai.cases import services
from perisai.cases.models import Case
from perisai.cases.tests.factories import report


@pytest.mark.django_db(transaction=True)
def test_twenty_cases_opened_at_once_get_twenty_consecutive_numbers(make_user):
    officer = make_user(Role.INTAKE_OFFICER)
    reports = [report() for _ in range(20)]
    barrier = threading.Barrier(len(reports))
    errors = []

    def open_one(item):
        try:
            barrier.wait(timeout=30)
            services.case_open_from_report(actor=officer, report=item, risk="sedang", authority="kota")
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=open_one, args=(item,)) for item in reports]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    sequences = sorted(Case.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, 21))
    assert len(set(Case.objects.values_list("registration_number", flat=True))) == 20
