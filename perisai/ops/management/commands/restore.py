import datetime as dt
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from perisai.ops.archive import BackupError
from perisai.ops.restore import (
    Unpacked,
    restore_apply,
    restore_checks,
    restore_preflight,
    restore_record,
    unpacked_archive,
)

CONFIRMATION = "PULIHKAN"


def _moment(value) -> str:
    """Local time (the office's) with its zone, and UTC: the window of lost reports is told in both."""
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M:%S %Z} ({value.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S} UTC)"


class Command(BaseCommand):
    help = (
        "Pulihkan basis data dan lampiran dari arsip cadangan. Seluruh arsip diperiksa dulu (kunci, checksum, "
        "manifest, versi skema); lalu data diganti (perlu --yes atau konfirmasi); lalu hasilnya diperiksa: "
        "jumlah baris, contoh data terenkripsi, audit_verify, stats_rebuild --check. Hentikan web, worker dan "
        "penjadwal lebih dulu."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="Berkas arsip (perisai-backup-...tar.enc).")
        parser.add_argument("--yes", action="store_true", help="Ganti data sekarang tanpa bertanya.")
        parser.add_argument(
            "--verify-only", action="store_true", help="Hanya periksa arsip lengkap; tidak mengubah apa pun."
        )

    def handle(self, *args, archive, yes=False, verify_only=False, **options):
        try:
            with unpacked_archive(archive) as unpacked:
                self._describe(unpacked)
                if verify_only:
                    self.stdout.write(
                        self.style.SUCCESS("Arsip utuh dan cocok dengan instalasi ini. Tidak ada yang diubah.")
                    )
                    return
                if not yes and not self._confirmed():
                    raise CommandError(
                        f"Dibatalkan: tidak ada yang diubah. Pemulihan mengganti semua data; tambahkan --yes "
                        f"atau ketik {CONFIRMATION} saat ditanya."
                    )
                restore_preflight(unpacked)
                self.stdout.write("Mengganti basis data dan lampiran...")
                restore_apply(unpacked)
                manifest, created_at = unpacked.manifest, unpacked.created_at
        except (BackupError, OSError) as error:  # OSError: a full disk, a folder not writable
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS("Data dipulihkan. Pemeriksaan:"))
        checks = restore_checks(manifest)
        for check in checks:
            mark = {True: self.style.SUCCESS("OK   "), False: self.style.ERROR("GAGAL"), None: "TUNDA"}[check.ok]
            self.stdout.write(f"[{mark}] {check.name}")
            for line in check.lines:
                self.stdout.write(f"        {line}")
        restore_record(manifest, archive)
        self.stdout.write("")
        self.stdout.write(
            self.style.WARNING(
                f"Yang masuk setelah {_moment(created_at)} tidak ada dalam data ini: laporan yang diterima "
                f"(dan kode tanda terimanya) sampai pemulihan ini, {_moment(timezone.now())}, hilang. Umumkan "
                'agar pelapor pada rentang itu mengirim ulang (docs/operations.md, "Backup and restore").'
            )
        )
        failed = [check.name for check in checks if check.ok is False]
        if failed:
            raise CommandError(f"Data dipulihkan, tetapi {len(failed)} pemeriksaan gagal: {', '.join(failed)}.")

    def _describe(self, unpacked: Unpacked) -> None:
        manifest = unpacked.manifest
        media = sum(1 for entry in manifest["files"] if entry["path"].startswith("media/"))
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(f"Arsip: dibuat {_moment(unpacked.created_at)}, Perisai {manifest.get('perisai_version')}.")
        self.stdout.write(
            f"       basis data {manifest['database']['vendor']}, {rows} baris dalam "
            f"{len(manifest['row_counts'])} tabel, {media} berkas lampiran; semua checksum cocok."
        )

    def _confirmed(self) -> bool:
        if not sys.stdin.isatty():
            return False
        self.stdout.write(f"Semua data sekarang akan diganti isi arsip ini. Ketik {CONFIRMATION} untuk melanjutkan: ")
        return input().strip() == CONFIRMATION
