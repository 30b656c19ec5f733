"""The scheduler (manage.py scheduler, perisai/ops/jobs.py) now runs the daily digest. A digest the old code queued
for tomorrow morning would make that morning's digest go out twice: it goes."""

from django.db import migrations

PATH = "perisai.portal.tasks.send_daily_digest"


def forwards(apps, schema_editor):
    apps.get_model("django_tasks_database", "DBTaskResult").objects.filter(status="READY", task_path=PATH).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_digest_task_moved")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
