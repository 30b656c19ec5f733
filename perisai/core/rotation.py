"""Re-encrypt everything under the newest key of FIELD_ENCRYPTION_KEYS, resumably.

Each value is rotated only when it was not made with the newest key, and every batch commits on its own,
so an interrupted run simply continues where it stopped when started again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from allauth.mfa.models import Authenticator
from django.apps import apps
from django.db import connection, transaction

from perisai.core import attachments, crypto
from perisai.core.fields import PREFIX, EncryptedTextField

BATCH = 500


@dataclass
class RotationReport:
    rotated: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, count: int) -> None:
        self.rotated[what] = self.rotated.get(what, 0) + count


def encrypted_columns() -> Iterator[tuple[type, list[str]]]:
    """Every concrete model (history tables included) with its encrypted columns."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        columns = [f.column for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if columns:
            yield model, columns


def _rotate_text(value: str) -> str | None:
    if not value or not value.startswith(PREFIX):
        return None
    token = value[len(PREFIX) :].encode()
    return PREFIX + crypto.rotate(token).decode() if crypto.needs_rotation(token) else None


def rotate_model(model, columns: list[str], progress: Callable[[str], None]) -> int:
    """Rotate raw column values with SQL: no model code runs, so it also works on history tables."""
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    quoted = [connection.ops.quote_name(c) for c in columns]
    rotated, last = 0, None
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            where = f"WHERE {pk} > %s " if last is not None else ""
            # Names are the model's own, quoted; values go as parameters.
            select = f"SELECT {pk}, {', '.join(quoted)} FROM {table} {where}ORDER BY {pk} LIMIT {BATCH}"  # noqa: S608  # nosec B608
            cursor.execute(select, [last] if last is not None else [])
            rows = cursor.fetchall()
            for row in rows:
                updates = {col: new for col, value in zip(quoted, row[1:], strict=True) if (new := _rotate_text(value))}
                if updates:
                    assignments = ", ".join(f"{col} = %s" for col in updates)
                    update = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"  # noqa: S608  # nosec B608
                    cursor.execute(update, [*updates.values(), row[0]])
                    rotated += 1
        if not rows:
            break
        last = rows[-1][0]
        progress(f"{model._meta.label}: {rotated} baris dirotasi sampai id {last}")
    return rotated


def rotate_second_factor_secrets() -> int:
    """allauth keeps TOTP secrets and recovery seeds in a JSON column, encrypted by our MFA adapter."""
    rotated = 0
    for authenticator in Authenticator.objects.all().iterator():
        changed = False
        for key in ("secret", "seed"):
            value = authenticator.data.get(key)
            new = _rotate_text(value) if isinstance(value, str) else None
            if new:
                authenticator.data[key] = new
                changed = True
        if changed:
            Authenticator.objects.filter(pk=authenticator.pk).update(data=authenticator.data)
            rotated += 1
    return rotated


def rotate_attachment_files() -> int:
    rotated = 0
    for name in list(attachments.iter_names()):
        token = attachments.read_ciphertext(name)
        if crypto.needs_rotation(token):
            attachments.replace_ciphertext(name, crypto.rotate(token))  # a crash leaves the old file or the new
            rotated += 1
    return rotated


def rotate_everything(progress: Callable[[str], None] = lambda message: None) -> RotationReport:
    report = RotationReport()
    for model, columns in encrypted_columns():
        report.add(model._meta.label, rotate_model(model, columns, progress))
    report.add("mfa.Authenticator", rotate_second_factor_secrets())
    report.add("lampiran", rotate_attachment_files())
    return report
