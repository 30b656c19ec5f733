"""Prevention in the browser on the demo data: an officer records a sosialisasi (a mistake first, nothing typed
lost), attaches its slides, finds it in the list, and opens a PATBM group with its members and the report it
brought. axe checks every page; screenshots at 360 and 1280 px."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from perisai.accounts.models import User
from perisai.core.tests.uploads import real_pdf


@pytest.fixture
def officer(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())
    return User.objects.get(email="petugas@perisai.test")


def test_an_officer_records_a_sosialisasi_and_opens_a_patbm_group(open_page, viewport, officer, tmp_path):
    p = open_page(viewport, user=officer, enforce_csp=True)
    p.visit("/staf/pencegahan/")
    expect(p.get_by_role("heading", level=1)).to_have_text("Kegiatan pencegahan")
    p.screenshot("daftar")
    with p.navigation():
        p.get_by_role("link", name="Catat kegiatan").click()
    p.get_by_label("Judul kegiatan").fill("Sosialisasi Stop Kekerasan di SDN Masigit 2")
    p.get_by_label("Topik").select_option(label="Pencegahan kekerasan seksual terhadap anak")
    p.get_by_label("Sasaran").select_option(label="Pelajar / anak-anak")
    p.get_by_label("Kelurahan").select_option(label="Masigit")
    p.get_by_label("Tempat").fill("SDN Masigit 2")
    p.get_by_label("Jumlah peserta").fill("0")
    with p.navigation(status=400):
        p.get_by_role("button", name="Simpan").click()
    expect(p.get_by_text("paling sedikit 1")).to_be_visible()
    expect(p.get_by_label("Tempat")).to_have_value("SDN Masigit 2")
    p.screenshot("salah-isi")
    p.get_by_label("Jumlah peserta").fill("64")
    with p.navigation():
        p.get_by_role("button", name="Simpan").click()
    expect(p.get_by_role("heading", level=1)).to_have_text("Sosialisasi Stop Kekerasan di SDN Masigit 2")
    expect(p.get_by_text("64", exact=True)).to_be_visible()
    p.assert_no_horizontal_scroll()

    # The slides used, attached to the activity (issue 17 item 6, materials).
    slides = tmp_path / "materi-sosialisasi.pdf"
    slides.write_bytes(real_pdf(pages=3))
    p.get_by_label("Tambah berkas materi").set_input_files(str(slides))
    p.get_by_role("radio", name=re.compile("Tidak: materi, slide")).check()  # names and shows nobody: kept
    with p.navigation():
        p.get_by_role("button", name="Unggah materi").click()
    expect(p.get_by_role("status")).to_contain_text("Materi disimpan.")
    materials = p.get_by_role("region", name="Berkas materi")
    expect(materials.get_by_role("link", name=re.compile(r"^lampiran-.*\.pdf$"))).to_have_count(1)
    expect(materials).to_contain_text("lalu dihapus otomatis")  # how long they are kept (UU PDP Pasal 16)
    expect(materials).to_contain_text("materi tanpa data pribadi, tetap disimpan")
    materials.scroll_into_view_if_needed()
    p.screenshot("materi")
    p.assert_no_horizontal_scroll()

    p.visit("/staf/pencegahan/patbm/")
    with p.navigation():
        p.get_by_role("link", name="[DEMO] PATBM Masigit").click()
    members = p.get_by_role("table", name="Anggota")
    expect(members.get_by_role("row", name=re.compile("Relawan 1 Masigit"))).to_contain_text("Ketua")
    expect(p.get_by_role("link", name=re.compile("^LPR-"))).to_have_count(1)
    p.screenshot("kelompok")
    p.assert_no_horizontal_scroll()
