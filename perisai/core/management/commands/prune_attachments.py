from django.core.management.base import BaseCommand

from perisai.core.services import ORPHAN_GRACE, attachments_prune_orphans


class Command(BaseCommand):
    help = (
        "Hapus berkas lampiran terenkripsi yang tidak dimiliki baris lampiran mana pun dan lebih tua dari "
        f"{ORPHAN_GRACE.days} hari (unggahan yang batal, atau sisa pemulihan). Penjadwal menjalankannya tiap malam."
    )

    def handle(self, *args, **options):
        removed = attachments_prune_orphans()
        self.stdout.write(f"{removed} berkas lampiran tanpa pemilik dihapus.")
