import pytest
from django.core.management import call_command

from perisai.accounts.choices import Role
from perisai.accounts.models import User, UserRole
from perisai.reports.choices import Channel
from perisai.reports.models import Report

pytestmark = pytest.mark.django_db


class SeedDemoTests:
    """On the demo seeded once for the class (the `demo` fixture, conftest.py); seed_demo runs again where its output
    is read, as it does on every `make run`."""

    def test_one_demo_account_per_role_each_with_a_second_factor(self, demo, capsys):
        call_command("seed_demo")
        out = capsys.readouterr().out
        assert set(UserRole.objects.values_list("role", flat=True)) == set(Role.values)
        for user in User.objects.all():
            assert user.email.endswith("@perisai.test") and user.email in out
        from allauth.mfa.models import Authenticator

        assert Authenticator.objects.filter(type="totp").count() == User.objects.count()

    def test_reports_in_every_channel(self, demo):
        # Every channel but the old register's, which only an import (perisai.imports) uses.
        assert set(Report.objects.values_list("channel", flat=True)) == set(Channel.values) - {Channel.REGISTER}
        assert Report.objects.filter(first_contact_at__isnull=False).exists()
        assert Report.objects.filter(first_contact_at__isnull=True).exists()
        from perisai.reports.choices import ReportStatus

        states = set(Report.objects.values_list("status", flat=True))
        assert states == set(ReportStatus.values)  # every state, now that referrals exist

    def test_the_sign_in_address_is_the_server_make_run_starts(self, demo, capsys, settings):
        settings.PERISAI_SITE_URL = "http://127.0.0.1:8101/"
        call_command("seed_demo")
        out = capsys.readouterr().out
        assert "Masuk di http://127.0.0.1:8101/akun/login/" in out
        assert "http://127.0.0.1:8101/admin/" in out and ":8000" not in out

    def test_a_second_run_keeps_what_exists_and_adds_nothing(self, demo, capsys):
        user = User.objects.get(email="pendamping@perisai.test")
        user.full_name = "Diubah oleh uji"
        user.save()
        counts = (User.objects.count(), Report.objects.count())
        call_command("seed_demo")
        assert (User.objects.count(), Report.objects.count()) == counts
        assert User.objects.get(email="pendamping@perisai.test").full_name == "Diubah oleh uji"
        assert "tidak ada yang diubah" in capsys.readouterr().out

    def test_about_forty_child_victims_from_january_to_september_2023(self, demo):
        from collections import Counter

        from perisai.cases.models import Victim

        victims = Victim.objects.filter(case__opened_at__year=2023, case__opened_at__month__lte=9)
        assert 35 <= victims.count() <= 45
        assert all(v.estimated_age is not None and v.estimated_age < 18 for v in victims)
        types = Counter(t for v in victims for t in v.violence_types)
        assert [name for name, _ in types.most_common(2)] == ["seksual", "eksploitasi"]

    def test_cases_in_every_state(self, demo):
        from perisai.cases.choices import CaseStatus
        from perisai.cases.models import Case

        assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)

    def test_the_stored_tallies_agree_with_a_fresh_count_after_the_demo_data(self, demo, capsys):
        call_command("stats_rebuild", "--check")  # raises CommandError on any difference
        assert "sama dengan hitungan baru" in capsys.readouterr().out
