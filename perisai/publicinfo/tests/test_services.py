"""Saving, versions and restoring of the public information pages: each an audit event, each a version."""

import pytest
from django.http import Http404

from perisai.accounts.choices import Role
from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.publicinfo import services
from perisai.publicinfo.models import InfoPage

pytestmark = pytest.mark.django_db


def fields(**overrides):
    values = {
        "title": "Jadwal sosialisasi",
        "summary": "Kapan petugas datang ke kelurahan.",
        "body": "<p>Setiap Kamis.</p>",
        "order": 60,
        "is_published": True,
    }
    return values | overrides


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMINISTRATOR)


@pytest.fixture
def page(admin):
    return services.page_create(actor=admin, slug="jadwal", **fields())


class PageCreateTests:
    def test_the_body_is_sanitised_before_it_is_stored(self, admin):
        created = services.page_create(
            actor=admin, slug="uji", **fields(body='<p onclick="x()">Aman</p><script>alert(1)</script>')
        )
        created.refresh_from_db()
        assert created.body == "<p>Aman</p>"

    def test_creating_is_audited_and_is_the_first_version(self, admin, page):
        event = AuditEvent.objects.get(action=AuditAction.INFO_PAGE_SAVED, object_id=str(page.pk))
        assert event.actor == admin
        assert event.extra == {"slug": "jadwal", "published": True, "version": page.history.get().history_id}
        assert page.history.get().history_user == admin

    @pytest.mark.parametrize("role", [role for role in Role.values if role != Role.ADMINISTRATOR])
    def test_nobody_but_an_administrator_may_create(self, make_user, role):
        with pytest.raises(Http404):
            services.page_create(actor=make_user(role), slug="uji", **fields())
        assert not InfoPage.objects.filter(slug="uji").exists()


class PageUpdateTests:
    def test_each_save_is_a_new_version_with_its_author(self, admin, make_user, page):
        other = make_user(Role.ADMINISTRATOR)
        seen = services.latest_version_id(page)
        services.page_update(actor=other, page=page, seen_version=seen, **fields(title="Jadwal baru"))
        versions = list(page.history.order_by("history_id"))
        assert [v.title for v in versions] == ["Jadwal sosialisasi", "Jadwal baru"]
        assert [v.history_user for v in versions] == [admin, other]

    def test_a_save_on_top_of_an_older_version_is_refused_and_nothing_changes(self, admin, page):
        seen = services.latest_version_id(page)
        services.page_update(actor=admin, page=page, seen_version=seen, **fields(title="Pertama"))
        with pytest.raises(services.StaleEdit):
            services.page_update(actor=admin, page=page, seen_version=seen, **fields(title="Kedua"))
        page.refresh_from_db()
        assert page.title == "Pertama"
        assert page.history.count() == 2

    def test_a_supervisor_may_not_edit(self, make_user, page):
        with pytest.raises(Http404):
            services.page_update(
                actor=make_user(Role.SUPERVISOR), page=page, seen_version=None, **fields(title="Diubah")
            )


class PageRestoreTests:
    def test_an_old_version_comes_back_as_a_new_version_and_nothing_is_lost(self, admin, page):
        first = services.latest_version_id(page)
        services.page_update(
            actor=admin, page=page, seen_version=first, **fields(title="Salah", body="<p>Salah</p>", is_published=False)
        )
        services.page_restore(actor=admin, page=page, history_id=first)
        page.refresh_from_db()
        assert (page.title, page.body, page.is_published) == ("Jadwal sosialisasi", "<p>Setiap Kamis.</p>", True)
        newest = page.history.order_by("-history_id").first()
        assert [v.title for v in page.history.order_by("history_id")] == ["Jadwal sosialisasi", "Salah", newest.title]
        assert newest.history_change_reason == str(first)
        event = AuditEvent.objects.get(action=AuditAction.INFO_PAGE_RESTORED)
        assert event.extra["restored_from"] == first and event.actor == admin

    def test_a_version_of_another_page_cannot_be_restored_here(self, admin, page):
        other = services.page_create(actor=admin, slug="lain", **fields(title="Lain"))
        with pytest.raises(Http404):
            services.page_restore(actor=admin, page=page, history_id=services.latest_version_id(other))

    def test_a_restored_version_is_sanitised_again(self, admin, page):
        # A version written before today's rules (or straight into the database) holds what they now forbid.
        version = page.history.get()
        type(version).objects.filter(pk=version.pk).update(body="<p>Lama</p><script>alert(1)</script>")
        services.page_restore(actor=admin, page=page, history_id=version.history_id)
        page.refresh_from_db()
        assert page.body == "<p>Lama</p>"


def test_the_body_is_sanitised_again_when_shown(page):
    InfoPage.objects.filter(pk=page.pk).update(body='<p>Halo</p><img src=x onerror="alert(1)">')
    page.refresh_from_db()
    assert page.body_html == "<p>Halo</p>"
