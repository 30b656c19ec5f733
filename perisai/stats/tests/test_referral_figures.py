"""Referral figures on the dashboard: the counted cases' referrals answered in time, and open and overdue
referrals per agency now; the same numbers as /staf/rujukan/waktu-respons/ (one selector counts both)."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from perisai.cases.models import Case
from perisai.referrals.choices import ReferralStatus
from perisai.referrals.models import Referral

# Every demo case (and so every demo referral's case) is opened in January-September 2023.
PERIOD = {"jenis": "rentang", "dari": "2023-01-01", "sampai": "2023-09-30"}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def dashboard(user, **params):
    response = signed_in(user).get(reverse("stats:dashboard"), {**PERIOD, **params})
    assert response.status_code == 200
    return response


class ReferralFiguresTests:
    def test_the_dashboard_and_the_response_times_page_agree_on_the_demo_data(self, demo):
        figures = dashboard(demo["analyst"]).context["referrals"]
        rows = signed_in(demo["analyst"]).get(reverse("referrals:response_times")).context["rows"]
        assert rows, "the demo has referrals"
        assert figures.answered == sum(row["answered"] for row in rows)
        assert figures.answered_on_time == sum(row["in_time"] for row in rows)
        assert figures.unanswered_overdue == sum(row["overdue"] for row in rows)
        assert [(r.agency, r.open, r.overdue) for r in figures.per_agency] == [
            (str(row["agency"]), row["open"], row["overdue"]) for row in rows
        ]
        # The demo sends every state to every partner: something open and something overdue for each.
        assert all(r.open and r.overdue for r in figures.per_agency)

    def test_revoked_referrals_are_not_counted_and_answers_after_the_deadline_are_late(self, demo):
        live = Referral.objects.exclude(status=ReferralStatus.REVOKED)
        answered = live.filter(responded_at__isnull=False).order_by("pk")
        late = answered.first()
        Referral.objects.filter(pk=late.pk).update(due_at=late.responded_at - dt.timedelta(hours=1))
        figures = dashboard(demo["analyst"]).context["referrals"]
        assert figures.answered == answered.count()
        assert figures.answered_late == 1
        assert figures.percent == round(100 * (answered.count() - 1) / answered.count())
        unanswered = live.filter(status=ReferralStatus.SENT)
        assert figures.unanswered_overdue + figures.unanswered_waiting == unanswered.count()
        assert figures.unanswered_overdue == unanswered.filter(due_at__lt=timezone.now()).count()
        assert figures.open_total == live.filter(status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED]).count()

    def test_the_share_follows_the_counted_cases_and_the_snapshot_does_not(self, demo):
        referral = Referral.objects.filter(responded_at__isnull=False).exclude(status=ReferralStatus.REVOKED).first()
        before = dashboard(demo["analyst"]).context["referrals"]
        # The referral's case is registered in 2024 now: out of the period, so out of the share...
        case = Case.objects.get(pk=referral.case_id)
        case.opened_at = timezone.now().replace(year=2024)
        case.save()  # a save, as every write in the application: QuerySet.update() would not mark the tallies
        after = dashboard(demo["analyst"]).context["referrals"]
        of_case = Referral.objects.filter(case_id=referral.case_id, responded_at__isnull=False)
        assert after.answered == before.answered - of_case.exclude(status=ReferralStatus.REVOKED).count()
        # ...but still open or not at its agency today.
        assert after.per_agency == before.per_agency
        # A kecamatan narrows the share to its cases; the snapshot stays city-wide.
        other = Case.objects.exclude(pk=referral.case_id).filter(referrals__isnull=False).first()
        code = other.kecamatan.code
        narrow = dashboard(demo["analyst"], kecamatan=code).context["referrals"]
        in_kecamatan = Referral.objects.filter(
            case__kecamatan__code=code, case__opened_at__year=2023, responded_at__isnull=False
        ).exclude(status=ReferralStatus.REVOKED)
        assert narrow.answered == in_kecamatan.count()
        assert narrow.per_agency == before.per_agency

    def test_the_page_shows_both_tables_and_the_chart_to_an_analyst(self, demo):
        body = dashboard(demo["analyst"]).content.decode()
        assert "Belum tersedia" not in body
        assert "Rujukan kasus yang dihitung (satuan: rujukan)" in body
        assert "Rujukan per instansi saat ini (satuan: rujukan)" in body
        assert 'aria-labelledby="referrals-now-t"' in body
        assert "tidak bergantung pada periode dan kecamatan yang dipilih" in body
        assert reverse("referrals:response_times") in body


class NoReferralsTests:
    def test_without_referrals_the_section_says_so(self, db, make_user):
        from perisai.accounts.choices import Role

        body = dashboard(make_user(Role.ANALYST)).content.decode()
        assert "Belum ada rujukan ke instansi mitra." in body
