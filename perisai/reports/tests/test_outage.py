"""The public form while the database or the disk fails (issue 16): during a 4.7 s PostgreSQL restart 117 of 753
reports got a bare 500 and lost every word. Now the reporter gets the form back, filled in as typed, told plainly
that it was NOT sent; nothing is half-saved; sending again once the database is back makes exactly one report; and a
report that was committed always gets its receipt."""

from __future__ import annotations

import datetime as dt
import errno
import re
from html.parser import HTMLParser
from unittest import mock

import altcha
import pytest
from django.core.cache import caches
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from conftest import use_production_fragment_cache
from perisai.core import attachments
from perisai.core.models import Attachment
from perisai.core.tests.failing_database import connection_dropped_before, database_fails, writes_refused
from perisai.core.tests.uploads import pdf
from perisai.regions import selectors as regions
from perisai.reports import altcha_check, services
from perisai.reports.models import Report, ReportMessage
from perisai.reports.public_views import ACCESS_SESSION_KEY
from perisai.reports.tests.helpers import form_data, open_report, submitted

URL = "/lapor/"
NOT_SENT = "Laporan Anda BELUM terkirim karena ada gangguan di server kami."
KEPT = "Semua yang Anda tulis masih ada di bawah. Tunggu sebentar, lalu tekan Kirim laporan lagi."
CHOOSE_FILES_AGAIN = "Lampiran yang tadi Anda pilih perlu dipilih ulang."
RECEIPT = "Terima kasih, laporan Anda sudah kami terima"


def everything_typed(**overrides) -> dict:
    """A report that uses every kind of field: text, a long story, radios, checkboxes, selects, a date."""
    return form_data(
        urgent="yes",
        harms=["touched", "shown"],
        narrative='Anak itu bilang "jangan bilang siapa-siapa" & menangis <lagi>.\nSudah tiga kali.',
        location_detail="Gang Mawar RT 03/RW 05, dekat musala",
        place="rumah_tangga",
        incident_period="this_week",
        incident_date=(timezone.localdate() - dt.timedelta(days=3)).isoformat(),
        child_name="Bunga",
        child_age="9",
        child_sex="p",
        child_school="SDN Masigit 2",
        perpetrator_description="Paman, tinggi, berkumis",
        perpetrator_relationship="keluarga",
        reporter_anonymous="no",
        reporter_name="Sri Rahayu",
        reporter_phone="0812 3456 7890",
        reporter_email="sri.rahayu@example.com",
        reporter_relation="neighbour",
        contact_preference="WhatsApp saja, setelah jam 5 sore",
        **overrides,
    )


class _FormState(HTMLParser):
    """What the browser would send if the reporter pressed Kirim again on this page, field by field."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, list[str]] = {}
        self._select = self._textarea = None
        self._text: list[str] = []

    def _add(self, name, value):
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"file", "submit"}:
            if attrs.get("type") in {"radio", "checkbox"}:
                if "checked" in attrs:
                    self._add(name, attrs.get("value", "on"))
            else:
                self._add(name, attrs.get("value", ""))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))
        elif tag == "textarea":
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # A browser drops the newline that directly follows <textarea>.
            self._add(self._textarea, "".join(self._text).removeprefix("\n").replace("\r\n", "\n"))
            self._textarea = None


def form_state(response) -> dict[str, list[str]]:
    parser = _FormState()
    parser.feed(response.content.decode())
    return parser.values


def _digits(values):
    return [re.sub(r"\D", "", value) for value in values or []]


def assert_kept(response, sent: dict) -> None:
    state = form_state(response)
    for name, value in sent.items():
        expected, shown = (value if isinstance(value, list) else [value]), state.get(name)
        if name == "reporter_phone":  # a valid number is shown in its usual grouping, as on any form page
            expected, shown = _digits(expected), _digits(shown)
        assert shown == expected, f"{name}: sent {expected!r}, the page has {shown!r}"


def assert_told_not_sent(response, *, files: bool = False) -> None:
    body = response.content.decode()
    assert response.status_code == 503
    assert NOT_SENT in body and KEPT in body
    assert (CHOOSE_FILES_AGAIN in body) is files
    assert 'href="tel:110"' in body and 'href="tel:129"' in body
    assert RECEIPT not in body and "Kode laporan" not in body
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]


@pytest.fixture(autouse=True, params=["no fragment cache", "fragment cache"])
def fragments(request, settings):
    """Every outage page twice: as the suite runs (DEBUG: no fragment cache), and with production's cache, which
    `reporter` warms with its first GET. An outage page shows what was typed in an unbound form: served from the
    cache it lost the words, stored in it it showed them to the next visitor (perisai/reports/public_views.py)."""
    if request.param == "fragment cache":
        use_production_fragment_cache(settings)
    yield
    caches["fragments"].clear()


@pytest.fixture
def reporter():
    """A phone's browser: it has the form's device cookie, and gets pages, not re-raised exceptions."""
    browser = Client(raise_request_exception=False)
    browser.get(URL)
    return browser


@pytest.mark.django_db
class DatabaseDownWhileSendingTests:
    def test_the_form_comes_back_as_typed_saying_it_was_not_sent_and_nothing_is_saved(self, reporter):
        sent = everything_typed()
        with mock.patch.object(services, "report_submit", side_effect=OperationalError("the database is down")):
            response = reporter.post(URL, sent)
        assert_told_not_sent(response)
        assert_kept(response, sent)  # the token too: a report that did commit after all is found, not doubled
        assert not Report.objects.exists()

        again = reporter.post(URL, form_state(response))  # what pressing Kirim on that page sends
        assert again.status_code == 201
        assert RECEIPT in again.content.decode()
        report = Report.objects.get()
        assert (report.child_name, report.reporter_name, report.harms) == ("Bunga", "Sri Rahayu", ["touched", "shown"])
        assert report.narrative == sent["narrative"]

    def test_a_database_that_drops_every_query_gives_the_same_page(self, reporter):
        sent = everything_typed()
        with database_fails():  # the region lookup in validation is the first query to fail
            response = reporter.post(URL, sent)
        assert_told_not_sent(response)
        assert_kept(response, sent)
        assert not Report.objects.exists()
        assert reporter.post(URL, sent).status_code == 201
        assert Report.objects.count() == 1

    def test_a_full_disk_under_the_database_loses_nothing_either(self, reporter):
        sent = everything_typed()
        with database_fails(matching=r'^\s*INSERT INTO "reports_report"', message="database or disk is full"):
            response = reporter.post(URL, sent)
        assert_told_not_sent(response)
        assert_kept(response, sent)
        assert not Report.objects.exists()
        assert reporter.post(URL, sent).status_code == 201
        assert Report.objects.count() == 1

    @pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own refusal; PostgreSQL's is below")
    def test_sqlite_refusing_every_write_for_real(self, reporter):
        sent = everything_typed()
        with writes_refused():  # the limiter's and the proof-of-work's writes fail open, the report's cannot
            response = reporter.post(URL, sent)
        assert_told_not_sent(response)
        assert_kept(response, sent)
        assert not Report.objects.exists()
        assert reporter.post(URL, sent).status_code == 201
        assert Report.objects.count() == 1

    def test_files_must_be_chosen_again_and_the_page_says_so(self, reporter):
        sent = everything_typed()
        upload = pdf("foto.pdf")
        with mock.patch.object(services, "report_submit", side_effect=OperationalError("down")):
            response = reporter.post(URL, {**sent, "attachments": [upload]})
        assert_told_not_sent(response, files=True)
        assert_kept(response, sent)

    def test_a_failure_before_the_form_is_reached_keeps_the_words_too(self):
        """A reporter who checked an earlier report has a session: reading it is the first query, in middleware."""
        browser = Client(raise_request_exception=False)
        browser.cookies["sessionid"] = "a" * 32
        sent = everything_typed()
        with database_fails():
            response = browser.post(URL, sent)
        assert_told_not_sent(response)
        assert_kept(response, sent)

    def test_the_form_opened_during_an_outage_can_still_be_filled_in(self):
        browser = Client(raise_request_exception=False)
        browser.cookies["sessionid"] = "a" * 32
        with database_fails():
            response = browser.get(URL)
        body = response.content.decode()
        assert response.status_code == 503
        assert "Anda tetap bisa mengisi formulir ini" in body
        assert form_state(response)["token"][0]  # a fresh form, ready to send

    def test_regions_this_process_never_read_are_kept_as_chosen(self, reporter):
        sent = everything_typed()
        regions.city_choices.cache_clear()  # a worker started during the outage
        try:
            with database_fails():
                response = reporter.post(URL, sent)
        finally:
            regions.city_choices.cache_clear()
        assert_told_not_sent(response)
        assert_kept(response, sent)
        assert reporter.post(URL, form_state(response)).status_code == 201
        assert Report.objects.get().kelurahan.code == sent["kelurahan"]


@pytest.mark.django_db
class LimiterFailingAloneTests:
    def test_a_limiter_that_cannot_count_lets_the_report_through_flagged_for_review(self, reporter):
        """Fail open: the counters live in the same database; a report that can be stored is never lost to them."""
        challenge = altcha.v2.Challenge.from_dict(altcha_check.new_challenge())
        solved = altcha.Payload(challenge=challenge, solution=altcha.solve_challenge(challenge)).to_base64()
        # The used-solution marks are in the database cache: whether this one was used cannot be known.
        with database_fails(matching=r'"core_ratecounter"|"perisai_cache"'):
            response = reporter.post(URL, everything_typed(altcha=solved))
        assert response.status_code == 201
        report = Report.objects.get()
        assert report.needs_review
        assert {"rate_unchecked", "proof_of_work"} <= set(report.review_reasons)


@pytest.mark.django_db
class OnceTheReportIsCommittedTests:
    def test_a_full_disk_for_a_photo_still_gives_the_receipt_and_names_the_file(self, reporter, settings):
        upload = pdf("foto-bukti.pdf")
        with mock.patch.object(
            attachments, "write_encrypted", side_effect=OSError(errno.ENOSPC, "No space left on device")
        ):
            response = reporter.post(URL, {**everything_typed(), "attachments": [upload]})
        body = response.content.decode()
        assert response.status_code == 201
        assert RECEIPT in body and response.context["pin"] in body
        assert "Berkas foto-bukti.pdf belum tersimpan karena gangguan di server kami." in body
        report = Report.objects.get()
        assert not Attachment.objects.exists()
        assert not list(settings.MEDIA_ROOT.rglob("*.*")) if settings.MEDIA_ROOT.exists() else True
        assert report.tracking_code in body

    def test_a_session_that_cannot_be_saved_after_the_commit_still_shows_the_receipt(self, reporter):
        session = reporter.session
        session[ACCESS_SESSION_KEY] = {"report": "earlier", "until": 0}  # checked an earlier report
        session.save()
        reporter.cookies["sessionid"] = session.session_key
        with database_fails(matching=r'^\s*UPDATE "django_session"'):  # the save after the view fails
            response = reporter.post(URL, everything_typed())
        body = response.content.decode()
        assert response.status_code == 201
        assert RECEIPT in body and NOT_SENT not in body
        report = Report.objects.get()
        assert report.tracking_code in body
        assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
class RealDisconnectionsTests:
    """Transactional: the connection really dies, and the test's own transaction would die with it. An earlier
    transactional test may have emptied the regions' table, so these reports give an address instead."""

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL server terminating the connection")
    def test_the_server_terminating_the_connection_mid_report(self, reporter):
        sent = everything_typed(kecamatan="", kelurahan="")
        with connection_dropped_before(r'^\s*INSERT INTO "reports_report"') as dropped:
            response = reporter.post(URL, sent)
        assert dropped, "the connection was never terminated"
        assert_told_not_sent(response)
        assert_kept(response, sent)
        assert not Report.objects.exists()
        assert reporter.post(URL, form_state(response)).status_code == 201
        assert Report.objects.count() == 1

    def test_queueing_the_urgent_alert_failing_after_the_commit_still_gives_the_receipt(self, reporter, make_user):
        make_user("intake_officer")  # someone to alert: the e-mail is queued after the commit
        with mock.patch("perisai.core.notifications.send_notification_email") as task:
            task.enqueue.side_effect = OperationalError("server closed the connection unexpectedly")
            response = reporter.post(URL, everything_typed(kecamatan="", kelurahan=""))
        assert task.enqueue.called
        assert response.status_code == 201
        assert RECEIPT in response.content.decode()
        report = Report.objects.get()
        assert report.urgent


STATUS_URL = "/lapor/cek/laporan/"
STATUS_NOT_SENT = "Pesan Anda BELUM terkirim"
MESSAGE = 'Ya, anak masih di rumah <paman>.\nTolong "segera" datang.'


@pytest.mark.django_db
class ReporterPagesDuringAnOutageTests:
    """The status page and the code + PIN check keep what was typed as the report form does (issue 16)."""

    def test_a_message_to_the_officer_comes_back_as_typed_and_is_sent_once_the_database_is_back(self):
        browser = Client(raise_request_exception=False)
        open_report(browser, submitted())
        # The session holding the access is read from the database first: it fails like everything else.
        with database_fails():
            response = browser.post(STATUS_URL, {"body": MESSAGE})
        page = response.content.decode()
        assert response.status_code == 503 and response["Retry-After"] == "60"
        assert STATUS_NOT_SENT in page and 'href="tel:129"' in page
        assert form_state(response)["body"] == [MESSAGE]
        assert "no-store" in response["Cache-Control"]
        assert not ReportMessage.objects.filter(sender="reporter").exists()

        again = browser.post(STATUS_URL, {"body": form_state(response)["body"][0]})
        assert again.status_code == 302
        assert [m.body for m in ReportMessage.objects.filter(sender="reporter")] == [MESSAGE]

    def test_a_message_saved_before_the_session_failed_is_reported_as_sent(self):
        browser = Client(raise_request_exception=False)
        open_report(browser, submitted())
        with database_fails(matching=r'^\s*UPDATE "django_session"'):  # the save after the view fails
            response = browser.post(STATUS_URL, {"body": MESSAGE})
        page = response.content.decode()
        assert response.status_code == 200 and "Pesan Anda sudah terkirim" in page and STATUS_NOT_SENT not in page
        assert [m.body for m in ReportMessage.objects.filter(sender="reporter")] == [MESSAGE]

    def test_files_must_be_chosen_again_and_the_page_says_so(self):
        browser = Client(raise_request_exception=False)
        open_report(browser, submitted())
        with database_fails():
            response = browser.post(STATUS_URL, {"body": "Foto terlampir", "attachments": [pdf()]})
        assert response.status_code == 503 and CHOOSE_FILES_AGAIN in response.content.decode()

    def test_opening_the_status_page_during_an_outage_gets_the_maintenance_page(self):
        browser = Client(raise_request_exception=False)
        open_report(browser, submitted())
        with database_fails():
            response = browser.get(STATUS_URL)
        assert response.status_code == 503 and "Retry-After" in response

    def test_the_code_typed_into_the_check_form_is_kept_and_the_pin_asked_again(self):
        submission = submitted()
        browser = Client(raise_request_exception=False)
        with database_fails():
            response = browser.post("/lapor/cek/", {"code": submission.report.tracking_code, "pin": submission.pin})
        page = response.content.decode()
        assert response.status_code == 503
        assert "Laporan belum bisa dibuka karena ada gangguan di server kami." in page
        assert form_state(response)["code"] == [submission.report.tracking_code]
        assert submission.pin not in page
        again = browser.post("/lapor/cek/", {"code": submission.report.tracking_code, "pin": submission.pin})
        assert again.status_code == 302
