"""Filters for the referral list: status, agency (office side), overdue only."""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perisai.accounts.models import Agency
from perisai.referrals.choices import ReferralStatus


class ReferralFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReferralStatus.choices, empty_label=_("Semua"))
    agency = django_filters.ModelChoiceFilter(
        label=_("Instansi"), queryset=Agency.objects.none(), empty_label=_("Semua")
    )
    terlambat = django_filters.BooleanFilter(
        label=_("Hanya yang terlambat dijawab"),
        method="only_overdue",
        widget=django_filters.widgets.BooleanWidget(),
    )

    def __init__(self, *args, show_agency: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if show_agency:
            self.filters["agency"].queryset = Agency.objects.exclude(kind="home_office").order_by("name")
        else:
            del self.filters["agency"]

    def only_overdue(self, queryset, name, value):
        if value:
            return queryset.filter(status=ReferralStatus.SENT, due_at__lt=timezone.now())
        return queryset
