"""What survives of an administrator's HTML: the allowed tags and safe links, nothing that runs."""

import pytest

from perisai.publicinfo.sanitise import clean_html, safe_html


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>Halo<script>alert(1)</script></p>", "<p>Halo</p>"),
        ('<p><img src="x" onerror="alert(1)">Halo</p>', "<p>Halo</p>"),
        ('<p onclick="alert(1)">Halo</p>', "<p>Halo</p>"),
        ('<p style="position:fixed;top:0">Halo</p>', "<p>Halo</p>"),
        ('<p class="button">Halo</p>', "<p>Halo</p>"),
        ("<style>body{display:none}</style><p>Halo</p>", "<p>Halo</p>"),
        ('<iframe src="https://example.com"></iframe><p>Halo</p>', "<p>Halo</p>"),
        ('<form action="/akun/masuk/"><input name="password"></form>', ""),
        ("<!-- catatan internal --><p>Halo</p>", "<p>Halo</p>"),
        ('<a href="javascript:alert(1)">klik</a>', '<a rel="noopener noreferrer">klik</a>'),
        ('<a href="JaVaScRiPt:alert(1)">klik</a>', '<a rel="noopener noreferrer">klik</a>'),
        ('<a href="data:text/html,<script>alert(1)</script>">klik</a>', '<a rel="noopener noreferrer">klik</a>'),
        ('<a href="vbscript:msgbox(1)">klik</a>', '<a rel="noopener noreferrer">klik</a>'),
    ],
)
def test_what_could_run_or_restyle_the_page_is_removed(dirty, clean):
    assert clean_html(dirty) == clean


@pytest.mark.parametrize(
    "href", ["https://wa.me/628111129129", "http://example.org/", "tel:129", "mailto:uptd@example.org", "/lapor/"]
)
def test_links_to_pages_phones_mail_and_this_site_stay_and_open_nothing_of_ours(href):
    assert clean_html(f'<a href="{href}" target="_blank">x</a>') == f'<a href="{href}" rel="noopener noreferrer">x</a>'


def test_the_writing_tags_stay_as_written():
    html = (
        "<h2>Judul</h2><h3>Sub</h3><p>Teks <strong>tebal</strong> <em>miring</em><br>baris</p>"
        "<ul><li>satu</li></ul><ol><li>dua</li></ol><blockquote>kutipan</blockquote>"
    )
    assert clean_html(html) == html


def test_a_heading_level_one_is_reduced_to_its_text():
    # The page's title is its only h1.
    assert clean_html("<h1>Besar</h1>") == "Besar"


def test_safe_html_is_marked_safe_only_after_cleaning():
    shown = safe_html('<p onmouseover="x()">Halo</p><script>x()</script>')
    assert shown == "<p>Halo</p>"
    assert hasattr(shown, "__html__")
