"""Load clearly fake demo data so a fresh clone shows a working system. Safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from perisai.accounts import demo as accounts_demo
from perisai.cases import demo as cases_demo
from perisai.referrals import demo as referrals_demo
from perisai.reports import demo as reports_demo

# Each app that has demo data adds its seeder here, in dependency order.
SEEDERS = [accounts_demo, reports_demo, cases_demo, referrals_demo]


class Command(BaseCommand):
    help = "Isi data demo (akun per peran, instansi mitra). Aman dijalankan berulang."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            # Demo accounts have a published password: they must never exist on a real server.
            raise CommandError("seed_demo menolak berjalan di produksi (PERISAI_ENV=production).")
        with transaction.atomic():
            created = [item for seeder in SEEDERS for item in seeder.seed()]
        if created:
            self.stdout.write(self.style.SUCCESS(f"Data demo dibuat: {len(created)} baru."))
        else:
            self.stdout.write("Data demo sudah ada; tidak ada yang diubah.")
        self.stdout.write("")
        self.stdout.write(accounts_demo.describe())
        self.stdout.write(reports_demo.describe())
        self.stdout.write(cases_demo.describe())
        self.stdout.write(referrals_demo.describe())
        self.stdout.write("")
        self.stdout.write("Masuk di http://127.0.0.1:8000/akun/login/ dengan salah satu akun di atas.")
        self.stdout.write("Administrator juga dapat membuka http://127.0.0.1:8000/admin/.")
