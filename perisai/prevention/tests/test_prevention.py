"""PATBM groups, their members and reports, and prevention activities: what the services keep and refuse."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.prevention import selectors, services
from perisai.prevention.models import PatbmMember, PatbmReport, PreventionActivity
from perisai.prevention.tests.conftest import activity_post
from perisai.reports.choices import Channel, Harm
from perisai.reports.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-11-30 10:00 +07:00", tick=False):
        yield


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class MemberTests:
    def test_contacts_are_stored_encrypted_and_never_copied_into_the_audit_trail(self, users, group):
        member = group.members.get()
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, phone FROM prevention_patbmmember WHERE id = %s", [member.pk])
            stored = " ".join(cursor.fetchone())
        assert "Rahmawati" not in stored and "6281234567890" not in stored
        services.patbm_member_update(actor=users[Role.SUPERVISOR], member=member, phone="+6281299998888")
        trail = " ".join(str(event.extra) for event in AuditEvent.objects.filter(action=AuditAction.PATBM_MEMBER_SAVED))
        assert "Rahmawati" not in trail and "6281" not in trail and "phone" in trail

    def test_opening_the_members_is_audited(self, users, group):
        signed_in(users[Role.CASE_MANAGER]).get(reverse("prevention:group", args=[group.public_id]))
        assert AuditEvent.objects.filter(actor=users[Role.CASE_MANAGER], action=AuditAction.RECORD_VIEWED).exists()

    def test_opening_a_member_to_edit_is_audited(self, users, group):
        member = group.members.get()
        signed_in(users[Role.CASE_MANAGER]).get(
            reverse("prevention:member_edit", args=[group.public_id, member.public_id])
        )
        event = AuditEvent.objects.get(actor=users[Role.CASE_MANAGER], action=AuditAction.RECORD_VIEWED)
        assert event.extra == {"member": str(member.public_id)}

    def test_a_member_who_stops_loses_the_phone_number_but_keeps_the_name(self, users, group):
        member = services.patbm_member_update(actor=users[Role.SUPERVISOR], member=group.members.get(), is_active=False)
        member.refresh_from_db()
        assert (member.name, member.phone, member.is_active) == ("Ibu Rahmawati", "", False)

    def test_a_bad_phone_number_is_named_and_the_name_typed_stays(self, users, group):
        response = signed_in(users[Role.SUPERVISOR]).post(
            reverse("prevention:member_add", args=[group.public_id]),
            {"name": "Pak Darmaji", "phone": "12", "role": "member", "is_active": "on"},
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "Nomor telepon tidak dikenali" in page and 'value="Pak Darmaji"' in page
        assert PatbmMember.objects.count() == 1


class PatbmReportTests:
    def report_data(self, group, token):
        return {
            "token": token,
            "received_at": "2026-11-30T09:00",
            "urgent": "no",
            "harms": [Harm.HIT],
            "narrative": "Relawan mendengar anak tetangga sering dipukul.",
            "kecamatan": group.kelurahan.parent.code,
            "kelurahan": group.kelurahan.code,
            "incident_period": "this_week",
            "child_age": "10",
            "child_sex": "l",
            "reporter_anonymous": "no",
            "reporter_name": "Ibu Rahmawati",
            "reporter_phone": "081234567890",
            "reporter_relation": "patbm",
        }

    def test_a_group_s_report_has_the_patbm_channel_and_counts_once_when_sent_twice(self, users, group):
        client = signed_in(users[Role.INTAKE_OFFICER])
        url = reverse("prevention:group_report", args=[group.public_id])
        data = self.report_data(group, str(uuid.uuid4()))
        first = client.post(url, data, follow=True)
        assert "PIN untuk pelapor" in first.content.decode()
        again = client.post(url, data, follow=True)
        assert (
            "sudah tercatat sebelumnya" in again.content.decode() and "PIN untuk pelapor" not in again.content.decode()
        )
        report = Report.objects.get()
        assert report.channel == Channel.PATBM
        assert PatbmReport.objects.get().group == group
        assert AuditEvent.objects.filter(action=AuditAction.PATBM_REPORT_RECORDED).count() == 1
        page = client.get(reverse("prevention:group", args=[group.public_id])).content.decode()
        assert report.tracking_code in page

    def test_the_general_intake_form_does_not_offer_the_patbm_channel(self, users):
        form = signed_in(users[Role.INTAKE_OFFICER]).get(reverse("reports:intake")).context["form"]
        assert Channel.PATBM not in dict(form.fields["channel"].choices)

    def test_bad_input_keeps_what_was_typed(self, users, group):
        data = self.report_data(group, str(uuid.uuid4()))
        data["child_age"] = "abc"
        response = signed_in(users[Role.INTAKE_OFFICER]).post(
            reverse("prevention:group_report", args=[group.public_id]), data
        )
        assert response.status_code == 400
        assert "Relawan mendengar anak tetangga sering dipukul." in response.content.decode()
        assert not Report.objects.exists()


class ActivityTests:
    def test_a_partner_records_in_its_own_name_whatever_it_sends(self, users, kelurahan, home_office):
        partner = users[Role.PARTNER_STAFF]
        response = signed_in(partner).post(
            reverse("prevention:activity_create"), activity_post(kelurahan, organiser=str(home_office.pk))
        )
        assert response.status_code == 302
        activity = PreventionActivity.objects.get()
        assert activity.organiser == partner.agency and activity.created_by == partner

    def test_the_same_form_sent_twice_is_one_activity(self, users, kelurahan):
        client = signed_in(users[Role.SUPERVISOR])
        token = client.get(reverse("prevention:activity_create")).context["form"]["token"].value()
        data = activity_post(kelurahan, organiser=str(users[Role.SUPERVISOR].agency_id), token=str(token))
        first = client.post(reverse("prevention:activity_create"), data)
        again = client.post(reverse("prevention:activity_create"), data)
        assert first.status_code == again.status_code == 302 and first["Location"] == again["Location"]
        assert PreventionActivity.objects.count() == 1
        assert AuditEvent.objects.filter(action=AuditAction.PREVENTION_RECORDED).count() == 1

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"participants": "0"}, "participants", "paling sedikit 1"),
            ({"participants": "banyak"}, "participants", "dengan angka"),
            ({"participants": "999999"}, "participants", "terlalu besar"),
            ({"held_on": "2026-12-25"}, "held_on", "tidak boleh di masa depan"),
            ({"kelurahan": "36.72.05"}, "kelurahan", "Pilih kelurahan dari daftar"),  # a kecamatan, not a kelurahan
        ],
    )
    def test_bad_input_is_named_beside_its_field_and_nothing_typed_is_lost(
        self, users, kelurahan, changes, field, message
    ):
        data = activity_post(kelurahan, organiser=str(users[Role.SUPERVISOR].agency_id), **changes)
        response = signed_in(users[Role.SUPERVISOR]).post(reverse("prevention:activity_create"), data)
        assert response.status_code == 400
        assert message in " ".join(response.context["form"].errors[field])
        assert "Aula Kelurahan Masigit" in response.content.decode()
        assert not PreventionActivity.objects.exists()

    def test_editing_keeps_a_group_that_stopped_since(self, users, activity, group):
        services.activity_update(
            actor=users[Role.SUPERVISOR],
            activity=activity,
            organiser=activity.organiser,
            agencies=list(activity.agencies.all()),
            patbm_group=group,
        )
        services.patbm_group_update(actor=users[Role.SUPERVISOR], group=group, is_active=False)
        client = signed_in(users[Role.SUPERVISOR])
        url = reverse("prevention:activity_edit", args=[activity.public_id])
        form = client.get(url).context["form"]
        data = {name: form[name].value() for name in form.fields}
        data = {key: value for key, value in data.items() if value not in (None, "")}
        data["held_on"] = "2026-11-20"
        data["agencies"] = [str(pk) for pk in data.get("agencies", [])]
        data["participants"] = "81"
        assert client.post(url, data).status_code == 302
        activity.refresh_from_db()
        assert (activity.participants, activity.patbm_group) == (81, group)

    def test_coverage_counts_the_period_and_the_kecamatan(self, users, activity, kelurahan, police_agency):
        services.activity_record(
            actor=users[Role.SUPERVISOR],
            organiser=police_agency,
            held_on=dt.date(2025, 11, 20),  # last year: outside the period
            place="SDN",
            kelurahan=kelurahan,
            audience="students",
            topic="rights",
            participants=10,
        )
        year = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 12, 31)}
        assert selectors.activity_coverage(**year) == {kelurahan.code: (1, 80)}
        assert selectors.activity_coverage(**year, kecamatan="36.72.05") == {kelurahan.code: (1, 80)}
        assert selectors.activity_coverage(**year, kecamatan="36.72.01") == {}
