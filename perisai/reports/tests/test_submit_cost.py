"""What a report from the public form costs the database (issue 17 item 3), and the paths that keep it that low:
tracking codes left to the unique constraint, regions resolved without a query, one lookup for resends."""

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.audit.verify import verify_chain
from perisai.core import ratelimit
from perisai.reports import services
from perisai.reports.choices import Harm
from perisai.reports.forms import ANONYMITY, ReportForm, StaffReportForm
from perisai.reports.models import Report
from perisai.reports.tests.helpers import form_data

URL = "/lapor/"


@pytest.fixture(autouse=True)
def no_pruning(monkeypatch):
    """The rate limiter prunes its table on one hit in 500: a statement these counts do not expect."""
    monkeypatch.setattr(ratelimit.secrets, "randbelow", lambda n: 1)


def codes_in_turn(monkeypatch, *given):
    remaining = iter(given)
    monkeypatch.setattr(services.codes, "new_tracking_code", lambda: next(remaining))


@pytest.mark.django_db
class TrackingCodeTests:
    def test_a_code_already_taken_is_replaced_and_the_report_kept_once(self, client, monkeypatch):
        assert client.post(URL, form_data()).status_code == 201
        taken = Report.objects.get().tracking_code
        codes_in_turn(monkeypatch, taken, "LPR-2345-6789")

        response = client.post(URL, form_data(narrative="Laporan lain tentang anak yang lain."))

        assert response.status_code == 201
        assert "LPR-2345-6789" in response.content.decode()
        assert sorted(Report.objects.values_list("tracking_code", flat=True)) == sorted([taken, "LPR-2345-6789"])
        assert AuditEvent.objects.filter(action=AuditAction.REPORT_RECEIVED).count() == 2  # none for the retry
        assert verify_chain().ok

    def test_when_every_code_tried_is_taken_the_error_is_not_hidden(self, client, monkeypatch):
        assert client.post(URL, form_data()).status_code == 201
        taken = Report.objects.get().tracking_code
        codes_in_turn(monkeypatch, *[taken] * services.CODE_ATTEMPTS)

        with pytest.raises(IntegrityError):
            services.report_submit(actor=None, fields={"narrative": "Cerita lain."}, token=str(uuid.uuid4()))
        assert Report.objects.count() == 1


@pytest.mark.django_db
class ResendTests:
    def test_the_same_answers_from_the_same_device_find_the_first_report_not_the_token_s_own(self, client):
        """A token that made a report, sent again with answers that another, earlier report of this device already
        had: the earlier one answers, as before the two lookups became one."""
        fields = {"narrative": "Cerita yang sama."}
        first = services.report_submit(actor=None, fields=fields, token=str(uuid.uuid4()), device="hp-1")
        second_token = str(uuid.uuid4())
        second = services.report_submit(actor=None, fields={"narrative": "Lain."}, token=second_token, device="hp-1")

        again = services.report_submit(actor=None, fields=fields, token=second_token, device="hp-1")

        assert again.report == first.report != second.report
        assert not again.created and again.pin is None
        assert Report.objects.count() == 2

    def test_a_resend_of_the_token_from_another_device_gets_the_report_without_its_pin(self):
        token = str(uuid.uuid4())
        first = services.report_submit(actor=None, fields={"narrative": "Cerita."}, token=token, device="hp-1")
        again = services.report_submit(actor=None, fields={"narrative": "Cerita."}, token=token, device="hp-2")
        assert again.report == first.report and not again.created and again.pin is None

    def test_the_same_answers_sent_after_the_resend_window_make_a_new_report(self):
        """The window's edge, compared by the database (the lookup is written as SQL, the time adapted for it)."""
        fields = {"narrative": "Cerita yang sama."}
        first = services.report_submit(actor=None, fields=fields, token=str(uuid.uuid4()), device="hp-1")
        aged = timezone.now() - services.RESEND_WINDOW - dt.timedelta(seconds=5)
        Report.objects.filter(pk=first.report.pk).update(received_at=aged)  # the test ages it; no service does

        later = services.report_submit(actor=None, fields=fields, token=str(uuid.uuid4()), device="hp-1")

        assert later.created and later.report != first.report and later.pin

    def test_within_the_window_the_same_answers_find_the_report_however_the_token_differs(self):
        fields = {"narrative": "Cerita yang sama."}
        first = services.report_submit(actor=None, fields=fields, token=str(uuid.uuid4()), device="hp-1")
        Report.objects.filter(pk=first.report.pk).update(
            received_at=timezone.now() - services.RESEND_WINDOW + dt.timedelta(seconds=30)
        )
        again = services.report_submit(actor=None, fields=fields, token=str(uuid.uuid4()), device="hp-1")
        assert again.report == first.report and not again.created


class FormChoicesTests:
    """The form's fixed choices are shared by every form rather than deep-copied per request (bench/profile_report.py);
    a form that changes a field's choices changes its own copy only."""

    def test_fixed_choices_are_shared_between_forms(self):
        one, two = ReportForm(), ReportForm()
        assert one.fields["harms"] is not two.fields["harms"]
        assert one.fields["harms"].choices is two.fields["harms"].choices
        assert list(one.fields["harms"].choices) == list(Harm.choices)

    def test_the_staff_form_s_own_wording_does_not_reach_the_public_form(self):
        staff = StaffReportForm()
        public = ReportForm()
        assert str(next(iter(staff.fields["reporter_anonymous"].choices))[1]).startswith("Ya, pelapor")
        assert [str(label) for _value, label in public.fields["reporter_anonymous"].choices] == [
            str(label) for _value, label in ANONYMITY
        ]

    def test_a_choice_outside_the_list_is_still_refused(self):
        form = ReportForm(data=form_data(harms=["bukan_pilihan"]))
        assert not form.is_valid()
        assert "harms" in form.errors


@pytest.mark.django_db(transaction=True)
def test_a_report_from_the_form_takes_eight_statements_and_one_transaction(client):
    """Count, look up the token and the answers, then one transaction: insert, the audit chain (lock the head, insert,
    move the head). Before issue 17 this was 19 statements and three transactions. Transactional, so that the test's
    own transaction does not turn BEGIN and COMMIT into savepoints; no region is chosen, as an earlier transactional
    test may have emptied their table."""
    client.cookies["perisai_perangkat"] = "hp-uji"
    client.post(URL, form_data(urgent="no", kecamatan="", kelurahan=""))  # the chain's head row exists from now on
    with CaptureQueriesContext(connection) as queries:
        response = client.post(URL, form_data(urgent="no", kecamatan="", kelurahan="", narrative="Laporan kedua."))
    assert response.status_code == 201
    statements = [query["sql"].split()[0].upper() for query in queries.captured_queries]
    assert statements == ["INSERT", "SELECT", "BEGIN", "INSERT", "SELECT", "INSERT", "UPDATE", "COMMIT"], statements
    assert verify_chain().ok


@pytest.mark.django_db
def test_the_regions_chosen_on_the_form_are_resolved_without_a_query(client):
    client.post(URL, form_data())  # regions read once in this process, if they were not already
    with CaptureQueriesContext(connection) as queries:
        assert client.post(URL, form_data()).status_code == 201
    assert not [query for query in queries.captured_queries if "regions_region" in query["sql"]]
    report = Report.objects.order_by("-pk").first()
    assert (report.kecamatan.code, report.kelurahan.code) == ("36.72.05", "36.72.05.1003")
