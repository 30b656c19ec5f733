from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from perisai.ops.archive import BackupError, generate_key
from perisai.ops.backup import backup_create


class Command(BaseCommand):
    help = (
        "Buat satu arsip cadangan terenkripsi (basis data, lampiran, manifest dengan checksum) di "
        "PERISAI_BACKUP_DIR, dengan kunci PERISAI_BACKUP_KEY. Dengan --generate-key: cetak kunci baru saja."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--generate-key", action="store_true", help="Cetak kunci cadangan baru (untuk PERISAI_BACKUP_KEY)."
        )
        parser.add_argument("--destination", type=Path, help="Folder arsip (bawaan: PERISAI_BACKUP_DIR).")
        parser.add_argument(
            "--keep", type=int, help="Simpan N arsip terbaru di folder itu, hapus yang lebih lama (0: simpan semua)."
        )

    def handle(self, *args, destination=None, keep=None, **options):
        if options["generate_key"]:
            # The only output: piped into a secret store, nothing else may be mixed in.
            self.stdout.write(generate_key())
            return
        try:
            archive = backup_create(destination=destination, keep=keep)
        except (BackupError, OSError) as error:  # OSError: a full disk, a folder not writable
            raise CommandError(str(error)) from None
        created = timezone.localtime(timezone.now())
        size_mb = archive.stat().st_size / (1 << 20)
        self.stdout.write(self.style.SUCCESS(f"Cadangan dibuat: {archive} ({size_mb:.1f} MB)."))
        self.stdout.write(
            f"Selesai {created:%Y-%m-%d %H:%M %Z}. Salin arsip ini ke luar server; kuncinya disimpan terpisah."
        )
