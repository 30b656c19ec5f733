"""A saves, B gets 409, B saves again: A's change stays unless B overwrites that very field (issue 13, item 8)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.cases.models import Case, Victim
from perisai.cases.tests.factories import open_case

pytestmark = pytest.mark.django_db


def as_posted(response) -> dict:
    """What the browser would send back from a form page, unchanged: every field as shown, plus the base."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].data if form.is_bound else form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    data["dasar"] = response.context["base"]
    return data


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class ConflictTests:
    def test_the_second_save_keeps_the_first_unless_that_field_is_overwritten(self, make_user):
        manager, supervisor = make_user(Role.CASE_MANAGER), make_user(Role.SUPERVISOR)
        case = open_case(make_user, manager=manager, child_age=9)
        victim = case.victims.get()
        url = reverse("cases:victim_edit", args=[case.public_id, victim.public_id])
        a, b = signed_in(manager), signed_in(supervisor)
        page_a, page_b = as_posted(a.get(url)), as_posted(b.get(url))

        # A changes the guardian and the needs, and saves first.
        assert a.post(url, {**page_a, "guardian": "Ibu Ani", "needs": "Konseling"}).status_code == 302
        # B, on the page loaded before, changes the guardian too, and the address; B's save is refused.
        response = b.post(url, {**page_b, "guardian": "Bapak Budi", "address": "Jalan Baru 5"})
        assert response.status_code == 409
        form = response.context["form"]
        assert form["guardian"].data == "Ibu Ani" and "Isian Anda: «Bapak Budi»" in str(form.errors["guardian"])
        assert form["address"].data == "Jalan Baru 5" and "address" not in form.errors  # only B changed it
        assert form["needs"].data == "Konseling" and "needs" not in form.errors  # only A changed it
        assert int(form["version"].data) == Case.objects.get(pk=case.pk).version
        body = response.content.decode()
        assert "Orang lain menyimpan kasus ini saat Anda mengisi" in body

        # B presses Save again as shown: A's guardian and needs stay, B's address is added.
        assert b.post(url, as_posted(response)).status_code == 302
        saved = Victim.objects.get(pk=victim.pk)
        assert (saved.guardian, saved.needs, saved.address) == ("Ibu Ani", "Konseling", "Jalan Baru 5")

    def test_overwriting_the_marked_field_on_purpose_wins(self, make_user):
        manager, supervisor = make_user(Role.CASE_MANAGER), make_user(Role.SUPERVISOR)
        case = open_case(make_user, manager=manager, child_age=9)
        victim = case.victims.get()
        url = reverse("cases:victim_edit", args=[case.public_id, victim.public_id])
        a, b = signed_in(manager), signed_in(supervisor)
        page_a, page_b = as_posted(a.get(url)), as_posted(b.get(url))
        a.post(url, {**page_a, "guardian": "Ibu Ani"})
        response = b.post(url, {**page_b, "guardian": "Bapak Budi"})
        assert b.post(url, {**as_posted(response), "guardian": "Bapak Budi"}).status_code == 302
        assert Victim.objects.get(pk=victim.pk).guardian == "Bapak Budi"

    def test_the_incident_facts_merge_the_same_way(self, make_user):
        manager, supervisor = make_user(Role.CASE_MANAGER), make_user(Role.SUPERVISOR)
        case = open_case(make_user, manager=manager)
        url = reverse("cases:facts_edit", args=[case.public_id])
        a, b = signed_in(manager), signed_in(supervisor)
        page_a, page_b = as_posted(a.get(url)), as_posted(b.get(url))
        assert a.post(url, {**page_a, "place": "sekolah"}).status_code == 302
        response = b.post(url, {**page_b, "chronology": "Kronologi lengkap dari asesmen."})
        assert response.status_code == 409 and not response.context["form"].errors.get("place")
        assert b.post(url, as_posted(response)).status_code == 302
        case.refresh_from_db()
        assert case.place == "sekolah" and case.chronology == "Kronologi lengkap dari asesmen."

    def test_an_assessment_saved_from_an_older_page_keeps_the_newer_risk(self, make_user):
        manager, supervisor = make_user(Role.CASE_MANAGER), make_user(Role.SUPERVISOR)
        case = open_case(make_user, manager=manager, child_age=9)
        url = reverse("cases:assessment_edit", args=[case.public_id, case.victims.get().public_id])
        a, b = signed_in(manager), signed_in(supervisor)
        page_a, page_b = as_posted(a.get(url)), as_posted(b.get(url))
        first = {"risk": "tinggi", "risk_reasons": "Pelaku kembali ke rumah.", "family": "Tinggal dengan nenek."}
        assert a.post(url, {**page_a, **first}).status_code == 302
        response = b.post(
            url, {**page_b, "risk": "rendah", "risk_reasons": "Sudah aman di rumah nenek.", "health": "Sehat."}
        )
        assert response.status_code == 409
        form = response.context["form"]
        assert form["risk"].data == "tinggi" and "risk" in form.errors  # both changed it: theirs shown, marked
        assert form["health"].data == "Sehat." and form["family"].data == "Tinggal dengan nenek."
        assert b.post(url, as_posted(response)).status_code == 302
        latest = case.victims.get().assessments.order_by("-number").first()
        assert (latest.risk, latest.health, latest.family) == ("tinggi", "Sehat.", "Tinggal dengan nenek.")
        assert Case.objects.get(pk=case.pk).risk == "tinggi"
