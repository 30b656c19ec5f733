"""Outreach split out of the referrals app (issue 12). The tables keep their referrals_* names."""

import django.db.models.deletion
import django.utils.timezone
import perisai.core.fields
import uuid
from django.conf import settings
from django.db import migrations, models

LABEL = "outreach"
MODELS = ("outreachoperation", "outreachchild")


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
        ("regions", "0002_load_cilegon"),
        ("reports", "0002_report_case_report_closing_reason_report_content_key"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables stay where they are (same names, same rows): only Django's idea of which app owns them moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutreachOperation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ("held_on", models.DateField(verbose_name="tanggal operasi")),
                        (
                            "location",
                            models.CharField(
                                help_text="Misalnya: simpang lampu merah, pasar.", max_length=200, verbose_name="lokasi"
                            ),
                        ),
                        (
                            "team",
                            models.CharField(
                                blank=True, help_text="Nama atau jumlah petugas.", max_length=300, verbose_name="tim"
                            ),
                        ),
                        ("notes", perisai.core.fields.EncryptedTextField(blank=True, verbose_name="catatan")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "agencies",
                            models.ManyToManyField(
                                related_name="+", to="accounts.agency", verbose_name="instansi yang ikut"
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
                        (
                            "kecamatan",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="regions.region",
                                verbose_name="kecamatan",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "operasi penjangkauan",
                        "verbose_name_plural": "operasi penjangkauan",
                        "db_table": "referrals_outreachoperation",
                        "ordering": ["-held_on"],
                    },
                ),
                migrations.CreateModel(
                    name="OutreachChild",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        (
                            "name",
                            perisai.core.fields.EncryptedCharField(
                                blank=True, max_length=150, verbose_name="nama atau inisial"
                            ),
                        ),
                        (
                            "estimated_age",
                            models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="perkiraan usia"),
                        ),
                        (
                            "sex",
                            models.CharField(
                                blank=True,
                                choices=[("p", "Perempuan"), ("l", "Laki-laki"), ("", "Tidak diketahui")],
                                max_length=1,
                                verbose_name="jenis kelamin",
                            ),
                        ),
                        (
                            "situation",
                            models.CharField(
                                choices=[
                                    ("begging", "Mengemis"),
                                    ("working", "Bekerja di jalan (mengamen, berjualan, dsb.)"),
                                    ("neglected", "Terlantar / tanpa pendamping"),
                                    ("other", "Lainnya"),
                                ],
                                max_length=20,
                                verbose_name="keadaan anak",
                            ),
                        ),
                        ("note", perisai.core.fields.EncryptedTextField(blank=True, verbose_name="catatan")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "report",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="outreach_child",
                                to="reports.report",
                            ),
                        ),
                        (
                            "operation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="children",
                                to="outreach.outreachoperation",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "referrals_outreachchild",
                        "ordering": ["created_at"],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
