"""The daily digest moved from perisai.cases.tasks to perisai.portal.tasks: a digest already queued under the old
path would fail to import when its time comes, and the chain of digests (each run queues the next) would end."""

from django.db import migrations

OLD = "perisai.cases.tasks.send_daily_digest"
NEW = "perisai.portal.tasks.send_daily_digest"


def move(apps, old: str, new: str) -> None:
    tasks = apps.get_model("django_tasks_database", "DBTaskResult")
    waiting = tasks.objects.filter(status="READY")
    if waiting.filter(task_path=new).exists():
        # `schedule_digest` already ran with the new code: one digest a day is enough, the old one goes.
        waiting.filter(task_path=old).delete()
    else:
        waiting.filter(task_path=old).update(task_path=new)


def forwards(apps, schema_editor):
    move(apps, OLD, NEW)


def backwards(apps, schema_editor):
    move(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("django_tasks_database", "0021_conditional_partial_index_ordering")]

    operations = [migrations.RunPython(forwards, backwards)]
