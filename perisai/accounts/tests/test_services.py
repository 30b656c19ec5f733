import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from perisai.accounts import policies, services
from perisai.accounts.choices import AgencyKind, Role
from perisai.accounts.models import Agency, User

pytestmark = pytest.mark.django_db


class UserCreateTests:
    def test_creates_a_user_with_email_login_argon2_password_and_roles(self, home_office, settings):
        settings.PASSWORD_HASHERS = settings.PASSWORD_HASHERS[1:]  # the project's own list, Argon2 first
        user = services.user_create(
            actor=None,
            email="Yuli@Perisai.TEST",
            full_name="Yuli",
            agency=home_office,
            roles=[Role.CASE_MANAGER, Role.SUPERVISOR],
            password="correct-horse-battery-staple",
        )
        assert user.email == "yuli@perisai.test"
        assert identify_hasher(user.password).algorithm == "argon2"
        assert user.has_role(Role.SUPERVISOR)
        assert not user.has_role(Role.ADMINISTRATOR)

    def test_partner_role_is_refused_for_the_home_office(self, home_office):
        with pytest.raises(ValidationError) as error:
            services.user_create(
                actor=None, email="x@perisai.test", full_name="X", agency=home_office, roles=[Role.PARTNER_STAFF]
            )
        assert "roles" in error.value.message_dict
        assert not User.objects.filter(email="x@perisai.test").exists()

    def test_office_roles_are_refused_for_a_partner_agency(self, police_agency):
        with pytest.raises(ValidationError):
            services.user_create(
                actor=None, email="p@perisai.test", full_name="P", agency=police_agency, roles=[Role.SUPERVISOR]
            )

    def test_only_administrators_may_create_accounts(self, make_user, home_office):
        case_manager = make_user(Role.CASE_MANAGER)
        with pytest.raises(PermissionDenied):
            services.user_create(actor=case_manager, email="n@perisai.test", full_name="N", agency=home_office)
        admin = make_user(Role.ADMINISTRATOR)
        assert services.user_create(actor=admin, email="n@perisai.test", full_name="N", agency=home_office)

    def test_a_deactivated_user_holds_no_role(self, make_user):
        user = make_user(Role.SUPERVISOR)
        services.user_update(actor=None, user=user, is_active=False)
        assert not User.objects.get(pk=user.pk).has_role(Role.SUPERVISOR)


class UserUpdateTests:
    def test_replaces_the_role_set(self, make_user):
        user = make_user(Role.CASE_MANAGER)
        services.user_update(actor=None, user=user, roles=[Role.SUPERVISOR])
        assert User.objects.get(pk=user.pk).role_set == {Role.SUPERVISOR}

    def test_moving_a_user_to_an_agency_that_does_not_fit_their_roles_is_refused(self, make_user, police_agency):
        user = make_user(Role.CASE_MANAGER)
        with pytest.raises(ValidationError):
            services.user_update(actor=None, user=user, agency=police_agency)
        assert User.objects.get(pk=user.pk).agency.kind == AgencyKind.HOME_OFFICE


class AgencySaveTests:
    def test_there_is_only_one_home_office(self, home_office):
        with pytest.raises(ValidationError):
            services.agency_save(actor=None, name="Kantor kedua", kind=AgencyKind.HOME_OFFICE)
        assert Agency.objects.filter(kind=AgencyKind.HOME_OFFICE).count() == 1

    def test_changing_an_agency_kind_that_would_strand_its_staff_roles_is_refused(self, make_user, police_agency):
        make_user(Role.PARTNER_STAFF, agency=police_agency)
        # Another partner kind keeps partner roles valid; the home office kind would not.
        services.agency_save(actor=None, agency=police_agency, name=police_agency.name, kind=AgencyKind.OTHER)
        Agency.objects.filter(kind=AgencyKind.HOME_OFFICE).delete()
        with pytest.raises(ValidationError):
            services.agency_save(actor=None, agency=police_agency, name=police_agency.name, kind=AgencyKind.HOME_OFFICE)


class FirstAdminCommandTests:
    def test_a_new_server_gets_its_office_and_first_administrator(self, tmp_path):
        secret = tmp_path / "pw"
        secret.write_text("kuda-laut-berenang-29\n")
        call_command("first_admin", "--email", "It@Dp3a.Example", "--password-file", str(secret))
        admin = User.objects.get()
        assert admin.email == "it@dp3a.example" and admin.check_password("kuda-laut-berenang-29")
        assert policies.is_administrator(admin) and admin.agency.is_home_office

    def test_a_second_first_administrator_is_refused(self, make_user, tmp_path):
        make_user(Role.ADMINISTRATOR)
        secret = tmp_path / "pw"
        secret.write_text("kuda-laut-berenang-29")
        with pytest.raises(CommandError, match="Sudah ada administrator"):
            call_command("first_admin", "--email", "lain@dp3a.example", "--password-file", str(secret))

    def test_a_weak_password_is_refused_and_nothing_is_made(self, db, tmp_path):
        secret = tmp_path / "pw"
        secret.write_text("12345678")
        with pytest.raises(CommandError):
            call_command("first_admin", "--email", "it@dp3a.example", "--password-file", str(secret))
        assert not User.objects.exists()
