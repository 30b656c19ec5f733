"""Create the database cache table with `migrate`, so no deploy can forget `createcachetable`: sign-in
(used second-factor codes), the proof-of-work replay guard and rate limits all depend on it."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_attachment_content_key_ratecounter")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
