"""/metrics (issue 16, item 6): Prometheus text with request latency, reports received, queue depth and overdue
deadlines; no personal data; the server itself or a token only."""

import pytest
from django.test import Client
from django.urls import reverse
from prometheus_client.parser import text_string_to_metric_families

from perisai.core.tests.replicas import replica_alias
from perisai.reports.tests.helpers import form_data

pytestmark = pytest.mark.django_db
URL = reverse("metrics")


def samples(response) -> dict[tuple[str, tuple], float]:
    found = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_the_figures_are_there_and_name_nobody(client):
    sent = client.post(reverse("reports_public:form"), form_data(narrative="Melati dipukul di rumah Gang Mawar"))
    assert sent.status_code == 201
    response = client.get(URL)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    found = samples(response)
    assert found[("perisai_reports_received_total", (("channel", "web"),))] == 1
    assert ("perisai_case_tasks_overdue", ()) in found and ("perisai_referrals_overdue", ()) in found
    assert found[("perisai_tasks", (("status", "READY"),))] >= 0
    latency = {key[1] for key in found if key[0] == "perisai_http_request_duration_seconds_count"}
    assert (("method", "POST"), ("route", "lapor/"), ("status", f"{sent.status_code // 100}xx")) in latency
    body = response.content.decode()
    assert "Melati" not in body and "Mawar" not in body


def test_anyone_else_finds_nothing(settings):
    outside = Client(REMOTE_ADDR="198.51.100.7")
    assert outside.get(URL).status_code == 404
    settings.PERISAI_METRICS_TOKEN = "rahasia-monitor"
    assert outside.get(URL, headers={"Authorization": "Bearer salah"}).status_code == 404
    assert outside.get(URL, headers={"Authorization": "Bearer rahasia-monitor"}).status_code == 200


def test_the_replica_s_lag_is_there_only_when_a_replica_is_configured(client, transactional_db):
    assert not any(name == "perisai_replica_lag_seconds" for name, _labels in samples(client.get(URL)))
    with replica_alias():  # the test database itself: never behind
        assert samples(client.get(URL))[("perisai_replica_lag_seconds", ())] == 0.0
