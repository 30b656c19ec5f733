"""The baselines for the report-form benchmark (bench.settings only).

- `plain_form` (POST /bench/plain-form/): what issue 17 compares the report form with, "a plain Django
  implementation of the same form and receipt": a ModelForm over the same fields (bench.models.PlainReport) that
  validates the POST /lapor/ gets, saves one row, and renders the same receipt template with a placeholder code and
  PIN. No encryption, no blind indexes, no rate counting, no resend detection, no audit.
- `bare_insert` (POST /bench/bare-insert/): one row inserted with raw SQL, no form and no template: the floor.

Both run through the same middleware, gunicorn and database as /lapor/. Their tables are created by
`ensure_table()`, outside the migrations.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from bench.models import PlainReport
from perisai.reports.choices import Harm

TABLE = "bench_row"
_DDL = {
    "sqlite": (
        f"CREATE TABLE IF NOT EXISTS {TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT NOT NULL, "
        "created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)"
    ),
    "postgresql": (
        f"CREATE TABLE IF NOT EXISTS {TABLE} (id SERIAL PRIMARY KEY, payload TEXT NOT NULL, "
        "created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP)"
    ),
}
YES_NO = [("no", "Tidak"), ("yes", "Ya")]


def ensure_table() -> None:
    """Create the baselines' tables if they are missing (SQLite or PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(_DDL[connection.vendor])
    if PlainReport._meta.db_table not in connection.introspection.table_names():
        with connection.schema_editor() as editor:
            editor.create_model(PlainReport)


def count_rows() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")  # noqa: S608 - constant table name
        bare = cursor.fetchone()[0]
    return {"bare": bare, "plain": PlainReport.objects.count()}


class PlainReportForm(forms.ModelForm):
    """The fields of /lapor/ as a plain Django developer would write them: a ModelForm, the model's own validation,
    yes/no radios and the harm checkboxes declared as on the real form, so both accept the same POST."""

    urgent = forms.TypedChoiceField(choices=YES_NO, coerce=lambda v: v == "yes", widget=forms.RadioSelect)
    reporter_anonymous = forms.TypedChoiceField(choices=YES_NO, coerce=lambda v: v == "yes", widget=forms.RadioSelect)
    harms = forms.MultipleChoiceField(choices=Harm.choices, required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = PlainReport
        fields = [field.name for field in PlainReport._meta.fields if field.name not in {"id", "received_at"}]


@csrf_exempt
@login_not_required
@require_POST
def plain_form(request):
    form = PlainReportForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.errors.as_json(), status=400, content_type="application/json")
    row = form.save()
    # The receipt's placeholders: what the real receipt shows, without a code or PIN worth anything.
    report = SimpleNamespace(
        tracking_code=f"LPR-TEST-{row.pk % 10_000:04d}",
        urgent=row.urgent,
        first_contact_due_at=row.received_at + dt.timedelta(hours=24),
    )
    context = {"submission": SimpleNamespace(rejected_files=[]), "report": report, "pin": "000000"}
    return render(request, "reports/public/receipt.html", context, status=201)


@csrf_exempt
@login_not_required
@require_POST
def bare_insert(request):
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (payload) VALUES (%s)", [request.POST.get("payload", "")])  # noqa: S608
    return HttpResponse(b"ok", status=201, content_type="text/plain")
