import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from perisai.core.worker import HeartbeatWorker, new_ident


class Command(db_worker.Command):
    help = (
        "Jalankan pekerja latar belakang (e-mail, ringkasan, ekspor). Seperti db_worker, ditambah detak jantung: "
        "tugas yang pekerjanya mati dijalankan lagi atau ditandai gagal. Di SQLite jalankan tepat satu."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # db_worker draws its default id once, when the module is imported; ours names the host and process.
        parser.set_defaults(worker_id=None)

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay, reload, max_tasks,
               worker_id, exclude_queues, **options):  # fmt: skip
        self.configure_logging(verbosity)
        worker = HeartbeatWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id or new_ident(),
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
