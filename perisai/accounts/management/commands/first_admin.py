"""The first administrator of a new server. There is no public sign-up: every other account is made by an
administrator in /admin/. The password is read from the terminal (twice), or from a file for scripted installs;
never from the command line, where it would stay in the shell history and the process list."""

from getpass import getpass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from perisai.accounts import selectors, services
from perisai.accounts.choices import AgencyKind, Role
from perisai.accounts.models import User


class Command(BaseCommand):
    help = "Buat administrator pertama (dan kantor DP3AP2KB bila belum ada). Menolak bila sudah ada administrator."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", default="Administrator Perisai", help="Nama lengkap")
        parser.add_argument("--password-file", type=Path, help="Berkas berisi kata sandi (untuk instalasi otomatis)")

    def handle(self, *args, email, name, password_file=None, **options):
        if selectors.office_staff(Role.ADMINISTRATOR).exists():
            raise CommandError("Sudah ada administrator. Akun lain dibuat lewat /admin/ oleh administrator itu.")
        password = self.read_password(password_file)
        try:
            validate_password(password, User(email=email, full_name=name))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        office = selectors.home_office() or services.agency_save(
            actor=None, name=settings.PERISAI_OFFICE_NAME, kind=AgencyKind.HOME_OFFICE
        )
        try:
            user = services.user_create(
                actor=None, email=email, full_name=name, agency=office, roles=[Role.ADMINISTRATOR], password=password
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Administrator {user.email} dibuat di {office.name}. Saat masuk pertama kali, Perisai meminta "
                "aplikasi autentikator (faktor kedua) dipasang."
            )
        )

    def read_password(self, password_file: Path | None) -> str:
        if password_file is not None:
            return password_file.read_text().strip()
        first = getpass("Kata sandi (minimal 12 karakter): ")
        if first != getpass("Ulangi kata sandi: "):
            raise CommandError("Kedua kata sandi tidak sama.")
        return first
