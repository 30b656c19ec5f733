import io

import pytest
from django.core.exceptions import PermissionDenied

from perisai.accounts.choices import Role
from perisai.regions import parsing
from perisai.regions.models import Region
from perisai.regions.services import LoadResult, RegionFileInvalid, regions_load_csv

from .csv_samples import HEADER, SERANG

pytestmark = pytest.mark.django_db


def rejected(source) -> list[str]:
    with pytest.raises(RegionFileInvalid) as excinfo:
        regions_load_csv(actor=None, source=source)
    return excinfo.value.errors


class RegionsLoadCsvTests:
    def test_a_valid_file_of_another_city_is_loaded_under_its_province(self, write_csv):
        result = regions_load_csv(actor=None, source=write_csv(SERANG))

        assert result == LoadResult(created=6, updated=0, unchanged=0)
        kelurahan = Region.objects.get(code="36.73.01.1002")
        assert (kelurahan.name, kelurahan.parent.code) == ("Kotabaru", "36.73.01")
        assert kelurahan.parent.parent.code == "36.73"
        assert Region.objects.get(code="36.73").parent.name == "Banten"

    def test_children_may_come_before_their_parents_in_the_file(self, write_csv):
        lines = SERANG.splitlines(keepends=True)
        upside_down = lines[0] + "".join(reversed(lines[1:]))

        result = regions_load_csv(actor=None, source=write_csv(upside_down))

        assert result.created == 6
        assert Region.objects.get(code="36.73.02.1001").parent.code == "36.73.02"

    def test_loading_the_same_file_again_creates_and_updates_nothing(self, write_csv, region_snapshot):
        path = write_csv(SERANG)
        regions_load_csv(actor=None, source=path)
        before = region_snapshot()

        result = regions_load_csv(actor=None, source=path)

        assert result == LoadResult(created=0, updated=0, unchanged=6)
        assert region_snapshot() == before

    def test_reloading_updates_names_in_place_and_keeps_ids_and_aliases(self, write_csv):
        gerogol = Region.objects.get(code="36.72.06")
        renamed = HEADER + "36.72.06,Grogol,kecamatan,36.72\n36.72.01,Cibeber,kecamatan,36.72\n"

        result = regions_load_csv(actor=None, source=write_csv(renamed))

        assert result == LoadResult(created=0, updated=1, unchanged=1)
        reloaded = Region.objects.get(code="36.72.06")
        assert (reloaded.pk, reloaded.name, reloaded.aliases) == (gerogol.pk, "Grogol", ["Grogol"])

    def test_lines_can_be_given_instead_of_a_path(self):
        result = regions_load_csv(actor=None, source=io.StringIO(SERANG))

        assert result.created == 6

    def test_a_byte_order_mark_and_blank_lines_are_accepted(self, write_csv):
        path = write_csv(SERANG.replace("\n", "\n\n", 2), encoding="utf-8-sig")

        assert regions_load_csv(actor=None, source=path).created == 6

    def test_an_administrator_may_load_a_file(self, make_user, write_csv):
        admin = make_user(Role.ADMINISTRATOR)

        assert regions_load_csv(actor=admin, source=write_csv(SERANG)).created == 6

    def test_a_user_who_is_not_an_administrator_may_not_load_a_file(self, make_user, write_csv):
        case_manager = make_user(Role.CASE_MANAGER)

        with pytest.raises(PermissionDenied):
            regions_load_csv(actor=case_manager, source=write_csv(SERANG))
        assert not Region.objects.filter(code="36.73").exists()

    def test_the_name_length_limit_matches_the_model(self):
        assert parsing.NAME_MAX_LENGTH == Region._meta.get_field("name").max_length


# One bad row on line 3, after a valid kota row on line 2: the row, then the message after "Baris 3: ".
BAD_ROWS = [
    pytest.param(
        "36.73.1,Serang,kecamatan,36.73",
        "kode '36.73.1' tidak sesuai format kecamatan (NN.NN.NN).",
        id="malformed kecamatan code",
    ),
    pytest.param(
        "36.73.01.101,Cimuncang,kelurahan,36.73.01",
        "kode '36.73.01.101' tidak sesuai format kelurahan (NN.NN.NN.NNNN).",
        id="malformed kelurahan code",
    ),
    pytest.param(
        "3,Banten Lama,provinsi,",
        "kode '3' tidak sesuai format provinsi (NN).",
        id="malformed province code",
    ),
    pytest.param(
        "36.73.01,Serang,kabupaten,36",
        "kode '36.73.01' tidak sesuai format kabupaten (NN.NN).",
        id="code of another level",
    ),
    pytest.param(
        "36.73.0a,Serang,kecamatan,36.73",
        "kode '36.73.0a' tidak sesuai format kecamatan (NN.NN.NN).",
        id="letters in the code",
    ),
    pytest.param(
        "36.73.01,Serang,kampung,36.73",
        "tingkat 'kampung' tidak dikenal (pilihan: provinsi, kota, kabupaten, kecamatan, kelurahan, desa).",
        id="unknown level",
    ),
    pytest.param(
        "36.73.01,  ,kecamatan,36.73",
        "nama wilayah kosong.",
        id="empty name",
    ),
    pytest.param(
        f"36.73.01,{'A' * 101},kecamatan,36.73",
        "nama wilayah lebih dari 100 karakter.",
        id="name too long",
    ),
    pytest.param(
        "36.73.01,Serang,kecamatan,36.72",
        "kode induk '36.72' bukan awalan kode '36.73.01' (seharusnya '36.73').",
        id="parent that is not the prefix",
    ),
    pytest.param(
        "36.73.01,Serang,kecamatan,",
        "kode induk kosong; seharusnya '36.73'.",
        id="missing parent code",
    ),
    pytest.param(
        "37,Banten Selatan,provinsi,36",
        "provinsi tidak mempunyai induk; kode induk harus kosong (ditemukan '36').",
        id="province with a parent",
    ),
    pytest.param(
        "36.79.01,Entah,kecamatan,36.79",
        "induk '36.79' tidak ada di berkas maupun di basis data.",
        id="unknown parent",
    ),
    pytest.param(
        "36.73,Kota Serang Lagi,kota,36",
        "kode '36.73' sudah ada di baris 2.",
        id="duplicate code",
    ),
    pytest.param(
        "36.73.01,Serang,kecamatan",
        "harus ada 4 kolom (code,name,level,parent_code), ditemukan 3.",
        id="too few columns",
    ),
    pytest.param(
        "36.73.01,Serang,kecamatan,36.73,extra",
        "harus ada 4 kolom (code,name,level,parent_code), ditemukan 5.",
        id="too many columns",
    ),
]


class RegionsLoadCsvRejectionTests:
    @pytest.mark.parametrize(("bad_row", "message"), BAD_ROWS)
    def test_each_kind_of_bad_row_is_named_by_its_line_and_nothing_is_written(
        self, bad_row, message, write_csv, region_snapshot
    ):
        before = region_snapshot()

        errors = rejected(write_csv(HEADER + "36.73,Kota Serang,kota,36\n" + bad_row + "\n"))

        assert errors == [f"Baris 3: {message}"]
        assert region_snapshot() == before

    def test_several_bad_rows_are_all_reported_in_line_order_and_nothing_is_written(self, write_csv, region_snapshot):
        before = region_snapshot()
        text = (
            SERANG
            + "36.73.03,,kecamatan,36.73\n"  # line 8
            + "36.73.04,Curug,kecamatan,36.72\n"  # line 9
            + "36.73.5,Cipocok Jaya,kecamatan,36.73\n"  # line 10
            + "36.73.01,Serang,kecamatan,36.73\n"  # line 11
        )

        errors = rejected(write_csv(text))

        assert [error.split(":")[0] for error in errors] == ["Baris 8", "Baris 9", "Baris 10", "Baris 11"]
        assert region_snapshot() == before

    def test_a_row_with_several_problems_reports_each_of_them(self, write_csv):
        errors = rejected(write_csv(HEADER + "36.73.1,,kecamatan,36.73\n"))

        assert errors == [
            "Baris 2: nama wilayah kosong.",
            "Baris 2: kode '36.73.1' tidak sesuai format kecamatan (NN.NN.NN).",
        ]

    def test_a_wrong_header_rejects_the_file(self, write_csv):
        errors = rejected(write_csv("kode,nama,tingkat,induk\n36.73,Kota Serang,kota,36\n"))

        assert errors == ["Baris 1: kolom harus code,name,level,parent_code (ditemukan: kode,nama,tingkat,induk)."]

    def test_an_empty_file_is_rejected(self, write_csv):
        errors = rejected(write_csv(""))

        assert errors == ["Berkas kosong: baris pertama harus berisi kolom code,name,level,parent_code."]

    def test_a_file_with_only_a_header_is_rejected(self, write_csv):
        assert rejected(write_csv(HEADER)) == ["Berkas tidak berisi satu baris wilayah pun."]

    def test_a_file_that_is_not_utf8_is_rejected(self, write_csv, region_snapshot):
        before = region_snapshot()

        text = HEADER + "36.73,Kota Serang,kota,36\n36.73.01,Séréng,kecamatan,36.73\n"

        errors = rejected(write_csv(text, encoding="latin-1"))

        assert errors == ["Berkas bukan teks UTF-8; simpan ulang sebagai CSV UTF-8."]
        assert region_snapshot() == before
