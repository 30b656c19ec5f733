"""An unavailable database or a full disk: a 503 maintenance page that needs no database, never a bare 500."""

from __future__ import annotations

import errno
import json
import logging
import uuid

import pytest
from django.db import DatabaseError, DataError, IntegrityError, InterfaceError, OperationalError, ProgrammingError
from django.test import Client
from django.urls import reverse

from perisai.core import outage
from perisai.core.tests.failing_database import database_fails
from perisai.core.tests.outage_urls import CHILD

MAINTENANCE = "Perisai sedang mengalami gangguan"


@pytest.fixture
def browser():
    # Django's test client re-raises a view's exception by default; a browser gets the response.
    return Client(raise_request_exception=False)


def _wrapped(cause: BaseException) -> RuntimeError:
    try:
        raise RuntimeError("while saving") from cause
    except RuntimeError as error:
        return error


class WhatCountsAsAnOutageTests:
    @pytest.mark.parametrize(
        "error",
        [
            OperationalError("terminating connection due to administrator command"),
            OperationalError("database or disk is full"),
            OperationalError("database is locked"),
            InterfaceError("connection already closed"),
            OSError(errno.ENOSPC, "No space left on device"),
            OSError(errno.EROFS, "Read-only file system"),
            OSError(errno.EDQUOT, "Disk quota exceeded"),
            _wrapped(OperationalError("server closed the connection unexpectedly")),
        ],
    )
    def test_the_database_or_the_disk_failing_is_an_outage(self, error):
        assert outage.is_outage(error)

    @pytest.mark.parametrize(
        "error",
        [
            IntegrityError("duplicate key"),
            DataError("value too long"),
            ProgrammingError("relation does not exist"),
            DatabaseError("database disk image is malformed"),
            OSError(errno.ENOENT, "No such file or directory"),
            ValueError("bad"),
            None,
        ],
    )
    def test_bugs_are_not(self, error):
        assert not outage.is_outage(error)

    def test_what_is_logged_is_the_class_and_the_errno_never_the_message(self):
        facts = outage.describe(OSError(errno.ENOSPC, "No space left on device", f"/media/{CHILD}.jpg"))
        assert facts == {"error": "builtins.OSError", "errno": "ENOSPC"}


@pytest.mark.urls("perisai.core.tests.outage_urls")
class MaintenancePageTests:
    @pytest.mark.parametrize("path", ["/gagal/database/", "/gagal/disk/"])
    def test_an_outage_answers_503_with_the_maintenance_page(self, browser, path):
        response = browser.get(path)
        body = response.content.decode()
        assert response.status_code == 503
        assert MAINTENANCE in body
        assert "Coba lagi beberapa menit lagi" in body
        assert 'href="tel:129"' in body  # a child in danger still finds the numbers
        assert response["Retry-After"] == "60"
        assert "no-store" in response["Cache-Control"]
        assert "default-src 'self'" in response["Content-Security-Policy"]
        assert all(type(name) is str for name in response.headers)  # WSGI servers refuse anything else
        assert CHILD not in body and "10.0.0.5" not in body

    @pytest.mark.parametrize("path", ["/gagal/bug/", "/gagal/duplikat/"])
    def test_other_errors_still_get_the_plain_500_page(self, browser, path):
        response = browser.get(path)
        assert response.status_code == 500
        assert "Terjadi gangguan" in response.content.decode()
        assert "Retry-After" not in response

    def test_a_program_asking_for_json_gets_json(self, browser):
        response = browser.get("/gagal/database/", headers={"accept": "application/json"})
        assert response.status_code == 503
        assert json.loads(response.content) == {
            "detail": "Perisai sedang mengalami gangguan. Coba lagi beberapa menit lagi."
        }

    def test_the_log_gets_one_line_with_the_class_and_no_traceback(self, browser, caplog):
        caplog.set_level(logging.INFO)
        browser.get("/gagal/database/")
        outages = [record for record in caplog.records if record.name == "perisai.core.outage"]
        assert len(outages) == 1
        assert outages[0].error == "django.db.utils.OperationalError" and outages[0].exc_info is None
        # Django's own "Internal Server Error" line would carry the traceback and the message.
        assert not [record for record in caplog.records if record.name == "django.request"]
        assert CHILD not in caplog.text

    def test_a_view_that_keeps_input_shows_what_was_typed(self, browser):
        response = browser.post("/gagal/simpan/", {"story": "Anak menangis <malam> ini"})
        assert response.status_code == 503
        assert "Belum terkirim: Anak menangis &lt;malam&gt; ini" in response.content.decode()
        assert response["Retry-After"] == "60"
        assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
class StaffPagesDuringAnOutageTests:
    def test_a_signed_in_officer_gets_the_maintenance_page_when_the_session_cannot_be_read(
        self, browser, make_user, caplog
    ):
        browser.force_login(make_user("intake_officer"))
        caplog.set_level(logging.INFO)
        with database_fails():  # every query, the session's first: the failure is in middleware, before the view
            response = browser.get(reverse("core:attachment_download", args=[uuid.uuid4()]))
        assert response.status_code == 503
        assert MAINTENANCE in response.content.decode()
        assert response["Retry-After"] == "60"
        # Answered once: on the way out the session is not read again (which would fail and answer twice).
        assert len([record for record in caplog.records if record.name == "perisai.core.outage"]) == 1
        assert browser.cookies["sessionid"].value  # and the officer stays signed in for when it is back

    def test_and_when_the_database_fails_inside_the_view(self, browser, make_user):
        browser.force_login(make_user("intake_officer"))
        with database_fails(matching=r'"core_attachment"'):
            response = browser.get(reverse("core:attachment_download", args=[uuid.uuid4()]))
        assert response.status_code == 503
        assert MAINTENANCE in response.content.decode()
        # Private pages stay out of every cache, the maintenance page included.
        assert "no-store" in response["Cache-Control"]

    def test_the_same_page_works_again_once_the_database_is_back(self, browser, make_user):
        browser.force_login(make_user("intake_officer"))
        response = browser.get(reverse("core:attachment_download", args=[uuid.uuid4()]))
        assert response.status_code == 404  # an unknown file: the page itself answered
