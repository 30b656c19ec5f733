import pytest
from django.urls import reverse

from conftest import reauthenticate
from perisai.accounts.choices import Role
from perisai.accounts.models import User

pytestmark = pytest.mark.django_db


class AdminAccessTests:
    def test_admin_sign_in_goes_through_the_staff_login(self, client):
        response = client.get(reverse("admin:login") + "?next=/admin/")
        assert response.status_code == 302
        assert response["Location"] == reverse("account_login") + "?next=/admin/"

    @pytest.mark.parametrize(
        "role", [Role.INTAKE_OFFICER, Role.CASE_MANAGER, Role.SUPERVISOR, Role.PARTNER_STAFF, Role.ANALYST]
    )
    def test_only_administrators_enter_the_admin(self, client, make_user, role):
        client.force_login(make_user(role))
        assert client.get(reverse("admin:index")).status_code == 302
        assert client.get(reverse("admin:accounts_user_changelist")).status_code == 302

    def test_administrator_manages_users_agencies_and_regions(self, client, make_user):
        client.force_login(make_user(Role.ADMINISTRATOR))
        for name in ("admin:index", "admin:accounts_user_changelist", "admin:accounts_agency_changelist"):
            assert client.get(reverse(name)).status_code == 200
        assert client.get(reverse("admin:regions_region_changelist")).status_code == 200

    def test_admin_is_in_indonesian(self, client, make_user):
        client.force_login(make_user(Role.ADMINISTRATOR))
        assert "Pengelolaan pengguna" in client.get(reverse("admin:index")).content.decode()


class AdminUserFormTests:
    def test_the_account_form_asks_for_the_password_again_first(self, client, make_user):
        client.force_login(make_user(Role.ADMINISTRATOR))
        response = client.get(reverse("admin:accounts_user_add"))
        assert response["Location"].startswith(reverse("account_reauthenticate"))
        reauthenticate(client)
        assert client.get(reverse("admin:accounts_user_add")).status_code == 200

    def add(self, client, **overrides):
        data = {
            "email": "baru@perisai.test",
            "full_name": "Petugas Baru",
            "agency": "",
            "roles": [Role.INTAKE_OFFICER],
            "is_active": "on",
            "password1": "a-long-and-fine-passw0rd",
            "password2": "a-long-and-fine-passw0rd",
        }
        data.update(overrides)
        return client.post(reverse("admin:accounts_user_add"), data)

    def test_administrator_creates_an_account_with_roles(self, client, make_user, home_office):
        client.force_login(make_user(Role.ADMINISTRATOR))
        reauthenticate(client)
        response = self.add(client, agency=home_office.pk)
        assert response.status_code == 302
        user = User.objects.get(email="baru@perisai.test")
        assert user.role_set == {Role.INTAKE_OFFICER}
        assert user.check_password("a-long-and-fine-passw0rd")

    def test_a_role_that_does_not_fit_the_agency_is_shown_next_to_the_field(self, client, make_user, police_agency):
        client.force_login(make_user(Role.ADMINISTRATOR))
        reauthenticate(client)
        response = self.add(client, agency=police_agency.pk)
        assert response.status_code == 200
        assert "Tidak sesuai dengan instansi pengguna" in response.content.decode()
        assert 'value="Petugas Baru"' in response.content.decode()  # nothing typed is lost
        assert not User.objects.filter(email="baru@perisai.test").exists()

    def test_a_password_shorter_than_12_characters_is_refused(self, client, make_user, home_office):
        client.force_login(make_user(Role.ADMINISTRATOR))
        reauthenticate(client)
        response = self.add(client, agency=home_office.pk, password1="Short-pw-1", password2="Short-pw-1")
        assert response.status_code == 200
        assert not User.objects.filter(email="baru@perisai.test").exists()

    def test_administrator_changes_roles_of_an_existing_account(self, client, make_user):
        client.force_login(make_user(Role.ADMINISTRATOR))
        reauthenticate(client)
        target = make_user(Role.INTAKE_OFFICER)
        response = client.post(
            reverse("admin:accounts_user_change", args=[target.pk]),
            {
                "email": target.email,
                "full_name": target.full_name,
                "agency": target.agency.pk,
                "roles": [Role.CASE_MANAGER, Role.SUPERVISOR],
                "is_active": "on",
                "password1": "",
                "password2": "",
            },
        )
        assert response.status_code == 302
        assert User.objects.get(pk=target.pk).role_set == {Role.CASE_MANAGER, Role.SUPERVISOR}
