"""The case list's query: scope and filters as EXISTS (no joins, no DISTINCT), overdue counts, count, pages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from perisai.accounts.choices import Role
from perisai.cases import selectors
from perisai.cases.models import Case, CaseAccessGrant, CaseTask, CaseTeamMember, Perpetrator, Victim
from perisai.cases.tests.factories import open_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["few cases", "many cases"])
def overdue_count_shape(request, monkeypatch):
    """Every test runs with both ways of counting overdue tasks (case_list_rows(few=...)): the tests have a
    handful of cases, so "many" is forced by lowering the threshold."""
    if request.param == "many cases":
        monkeypatch.setattr(selectors, "FEW_CASES", 0)
    return request.param


def listing(client, **params):
    """(cases on the page, the paginator's count) as the view sends them to the template."""
    response = client.get(reverse("cases:list"), params)
    assert response.status_code == 200
    page = response.context["page"]
    return list(page.object_list), page.paginator.count


def overdue(case, hours=1, **fields):
    return CaseTask.objects.create(
        case=case, title="Terlambat", due_at=timezone.now() - dt.timedelta(hours=hours), **fields
    )


class CaseListScopeTests:
    def test_a_case_reachable_through_its_manager_the_team_and_a_grant_is_listed_once_and_counted_once(
        self, client, make_user
    ):
        supervisor = make_user(Role.SUPERVISOR)
        case = open_case(make_user, manager=supervisor, harms=["touched", "hit"])
        Case.objects.filter(pk=case.pk).update(restricted=True)
        CaseTeamMember.objects.create(case=case, user=supervisor, team_role="psikolog")
        for _ in range(2):
            CaseAccessGrant.objects.create(
                case=case,
                user=supervisor,
                reason="Uji akses darurat.",
                expires_at=timezone.now() + dt.timedelta(hours=1),
            )
        Victim.objects.create(case=case, name="Anak Kedua", violence_types=["seksual", "fisik"])
        overdue(case)
        overdue(case, hours=5)
        client.force_login(supervisor)
        for params in ({}, {"semua": "1"}, {"semua": "1", "violence": "seksual"}, {"semua": "1", "overdue": "true"}):
            cases, count = listing(client, **params)
            assert [c.pk for c in cases] == [case.pk], params
            assert count == 1, params
            assert cases[0].overdue_tasks == 2, params  # not multiplied by victims, team members or grants
        # The file itself is found once too (a duplicate row would make get() fail).
        assert client.get(reverse("cases:detail", args=[case.public_id])).status_code == 200

    def test_restricted_cases_are_listed_to_a_supervisor_only_through_the_team_or_a_valid_grant(
        self, client, make_user
    ):
        supervisor = make_user(Role.SUPERVISOR)
        hidden, on_team, granted, expired = (
            open_case(make_user, manager=make_user(Role.CASE_MANAGER)) for _ in range(4)
        )
        Case.objects.filter(pk__in=[hidden.pk, on_team.pk, granted.pk, expired.pk]).update(restricted=True)
        CaseTeamMember.objects.create(case=on_team, user=supervisor, team_role="psikolog")
        for case, hours in ((granted, 1), (expired, -1)):
            CaseAccessGrant.objects.create(
                case=case,
                user=supervisor,
                reason="Uji akses darurat.",
                expires_at=timezone.now() + dt.timedelta(hours=hours),
            )
        open_case_of_colleague = open_case(make_user, manager=make_user(Role.CASE_MANAGER))
        client.force_login(supervisor)
        cases, count = listing(client, semua="1")
        assert {c.pk for c in cases} == {on_team.pk, granted.pk, open_case_of_colleague.pk}
        assert count == 3

    def test_the_scope_works_as_a_subquery_of_another_model(self, make_user):
        """Other apps filter by the case scope (case__in=case_policy.visible_to(actor).values("pk")): the EXISTS
        subqueries must still refer to the case, not to the outer model."""
        from perisai.cases.policies import case_policy

        supervisor = make_user(Role.SUPERVISOR)
        visible, restricted = open_case(make_user), open_case(make_user)
        Case.objects.filter(pk=restricted.pk).update(restricted=True)
        CaseTeamMember.objects.create(case=visible, user=supervisor, team_role="psikolog")
        tasks = CaseTask.objects.filter(case__in=case_policy.visible_to(supervisor).values("pk"))
        assert set(tasks.values_list("case", flat=True)) == {visible.pk}

    def test_a_case_manager_lists_their_own_cases_and_those_of_their_teams_only(self, client, make_user):
        manager, colleague = make_user(Role.CASE_MANAGER), make_user(Role.CASE_MANAGER)
        own = open_case(make_user, manager=manager)
        team = open_case(make_user, manager=colleague)
        Case.objects.filter(pk=team.pk).update(restricted=True)
        CaseTeamMember.objects.create(case=team, user=manager, team_role="konselor")
        open_case(make_user, manager=colleague)
        client.force_login(manager)
        assert {c.pk for c in listing(client, semua="1")[0]} == {own.pk, team.pk}
        assert {c.pk for c in listing(client)[0]} == {own.pk}  # "Kasus saya": managed, not merely on the team


class CaseListFilterShapeTests:
    def test_overdue_counts_only_open_tasks_past_their_deadline(self, client, make_user):
        manager = make_user(Role.CASE_MANAGER)
        case = open_case(make_user, manager=manager)
        CaseTask.objects.filter(case=case).update(due_at=timezone.now() + dt.timedelta(days=1))
        overdue(case)
        overdue(case)
        overdue(case, done_at=timezone.now())  # done, even if late
        client.force_login(manager)
        cases, _count = listing(client)
        assert cases[0].overdue_tasks == 2

    def test_not_overdue_means_no_open_task_past_its_deadline(self, client, make_user):
        manager = make_user(Role.CASE_MANAGER)
        late, calm = open_case(make_user, manager=manager), open_case(make_user, manager=manager)
        CaseTask.objects.filter(case__in=[late, calm]).update(due_at=timezone.now() + dt.timedelta(days=1))
        overdue(late)
        overdue(calm, done_at=timezone.now())  # a late task done, and open tasks not yet due: not overdue
        client.force_login(manager)
        assert [c.pk for c in listing(client, overdue="true")[0]] == [late.pk]
        assert [c.pk for c in listing(client, overdue="false")[0]] == [calm.pk]
        assert listing(client, overdue="false")[1] == 1

    def test_a_case_with_several_matching_victims_is_found_once(self, client, make_user):
        supervisor = make_user(Role.SUPERVISOR)
        case = open_case(make_user, harms=["touched"], child_name="Muhammad Rizki")
        Victim.objects.create(case=case, name="Muhammad Rizki", violence_types=["seksual"])
        client.force_login(supervisor)
        for params in ({"q": "Muhammad Rizki"}, {"violence": "seksual"}):
            cases, count = listing(client, semua="1", **params)
            assert ([c.pk for c in cases], count) == ([case.pk], 1), params

    def test_the_period_is_whole_days_in_the_offices_time_zone(self, client, make_user):
        supervisor = make_user(Role.SUPERVISOR)
        zone = timezone.get_current_timezone()
        early, late = open_case(make_user), open_case(make_user)
        # 00:30 and 23:59 on 10 March in Cilegon (WIB): 9 March 17:30 and 10 March 16:59 in UTC.
        Case.objects.filter(pk=early.pk).update(opened_at=dt.datetime(2026, 3, 10, 0, 30, tzinfo=zone))
        Case.objects.filter(pk=late.pk).update(opened_at=dt.datetime(2026, 3, 10, 23, 59, tzinfo=zone))
        client.force_login(supervisor)

        def listed(**params):
            return {c.pk for c in listing(client, semua="1", **params)[0]}

        assert listed(opened_from="2026-03-10", opened_to="2026-03-10") == {early.pk, late.pk}
        assert listed(opened_to="2026-03-09") == set()
        assert listed(opened_from="2026-03-11") == set()
        assert listed(opened_from="2026-03-10") == {early.pk, late.pk}

    def test_the_relationship_filter_finds_a_case_once_whatever_its_perpetrators(self, client, make_user):
        supervisor = make_user(Role.SUPERVISOR)
        family, teacher_and_stranger, stranger, none = (open_case(make_user) for _ in range(4))
        Perpetrator.objects.filter(case__in=[family, teacher_and_stranger, stranger, none]).delete()
        for case, relationships in (
            (family, ["orang_tua", "keluarga"]),
            (teacher_and_stranger, ["guru", "lainnya"]),
            (stranger, ["lainnya"]),
        ):
            for relationship in relationships:
                Perpetrator.objects.create(case=case, relationship=relationship)
        client.force_login(supervisor)

        def listed(value):
            cases, count = listing(client, semua="1", relationship=value)
            assert count == len(cases), value  # one row per case: no duplicate from two perpetrators
            return {c.pk for c in cases}

        assert listed("terdekat") == {family.pk, teacher_and_stranger.pk}  # the statistics' "orang terdekat"
        assert listed("ada") == {family.pk, teacher_and_stranger.pk, stranger.pk}  # any perpetrator recorded
        assert listed("lainnya") == {teacher_and_stranger.pk, stranger.pk}
        assert listed("orang_tua") == {family.pk}
        assert len(listed("")) == 4

    def test_the_incident_period_is_inclusive_and_leaves_out_cases_without_an_incident_date(self, client, make_user):
        supervisor = make_user(Role.SUPERVISOR)
        first, last, later, undated = (open_case(make_user) for _ in range(4))
        for case, day in ((first, dt.date(2025, 3, 1)), (last, dt.date(2025, 3, 31)), (later, dt.date(2025, 4, 1))):
            Case.objects.filter(pk=case.pk).update(incident_date=day)
        Case.objects.filter(pk=undated.pk).update(incident_date=None)
        client.force_login(supervisor)

        def listed(**params):
            return {c.pk for c in listing(client, semua="1", **params)[0]}

        assert listed(incident_from="2025-03-01", incident_to="2025-03-31") == {first.pk, last.pk}
        assert listed(incident_from="2025-03-31") == {last.pk, later.pk}
        assert listed(incident_to="2025-02-28") == set()

    def test_the_new_filters_are_exists_subqueries_and_plain_ranges_without_distinct(self, make_user):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from perisai.cases.filters import CaseFilter

        supervisor = make_user(Role.SUPERVISOR)
        open_case(make_user)
        params = {"relationship": "terdekat", "incident_from": "2025-01-01", "incident_to": "2025-12-31"}
        queryset = CaseFilter(params, queryset=selectors.case_list(actor=supervisor, mine_only=False)).qs
        with CaptureQueriesContext(connection) as context:
            list(queryset)
        sql = context.captured_queries[-1]["sql"].upper()
        assert "DISTINCT" not in sql
        assert "EXISTS" in sql and "CASES_PERPETRATOR" in sql
        assert 'JOIN "CASES_PERPETRATOR"' not in sql


class CaseListQueryCountTests:
    def test_the_page_costs_the_same_queries_for_one_case_or_many(self, client, make_user):
        """The list fetches only the columns it shows: a template reading any other field would cost one
        query per row, and that is what this catches."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        manager = make_user(Role.CASE_MANAGER)
        open_case(make_user, manager=manager)
        client.force_login(manager)
        client.get(reverse("cases:list"))  # session and caches warmed up

        def queries():
            with CaptureQueriesContext(connection) as context:
                assert client.get(reverse("cases:list")).status_code == 200
            return len(context.captured_queries)

        one = queries()
        for _ in range(3):
            overdue(open_case(make_user, manager=manager))
        assert queries() == one


class CaseListPaginationTests:
    def test_25_cases_a_page_overdue_first_then_newest_and_the_count_covers_every_page(self, client, make_user):
        manager = make_user(Role.CASE_MANAGER)
        cases = [open_case(make_user, manager=manager) for _ in range(27)]
        CaseTask.objects.update(due_at=timezone.now() + dt.timedelta(days=1))
        start = timezone.now() - dt.timedelta(days=100)
        for day, case in enumerate(cases):
            Case.objects.filter(pk=case.pk).update(opened_at=start + dt.timedelta(days=day))
        oldest = cases[0]
        overdue(oldest)
        client.force_login(manager)
        first, count = listing(client)
        second, _count = listing(client, halaman="2")
        assert count == 27 and len(first) == 25 and len(second) == 2
        expected = [oldest.pk] + [c.pk for c in reversed(cases[1:])]
        assert [c.pk for c in first + second] == expected
        assert listing(client, halaman="99")[0] == second  # past the end: the last page, as before
