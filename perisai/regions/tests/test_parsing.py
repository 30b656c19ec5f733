"""The row checks are pure: data migrations rely on them working without the live model or a database."""

import pytest

from perisai.regions.parsing import RegionFileInvalid, RegionRow, parse_alias_rows, parse_region_rows

from .csv_samples import SERANG


def banten_only(codes: set[str]) -> set[str]:
    return codes & {"36"}


class RegionRowParsingTests:
    def test_rows_are_parsed_without_a_database(self):
        rows = parse_region_rows(SERANG.splitlines(), codes_in_db=banten_only)

        assert rows[0] == RegionRow(line=2, code="36.73", name="Kota Serang", level="kota", parent_code="36")
        assert len(rows) == 6

    def test_the_database_is_asked_only_about_parents_the_file_does_not_define(self):
        asked = []

        parse_region_rows(SERANG.splitlines(), codes_in_db=lambda codes: asked.append(codes) or banten_only(codes))

        assert asked == [{"36"}]

    def test_levels_and_surrounding_spaces_are_normalised(self):
        lines = ["code,name,level,parent_code", " 36 , Banten , Provinsi , "]

        assert parse_region_rows(lines, codes_in_db=banten_only) == [
            RegionRow(line=2, code="36", name="Banten", level="provinsi", parent_code="")
        ]

    def test_a_quoted_name_with_a_comma_is_one_column(self):
        lines = ["code,name,level,parent_code", '36.73,"Serang, Kota",kota,36']

        assert parse_region_rows(lines, codes_in_db=banten_only)[0].name == "Serang, Kota"


class AliasRowParsingTests:
    def test_an_alias_row_needs_a_known_code_and_a_name(self):
        lines = ["code,alias", "36.72.06,Grogol", "36.72.99,Entah", "36.72.06,"]

        with pytest.raises(RegionFileInvalid) as excinfo:
            parse_alias_rows(lines, codes_in_db=lambda codes: codes & {"36.72.06"})

        assert excinfo.value.errors == [
            "Baris 3: wilayah '36.72.99' tidak ada di basis data.",
            "Baris 4: nama lain kosong.",
        ]
