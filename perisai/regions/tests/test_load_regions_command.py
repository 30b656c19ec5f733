import pytest
from django.core.management import base, call_command
from django.core.management.base import CommandError

from perisai.regions.management.commands.load_regions import Command
from perisai.regions.models import Region

from .csv_samples import SERANG

pytestmark = pytest.mark.django_db


class LoadRegionsCommandTests:
    def test_a_valid_file_of_another_city_is_loaded_and_the_counts_are_printed(self, write_csv, capsys):
        call_command("load_regions", str(write_csv(SERANG)))

        assert "Wilayah dimuat: 6 baru, 0 diperbarui, 0 tidak berubah." in capsys.readouterr().out
        assert Region.objects.filter(code__startswith="36.73").count() == 6

    def test_loading_the_same_file_again_reports_nothing_new(self, write_csv, capsys):
        path = str(write_csv(SERANG))
        call_command("load_regions", path)
        capsys.readouterr()

        call_command("load_regions", path)

        assert "Wilayah dimuat: 0 baru, 0 diperbarui, 6 tidak berubah." in capsys.readouterr().out

    def test_a_bad_file_prints_each_bad_row_to_stderr_fails_and_loads_nothing(self, write_csv, capsys, region_snapshot):
        before = region_snapshot()
        text = SERANG + "36.73.3,Walantaka,kecamatan,36.73\n" + "36.73.04,Curug,desa,36.73\n"

        with pytest.raises(CommandError) as excinfo:
            call_command("load_regions", str(write_csv(text)))

        stderr = capsys.readouterr().err.splitlines()
        assert stderr == [
            "Baris 8: kode '36.73.3' tidak sesuai format kecamatan (NN.NN.NN).",
            "Baris 9: kode '36.73.04' tidak sesuai format desa (NN.NN.NN.NNNN).",
        ]
        assert str(excinfo.value) == "Berkas ditolak karena 2 kesalahan; tidak ada wilayah yang dimuat."
        assert excinfo.value.returncode == 1
        assert region_snapshot() == before

    def test_a_missing_file_fails_with_a_clear_message(self, tmp_path):
        with pytest.raises(CommandError, match="Berkas tidak dapat dibaca"):
            call_command("load_regions", str(tmp_path / "tidak_ada.csv"))

    def test_run_from_the_command_line_a_bad_file_exits_with_a_non_zero_status(self, write_csv, capsys, monkeypatch):
        # run_from_argv closes every connection when it ends, which would cut the test's transaction short.
        monkeypatch.setattr(base.connections, "close_all", lambda: None)
        with pytest.raises(SystemExit) as excinfo:
            Command().run_from_argv(["manage.py", "load_regions", str(write_csv("kode,nama\n"))])

        assert excinfo.value.code == 1
        assert "CommandError: Berkas ditolak" in capsys.readouterr().err
