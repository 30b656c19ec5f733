"""The public pages (everyone, no JavaScript) and the administrators' pages (everyone else: 404)."""

import pytest
from django.test import Client
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.accounts.testing import assert_access, matrix_users
from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.publicinfo import services
from perisai.publicinfo.models import InfoPage

pytestmark = pytest.mark.django_db

SEEDED = ["tanda-kekerasan", "hak-anak", "setelah-melapor", "tanya-jawab", "kontak-mitra"]


@pytest.fixture
def users(make_user):
    return matrix_users(make_user)


@pytest.fixture
def admin(users):
    return users[Role.ADMINISTRATOR]


def form_data(page: InfoPage, **overrides):
    data = {
        "title": page.title,
        "summary": page.summary,
        "body": page.body,
        "order": page.order,
        "is_published": "on" if page.is_published else "",
        "seen_version": services.latest_version_id(page),
    }
    return data | overrides


class PublicPagesTests:
    def test_the_index_lists_the_published_pages_in_order_for_everyone(self, users):
        InfoPage.objects.filter(slug="kontak-mitra").update(is_published=False)
        for client in (Client(), _signed_in(users[Role.CASE_MANAGER])):
            response = client.get(reverse("publicinfo_public:index"))
            assert response.status_code == 200
            titles = [page.slug for page in response.context["pages"]]
            assert titles == SEEDED[:-1]

    @pytest.mark.parametrize("slug", SEEDED)
    def test_each_seeded_page_is_public_and_needs_no_javascript(self, slug):
        response = Client().get(reverse("publicinfo_public:page", args=[slug]))
        assert response.status_code == 200
        html = response.content.decode()
        assert "<script" not in html
        assert reverse("reports_public:form") in html  # every page leads to the report form

    def test_a_draft_is_as_missing_as_a_page_that_never_existed(self):
        InfoPage.objects.filter(slug="hak-anak").update(is_published=False)
        assert Client().get(reverse("publicinfo_public:page", args=["hak-anak"])).status_code == 404
        assert Client().get(reverse("publicinfo_public:page", args=["tidak-ada"])).status_code == 404

    def test_script_stored_by_any_path_never_reaches_the_public_page(self):
        InfoPage.objects.filter(slug="hak-anak").update(
            body='<p>Hak</p><script>alert(1)</script><a href="javascript:x">a</a>'
        )
        html = Client().get(reverse("publicinfo_public:page", args=["hak-anak"])).content.decode()
        assert "alert(1)" not in html and "javascript:" not in html

    def test_the_title_a_visitor_reads_is_escaped(self, admin):
        InfoPage.objects.filter(slug="hak-anak").update(title="<b>Hak</b>")
        html = Client().get(reverse("publicinfo_public:page", args=["hak-anak"])).content.decode()
        assert "&lt;b&gt;Hak&lt;/b&gt;" in html


class StaffPagesTests:
    def test_access_matrix_of_the_list(self, users):
        assert_access(reverse("publicinfo:list"), users=users, allowed={Role.ADMINISTRATOR})

    def test_access_matrix_of_the_editor_history_and_versions(self, users):
        page = InfoPage.objects.get(slug="hak-anak")
        version = services.latest_version_id(page)
        for url in (
            reverse("publicinfo:create"),
            reverse("publicinfo:edit", args=[page.slug]),
            reverse("publicinfo:history", args=[page.slug]),
            reverse("publicinfo:version", args=[page.slug, version]),
        ):
            assert_access(url, users=users, allowed={Role.ADMINISTRATOR})

    def test_saving_by_anyone_else_is_404_and_changes_nothing(self, users):
        page = InfoPage.objects.get(slug="hak-anak")
        assert_access(
            reverse("publicinfo:edit", args=[page.slug]),
            users={label: user for label, user in users.items() if label != Role.ADMINISTRATOR},
            allowed=set(),
            method="post",
            data=form_data(page, title="Diubah"),
        )
        page.refresh_from_db()
        assert page.title == "Hak anak"

    def test_an_administrator_saves_a_sanitised_page_and_the_edit_is_audited(self, admin):
        page = InfoPage.objects.get(slug="hak-anak")
        response = _signed_in(admin).post(
            reverse("publicinfo:edit", args=[page.slug]),
            form_data(page, body='<p style="color:red">Baru</p><script>x()</script>'),
        )
        assert response.status_code == 302
        page.refresh_from_db()
        assert page.body == "<p>Baru</p>"
        assert page.history.count() == 2
        assert AuditEvent.objects.filter(actor=admin, action=AuditAction.INFO_PAGE_SAVED).exists()

    def test_preview_shows_the_cleaned_text_and_saves_nothing(self, admin):
        page = InfoPage.objects.get(slug="hak-anak")
        response = _signed_in(admin).post(
            reverse("publicinfo:edit", args=[page.slug]),
            form_data(page, body="<p>Pratinjau saja</p><script>x()</script>", pratinjau="1"),
        )
        assert response.status_code == 200
        assert str(response.context["preview"]) == "<p>Pratinjau saja</p>"
        page.refresh_from_db()
        assert "Pratinjau saja" not in page.body and page.history.count() == 1

    def test_a_stale_save_keeps_the_text_and_says_why(self, admin):
        page = InfoPage.objects.get(slug="hak-anak")
        stale = form_data(page, body="<p>Versi saya</p>")
        services.page_update(
            actor=admin,
            page=page,
            seen_version=stale["seen_version"],
            title="Orang lain",
            summary=page.summary,
            body=page.body,
            order=page.order,
            is_published=True,
        )
        response = _signed_in(admin).post(reverse("publicinfo:edit", args=[page.slug]), stale)
        assert response.status_code == 200
        assert "baru saja diubah orang lain" in response.content.decode()
        assert "Versi saya" in response.content.decode()

    def test_the_slug_cannot_change_once_the_page_exists(self, admin):
        page = InfoPage.objects.get(slug="hak-anak")
        _signed_in(admin).post(reverse("publicinfo:edit", args=[page.slug]), form_data(page, slug="lain"))
        assert InfoPage.objects.filter(slug="hak-anak").exists() and not InfoPage.objects.filter(slug="lain").exists()

    def test_an_administrator_creates_a_draft_page(self, admin):
        response = _signed_in(admin).post(
            reverse("publicinfo:create"),
            {"title": "Jadwal", "slug": "jadwal", "summary": "Kapan.", "body": "<p>Kamis.</p>", "order": 60},
        )
        assert response.status_code == 302
        assert InfoPage.objects.get(slug="jadwal").is_published is False
        assert Client().get(reverse("publicinfo_public:page", args=["jadwal"])).status_code == 404

    def test_history_lists_versions_and_a_restore_brings_one_back(self, admin):
        page = InfoPage.objects.get(slug="hak-anak")
        client = _signed_in(admin)
        first = services.latest_version_id(page)
        client.post(reverse("publicinfo:edit", args=[page.slug]), form_data(page, title="Judul keliru"))
        history = client.get(reverse("publicinfo:history", args=[page.slug])).content.decode()
        assert "Judul keliru" in history and "isi awal" in history
        response = client.post(reverse("publicinfo:version", args=[page.slug, first]))
        assert response.status_code == 302
        page.refresh_from_db()
        assert page.title == "Hak anak"
        assert page.history.count() == 3


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
