"""SIMFONI-PPA: the recap (aggregates) and the per-case listing (records: supervisors, re-authenticated,
audited). Files are read back by parsing the xlsx's zip and XML."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import reauthenticate
from perisai.accounts.choices import Role
from perisai.accounts.testing import assert_access, matrix_users
from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.cases import services as case_services
from perisai.cases.tests.factories import open_case
from perisai.stats import counting, simfoni
from perisai.stats.periods import Period

PERIOD = {"jenis": "rentang", "dari": "2023-01-01", "sampai": "2023-09-30"}


def sheets(content: bytes) -> dict[str, list[str]]:
    """Sheet name -> every text and number in it, in order (shared strings resolved)."""
    book = zipfile.ZipFile(BytesIO(content))
    shared = re.findall(r"<t[^>]*>([^<]*)</t>", book.read("xl/sharedStrings.xml").decode())
    names = re.findall(r'<sheet name="([^"]+)"', book.read("xl/workbook.xml").decode())
    result = {}
    for index, name in enumerate(names, start=1):
        xml = book.read(f"xl/worksheets/sheet{index}.xml").decode()
        values = []
        for kind, value in re.findall(r'<c r="[A-Z]+\d+"(?: s="\d+")?(?: t="(\w+)")?><v>([^<]*)</v>', xml):
            values.append(shared[int(value)] if kind == "s" else value)
        result[name] = values
        assert "<f>" not in xml  # never a formula
    return result


def column(content: bytes, sheet: str, header: str) -> list[str]:
    """The values under `header` in one sheet (cells read by their reference, so columns stay apart)."""
    book = zipfile.ZipFile(BytesIO(content))
    shared = re.findall(r"<t[^>]*>([^<]*)</t>", book.read("xl/sharedStrings.xml").decode())
    names = re.findall(r'<sheet name="([^"]+)"', book.read("xl/workbook.xml").decode())
    xml = book.read(f"xl/worksheets/sheet{names.index(sheet) + 1}.xml").decode()
    cells = [
        (letters, int(row), shared[int(value)] if kind == "s" else value)
        for letters, row, kind, value in re.findall(
            r'<c r="([A-Z]+)(\d+)"(?: s="\d+")?(?: t="(\w+)")?><v>([^<]*)</v>', xml
        )
    ]
    letters, header_row = next((letters, row) for letters, row, value in cells if value == header)
    return [value for col, row, value in cells if col == letters and row > header_row]


@pytest.mark.django_db
class SimfoniAccessTests:
    def test_the_recap_is_for_analysts_and_supervisors(self, make_user):
        users = matrix_users(make_user)
        assert_access(reverse("stats:simfoni_recap"), users=users, allowed={Role.ANALYST, Role.SUPERVISOR})

    def test_the_listing_is_for_supervisors_and_analysts_who_sign_in_again(self, make_user):
        users = matrix_users(make_user)
        assert_access(
            reverse("stats:simfoni_listing"),
            users=users,
            allowed={Role.SUPERVISOR, Role.ANALYST},
            ok_status=(302,),
        )


class SimfoniOnTheDemoTests:
    def test_the_recap_has_the_dashboards_numbers_in_simfoni_categories(self, demo):
        client = Client()
        client.force_login(demo["analyst"])
        response = client.get(reverse("stats:simfoni_recap"), PERIOD)
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        book = sheets(response.content)
        assert list(book) == [
            "Ringkasan",
            "Korban usia x kelamin",
            "Kecamatan",
            "Jenis kekerasan",
            "Tempat kejadian",
            "Hubungan pelaku",
            "Layanan",
            "Pelaku menurut kelamin",
        ]
        summary = book["Ringkasan"]
        assert summary[summary.index("Jumlah anak korban (korban)") + 1] == "40"
        types = book["Jenis kekerasan"]
        assert types[types.index("Seksual") + 1] == "28"
        assert any(value.startswith("Diekspor oleh") for value in summary)

    def test_a_supervisor_gets_the_listing_after_re_authenticating_and_it_is_audited(self, demo):
        supervisor = demo["supervisor"]
        client = Client()
        client.force_login(supervisor)
        first = client.get(reverse("stats:simfoni_listing"), PERIOD)
        assert first.status_code == 302 and "reauthenticate" in first["Location"]
        reauthenticate(client, password="perisai-demo-2026")
        response = client.get(reverse("stats:simfoni_listing"), PERIOD)
        assert response.status_code == 200
        rows = sheets(response.content)["Daftar kasus SIMFONI"]
        victims_sex = column(response.content, "Daftar kasus SIMFONI", "Korban: jenis kelamin")
        assert len(victims_sex) == 40 and set(victims_sex) <= {"Perempuan", "Laki-laki"}
        names = column(response.content, "Daftar kasus SIMFONI", "Nama korban")
        assert len(names) == 40 and all(name.startswith("[DEMO]") for name in names)  # the supervisor's files
        assert "Inisial korban" not in rows
        event = AuditEvent.objects.filter(actor=supervisor, action=AuditAction.EXPORTED).get()
        assert event.extra["rows"] == 40 and event.extra["detail"] == simfoni.FULL

    def test_an_analyst_gets_every_child_with_initials_only(self, demo):
        analyst = demo["analyst"]
        client = Client()
        client.force_login(analyst)
        reauthenticate(client, password="perisai-demo-2026")
        response = client.get(reverse("stats:simfoni_listing"), PERIOD)
        assert response.status_code == 200
        values = sheets(response.content)["Daftar kasus SIMFONI"]
        assert not any("[DEMO]" in value for value in values)
        for header in ("Nama korban", "NIK korban", "Alamat korban", "Tanggal lahir korban"):
            assert header not in values
        initials = column(response.content, "Daftar kasus SIMFONI", "Inisial korban")
        assert len(initials) == 40 and all(re.fullmatch(r"([A-Z]\.)+", value) for value in initials)
        event = AuditEvent.objects.filter(actor=analyst, action=AuditAction.EXPORTED).get()
        assert event.extra["detail"] == simfoni.INITIALS

    def test_initials(self):
        assert simfoni.initials("siti nur  Aisyah") == "S.N.A."
        assert simfoni.initials("[DEMO] Budi A.") == "B.A."
        assert simfoni.initials("") == ""


@pytest.mark.django_db
class WomenCountedApartTests:
    def test_an_adult_woman_is_in_the_recap_apart_and_never_among_the_children(self, make_user):
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager)  # the child, 9
        case_services.victim_save(
            actor=manager,
            case=case,
            version=case.version,
            name="Ibu",
            sex="p",
            estimated_age=34,
            violence_types=["fisik"],
        )
        facts = counting.facts_for(Period.year(timezone.localdate().year))
        assert facts.victim_count == 1 and facts.adult_women() == 1
        summary = sheets(simfoni.recap_xlsx(facts, place="Uji", watermark="uji"))["Ringkasan"]
        assert summary[summary.index("Jumlah anak korban (korban)") + 1] == "1"
        assert summary[summary.index("Perempuan dewasa korban, dihitung terpisah (korban)") + 1] == "1"


@pytest.mark.django_db
def test_restricted_files_never_leave_in_bulk_by_a_grant_or_to_an_analyst(make_user):
    """Break-the-glass lets a supervisor read one restricted file in an emergency, not copy it into a listing; an
    analyst never gets a restricted case's row (initials, age and kelurahan could point to a child staff know)."""
    from perisai.stats.policies import stats_policy

    manager, holder, outsider = make_user(Role.CASE_MANAGER), make_user(Role.SUPERVISOR), make_user(Role.SUPERVISOR)
    restricted = open_case(make_user, manager=manager)
    open_case(make_user, manager=manager)  # an ordinary case beside it
    case_services.case_restrict(
        actor=holder, case=restricted, restricted=True, reason="Anak kerabat petugas kantor.", version=1
    )
    case_services.case_break_glass(actor=outsider, case=restricted, reason="Pendamping cuti, anak harus dijemput.")
    from perisai.cases.policies import case_policy

    assert case_policy.visible_to(outsider).filter(pk=restricted.pk).exists()  # the grant opens the file...
    assert not stats_policy.record_scope(outsider).filter(pk=restricted.pk).exists()  # ...not a listing of it
    assert not stats_policy.record_scope(make_user(Role.ANALYST)).filter(pk=restricted.pk).exists()
    assert stats_policy.record_scope(make_user(Role.ANALYST)).count() == 1
