from django.core.management.base import BaseCommand

from perisai.cases.notices import tasks_notify_due


class Command(BaseCommand):
    help = (
        "Beri tahu pemilik tugas sekali saat batas waktunya tinggal 24 jam dan sekali saat terlambat. "
        "Aman dijalankan berulang (misalnya tiap jam dari cron)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{tasks_notify_due()} pemberitahuan tugas dikirim.")
