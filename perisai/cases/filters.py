"""Filters and search for the case list (django-filter), always applied after the access policy."""

from __future__ import annotations

import re

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perisai.cases.choices import CaseStatus, Risk
from perisai.cases.models import Case, Victim
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
    opened_from = django_filters.DateFilter(label=_("Dibuka sejak"), field_name="opened_at", lookup_expr="date__gte")
    opened_to = django_filters.DateFilter(label=_("Dibuka sampai"), field_name="opened_at", lookup_expr="date__lte")

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
            return queryset.filter(victims__nik_index=Victim._meta.get_field("nik_index").index_for(digits)).distinct()
        name_index = Victim._meta.get_field("name_index").index_for(value)
        return queryset.filter(victims__name_index=name_index).distinct()

    def by_violence(self, queryset, name, value):
        return queryset.filter(victims__violence_key__contains=f"|{value}|").distinct() if value else queryset

    def by_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = Q(tasks__done_at__isnull=True, tasks__due_at__lt=timezone.now())
        return queryset.filter(late).distinct() if value else queryset.exclude(late)
