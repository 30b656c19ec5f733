"""Meetings split out of the referrals app (issue 12). The tables keep their referrals_* names."""

import django.db.models.deletion
import django.utils.timezone
import perisai.core.fields
import uuid
from django.conf import settings
from django.db import migrations, models

LABEL = "meetings"
MODELS = ("meeting", "meetingactionitem")


def move_content_types(apps, schema_editor, models=MODELS, old="referrals", new=LABEL):
    """Permission rows and anything else that points at the content type follow the model to its new app."""
    content_types = apps.get_model("contenttypes", "ContentType")
    for model in models:
        if not content_types.objects.filter(app_label=old, model=model).exists():
            continue  # a fresh database: post_migrate creates the rows under the new label
        # A row already under the new label was made by post_migrate after an earlier run; it holds only the
        # default permissions made with it. The old row carries the groups' grants, so it wins.
        content_types.objects.filter(app_label=new, model=model).delete()
        content_types.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old=LABEL, new="referrals")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("referrals", "0004_referral_live_indexes"),
        ("accounts", "0001_initial"),
        ("cases", "0013_open_task_rule_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables stay where they are (same names, same rows): only Django's idea of which app owns them moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Meeting",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ("held_on", models.DateField(verbose_name="tanggal rapat")),
                        ("title", models.CharField(max_length=200, verbose_name="judul")),
                        ("notes", perisai.core.fields.EncryptedTextField(blank=True, verbose_name="notulen")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "agencies",
                            models.ManyToManyField(
                                related_name="+", to="accounts.agency", verbose_name="instansi yang hadir"
                            ),
                        ),
                        (
                            "cases",
                            models.ManyToManyField(
                                blank=True, related_name="+", to="cases.case", verbose_name="kasus yang dibahas"
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "rapat koordinasi",
                        "verbose_name_plural": "rapat koordinasi",
                        "db_table": "referrals_meeting",
                        "ordering": ["-held_on"],
                    },
                ),
                migrations.CreateModel(
                    name="MeetingActionItem",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        (
                            "description",
                            models.CharField(
                                help_text="Sebut kasus dengan nomor registrasi saja, bukan nama anak.",
                                max_length=300,
                                verbose_name="tindak lanjut",
                            ),
                        ),
                        ("due_on", models.DateField(verbose_name="batas waktu")),
                        ("done_at", models.DateTimeField(blank=True, null=True, verbose_name="selesai")),
                        ("done_note", models.CharField(blank=True, max_length=300, verbose_name="keterangan")),
                        ("overdue_notified_at", models.DateTimeField(blank=True, editable=False, null=True)),
                        (
                            "agency",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="action_items",
                                to="accounts.agency",
                                verbose_name="instansi",
                            ),
                        ),
                        (
                            "done_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "meeting",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="action_items",
                                to="meetings.meeting",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "referrals_meetingactionitem",
                        "ordering": ["done_at", "due_on"],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
