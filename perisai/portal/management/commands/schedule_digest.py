from django.core.management.base import BaseCommand

from perisai.portal.tasks import schedule_next_digest


class Command(BaseCommand):
    help = "Pastikan ringkasan tugas harian sudah dijadwalkan untuk pekerja latar belakang (aman diulang)."

    def handle(self, *args, **options):
        schedule_next_digest()
        self.stdout.write("Ringkasan harian terjadwal.")
