"""Filters and search for the case list (django-filter), always applied after the access policy."""

from __future__ import annotations

import datetime as dt
import re

import django_filters
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perisai.cases.choices import CaseStatus, Risk
from perisai.cases.models import Case, CaseTask, Victim
from perisai.core.simfoni import ViolenceType
from perisai.regions import selectors as regions

REGISTRATION = re.compile(r"^\d{1,4}(/|$)")


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Cari nomor registrasi, nama anak, atau NIK"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CaseStatus.choices, empty_label=_("Semua"))
    risk = django_filters.ChoiceFilter(label=_("Risiko"), choices=Risk.choices, empty_label=_("Semua"))
    kecamatan = django_filters.ChoiceFilter(label=_("Kecamatan"), field_name="kecamatan__code", empty_label=_("Semua"))
    violence = django_filters.ChoiceFilter(
        label=_("Jenis kekerasan"), choices=ViolenceType.choices, method="by_violence", empty_label=_("Semua")
    )
    overdue = django_filters.BooleanFilter(
        label=_("Ada tugas terlambat"), method="by_overdue", widget=django_filters.widgets.BooleanWidget()
    )
    opened_from = django_filters.DateFilter(label=_("Dibuka sejak"), method="by_opened_from")
    opened_to = django_filters.DateFilter(label=_("Dibuka sampai"), method="by_opened_to")

    class Meta:
        model = Case
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["kecamatan"].extra["choices"] = [(k.code, k.name) for k in regions.kecamatan_of_city()]
        for name in ("opened_from", "opened_to"):
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


def _any_victim(**lookup) -> Exists:
    """EXISTS over the case's victims: one row per case however many victims match (no join, no DISTINCT)."""
    return Exists(Victim.objects.filter(case=OuterRef("pk"), **lookup))


def _local_midnight(day: dt.date) -> dt.datetime:
    """The start of `day` in the office's time zone (the day the staff member means)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
