import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.cases import retention
from perisai.cases import services as case_services
from perisai.outreach import services
from perisai.regions.selectors import kecamatan_of_city
from perisai.reports.choices import Channel

pytestmark = pytest.mark.django_db


class OutreachTests:
    def test_each_child_becomes_a_report_with_one_action_and_the_operation_shows_what_happened(
        self, make_user, police_agency
    ):
        officer = make_user(Role.INTAKE_OFFICER)
        operation = services.outreach_record(
            actor=officer,
            held_on=dt.date(2026, 11, 20),
            kecamatan=kecamatan_of_city().first(),
            location="Simpang Tiga PCI",
            agencies=[police_agency],
        )
        child = services.outreach_child_add(
            actor=officer, operation=operation, name="Budi", estimated_age=10, sex="l", situation="begging"
        )
        report = services.outreach_child_to_report(actor=officer, child=child)
        assert services.outreach_child_to_report(actor=officer, child=child) == report  # once only
        assert report.channel == Channel.OUTREACH and report.child_name == "Budi"
        assert report.violence_types == ["eksploitasi"]
        supervisor = make_user(Role.SUPERVISOR)
        case = services_open(supervisor, report)
        url = reverse("outreach:detail", args=[operation.public_id])
        client = Client()
        client.force_login(supervisor)
        page = client.get(url).content.decode()
        assert report.tracking_code in page and case.registration_number in page
        # The intake officer does not open case files: they see the report and its status, not the case.
        client.force_login(officer)
        page = client.get(url).content.decode()
        assert report.tracking_code in page and "Ditangani sebagai kasus" in page
        assert case.registration_number not in page


def services_open(actor, report):
    return case_services.case_open_from_report(actor=actor, report=report, risk="sedang", authority="kota")


class OutreachRetentionTests:
    def test_retention_erases_the_name_and_note_of_a_child_whose_case_is_anonymised(self, make_user, police_agency):
        officer = make_user(Role.INTAKE_OFFICER)
        operation = services.outreach_record(
            actor=officer,
            held_on=dt.date(2026, 11, 20),
            kecamatan=kecamatan_of_city().first(),
            location="Simpang Tiga PCI",
            agencies=[police_agency],
        )
        erased, kept = (
            services.outreach_child_add(
                actor=officer,
                operation=operation,
                name=name,
                estimated_age=10,
                sex="l",
                situation="begging",
                note=f"Catatan tentang {name}",
            )
            for name in ("Budi", "Sari")
        )
        case = services_open(make_user(Role.SUPERVISOR), services.outreach_child_to_report(actor=officer, child=erased))
        services_open(make_user(Role.SUPERVISOR), services.outreach_child_to_report(actor=officer, child=kept))

        retention.case_anonymise(case=case)

        erased.refresh_from_db()
        kept.refresh_from_db()
        assert (erased.name, erased.note) == ("", "")
        assert (kept.name, kept.note) == ("Sari", "Catatan tentang Sari")
