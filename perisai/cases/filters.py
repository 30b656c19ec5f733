"""Filters and search for the case list (django-filter), always applied after the access policy."""

from __future__ import annotations

import datetime as dt
import re

import django_filters
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perisai.cases.choices import CLOSE_RELATIONSHIPS, CaseStatus, Risk
from perisai.cases.models import Case, CaseTask, Perpetrator, Victim
from perisai.core.simfoni import PerpetratorRelationship, ViolenceType
from perisai.regions import selectors as regions

REGISTRATION = re.compile(r"^\d{1,4}(/|$)")
# The relationship filter's groups, beside SIMFONI's single relationships: "orang terdekat" is the statistics'
# grouping (one list, CLOSE_RELATIONSHIPS), "any" is every case with a perpetrator recorded (what a count of
# perpetrators comes from).
CLOSE = "terdekat"
ANY_PERPETRATOR = "ada"
RELATIONSHIP_CHOICES = [
    (CLOSE, _("Orang terdekat (orang tua, keluarga, tetangga, guru, pacar/teman)")),
    (ANY_PERPETRATOR, _("Ada terduga pelaku tercatat")),
    *PerpetratorRelationship.choices,
]


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Cari nomor registrasi, nama anak, atau NIK"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CaseStatus.choices, empty_label=_("Semua"))
    risk = django_filters.ChoiceFilter(label=_("Risiko"), choices=Risk.choices, empty_label=_("Semua"))
    kecamatan = django_filters.ChoiceFilter(label=_("Kecamatan"), field_name="kecamatan__code", empty_label=_("Semua"))
    violence = django_filters.ChoiceFilter(
        label=_("Jenis kekerasan"), choices=ViolenceType.choices, method="by_violence", empty_label=_("Semua")
    )
    relationship = django_filters.ChoiceFilter(
        label=_("Hubungan pelaku dengan korban"),
        choices=RELATIONSHIP_CHOICES,
        method="by_relationship",
        empty_label=_("Semua"),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Ada tugas terlambat"), method="by_overdue", widget=django_filters.widgets.BooleanWidget()
    )
    opened_from = django_filters.DateFilter(label=_("Dibuka sejak"), method="by_opened_from")
    opened_to = django_filters.DateFilter(label=_("Dibuka sampai"), method="by_opened_to")
    incident_from = django_filters.DateFilter(label=_("Tanggal kejadian sejak"), method="by_incident_from")
    incident_to = django_filters.DateFilter(label=_("Tanggal kejadian sampai"), method="by_incident_to")

    class Meta:
        model = Case
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["kecamatan"].extra["choices"] = [(k.code, k.name) for k in regions.kecamatan_of_city()]
        for name in ("opened_from", "opened_to", "incident_from", "incident_to"):
            self.filters[name].extra["widget"] = django_filters.widgets.forms.DateInput(attrs={"type": "date"})

    def search(self, queryset, name, value):
        """Exact matches only: names and NIK are encrypted and found through their blind index."""
        value = value.strip()
        if not value:
            return queryset
        if REGISTRATION.match(value):
            # Plain prefix on the stored (upper-case) number: served by the unique index, unlike UPPER() LIKE.
            return queryset.filter(registration_number__startswith=value.upper())
        digits = re.sub(r"\D", "", value)
        if len(digits) == 16:
            return queryset.filter(_any_victim(nik_index=Victim._meta.get_field("nik_index").index_for(digits)))
        return queryset.filter(_any_victim(name_index=Victim._meta.get_field("name_index").index_for(value)))

    def by_violence(self, queryset, name, value):
        return queryset.filter(_any_victim(violence_key__contains=f"|{value}|")) if value else queryset

    def by_relationship(self, queryset, name, value):
        """At least one perpetrator of the case in that relationship (or group): EXISTS, one row per case."""
        if not value:
            return queryset
        if value == ANY_PERPETRATOR:
            return queryset.filter(_any_perpetrator())
        if value == CLOSE:
            return queryset.filter(_any_perpetrator(relationship__in=sorted(CLOSE_RELATIONSHIPS)))
        return queryset.filter(_any_perpetrator(relationship=value))

    def by_overdue(self, queryset, name, value):
        """true: at least one open task past its deadline; false: none (NOT EXISTS, exactly the complement)."""
        if value is None:
            return queryset
        late = Exists(CaseTask.objects.filter(case=OuterRef("pk"), done_at__isnull=True, due_at__lt=timezone.now()))
        return queryset.filter(late if value else ~late)

    # The period is a range on opened_at itself, from local midnight, so the index on opened_at serves it;
    # opened_at__date would compare (opened_at AT TIME ZONE ...)::date, which no index can.
    def by_opened_from(self, queryset, name, value):
        return queryset.filter(opened_at__gte=_local_midnight(value)) if value else queryset

    def by_opened_to(self, queryset, name, value):
        return queryset.filter(opened_at__lt=_local_midnight(value + dt.timedelta(days=1))) if value else queryset

    # The incident date is a plain date: an inclusive range on the column (cases without one never match).
    def by_incident_from(self, queryset, name, value):
        return queryset.filter(incident_date__gte=value) if value else queryset

    def by_incident_to(self, queryset, name, value):
        return queryset.filter(incident_date__lte=value) if value else queryset


def _any_victim(**lookup) -> Exists:
    """EXISTS over the case's victims: one row per case however many victims match (no join, no DISTINCT)."""
    return Exists(Victim.objects.filter(case=OuterRef("pk"), **lookup))


def _any_perpetrator(**lookup) -> Exists:
    """EXISTS over the case's perpetrators (served by the index on perpetrator.case_id)."""
    return Exists(Perpetrator.objects.filter(case=OuterRef("pk"), **lookup))


def _local_midnight(day: dt.date) -> dt.datetime:
    """The start of `day` in the office's time zone (the day the staff member means)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
