"""Migrations that turn a plain column into an encrypted one (EncryptedTextField and friends) use this to encrypt
the rows already there. Raw SQL on purpose: read through the model, a plain value would be refused as "not
encrypted", and the historical model may not know the field's new class yet."""

from __future__ import annotations

from perisai.core import crypto
from perisai.core.fields import PREFIX


def encrypt_column(app_label: str, model_name: str, column: str, *, decrypt: bool = False):
    """A RunPython function encrypting (or, for the reverse migration, decrypting) `column` in place."""

    def run(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        quote = schema_editor.quote_name
        table, key, field = quote(model._meta.db_table), quote(model._meta.pk.column), quote(column)
        with schema_editor.connection.cursor() as cursor:
            # Names are the model's own, quoted; values go as parameters.
            cursor.execute(f"SELECT {key}, {field} FROM {table} WHERE {field} <> ''")  # noqa: S608  # nosec B608
            rows = cursor.fetchall()
            for pk, value in rows:
                if decrypt and value.startswith(PREFIX):
                    new = crypto.decrypt(value[len(PREFIX) :].encode()).decode()
                elif not decrypt and not value.startswith(PREFIX):
                    new = PREFIX + crypto.encrypt(value.encode()).decode()
                else:
                    continue
                cursor.execute(f"UPDATE {table} SET {field} = %s WHERE {key} = %s", [new, pk])  # noqa: S608  # nosec B608

    return run
