"""The stored tallies (perisai.stats.tallies) give exactly what counting afresh gives: after every kind of write,
for any period, date basis and kecamatan."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perisai.accounts.choices import Role
from perisai.cases import deadlines, services
from perisai.cases.choices import ApprovalKind, CaseStatus
from perisai.cases.models import Case, CaseTask, Perpetrator, Service, Victim
from perisai.cases.retention import case_anonymise
from perisai.cases.tests.factories import ALL_TICKED, plan_item
from perisai.core.simfoni import ServiceType, ViolenceType
from perisai.regions import selectors as regions
from perisai.reports.choices import Channel, Harm
from perisai.reports.services import report_submit
from perisai.stats import counting, tallies
from perisai.stats.dashboard import deadline_compliance, referral_figures
from perisai.stats.generate import generate_cases
from perisai.stats.models import CountedCase, DailyTally, PendingRecount
from perisai.stats.periods import BASIS_INCIDENT, BASIS_REPORT, Period

YEAR = 2024


def assert_same(period: Period, kecamatan: str | None = None) -> None:
    """Every figure the dashboard reads from the tallies equals the fresh count."""
    shown = tallies.read(period, kecamatan=kecamatan)
    facts = counting.facts_for(period, kecamatan=kecamatan)
    assert (shown.victim_count, shown.case_count, shown.perpetrator_count, shown.undated_cases) == (
        facts.victim_count,
        facts.case_count,
        facts.perpetrator_count,
        facts.undated_cases,
    ), period
    for key in counting.UNITS:
        assert shown.breakdown(key) == facts.breakdown(key), (key, period)
    assert shown.by_month() == facts.by_month()
    assert shown.deadlines_done() == facts.deadlines_done()
    assert set(shown.counted_case_ids().values_list("case_id", flat=True)) == facts.case_ids
    assert deadline_compliance(shown) == deadline_compliance(facts)
    assert shown.referrals_answered() == facts.referrals_answered()
    assert referral_figures(shown) == referral_figures(facts)


def assert_exact() -> None:
    assert tallies.differences() == []
    for basis in (BASIS_REPORT, BASIS_INCIDENT):
        assert_same(Period.year(YEAR, basis))


@pytest.fixture
def people(make_user):
    return {
        "officer": make_user(Role.INTAKE_OFFICER),
        "manager": make_user(Role.CASE_MANAGER),
        "supervisor": make_user(Role.SUPERVISOR),
    }


@pytest.fixture
def generated(people):
    return generate_cases(officer=people["officer"], manager=people["manager"], count=40, year=YEAR)


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


class WritesTests:
    def test_generated_cases_are_tallied_as_they_are_written(self, generated):
        assert PendingRecount.objects.exists()  # marked by the writes, not yet folded
        assert_exact()
        assert not PendingRecount.objects.exists()

    def test_victims_change_age_types_and_leave(self, generated, people):
        manager = people["manager"]
        case = fresh(generated[0])
        victim = case.victims.first()
        services.victim_save(
            actor=manager,
            case=case,
            version=case.version,
            victim=victim,
            estimated_age=30,  # an adult now: the case may stop counting
            birth_date=None,
        )
        case = fresh(generated[1])
        services.victim_save(
            actor=manager,
            case=case,
            version=case.version,
            victim=case.victims.first(),
            violence_types=[ViolenceType.SEXUAL, ViolenceType.EXPLOITATION],
        )
        Victim.objects.filter(pk=fresh(generated[2]).victims.first().pk).first().delete()
        assert_exact()

    def test_perpetrators_services_and_tasks(self, generated, people):
        manager = people["manager"]
        case = fresh(generated[3])
        perpetrator = services.perpetrator_save(
            actor=manager, case=case, version=case.version, identity="[GEN]", sex="l", relationship="orang_tua"
        )
        case = fresh(case)
        services.perpetrator_save(
            actor=manager, case=case, version=case.version, perpetrator=perpetrator, legal_stage="penyidikan"
        )
        case = fresh(generated[4])
        victim = case.victims.first()
        service = services.service_save(
            actor=manager,
            case=case,
            version=case.version,
            victim=victim,
            service_type=ServiceType.values[0],
            provider=manager.agency,
        )
        for task in CaseTask.objects.filter(case__in=[generated[5].pk, generated[6].pk], done_at__isnull=True):
            services.task_complete(actor=manager, task=task, outcome=first_outcome(task))
        assert_exact()
        service.delete()
        Perpetrator.objects.filter(pk=perpetrator.pk).first().delete()
        assert_exact()

    def test_reports_attached_closing_and_anonymising(self, generated, people):
        officer = people["officer"]
        case = fresh(generated[7])
        earlier = report_submit(
            actor=None,
            token="tally-test",
            received_at=case.opened_at - dt.timedelta(days=3),
            fields={"harms": [Harm.HIT], "narrative": "[GEN]"},
            channel=Channel.PHONE,
        ).report
        services.report_attach_to_case(actor=officer, report=earlier, case=case)  # changes the counted channel
        case = fresh(generated[8])
        CaseTask.objects.filter(case=case).update(done_at=timezone.now(), outcome="done")
        tallies.mark_changed([case.pk])  # this test's own update(), as the services do beside theirs
        assert_exact()
        close(fresh(generated[12]), people)  # open tasks are cancelled: they leave the deadline figures
        assert_exact()
        case_anonymise(case=fresh(generated[9]))
        assert_exact()

    def test_moving_a_case_to_another_day_and_kecamatan_leaves_the_old_ones(self, generated):
        case = fresh(generated[11])
        other = next(k for k in regions.kecamatan_of_city() if k.pk != case.kecamatan_id)
        case.opened_at -= dt.timedelta(days=40)
        case.incident_date = dt.date(YEAR, 6, 1)
        case.kecamatan = other
        case.save()
        assert_exact()

    def test_a_victim_or_service_moved_to_another_case_takes_its_numbers_along(self, generated, people):
        tallies.recount_pending()
        source, target = fresh(generated[13]), fresh(generated[14])
        victim = source.victims.first()
        service = services.service_save(
            actor=people["manager"],
            case=source,
            version=source.version,
            victim=victim,
            service_type=ServiceType.values[1],
            provider=people["manager"].agency,
        )
        assert_exact()
        moved = Service.objects.get(pk=service.pk)
        moved.victim = target.victims.first()
        moved.save()
        assert_exact()
        victim = Victim.objects.get(pk=victim.pk)
        victim.case = target
        victim.save()
        assert_exact()


def close(case: Case, people) -> None:
    """Through the workflow, with the supervisor's approvals; the police report task done first."""
    manager, supervisor = people["manager"], people["supervisor"]
    for task in case.tasks.filter(rule=deadlines.POLICE_REPORT, done_at__isnull=True):
        services.task_complete(actor=manager, task=task, outcome="reported")
    for to, approval in [
        (CaseStatus.ASSESSMENT, None),
        (CaseStatus.PLAN, None),
        (CaseStatus.SERVICE, ApprovalKind.PLAN),
        (CaseStatus.CLOSED, ApprovalKind.CLOSURE),
    ]:
        case = fresh(case)
        if approval == ApprovalKind.PLAN:
            plan_item(manager, case)
        if approval:
            request = services.approval_request(actor=manager, case=case, kind=approval, checklist=ALL_TICKED)
            services.approval_decide(actor=supervisor, approval=request, approve=True)
            case = fresh(case)
        services.case_transition(actor=manager, case=case, to=to, version=case.version)
    assert fresh(case).status == CaseStatus.CLOSED


def first_outcome(task: CaseTask) -> str:
    choices = deadlines.POLICE_OUTCOMES if task.rule == deadlines.POLICE_REPORT else deadlines.GENERAL_OUTCOMES
    return next(code for code, _label in choices if code != "refused")


class ReferralWritesTests:
    def test_answering_revoking_and_moving_deadlines_of_referrals(self, demo):
        from perisai.referrals import services as referral_services
        from perisai.referrals.choices import ReferralStatus
        from perisai.referrals.models import Referral

        year = Period.year(2023)
        assert tallies.differences() == []
        assert_same(year)
        waiting = Referral.objects.filter(status=ReferralStatus.SENT).select_related("agency").order_by("pk")
        first, second = waiting[0], waiting[1]
        partner = first.agency.users.filter(is_active=True).first()
        referral_services.referral_accept(actor=partner, referral=first)
        referral_services.referral_revoke(actor=demo["supervisor"], referral=second, reason="Tidak diperlukan lagi.")
        answered = Referral.objects.filter(responded_at__isnull=False).exclude(status=ReferralStatus.REVOKED).first()
        answered.due_at = answered.responded_at - dt.timedelta(hours=1)  # answered late after all
        answered.save()
        assert tallies.differences() == []
        assert_same(year)


class ReadingTests:
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        start=st.dates(dt.date(YEAR - 1, 11, 1), dt.date(YEAR + 1, 1, 31)),
        days=st.integers(0, 400),
        basis=st.sampled_from([BASIS_REPORT, BASIS_INCIDENT]),
        place=st.sampled_from([None, "36.72.01", "36.72.05"]),
    )
    def test_any_period_basis_and_kecamatan(self, generated, start, days, basis, place):
        assert_same(Period(start, start + dt.timedelta(days=days), basis), place)

    def test_a_large_backlog_is_rebuilt_at_once(self, generated, monkeypatch):
        monkeypatch.setattr(tallies, "REBUILD_AT", 10)
        DailyTally.objects.all().delete()  # as if the tallies were lost: the marks bring them back
        CountedCase.objects.all().delete()
        tallies.mark_changed(Case.objects.values_list("pk", flat=True))
        assert tallies.recount_pending() > 10
        assert_exact()

    def test_the_check_command_finds_a_tampered_count_and_the_rebuild_mends_it(self, generated):
        tallies.recount_pending()
        row = DailyTally.objects.filter(dimension=tallies.VICTIMS).first()
        DailyTally.objects.filter(pk=row.pk).update(count=row.count + 1)
        with pytest.raises(CommandError, match="berbeda"):
            call_command("stats_rebuild", "--check", stdout=io.StringIO())
        out = io.StringIO()
        call_command("stats_rebuild", stdout=out)
        assert f"{Case.objects.count()} kasus dihitung ulang" in out.getvalue()
        call_command("stats_rebuild", "--check", stdout=out)
        assert "sama dengan hitungan baru" in out.getvalue()

    def test_a_rolled_back_write_leaves_no_mark(self, generated):
        from django.db import transaction

        tallies.recount_pending()
        with pytest.raises(RuntimeError), transaction.atomic():
            Victim.objects.filter(case=generated[0]).first().delete()
            raise RuntimeError
        assert not PendingRecount.objects.exists()
        assert tallies.differences() == []

    def test_a_reader_facing_a_large_backlog_counts_afresh_and_leaves_it_to_the_worker(
        self, generated, monkeypatch, people
    ):
        from perisai.stats.dashboard import dashboard

        monkeypatch.setattr(tallies, "READER_LIMIT", 5)
        tallies.recount_pending()
        victim = fresh(generated[0]).victims.first()
        victim.estimated_age, victim.birth_date = 40, None
        victim.save()
        tallies.mark_changed(Case.objects.values_list("pk", flat=True)[:10])
        context = dashboard(Period.year(YEAR), kecamatan=None, grouped=False)
        assert isinstance(context["facts"], counting.Facts)  # counted afresh: exact, only slower
        assert PendingRecount.objects.exists()  # the recount is the worker's
        assert context["facts"].victim_count == counting.facts_for(Period.year(YEAR)).victim_count
        tallies.recount_pending()
        fresh_context = dashboard(Period.year(YEAR), kecamatan=None, grouped=False)
        assert isinstance(fresh_context["facts"], tallies.Tallies)
        assert fresh_context["facts"].victim_count == context["facts"].victim_count

    def test_the_stored_rows_say_nothing_about_a_child(self, generated):
        tallies.recount_pending()
        fields = {f.name for f in DailyTally._meta.get_fields()} | {f.name for f in CountedCase._meta.get_fields()}
        assert fields == {
            "id",
            "basis",
            "grain",
            "day",
            "kecamatan",
            "dimension",
            "code",
            "count",
            "cases",
            "case_id",
            "report_day",
            "incident_day",
            "counted",
        }


class BackgroundRecountTests:
    def test_a_commit_that_marks_cases_queues_one_recount_and_it_folds_them(
        self, generated, django_capture_on_commit_callbacks
    ):
        from django_tasks_db.models import DBTaskResult

        from perisai.stats.tasks import recount_tallies

        tallies.recount_pending()
        queued = DBTaskResult.objects.filter(task_path="perisai.stats.tasks.recount_tallies", status="READY")
        queued.delete()
        with django_capture_on_commit_callbacks(execute=True):
            tallies.mark_changed([generated[0].pk])
        with django_capture_on_commit_callbacks(execute=True):
            tallies.mark_changed([generated[1].pk])
        assert queued.count() == 1  # one waiting is enough
        assert recount_tallies.call() == 2
        assert not PendingRecount.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_readers_and_recounts_take_their_own(make_user):
    """As in production, not inside a test's transaction: PostgreSQL takes the session lock and the
    REPEATABLE READ snapshots (perisai.stats.tallies._exclusive, reading)."""
    generate_cases(officer=make_user(Role.INTAKE_OFFICER), manager=make_user(Role.CASE_MANAGER), count=8, year=YEAR)
    with tallies.reading() as current:
        assert current
        shown = tallies.read(Period.year(YEAR))
        assert shown.victim_count == counting.facts_for(Period.year(YEAR)).victim_count
    from django.core.cache import cache

    from perisai.stats.dashboard import dashboard

    cache.clear()  # the page then writes cache rows while it reads
    context = dashboard(Period.year(YEAR), kecamatan=None, grouped=False)
    assert isinstance(context["facts"], tallies.Tallies)
    assert context["facts"].victim_count == shown.victim_count
    Victim.objects.filter(case__in=Case.objects.all()[:1]).first().delete()
    assert tallies.differences() == []
    assert not PendingRecount.objects.exists()
