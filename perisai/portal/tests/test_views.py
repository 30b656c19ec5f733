import pytest
from django.test import Client
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.core.models import Notification
from perisai.core.notifications import notify

pytestmark = pytest.mark.django_db


class StaffHomeTests:
    def test_anonymous_visitor_is_sent_to_login(self, client):
        response = client.get(reverse("portal:staff_home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    def test_signed_in_staff_sees_their_agency_and_roles(self, client, make_user):
        user = make_user(Role.CASE_MANAGER)
        client.force_login(user)
        body = client.get(reverse("portal:staff_home")).content.decode()
        assert user.full_name in body
        assert "Pendamping (manajer kasus)" in body
        assert reverse("admin:index") not in body

    def test_administrator_gets_a_link_to_administration(self, client, make_user):
        client.force_login(make_user(Role.ADMINISTRATOR))
        assert reverse("admin:index") in client.get(reverse("portal:staff_home")).content.decode()


class NoticeOpenTests:
    def test_following_a_notice_marks_it_read_and_only_its_owner_can(self, make_user):
        owner, other = make_user(Role.CASE_MANAGER), make_user(Role.CASE_MANAGER)
        notice = notify(users=[owner], message="Kasus 001 menunggu.", url=reverse("cases:list"))[0]
        elsewhere = notify(users=[owner], message="Tautan aneh.", url="//contoh.invalid/")[0]
        url = reverse("portal:notification_open", args=[notice.public_id])
        stranger = Client()
        stranger.force_login(other)
        assert stranger.get(url).status_code == 404
        client = Client()
        client.force_login(owner)
        page = client.get(reverse("portal:notifications")).content.decode()
        assert url in page
        response = client.get(url)
        assert response["Location"] == reverse("cases:list")
        assert Notification.objects.get(pk=notice.pk).read_at is not None
        assert Notification.objects.get(pk=elsewhere.pk).read_at is None
        assert client.get(reverse("portal:notification_open", args=[elsewhere.public_id]))["Location"] == "/"
