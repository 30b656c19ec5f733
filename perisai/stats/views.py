"""Statistics pages: the staff dashboard (/staf/dasbor/) and the public page (/statistik/). Thin: the numbers
come from dashboard.py (stored tallies) and counting.py, the permissions from policies.py.

The figures are read inside reading_from_replica(): from the read replica when one is configured (a few seconds
behind the primary; docs/operations.md, "Read replica"). Who may see them is decided before, on the primary."""

from __future__ import annotations

import datetime as dt

from allauth.account.decorators import reauthentication_required
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.core.replica import reading_from_replica
from perisai.referrals.policies import referral_policy
from perisai.regions import selectors as regions
from perisai.stats import counting, monthly, public, simfoni, summary
from perisai.stats.dashboard import dashboard as dashboard_data
from perisai.stats.exports import watermark
from perisai.stats.forms import PeriodForm
from perisai.stats.periods import BASIS_CHOICES, BASIS_INCIDENT, BASIS_REPORT, Period
from perisai.stats.policies import stats_flags, stats_policy


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
    flags = stats_flags(request.user)
    with reading_from_replica():
        form = PeriodForm(request.GET, default_year=_dashboard_default_year())
        period = form.period()
        kecamatan = form.kecamatan_code()
        grouped = request.GET.get("kelompok") == "1"
        context = dashboard_data(
            period, kecamatan=kecamatan, grouped=grouped, exact_places=stats_policy.can(request.user, "see_identities")
        )
        if request.GET.get("ringkasan") == "1":
            context["press"] = summary.press_summary(
                context["facts"], place=place_name(kecamatan), with_links=flags["can_link_records"]
            )
    # The links below (recap, listing, exports, PDF) carry the period shown, defaults included.
    query = QueryDict(mutable=True)
    query.update({key: value for key, value in form.data.items() if key not in ("kelompok", "ringkasan")})
    context.update(flags)
    context["can_see_response_times"] = referral_policy.can(request.user, "response_times")
    context.update(
        {
            "form": form,
            "period": period,
            "place": place_name(kecamatan),
            "grouped": grouped,
            "query": query.urlencode(),
            "monthly": monthly_of(period),
        }
    )
    return render(request, "stats/dashboard.html", context)


def _dashboard_default_year() -> int:
    """This year once it has a case; until then the latest year that has one (not an empty page in January)."""
    today = timezone.localdate()
    day = counting.latest_report_day(today + dt.timedelta(days=1))
    return day.year if day else today.year


def _public_choice(request) -> tuple[int, str]:
    """The year and date basis asked for; by default the latest year with published figures."""
    latest = _public_year_latest()
    try:
        year = int(request.GET.get("tahun") or _public_year_with_data(latest))
    except ValueError:
        raise Http404 from None
    basis = request.GET.get("dasar", BASIS_REPORT)
    if not 2000 <= year <= latest or basis not in (BASIS_REPORT, BASIS_INCIDENT):
        raise Http404
    return year, basis


@login_not_required
@require_safe
def public_page(request):
    with reading_from_replica():  # open to everyone: the replica takes the load off the primary
        year, basis = _public_choice(request)
        stats = public.view(public.cached_statistics(year, basis), request.GET.get("tampilan", ""))
        latest = _public_year_latest()
    context = {
        "stats": stats,
        "views": [(public.VIEW_QUARTERS, _("Per triwulan")), (public.VIEW_RUNNING, _("Kumulatif sejak Januari"))],
        "years": list(range(latest, max(latest - 5, 2019), -1)),
        "basis": basis,
        "basis_choices": BASIS_CHOICES,
        "place": place_name(None),
    }
    return render(request, "stats/public.html", context)


def _public_year_latest() -> int:
    today = timezone.localdate()
    return today.year if public.published_quarters(today.year, today) else today.year - 1


def _public_year_with_data(latest: int) -> int:
    """The latest year up to `latest` whose published part has a case: an empty current year is not the page
    a visitor (or a journalist checking a press release) should land on."""
    today = timezone.localdate()
    quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    day = counting.latest_report_day(quarter_start)
    return min(day.year, latest) if day else latest


@login_not_required
@require_safe
def public_csv(request):
    with reading_from_replica():
        year, basis = _public_choice(request)
        stats = public.view(public.cached_statistics(year, basis), request.GET.get("tampilan", ""))
    response = HttpResponse(public.public_csv(stats), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statistik-perisai-{year}-{basis}-{stats.view}.csv"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, name: str, content_type: str = XLSX) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'  # no identity in file names
    response["Cache-Control"] = "private, no-store"
    return response


def _period_facts(request) -> counting.Facts:
    form = PeriodForm(request.GET, default_year=_dashboard_default_year())
    return counting.facts_for(form.period(), kecamatan=form.kecamatan_code())


@require_safe
def simfoni_recap(request):
    """Aggregates only, in SIMFONI's categories: what the analyst keys into the ministry's register."""
    if not stats_policy.can(request.user, "simfoni_recap"):
        raise Http404
    with reading_from_replica():
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
    the same transaction, watermarked; which cases and how much of them, the stats policy says. What is counted may
    come from the replica; the scope, the rows and the audit event are read and written on the primary, in one
    transaction."""
    with reading_from_replica():
        facts = _period_facts(request)
    detail = simfoni.FULL if stats_policy.can(request.user, "see_identities") else simfoni.INITIALS
    with transaction.atomic():
        rows = simfoni.listing_rows(facts, stats_policy.record_scope(request.user), detail=detail)
        audit_record(
            actor=request.user,
            action=AuditAction.EXPORTED,
            object_type="stats.simfoni_listing",
            extra={
                "from": str(facts.period.start),
                "to": str(facts.period.end),
                "rows": len(rows),
                "detail": detail,
                # Which files went out, so each case's history can tell (register numbers, not identities).
                "cases": sorted({row[0] for row in rows}),
            },
        )
    content = simfoni.listing_xlsx(rows, facts=facts, watermark=watermark(request.user), detail=detail)
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
    with reading_from_replica():
        html = monthly.monthly_html(year, month, basis=basis)
    return _download(monthly.cached_pdf(html), f"laporan-bulanan-{year}-{month:02d}.pdf", "application/pdf")


def monthly_of(period) -> Period:
    """The month the dashboard's PDF link reports on: the chosen period's last month, or the current month
    when the period runs into the future (a year not over yet)."""
    today = timezone.localdate()
    end = min(period.end, today)
    return Period.month(end.year, end.month, period.basis)
