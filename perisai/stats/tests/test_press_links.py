"""Every number of the press summary links to the case list that produces it, for both date bases: the list a
supervisor gets counts exactly the cases the page names beside the number ("38 pelaku — lihat 35 kasus")."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from perisai.cases.models import Case, Perpetrator, Victim

PERIOD = {"jenis": "rentang", "dari": "2023-01-01", "sampai": "2023-09-30", "ringkasan": "1"}
BASES = ["laporan", "kejadian"]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def press(client, **params):
    response = client.get(reverse("stats:dashboard"), {**PERIOD, **params})
    assert response.status_code == 200
    return response.context["press"], response.content.decode()


def listed(client, link: str) -> int:
    response = client.get(link)
    assert response.status_code == 200
    return response.context["page"].paginator.count


@pytest.fixture(params=BASES)
def basis(request):
    return request.param


class PressLinkTests:
    def test_on_the_demo_data_every_linked_number_lists_as_many_cases_as_the_page_says(self, demo, basis):
        client = signed_in(demo["supervisor"])
        summary, body = press(client, dasar=basis)
        numbers = summary.numbers
        assert [n.unit for n in numbers] == ["korban"] * 3 + ["pelaku"] * 2
        assert all(n.cases == int(n.text) for n in numbers)  # one child and one perpetrator per demo case
        if basis == "laporan":
            assert [n.text for n in numbers] == ["40", "28", "7", "38", "40"]
        else:  # the first demo case happened in December 2022
            assert [n.text for n in numbers] == ["39", "27", "7", "37", "39"]
        for number in numbers:
            assert listed(client, number.link) == number.cases, number
            assert f"lihat {number.cases} kasus</a>" in body
        date_filter = "incident_from=2023-01-01" if basis == "kejadian" else "opened_from=2023-01-01"
        assert all(date_filter in n.link for n in numbers)

    def test_with_several_children_and_perpetrators_a_case_the_links_count_cases(self, demo, basis):
        """Two more children in one sexual-violence case and a second close perpetrator in another: the numbers
        grow, the cases do not, and the lists still count what the page says."""
        client = signed_in(demo["supervisor"])
        before, _body = press(client, dasar=basis)
        in_period = Case.objects.filter(opened_at__year=2023, incident_date__year=2023)
        sexual = in_period.filter(victims__violence_key__contains="|seksual|").first()
        for age in (9, 15):
            Victim.objects.create(case=sexual, name="[UJI] Anak", estimated_age=age, violence_types=["seksual"])
        close = Perpetrator.objects.filter(relationship="tetangga", case__in=in_period).first()
        Perpetrator.objects.create(case=close.case, relationship="keluarga")
        summary, body = press(client, dasar=basis)
        numbers = {(n.what, n.unit): n for n in summary.numbers}
        assert len(numbers) == len(summary.numbers) == 5
        victims = numbers["anak korban kekerasan", "korban"]
        assert (int(victims.text), victims.cases) == (before.numbers[0].cases + 2, before.numbers[0].cases)
        assert int(numbers["anak korban kekerasan seksual", "korban"].text) == int(before.numbers[1].text) + 2
        near = numbers["terduga pelaku yang termasuk orang terdekat korban", "pelaku"]
        assert (int(near.text), near.cases) == (before.numbers[3].cases + 1, before.numbers[3].cases)
        for number in summary.numbers:
            assert listed(client, number.link) == number.cases, number
            assert f"{number.text} {number.unit} ({number.what}) — <a href=" in body
        assert before.numbers[0].link == summary.numbers[0].link

    def test_a_kecamatan_is_kept_in_every_link(self, demo, basis):
        client = signed_in(demo["supervisor"])
        summary, _body = press(client, dasar=basis, kecamatan="36.72.05")
        assert summary.numbers
        for number in summary.numbers:
            assert "kecamatan=36.72.05" in number.link
            assert listed(client, number.link) == number.cases, number

    def test_an_analyst_gets_the_sentence_without_links_or_case_counts(self, demo, basis):
        summary, body = press(signed_in(demo["analyst"]), dasar=basis)
        assert summary.text.startswith("Januari–September 2023: ")
        assert summary.numbers == [] and "kasus</a>" not in body
