"""The baseline for the report-form benchmark: a bare Django view that inserts one row.

It runs through the same middleware, gunicorn and database as /lapor/, but does no validation, no
encryption, no rate counting and no audit, so report/bare shows what those cost. Raw SQL on a table the
benchmark creates itself keeps the baseline out of the migrations.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

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


def ensure_table() -> None:
    """Create the baseline table if it is missing (SQLite or PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(_DDL[connection.vendor])


def count_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")  # noqa: S608 - constant table name
        return cursor.fetchone()[0]


@csrf_exempt
@login_not_required
@require_POST
def bare_insert(request):
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (payload) VALUES (%s)", [request.POST.get("payload", "")])  # noqa: S608
    return HttpResponse(b"ok", status=201, content_type="text/plain")
