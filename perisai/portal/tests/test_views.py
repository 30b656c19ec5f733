import pytest
from django.urls import reverse

from perisai.accounts.choices import Role

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
