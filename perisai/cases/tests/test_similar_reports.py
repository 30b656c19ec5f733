"""Two reports about the same event in the inbox: shown as likely duplicates with the reason, merged from the
triage page, and decided together by one triage (issue 13, item 10)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.cases.tests.factories import report
from perisai.regions import selectors as regions
from perisai.reports.choices import ReportStatus
from perisai.reports.models import Report

pytestmark = pytest.mark.django_db


def places():
    kecamatan = list(regions.kecamatan_of_city()[:2])
    return [(k, regions.kelurahan_of(k.code).first()) for k in kecamatan]


def anonymous_report(kecamatan, kelurahan, **fields):
    return report(child_name="", kecamatan=kecamatan, kelurahan=kelurahan, **fields)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class SimilarReportTests:
    def test_two_reports_about_one_kelurahan_are_flagged_merged_and_triaged_together(self, make_user):
        (kecamatan, kelurahan), (elsewhere, elsewhere_kelurahan) = places()
        first = anonymous_report(kecamatan, kelurahan)
        second = anonymous_report(kecamatan, kelurahan, harms=["hit"])
        unrelated = anonymous_report(elsewhere, elsewhere_kelurahan, harms=["hit"])
        officer = signed_in(make_user(Role.INTAKE_OFFICER))

        inbox = officer.get(reverse("reports:inbox")).content.decode()
        assert f"Mungkin sama dengan {second.tracking_code}" in inbox
        assert f"Mungkin sama dengan {first.tracking_code}" in inbox
        triage_url = reverse("cases:triage", args=[second.public_id])
        page = officer.get(triage_url).content.decode()
        assert first.tracking_code in page and "kelurahan sama, selang kurang dari 1 jam" in page
        assert unrelated.tracking_code not in page

        response = officer.post(triage_url, {"decision": "merge", "report": str(first.public_id)})
        assert response["Location"] == reverse("reports:inbox")
        assert Report.objects.get(pk=second.pk).merged_into == first
        assert AuditEvent.objects.filter(action=AuditAction.REPORT_MERGED).count() == 1
        inbox = officer.get(reverse("reports:inbox")).content.decode()
        assert f"digabung ke {first.tracking_code}" in inbox  # the message after merging
        assert reverse("reports:detail", args=[second.public_id]) not in inbox and "+1 laporan digabung" in inbox
        # Merging twice is refused with a message.
        again = officer.post(triage_url, {"decision": "merge", "report": str(first.public_id)}, follow=True)
        assert "sudah digabung ke laporan lain" in again.content.decode()
        assert AuditEvent.objects.filter(action=AuditAction.REPORT_MERGED).count() == 1

        officer.post(
            reverse("cases:triage", args=[first.public_id]),
            {"decision": "open", "risk": "sedang", "authority": "kota", "case_manager": ""},
        )
        first.refresh_from_db()
        merged = Report.objects.get(pk=second.pk)
        assert first.status == merged.status == ReportStatus.IN_CASE and merged.case == first.case

    def test_closing_the_main_report_closes_the_merged_one(self, make_user):
        (kecamatan, kelurahan), _other = places()
        first, second = anonymous_report(kecamatan, kelurahan), anonymous_report(kecamatan, kelurahan)
        officer = signed_in(make_user(Role.INTAKE_OFFICER))
        officer.post(
            reverse("cases:triage", args=[second.public_id]), {"decision": "merge", "report": str(first.public_id)}
        )
        officer.post(
            reverse("cases:triage", args=[first.public_id]),
            {"decision": "close", "handed_over": "no", "reason": "Bukan kekerasan terhadap anak."},
        )
        assert set(Report.objects.values_list("status", flat=True)) == {ReportStatus.CLOSED}

    def test_only_triage_roles_merge(self, make_user):
        (kecamatan, kelurahan), _other = places()
        first, second = anonymous_report(kecamatan, kelurahan), anonymous_report(kecamatan, kelurahan)
        for role in (Role.CASE_MANAGER, Role.ANALYST, Role.PARTNER_STAFF, Role.ADMINISTRATOR):
            response = signed_in(make_user(role)).post(
                reverse("cases:triage", args=[second.public_id]), {"decision": "merge", "report": str(first.public_id)}
            )
            assert response.status_code == 404, role
        assert Report.objects.get(pk=second.pk).merged_into is None


class MergedReportCountsTests:
    def test_what_a_merged_report_tells_counts_and_it_is_never_triaged_alone(self, make_user):
        (kecamatan, kelurahan), _other = places()
        first = anonymous_report(kecamatan, kelurahan, harms=["neglected"])
        second = anonymous_report(kecamatan, kelurahan, harms=["touched"], urgent=True)
        officer = signed_in(make_user(Role.INTAKE_OFFICER))
        officer.post(
            reverse("cases:triage", args=[second.public_id]), {"decision": "merge", "report": str(first.public_id)}
        )
        inbox = officer.get(reverse("reports:inbox")).content.decode()
        assert "Darurat" in inbox  # the merged report's danger keeps the group on top
        alone = officer.post(
            reverse("cases:triage", args=[second.public_id]),
            {"decision": "open", "risk": "sedang", "authority": "kota", "case_manager": ""},
            follow=True,
        )
        assert "sudah ditriase" in alone.content.decode() and not Report.objects.filter(case__isnull=False).exists()
        officer.post(
            reverse("cases:triage", args=[first.public_id]),
            {"decision": "open", "risk": "sedang", "authority": "kota", "case_manager": ""},
        )
        case = Report.objects.get(pk=first.pk).case
        assert sorted(case.victims.get().violence_types) == ["penelantaran", "seksual"]
        assert case.tasks.filter(rule="tpks_police_report").exists()  # UU TPKS Pasal 41, from the merged report
