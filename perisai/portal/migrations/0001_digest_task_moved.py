"""The daily digest moved from perisai.cases.tasks to perisai.portal.tasks: a digest already queued under the old
path would fail to import when its time comes, and the chain of digests (each run queues the next) would end."""

from django.db import migrations

OLD = "perisai.cases.tasks.send_daily_digest"
NEW = "perisai.portal.tasks.send_daily_digest"


def forwards(apps, schema_editor):
    tasks = apps.get_model("django_tasks_database", "DBTaskResult")
    tasks.objects.filter(task_path=OLD, status="READY").update(task_path=NEW)


def backwards(apps, schema_editor):
    tasks = apps.get_model("django_tasks_database", "DBTaskResult")
    tasks.objects.filter(task_path=NEW, status="READY").update(task_path=OLD)


class Migration(migrations.Migration):
    dependencies = [("django_tasks_database", "0021_conditional_partial_index_ordering")]

    operations = [migrations.RunPython(forwards, backwards)]
