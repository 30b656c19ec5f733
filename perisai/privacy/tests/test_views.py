import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from perisai.accounts.choices import Role
from perisai.accounts.testing import assert_access, matrix_users
from perisai.audit.choices import AuditAction
from perisai.privacy import services
from perisai.privacy.choices import BreachStatus, SubjectRequestStatus
from perisai.privacy.models import Breach, SubjectRequest
from perisai.privacy.tests.factories import subject_request


def days_ago(days: int) -> str:
    """A moment in the past as the form's datetime-local field sends it (WIB): the form refuses the future, so a
    fixed date would fail on a runner whose clock is set before it."""
    return f"{timezone.localtime() - dt.timedelta(days=days):%Y-%m-%dT%H:%M}"


pytestmark = pytest.mark.django_db

KEEPERS_OF_REQUESTS = {Role.SUPERVISOR}
KEEPERS_OF_BREACHES = {Role.SUPERVISOR, Role.ADMINISTRATOR}


@pytest.fixture
def users(make_user):
    return matrix_users(make_user)


def breach(actor):
    return services.breach_create(
        actor=actor,
        summary="Laptop petugas hilang",
        description="Laptop tertinggal di angkot pada pukul 17.00.",
        data_affected="Nama dan alamat 3 anak dampingan.",
        subjects_affected=3,
    )


class SubjectRequestAccessTests:
    def test_list_and_form(self, users):
        for name in ("privacy:subject_request_list", "privacy:subject_request_create"):
            assert_access(reverse(name), users=users, allowed=KEEPERS_OF_REQUESTS)

    def test_detail_is_audited(self, users):
        item = subject_request(users[Role.SUPERVISOR])
        url = reverse("privacy:subject_request_detail", args=[item.public_id])
        assert_access(url, users=users, allowed=KEEPERS_OF_REQUESTS, audit_action=AuditAction.RECORD_VIEWED)

    def test_posting_a_transition_or_attachment(self, users):
        item = subject_request(users[Role.SUPERVISOR])
        url = reverse("privacy:subject_request_detail", args=[item.public_id])
        assert_access(
            url,
            users=users,
            allowed=KEEPERS_OF_REQUESTS,
            method="post",
            data={"to": SubjectRequestStatus.IN_PROGRESS},
            ok_status={302, 200},
        )
        url = reverse("privacy:subject_request_attach", args=[item.public_id])
        assert_access(url, users=users, allowed=KEEPERS_OF_REQUESTS, method="post", ok_status={400})


class SubjectRequestFlowTests:
    def test_supervisor_records_a_request_with_a_72_hour_deadline(self, client, make_user):
        client.force_login(make_user(Role.SUPERVISOR))
        response = client.post(
            reverse("privacy:subject_request_create"),
            {
                "kind": "erasure",
                "received_at": days_ago(4),
                "requester_name": "Ibu Demo",
                "requester_relation": "parent",
                "subject_name": "Anak Demo",
                "details": "Mohon data dihapus.",
            },
        )
        item = SubjectRequest.objects.get()
        assert response["Location"] == reverse("privacy:subject_request_detail", args=[item.public_id])
        assert (item.due_at - item.received_at).total_seconds() == 72 * 3600
        assert item.is_overdue

    def test_bad_input_is_explained_next_to_the_field_and_nothing_typed_is_lost(self, client, make_user):
        client.force_login(make_user(Role.SUPERVISOR))
        response = client.post(
            reverse("privacy:subject_request_create"),
            {
                "kind": "access",
                "received_at": days_ago(4),
                "requester_name": "Ibu <b>Demo</b>",
                "requester_relation": "parent",
                "subject_name": "Anak Demo",
                "subject_nik": "3672013102150001",
                "details": "<script>alert('x')</script> atau '; DROP TABLE privacy_subjectrequest; --",
            },
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert "Tanggal lahir di dalam NIK tidak valid" in body
        assert "Ibu &lt;b&gt;Demo&lt;/b&gt;" in body  # kept, and escaped
        assert "<script>alert" not in body
        assert "DROP TABLE privacy_subjectrequest" in body
        assert not SubjectRequest.objects.exists()

    def test_closing_a_request_needs_the_outcome_written_down(self, client, make_user):
        supervisor = make_user(Role.SUPERVISOR)
        item = subject_request(supervisor)
        client.force_login(supervisor)
        url = reverse("privacy:subject_request_detail", args=[item.public_id])
        response = client.post(url, {"to": SubjectRequestStatus.REFUSED, "outcome": ""})
        assert "Tuliskan hasil atau alasan penolakan" in response.content.decode()
        client.post(url, {"to": SubjectRequestStatus.COMPLETED, "outcome": "Salinan diserahkan langsung."})
        item.refresh_from_db()
        assert item.status == SubjectRequestStatus.COMPLETED and item.closed_at

    def test_a_closed_request_cannot_move_again(self, make_user):
        supervisor = make_user(Role.SUPERVISOR)
        item = services.subject_request_transition(
            actor=supervisor, request=subject_request(supervisor), to=SubjectRequestStatus.COMPLETED, outcome="ok"
        )
        with pytest.raises(services.InvalidTransition):
            services.subject_request_transition(actor=supervisor, request=item, to=SubjectRequestStatus.IN_PROGRESS)


class BreachAccessTests:
    def test_list_form_detail_and_letter(self, users):
        item = breach(users[Role.SUPERVISOR])
        for name in ("privacy:breach_list", "privacy:breach_create"):
            assert_access(reverse(name), users=users, allowed=KEEPERS_OF_BREACHES)
        for name in ("privacy:breach_detail", "privacy:breach_letter"):
            assert_access(
                reverse(name, args=[item.public_id]),
                users=users,
                allowed=KEEPERS_OF_BREACHES,
                audit_action=AuditAction.RECORD_VIEWED,
            )


class BreachFlowTests:
    def test_recording_both_notifications_marks_the_breach_notified(self, client, make_user):
        administrator = make_user(Role.ADMINISTRATOR)
        item = breach(administrator)
        assert (item.notify_by - item.discovered_at).total_seconds() == 72 * 3600
        client.force_login(administrator)
        url = reverse("privacy:breach_detail", args=[item.public_id])
        response = client.post(url, {})
        assert "Isi setidaknya satu tanggal pemberitahuan" in response.content.decode()
        client.post(url, {"authority_notified_at": days_ago(1), "subjects_notified_at": days_ago(0)})
        assert Breach.objects.get().status == BreachStatus.NOTIFIED

    def test_the_letter_states_what_pasal_46_requires(self, client, make_user):
        supervisor = make_user(Role.SUPERVISOR)
        item = breach(supervisor)
        client.force_login(supervisor)
        body = client.get(reverse("privacy:breach_letter", args=[item.public_id])).content.decode()
        for part in ("Pasal 46", "Nama dan alamat 3 anak", "Laptop tertinggal", "Upaya penanganan"):
            assert part in body
