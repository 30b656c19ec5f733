"""manage.py load_regions FILE.csv: add or update regions from a Kemendagri CSV file, all rows or none."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from perisai.regions import services


class Command(BaseCommand):
    help = (
        "Memuat wilayah Kemendagri dari berkas CSV (kolom code,name,level,parent_code). "
        "Semua baris diperiksa lebih dulu: satu baris salah berarti tidak ada yang dimuat."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="berkas CSV wilayah")

    def handle(self, *args, file: Path, **options):
        try:
            # actor=None: whoever can run manage.py on the server is already trusted with the data.
            result = services.regions_load_csv(actor=None, source=file)
        except services.RegionFileInvalid as exc:
            for message in exc.errors:
                self.stderr.write(message)
            raise CommandError(
                _("Berkas ditolak karena %(count)d kesalahan; tidak ada wilayah yang dimuat.")
                % {"count": len(exc.errors)}
            ) from exc
        except OSError as exc:
            message = _("Berkas tidak dapat dibaca: %(file)s (%(error)s).")
            raise CommandError(message % {"file": file, "error": exc.strerror}) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Wilayah dimuat: %(created)d baru, %(updated)d diperbarui, %(unchanged)d tidak berubah.")
                % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
            )
        )
