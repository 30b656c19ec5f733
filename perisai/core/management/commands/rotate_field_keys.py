from django.core.management.base import BaseCommand

from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.core.rotation import rotate_everything


class Command(BaseCommand):
    help = (
        "Enkripsi ulang semua data terenkripsi dengan kunci terbaru (kunci pertama di FIELD_ENCRYPTION_KEYS). "
        "Aman dihentikan dan dijalankan lagi: data yang sudah memakai kunci terbaru dilewati."
    )

    def handle(self, *args, **options):
        report = rotate_everything(progress=lambda message: self.stdout.write(message))
        audit_record(actor=None, action=AuditAction.KEYS_ROTATED, extra=report.rotated)
        for what, count in report.rotated.items():
            self.stdout.write(f"{what}: {count} dirotasi")
        self.stdout.write(self.style.SUCCESS("Selesai. Kunci lama boleh dihapus dari FIELD_ENCRYPTION_KEYS."))
