"""Statistics pages: the staff dashboard (/staf/dasbor/) and the public page (/statistik/). Thin: the numbers
come from dashboard.py (stored tallies) and counting.py, the permissions from policies.py."""

from __future__ import annotations

import datetime as dt

from allauth.account.decorators import reauthentication_required
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.cases.policies import case_policy
from perisai.referrals.policies import referral_policy
from perisai.regions import selectors as regions
from perisai.stats import counting, monthly, public, simfoni, summary
from perisai.stats.dashboard import dashboard as dashboard_data
from perisai.stats.exports import watermark
from perisai.stats.forms import PeriodForm
from perisai.stats.periods import BASIS_CHOICES, BASIS_INCIDENT, BASIS_REPORT
from perisai.stats.policies import stats_flags, stats_policy

PUBLIC_CACHE_SECONDS = 60 * 60


def place_name(kecamatan: str | None) -> str:
    city = regions.region_by_code(regions.city_code())
    city_name = city.name if city else regions.city_code()
    if kecamatan:
        region = regions.region_by_code(kecamatan)
        return f"Kecamatan {region.name}, {city_name}" if region else city_name
    return city_name


@require_safe
def dashboard(request):
    if not stats_policy.can(request.user, "dashboard"):
        raise Http404
    form = PeriodForm(request.GET)
    period = form.period()
    kecamatan = form.kecamatan_code()
    grouped = request.GET.get("kelompok") == "1"
    context = dashboard_data(period, kecamatan=kecamatan, grouped=grouped)
    flags = stats_flags(request.user)
    if request.GET.get("ringkasan") == "1":
        context["press"] = summary.press_summary(
            context["facts"], place=place_name(kecamatan), with_links=flags["can_link_records"]
        )
    query = request.GET.copy()
    for key in ("kelompok", "ringkasan"):
        query.pop(key, None)
    context.update(flags)
    context["can_see_response_times"] = referral_policy.can(request.user, "response_times")
    context.update(
        {
            "form": form,
            "period": period,
            "place": place_name(kecamatan),
            "grouped": grouped,
            "query": query.urlencode(),
        }
    )
    return render(request, "stats/dashboard.html", context)


def _public_year(request) -> tuple[int, str]:
    latest = _public_year_latest()
    try:
        year = int(request.GET.get("tahun", latest))
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= latest:
        raise Http404
    basis = request.GET.get("dasar", BASIS_REPORT)
    if basis not in (BASIS_REPORT, BASIS_INCIDENT):
        raise Http404
    return year, basis


def _public_data(year: int, basis: str) -> public.PublicStatistics:
    """Cached: the page is open to everyone, and its figures change only when a quarter ends or a case of a
    past quarter is recorded late (then the cache is at most an hour behind)."""
    today = timezone.localdate()
    key = f"stats:public:{year}:{basis}:{today.isoformat()}:{get_language()}"
    return cache.get_or_set(key, lambda: public.public_statistics(year, basis, today), PUBLIC_CACHE_SECONDS)


@login_not_required
@require_safe
def public_page(request):
    year, basis = _public_year(request)
    stats = _public_data(year, basis)
    latest = _public_year_latest()
    context = {
        "stats": stats,
        "years": list(range(latest, max(latest - 5, 2019), -1)),
        "basis": basis,
        "basis_choices": BASIS_CHOICES,
        "place": place_name(None),
    }
    return render(request, "stats/public.html", context)


def _public_year_latest() -> int:
    today = timezone.localdate()
    return today.year if public.published_quarters(today.year, today) else today.year - 1


@login_not_required
@require_safe
def public_csv(request):
    year, basis = _public_year(request)
    stats = _public_data(year, basis)
    response = HttpResponse(public.public_csv(stats), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statistik-perisai-{year}-{basis}.csv"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, name: str, content_type: str = XLSX) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'  # no identity in file names
    response["Cache-Control"] = "private, no-store"
    return response


def _period_facts(request) -> counting.Facts:
    form = PeriodForm(request.GET)
    return counting.facts_for(form.period(), kecamatan=form.kecamatan_code())


@require_safe
def simfoni_recap(request):
    """Aggregates only, in SIMFONI's categories: what the analyst keys into the ministry's register."""
    if not stats_policy.can(request.user, "simfoni_recap"):
        raise Http404
    facts = _period_facts(request)
    content = simfoni.recap_xlsx(facts, place=place_name(facts.kecamatan), watermark=watermark(request.user))
    return _download(content, f"simfoni-rekap-{facts.period.start}_{facts.period.end}.xlsx")


@require_safe
def simfoni_listing(request):
    if not stats_policy.can(request.user, "simfoni_listing"):
        raise Http404
    return _simfoni_listing(request)


@reauthentication_required
def _simfoni_listing(request):
    """One row per child of the period, for re-keying into SIMFONI: records, so re-authenticated, audited in
    the same transaction, watermarked, and limited to the cases the case policy lets this supervisor open."""
    facts = _period_facts(request)
    with transaction.atomic():
        rows = simfoni.listing_rows(facts, case_policy.visible_to(request.user))
        audit_record(
            actor=request.user,
            action=AuditAction.EXPORTED,
            object_type="stats.simfoni_listing",
            extra={"from": str(facts.period.start), "to": str(facts.period.end), "rows": len(rows)},
        )
    content = simfoni.listing_xlsx(rows, facts=facts, watermark=watermark(request.user))
    return _download(content, f"simfoni-per-kasus-{facts.period.start}_{facts.period.end}.xlsx")


@require_safe
def monthly_report(request):
    """The month's PDF for the head of office (aggregates only)."""
    if not stats_policy.can(request.user, "monthly_report"):
        raise Http404
    today = timezone.localdate()
    last = today.replace(day=1) - dt.timedelta(days=1)  # the last full month by default
    try:
        year = int(request.GET.get("tahun", last.year))
        month = int(request.GET.get("bulan", last.month))
    except ValueError:
        raise Http404 from None
    basis = request.GET.get("dasar", BASIS_REPORT)
    if not (2000 <= year <= today.year and 1 <= month <= 12) or basis not in (BASIS_REPORT, BASIS_INCIDENT):
        raise Http404
    html = monthly.monthly_html(year, month, basis=basis, prepared_by=request.user.full_name)
    return _download(monthly.monthly_pdf(html), f"laporan-bulanan-{year}-{month:02d}.pdf", "application/pdf")
