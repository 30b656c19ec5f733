"""Load clearly fake demo data so a fresh clone shows a working system. Safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from perisai.portal import registry


class Command(BaseCommand):
    help = "Isi data demo (akun per peran, instansi mitra). Aman dijalankan berulang."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            # Demo accounts have a published password: they must never exist on a real server.
            raise CommandError("seed_demo menolak berjalan di produksi (PERISAI_ENV=production).")
        # Each app's seeder, in layer order: what an app's demo uses was seeded by the apps below it.
        seeders = registry.demo_seeders()
        with transaction.atomic():
            created = [item for seeder in seeders for item in seeder.seed_demo()]
        if created:
            self.stdout.write(self.style.SUCCESS(f"Data demo dibuat: {len(created)} baru."))
        else:
            self.stdout.write("Data demo sudah ada; tidak ada yang diubah.")
        self.stdout.write("")
        for seeder in seeders:
            self.stdout.write(seeder.describe_demo())
        self.stdout.write("")
        self.stdout.write("Masuk di http://127.0.0.1:8000/akun/login/ dengan salah satu akun di atas.")
        self.stdout.write("Administrator juga dapat membuka http://127.0.0.1:8000/admin/.")
