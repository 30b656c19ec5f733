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


@pytest.mark.django_db(transaction=True)
def test_two_people_saving_the_same_case_at_once_cannot_overwrite_each_other(make_user):
    from perisai.cases.choices import CaseStatus
    from perisai.cases.tests.factories import open_case

    manager, supervisor = make_user(Role.CASE_MANAGER), make_user(Role.SUPERVISOR)
    case = open_case(make_user, manager=manager)
    version = case.version
    barrier = threading.Barrier(2)
    outcomes = []

    def save(actor, to):
        try:
            barrier.wait(timeout=30)
            services.case_transition(actor=actor, case=case, to=to, version=version)
            outcomes.append("saved")
        except services.StaleEdit:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(manager, CaseStatus.ASSESSMENT)),
        threading.Thread(target=save, args=(supervisor, CaseStatus.ASSESSMENT)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["refused", "saved"]
    case.refresh_from_db()
    assert case.version == version + 1
