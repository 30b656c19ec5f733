from importlib import import_module

import pytest
from django.apps import apps

from perisai.regions.choices import RegionLevel
from perisai.regions.models import Region

pytestmark = pytest.mark.django_db

CITY = "36.72"


class CilegonDataMigrationTests:
    def test_the_city_has_one_kota_eight_kecamatan_and_43_kelurahan(self):
        city = Region.objects.filter(code=CITY) | Region.objects.filter(code__startswith=f"{CITY}.")
        counts = {level: city.filter(level=level).count() for level in RegionLevel.values}

        assert counts == {"provinsi": 0, "kota": 1, "kabupaten": 0, "kecamatan": 8, "kelurahan": 43, "desa": 0}

    def test_kota_cilegon_hangs_under_banten(self):
        kota = Region.objects.get(code=CITY)

        assert (kota.name, kota.level, kota.parent.code, kota.parent.name) == ("Kota Cilegon", "kota", "36", "Banten")

    def test_every_kecamatan_and_kelurahan_hangs_under_the_code_it_starts_with(self):
        below_city = Region.objects.filter(code__startswith=f"{CITY}.").select_related("parent")

        assert below_city.count() == 51
        for region in below_city:
            assert region.parent.code == region.code.rpartition(".")[0]
            expected_level = RegionLevel.KOTA if region.level == RegionLevel.KECAMATAN else RegionLevel.KECAMATAN
            assert region.parent.level == expected_level

    def test_all_38_provinces_are_loaded_without_a_parent(self):
        provinces = Region.objects.filter(level=RegionLevel.PROVINSI)

        assert provinces.count() == 38
        assert not provinces.filter(parent__isnull=False).exists()
        assert provinces.get(code="96").name == "Papua Barat Daya"

    def test_kecamatan_gerogol_has_the_alias_grogol_and_kelurahan_grogol_has_none(self):
        kecamatan = Region.objects.get(code="36.72.06")
        kelurahan = Region.objects.get(code="36.72.06.1002")

        assert (kecamatan.name, kecamatan.aliases) == ("Gerogol", ["Grogol"])
        assert (kelurahan.name, kelurahan.aliases) == ("Grogol", [])

    def test_applying_the_data_migration_again_changes_nothing(self, region_snapshot):
        before = region_snapshot()
        migration = import_module("perisai.regions.migrations.0002_load_cilegon")

        migration.load(apps, schema_editor=None)

        assert region_snapshot() == before
