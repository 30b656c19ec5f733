from django.conf import settings
from django.core.management.base import BaseCommand

from perisai.cases.retention import apply_retention, due_for_anonymisation


class Command(BaseCommand):
    help = (
        "Anonimkan kasus yang sudah ditutup lebih dari PERISAI_RETENTION_YEARS tahun (kecuali ditahan untuk "
        "proses hukum). Jumlah untuk statistik tetap."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Hanya hitung, jangan ubah apa pun.")

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            self.stdout.write(f"{due_for_anonymisation().count()} kasus akan dianonimkan.")
            return
        count = apply_retention()
        self.stdout.write(
            self.style.SUCCESS(
                f"{count} kasus dianonimkan (retensi {settings.PERISAI_RETENTION_YEARS} tahun setelah ditutup)."
            )
        )
