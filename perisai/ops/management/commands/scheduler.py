import signal
import threading

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from perisai.core.worker import heartbeat_forget, new_ident
from perisai.ops.scheduler import threads_wait, tick


class Command(BaseCommand):
    help = (
        "Penjadwal: menjalankan pekerjaan berkala (ringkasan harian, pengingat, retensi, pemeriksaan jejak audit, "
        "cadangan, pemulihan tugas). Satu proses; aman dijalankan di dua server sekaligus."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Satu putaran lalu berhenti (untuk timer systemd).")
        parser.add_argument("--interval", type=float, default=30.0, help="Detik antar putaran (bawaan 30).")

    def handle(self, *args, once=False, interval=30.0, **options):
        ident = new_ident()
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        try:
            while True:
                try:
                    for run in tick(ident=ident):
                        self.stdout.write(f"{run.job} ({timezone.localtime(run.due_at):%Y-%m-%d %H:%M %Z}) dimulai")
                except DatabaseError as error:
                    # A database restart: try again next pass, the claims keep each job to one run.
                    self.stderr.write(f"penjadwal: basis data tidak terjangkau ({type(error).__name__})")
                if once or stop.wait(interval):
                    break
                close_old_connections()  # a connection the database dropped meanwhile is replaced
        finally:
            threads_wait()  # a backup under way is finished, not cut off (systemd allows TimeoutStopSec for it)
            try:
                heartbeat_forget(ident=ident)
            except DatabaseError:
                pass
