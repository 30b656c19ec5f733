"""Loads the 38 provinces, Kota Cilegon (1 kota, 8 kecamatan, 43 kelurahan) and the alias Grogol.

Uses the historical model and the model-free loader, so it keeps working as the Region model evolves.
The files ship inside the project (perisai/regions/data, sources in its README).
"""

from pathlib import Path

from django.db import migrations

from perisai.regions import loading

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def _lines(name):
    return (DATA_DIR / name).read_text(encoding="utf-8-sig").splitlines()


def load(apps, schema_editor):
    region = apps.get_model("regions", "Region")
    loading.load_regions(region, _lines("provinsi.csv"))
    loading.load_regions(region, _lines("cilegon_wilayah.csv"))
    loading.load_aliases(region, _lines("aliases.csv"))


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0001_initial"),
    ]

    operations = [
        # Reverse is a no-op on purpose: loading is idempotent, so migrating forward again is safe, while
        # deleting could hit PROTECT references (agencies, cases, other cities loaded under a province).
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
