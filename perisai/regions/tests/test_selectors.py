import pytest

from perisai.regions import selectors
from perisai.regions.services import regions_load_csv

from .csv_samples import SERANG

pytestmark = pytest.mark.django_db


def codes(regions) -> list[str]:
    return [region.code for region in regions]


class RegionSelectorsTests:
    def test_the_city_defaults_to_the_configured_city_code(self, settings):
        settings.PERISAI_CITY_CODE = "36.72"

        assert selectors.city_code() == "36.72"
        assert codes(selectors.kecamatan_of_city()) == [f"36.72.0{number}" for number in range(1, 9)]

    def test_kecamatan_of_city_follows_the_setting(self, settings, write_csv):
        regions_load_csv(actor=None, source=write_csv(SERANG))
        settings.PERISAI_CITY_CODE = "36.73"

        assert codes(selectors.kecamatan_of_city()) == ["36.73.01", "36.73.02"]
        assert codes(selectors.kecamatan_of_city("36.72"))[:2] == ["36.72.01", "36.72.02"]

    def test_kelurahan_of_lists_the_kelurahan_of_one_kecamatan_in_code_order(self):
        gerogol = selectors.kelurahan_of("36.72.06")

        assert [region.name for region in gerogol] == ["Kotasari", "Grogol", "Rawa Arum", "Gerem"]

    def test_region_by_code_finds_a_region_or_returns_none(self):
        assert selectors.region_by_code("36.72.05.1003").name == "Masigit"
        assert selectors.region_by_code("36.72.99") is None

    def test_grogol_finds_both_the_kecamatan_by_its_alias_and_the_kelurahan_by_its_name(self):
        found = selectors.regions_named(" grogol ")

        assert [(region.code, region.level) for region in found] == [
            ("36.72.06", "kecamatan"),
            ("36.72.06.1002", "kelurahan"),
        ]

    def test_names_repeated_across_levels_return_every_match(self):
        assert codes(selectors.regions_named("Citangkil")) == ["36.72.08", "36.72.08.1007"]
        assert selectors.regions_named("") == []


class CityRegionTests:
    def test_a_kelurahan_comes_with_its_kecamatan_and_without_a_query(self, django_assert_num_queries):
        selectors.city_region("36.72.05")  # read once per process
        with django_assert_num_queries(0):
            masigit = selectors.city_region(" 36.72.05.1003 ")
            assert (masigit.name, masigit.parent.name) == ("Masigit", "Jombang")

    def test_codes_outside_the_city_or_unknown_give_none(self, settings, write_csv):
        regions_load_csv(actor=None, source=write_csv(SERANG))
        assert selectors.city_region("36.73.01") is None  # Serang's: not this installation's city
        assert selectors.city_region("36.72.99") is None

    def test_each_caller_gets_its_own_copy(self):
        first = selectors.city_region("36.72.05.1003")
        first.name = "Diubah"
        assert selectors.city_region("36.72.05.1003").name == "Masigit"

    def test_forgetting_reads_the_table_again(self, django_assert_num_queries):
        selectors.city_region("36.72.05")
        selectors.forget_cached_regions()
        with django_assert_num_queries(2):  # the kecamatan, then their kelurahan and desa
            selectors.city_region("36.72.05")
