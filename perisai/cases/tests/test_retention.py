import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from perisai.accounts.choices import Role
from perisai.cases.choices import CaseStatus
from perisai.cases.models import Case
from perisai.cases.tests.factories import open_case
from perisai.core.selectors import attachments_of
from perisai.core.services import attachment_store
from perisai.core.tests.uploads import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def closed_years_ago(make_user, years: float, **changes):
    case = open_case(
        make_user,
        manager=make_user(Role.CASE_MANAGER),
        child_name="Melati Demo",
        perpetrator_description="Paman Demo",
        perpetrator_relationship="keluarga",
    )
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSED, closed_at=timezone.now() - dt.timedelta(days=365 * years), **changes
    )
    return Case.objects.get(pk=case.pk)


class RetentionTests:
    def test_old_closed_cases_are_anonymised_and_their_counts_stay(self, make_user, capsys):
        old = closed_years_ago(make_user, 6)
        report = old.reports.get()
        attachment_store(actor=None, owner=report, uploaded_file=pdf())
        call_command("apply_retention")
        old.refresh_from_db()
        victim, perpetrator, report = old.victims.get(), old.perpetrators.get(), old.reports.get()
        assert old.anonymised_at and old.chronology == ""
        assert victim.name == "" and victim.history.count() == 0 and old.history.count() == 0
        assert perpetrator.identity == "" and perpetrator.relationship == "keluarga"
        assert report.child_name == "" and report.narrative == ""
        assert not attachments_of(report).exists()
        # What statistics count is kept.
        assert victim.violence_types == ["seksual"] and victim.sex == "p" and victim.estimated_age == 9
        assert old.kecamatan_id is None or old.kecamatan is not None
        assert "1 kasus dianonimkan" in capsys.readouterr().out

    def test_a_legal_hold_or_a_recent_closure_keeps_the_file(self, make_user):
        held = closed_years_ago(make_user, 6, legal_hold=True)
        recent = closed_years_ago(make_user, 2)
        call_command("apply_retention")
        for case in (held, recent):
            case.refresh_from_db()
            assert case.anonymised_at is None and case.victims.get().name == "Melati Demo"

    def test_dry_run_changes_nothing(self, make_user, capsys):
        old = closed_years_ago(make_user, 6)
        call_command("apply_retention", "--dry-run")
        assert "1 kasus akan dianonimkan" in capsys.readouterr().out
        old.refresh_from_db()
        assert old.anonymised_at is None
