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
        # The server `make run` starts (make run PORT=8101 sets PERISAI_SITE_URL), not a fixed port.
        site = settings.PERISAI_SITE_URL.rstrip("/")
        self.stdout.write(f"Masuk di {site}/akun/login/ dengan salah satu akun di atas.")
        self.stdout.write(f"Administrator juga dapat membuka {site}/admin/.")
