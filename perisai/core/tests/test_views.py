from unittest import mock

import pytest
from django.db import DatabaseError
from django.urls import reverse

pytestmark = pytest.mark.django_db


class LandingPageTests:
    def test_anyone_sees_what_to_do_when_a_child_is_in_danger(self, client):
        response = client.get(reverse("core:landing"))
        assert response.status_code == 200
        body = response.content.decode()
        for number in ("tel:110", "tel:112", "tel:129", "08111-129-129"):
            assert number in body
        assert "Apa yang terjadi setelah Anda melapor" in body

    def test_page_is_indonesian_even_when_the_browser_asks_for_english(self, client):
        response = client.get(reverse("core:landing"), headers={"accept-language": "en-US,en;q=0.9"})
        assert '<html lang="id">' in response.content.decode()

    def test_language_switch_to_english_is_remembered(self, client):
        response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
        assert response.status_code == 302
        response = client.get(reverse("core:landing"))
        assert '<html lang="en">' in response.content.decode()
        assert response["Content-Language"] == "en"
        assert "Is a child in danger right now?" in response.content.decode()  # the compiled English catalogue

    def test_head_request_is_answered(self, client):
        assert client.head(reverse("core:landing")).status_code == 200

    def test_security_headers_are_sent(self, client):
        response = client.get(reverse("core:landing"))
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"


class HealthzTests:
    def test_reports_ok_when_the_database_answers(self, client):
        response = client.get(reverse("core:healthz"))
        assert response.status_code == 200
        assert response.json()["status"] == "ok"
        assert response.json()["database"] == "ok"
        assert response.json()["migrations"] == "ok"

    def test_reports_503_when_the_database_is_unreachable(self, client):
        with mock.patch("perisai.core.health.connection") as connection:
            connection.cursor.side_effect = DatabaseError("connection refused")
            response = client.get(reverse("core:healthz"))
        assert response.status_code == 503
        assert response.json() == {
            "status": "error",
            "database": "error",
            "migrations": "unknown",
            "version": response.json()["version"],
        }

    def test_is_never_cached(self, client):
        assert "no-cache" in client.get(reverse("core:healthz"))["Cache-Control"]


class ErrorPageTests:
    def test_unknown_page_answers_in_indonesian_and_reveals_nothing(self, client):
        response = client.get("/tidak-ada/../../etc/passwd")
        assert response.status_code == 404
        body = response.content.decode()
        assert "Halaman tidak ditemukan" in body
        assert "Traceback" not in body and "urlpatterns" not in body
