"""Statistics and exports count on the read replica when one is configured (perisai.core.replica); who may see
what, the export's own row, the records taken out and every write (the tallies' fold, the export's status, audit
events, the cache) stay on the primary; with the replica down every page answers from the primary.

The replica here is a second connection to the test database (perisai.core.tests.replicas), so the tests are
transactional: inside a test's transaction every read stays on the primary. A real standby made by pg_basebackup
is in tests/deploy/test_replica.py."""

from __future__ import annotations

import socket

import pytest
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import reauthenticate
from perisai.accounts.choices import Role
from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.core.tests.replicas import replica_alias
from perisai.stats import counting, public, services
from perisai.stats.generate import generate_cases
from perisai.stats.models import CaseExport, ExportStatus
from perisai.stats.periods import Period
from perisai.stats.tasks import build_export

YEAR = 2024
PERIOD = {"jenis": "tahun", "tahun": str(YEAR)}

# Few tests, each a whole story: on PostgreSQL every transactional test costs seconds of TRUNCATE afterwards.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def office(make_user):
    generate_cases(officer=make_user(Role.INTAKE_OFFICER), manager=make_user(Role.CASE_MANAGER), count=8, year=YEAR)
    cache.clear()  # the public figures are cached: these tests want them counted
    analyst = make_user(Role.ANALYST)
    client = Client()
    client.force_login(analyst)
    return {"analyst": analyst, "client": client, "victims": counting.facts_for(Period.year(YEAR)).victim_count}


class Captured:
    """The SQL each database was sent while the block ran."""

    def __init__(self, replica_db):
        self.contexts = (CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]), CaptureQueriesContext(replica_db))

    def __enter__(self):
        for context in self.contexts:
            context.__enter__()
        return self

    def __exit__(self, *exc):
        for context in reversed(self.contexts):
            context.__exit__(*exc)

    @property
    def primary(self) -> str:
        return "\n".join(query["sql"] for query in self.contexts[0].captured_queries)

    @property
    def replica(self) -> str:
        return "\n".join(query["sql"] for query in self.contexts[1].captured_queries)


def writes(sql: str) -> list[str]:
    return [line for line in sql.splitlines() if line.lstrip().split(" ")[0] in {"INSERT", "UPDATE", "DELETE"}]


class ReplicaReadsTests:
    def test_the_dashboard_and_the_public_page_count_on_the_replica_and_fold_on_the_primary(self, office):
        with replica_alias() as copy, Captured(copy) as sent:
            response = office["client"].get(reverse("stats:dashboard"), PERIOD)
        assert response.status_code == 200
        assert response.context["facts"].victim_count == office["victims"]
        assert '"cases_case"' in sent.replica and writes(sent.replica) == []
        # The pending marks of the writes above are folded by the reader, on the primary.
        assert any('"stats_pendingrecount"' in line for line in writes(sent.primary))
        if connection.vendor == "postgresql":
            # The stored tallies, read in one snapshot of the replica. (SQLite keeps them in the fold's transaction,
            # under its write lock; a streaming replica is PostgreSQL's anyway.)
            assert "REPEATABLE READ" in sent.replica and '"stats_dailytally"' in sent.replica

        with replica_alias() as copy, Captured(copy) as sent:
            page = Client().get(reverse("stats_public:page"), {"tahun": YEAR})
        assert page.status_code == 200
        assert page.context["stats"].summary == public.view(public.public_statistics(YEAR), "").summary
        assert '"cases_victim"' in sent.replica and writes(sent.replica) == []
        assert '"cases_victim"' not in sent.primary
        assert any('"perisai_cache"' in line for line in writes(sent.primary))  # the figures cached, on the primary

    def test_the_simfoni_recap_and_listing_count_on_the_replica_and_the_listing_is_audited_on_the_primary(self, office):
        client = office["client"]
        with replica_alias() as copy, Captured(copy) as sent:
            recap = client.get(reverse("stats:simfoni_recap"), PERIOD)
        assert recap.status_code == 200
        assert '"cases_victim"' in sent.replica and writes(sent.replica) == []
        assert '"cases_victim"' not in sent.primary

        reauthenticate(client)
        with replica_alias() as copy, Captured(copy) as sent:
            listing = client.get(reverse("stats:simfoni_listing"), PERIOD)
        assert listing.status_code == 200
        assert '"cases_victim"' in sent.replica and writes(sent.replica) == []
        # The records taken out are read, and their audit event written, on the primary in one transaction.
        assert '"cases_victim"' in sent.primary
        assert any('"audit_auditevent"' in line for line in writes(sent.primary))
        event = AuditEvent.objects.get(actor=office["analyst"], action=AuditAction.EXPORTED)
        assert event.object_type == "stats.simfoni_listing" and event.extra["rows"] > 0

    def test_an_export_is_counted_on_the_replica_and_its_own_row_read_on_the_primary(self, office):
        analyst = office["analyst"]
        export = services.export_request(actor=analyst, period=Period.year(YEAR), kecamatan=None, file_format="csv")
        with replica_alias() as copy:
            # Just requested: its status page must see it, so it reads the primary.
            with Captured(copy) as sent:
                detail = office["client"].get(reverse("stats:export_detail", args=[export.public_id]))
            assert detail.status_code == 200
            assert sent.replica == ""

            with Captured(copy) as sent:
                rows = build_export.call(export.pk)
        assert rows == office["victims"]
        export.refresh_from_db()
        assert (export.status, export.rows) == (ExportStatus.READY, rows)
        assert '"cases_victim"' in sent.replica and writes(sent.replica) == []
        assert '"stats_caseexport"' not in sent.replica and '"stats_caseexport"' in sent.primary
        assert '"registration_number"' in sent.primary  # the rows taken out, within the requester's scope
        assert any('"stats_caseexport"' in line for line in writes(sent.primary))

    def test_with_the_replica_down_every_page_and_export_answers_from_the_primary(self, office, tmp_path):
        if connection.vendor == "postgresql":
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                down = {"HOST": "127.0.0.1", "PORT": probe.getsockname()[1]}  # nothing listens once closed
        else:
            down = {"NAME": str(tmp_path / "missing" / "replica.sqlite3")}
        export = services.export_request(
            actor=office["analyst"], period=Period.year(YEAR), kecamatan=None, file_format="csv"
        )
        with replica_alias(**down) as copy:
            dashboard = office["client"].get(reverse("stats:dashboard"), PERIOD)
            page = Client().get(reverse("stats_public:page"), {"tahun": YEAR})
            recap = office["client"].get(reverse("stats:simfoni_recap"), PERIOD)
            rows = build_export.call(export.pk)
            assert copy.connection is None
        assert (dashboard.status_code, page.status_code, recap.status_code) == (200, 200, 200)
        assert dashboard.context["facts"].victim_count == office["victims"] == rows
        assert page.context["stats"].summary == public.view(public.public_statistics(YEAR), "").summary
        assert CaseExport.objects.get().status == ExportStatus.READY
