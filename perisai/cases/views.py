"""Case pages (/staf/kasus/) and report triage. Thin: selectors read, services write, policies decide."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.cases import conflicts, duplicates, panels, plan, selectors, services
from perisai.cases.choices import APPROVAL_STAGE, CLOSURE_CHECKLIST, ApprovalDecision, ApprovalKind
from perisai.cases.filters import CaseFilter
from perisai.cases.forms import (
    REQUEST_FORMS,
    ApprovalDecisionForm,
    AssessmentForm,
    AssignForm,
    BreakGlassForm,
    CaseFactsForm,
    CloseReportForm,
    EnteredAfterFactForm,
    LawfulBasisForm,
    MonitoringForm,
    NoteForm,
    OpenCaseForm,
    PerpetratorForm,
    PlanItemForm,
    RestrictForm,
    ServiceForm,
    TaskAddForm,
    TaskCompleteForm,
    TaskSnoozeForm,
    TeamMemberForm,
    TransitionForm,
    VictimForm,
    case_managers,
)
from perisai.cases.models import (
    Assessment,
    Case,
    CaseApproval,
    CaseTask,
    Perpetrator,
    PlanItem,
    PlanMonitoring,
    Service,
    Victim,
    VictimRelationship,
)
from perisai.cases.policies import case_policy
from perisai.core import selectors as core_selectors
from perisai.core.forms import AttachmentForm, add_service_errors
from perisai.reports import selectors as report_selectors
from perisai.reports import services as report_services
from perisai.reports import similar

STALE_PAGE = gettext_lazy(
    "Kasus ini baru saja diubah oleh orang lain. Halaman sudah dimuat ulang; periksa lalu ulangi."
)
STALE_FORM = gettext_lazy(
    "Orang lain menyimpan kasus ini saat Anda mengisi. Perubahan mereka dan isian Anda digabung di bawah; kolom yang "
    "diubah oleh Anda berdua ditandai. Periksa, lalu simpan lagi."
)


@require_safe
def case_list(request):
    if not case_policy.can(request.user, "list"):
        raise Http404
    mine = request.GET.get("semua") != "1"
    filters = CaseFilter(request.GET, queryset=selectors.case_list(actor=request.user, mine_only=mine))
    # Overdue work first (Yuli's journey), then the newest; 25 a page.
    page = selectors.case_list_page(filters.qs, request.GET.get("halaman"))
    query = request.GET.copy()
    query.pop("halaman", None)
    context = {"cases": page, "page": page, "mine": mine, "filters": filters, "query": query.urlencode()}
    return render(request, "cases/list.html", context)


def _domestic(victim, perpetrators) -> bool:
    own = [link.relationship for p in perpetrators for link in p.relationships.all() if link.victim_id == victim.pk]
    return victim.kdrt_from(own, [p.relationship for p in perpetrators])


def _detail_context(request, case, **forms):
    actor = request.user
    # Each of these is read once: the approvals, the victims and the plan's items feed several parts of the page.
    approvals = list(case.approvals.select_related("requested_by", "decided_by"))
    pending = {a.kind: a for a in approvals if a.decision == ApprovalDecision.PENDING}
    approved = plan.latest_approved(approvals)
    victims = list(
        case.victims.select_related("kelurahan").prefetch_related(
            "services__provider",
            Prefetch("assessments", queryset=Assessment.objects.select_related("assessed_by").order_by("-number")),
        )
    )
    perpetrators = list(
        case.perpetrators.prefetch_related(
            Prefetch("relationships", queryset=VictimRelationship.objects.select_related("victim"))
        )
    )
    plan_items = _plan_items(case, forms.get("monitoring_forms") or {})
    current_plan = plan.snapshot_from(plan_items, victims)
    plan_approved_as_is = plan.same_plan(plan.snapshot_of(approved), current_plan)
    requestable = [
        kind
        for kind, stage in APPROVAL_STAGE.items()
        if stage == case.status and kind not in pending and not (kind == ApprovalKind.PLAN and plan_approved_as_is)
    ]
    for approval in pending.values():
        # What the supervisor reads before deciding: the plan's changes since the approved one, or the checklist.
        approval.changes = plan.plan_changes(plan.snapshot_of(approved), plan.snapshot_of(approval) or [])
        approval.first_plan = approval.kind == ApprovalKind.PLAN and approved is None
        approval.checklist_rows = [(label, approval.checklist.get(key)) for key, label in CLOSURE_CHECKLIST]
    failed = forms.get("request_form")
    return {
        "case": case,
        "victims": victims,
        "perpetrators": perpetrators,
        # SIMFONI's KDRT flag per victim, from the relationships read for the perpetrators' section.
        "kdrt_victims": {victim.pk for victim in victims if _domestic(victim, perpetrators)},
        "reports": case.reports.all(),
        "legal_track": case.legal_track.select_related("agency", "recorded_by"),
        "decided": [a for a in approvals if a.decision != ApprovalDecision.PENDING],
        "pending": pending.values(),
        "next_steps": case_policy.next_steps(actor, case),
        "can_request": case_policy.can(actor, "request_approval", case) and requestable,
        "requestable": requestable,
        "can_decide": case_policy.can(actor, "decide_approval", case),
        "can_assign": case_policy.can(actor, "assign", case),
        "can_edit": case_policy.can(actor, "edit", case),
        "can_record_basis": case_policy.can(actor, "record_lawful_basis", case),
        "can_restrict": case_policy.can(actor, "restrict", case),
        "can_backdate": case_policy.can(actor, "backdate", case),
        "backdate_form": forms.get("backdate_form")
        or EnteredAfterFactForm(initial={"version": case.version}, auto_id="backdate_%s"),
        "restrict_form": forms.get("restrict_form")
        or RestrictForm(initial={"version": case.version, "restricted": "no" if case.restricted else "yes"}),
        "assign_form": forms.get("assign_form") or AssignForm(agency=actor.agency, initial={"version": case.version}),
        "basis_form": forms.get("basis_form")
        or LawfulBasisForm(initial={"version": case.version, "basis": case.lawful_basis}, auto_id="basis_%s"),
        # Distinct ids: several forms on one page share field names (note, outcome), and a label must point
        # at its own field.
        "request_forms": [
            (
                kind,
                failed
                if failed is not None and failed.data.get("kind") == kind
                else REQUEST_FORMS[kind](initial={"kind": kind}, auto_id=f"request_{kind}_%s"),
            )
            for kind in requestable
        ],
        "plan_items": plan_items,
        "plan_has_items": bool(current_plan),
        "plan_approved_as_is": plan_approved_as_is,
        "approved_plan": approved,
        "decision_form": forms.get("decision_form") or ApprovalDecisionForm(auto_id="decision_%s"),
        "openings": selectors.case_openings(case, actor=actor),
        "tasks": [
            (
                task,
                (forms.get("task_errors") or {}).get(task.pk)
                or TaskCompleteForm(task=task, auto_id=f"task_{task.pk}_%s"),
            )
            for task in case.tasks.select_related("assignee", "done_by")
        ],
        "task_form": forms.get("task_form") or TaskAddForm(),
        "notes": case.notes.select_related("author"),
        "team": case.team.select_related("user"),
        "can_manage_team": case_policy.can(actor, "manage_team", case),
        "team_form": forms.get("team_form") or TeamMemberForm(agency=actor.agency),
        "note_form": forms.get("note_form") or NoteForm(),
        "documents": core_selectors.attachments_of(case),
        "document_form": forms.get("document_form") or AttachmentForm(),
        "timeline": selectors.case_timeline(case, actor=actor),
        "panels": panels.render_panels(request, case),
        "error": forms.get("error"),
    }


def _plan_items(case, failed: dict) -> list[PlanItem]:
    """The plan's items, each with its monitoring form (the one that failed keeps what was typed)."""
    items = list(
        case.plan_items.select_related("victim", "provider", "responsible").prefetch_related(
            Prefetch("monitoring", queryset=PlanMonitoring.objects.select_related("recorded_by"))
        )
    )
    for item in items:
        item.monitoring_form = failed.get(item.pk) or MonitoringForm(auto_id=f"monitoring_{item.pk}_%s")
    return items


@require_http_methods(["GET", "POST"])
def case_detail(request, public_id):
    try:
        case = selectors.case_get(actor=request.user, public_id=public_id)
    except Http404:
        case = selectors.case_exists_for_break_glass(actor=request.user, public_id=public_id)
        return break_glass(request, case=case)
    return render(request, "cases/detail.html", _detail_context(request, case))


@reauthentication_required
def break_glass(request, case):
    """Asks for the password again first: an emergency opening must be the supervisor, not an unlocked phone."""
    form = BreakGlassForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_break_glass(actor=request.user, case=case, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error.message_dict.get("reason"))
        else:
            messages.warning(request, _("Akses darurat dicatat dan diberitahukan kepada semua supervisor."))
            return redirect("cases:detail", public_id=case.public_id)
    return render(request, "cases/break_glass.html", {"case": case, "form": form}, status=200)


def _act(request, public_id, action):
    """Run a POSTed case action; a stale version or a refused step re-shows the page with a message."""
    case = selectors.case_get(actor=request.user, public_id=public_id, opening=False)
    try:
        action(case)
    except services.StaleEdit:
        return render(
            request,
            "cases/detail.html",
            _detail_context(request, case, error=STALE_PAGE),
            status=409,
        )
    except services.WorkflowError as error:
        return render(request, "cases/detail.html", _detail_context(request, case, error=str(error)), status=400)
    return redirect("cases:detail", public_id=case.public_id)


@require_POST
def transition(request, public_id):
    form = TransitionForm(request.POST)
    if not form.is_valid():
        raise Http404
    return _act(
        request,
        public_id,
        lambda case: services.case_transition(
            actor=request.user, case=case, to=form.cleaned_data["to"], version=form.cleaned_data["version"]
        ),
    )


@require_POST
def request_approval(request, public_id):
    case = selectors.case_get(actor=request.user, public_id=public_id, opening=False)
    form_class = REQUEST_FORMS.get(request.POST.get("kind"))
    if form_class is None:
        raise Http404
    form = form_class(request.POST, auto_id=f"request_{request.POST.get('kind')}_%s")
    if form.is_valid():
        try:
            services.approval_request(
                actor=request.user, case=case, kind=form.cleaned_data["kind"], **form.approval_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except services.WorkflowError as error:
            return render(request, "cases/detail.html", _detail_context(request, case, error=str(error)), status=400)
        else:
            messages.success(request, _("Permintaan persetujuan dikirim ke supervisor."))
            return redirect("cases:detail", public_id=case.public_id)
    if not case_policy.can(request.user, "request_approval", case):
        raise Http404
    return render(request, "cases/detail.html", _detail_context(request, case, request_form=form), status=400)


@require_POST
def plan_monitoring(request, public_id, item_id):
    case = selectors.case_get(actor=request.user, public_id=public_id, opening=False)
    item = get_object_or_404(PlanItem, case=case, public_id=item_id)
    form = MonitoringForm(request.POST, auto_id=f"monitoring_{item.pk}_%s")
    if form.is_valid():
        try:
            services.plan_monitoring_add(actor=request.user, item=item, note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error("note", error.message_dict.get("note"))
        else:
            messages.success(request, _("Pemantauan dicatat."))
            return redirect("cases:detail", public_id=case.public_id)
    if not case_policy.can(request.user, "edit", case):
        raise Http404
    return render(
        request, "cases/detail.html", _detail_context(request, case, monitoring_forms={item.pk: form}), status=400
    )


@require_http_methods(["GET", "POST"])
def plan_item_edit(request, public_id, item_id=None):
    return _person_form(
        request,
        public_id,
        form_class=PlanItemForm,
        model=PlanItem,
        person_id=item_id,
        save=lambda *, planitem, **fields: services.plan_item_save(item=planitem, **fields),
        title=_("Butir rencana intervensi"),
    )


@require_POST
def decide_approval(request, public_id, approval_id):
    case = selectors.case_get(actor=request.user, public_id=public_id, opening=False)
    approval = get_object_or_404(CaseApproval, case=case, public_id=approval_id)
    form = ApprovalDecisionForm(request.POST, auto_id="decision_%s")
    if form.is_valid():
        try:
            services.approval_decide(
                actor=request.user,
                approval=approval,
                approve=form.cleaned_data["approve"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error("comment", error.message_dict.get("comment"))
        except services.WorkflowError as error:
            return render(request, "cases/detail.html", _detail_context(request, case, error=str(error)), status=400)
        else:
            return redirect("cases:detail", public_id=case.public_id)
    return render(request, "cases/detail.html", _detail_context(request, case, decision_form=form), status=400)


BACK_TO_TEAM = "tim"


@require_POST
def assign(request, public_id):
    case = selectors.case_get(actor=request.user, public_id=public_id, opening=False)
    form = AssignForm(request.POST, agency=request.user.agency)
    if request.POST.get("kembali") == BACK_TO_TEAM and case_policy.can(request.user, "assign", case):
        return _assign_from_team(request, case, form)
    if not form.is_valid():
        return render(request, "cases/detail.html", _detail_context(request, case, assign_form=form), status=400)
    return _act(
        request,
        public_id,
        lambda c: services.case_assign(
            actor=request.user,
            case=c,
            case_manager=form.cleaned_data["case_manager"],
            version=form.cleaned_data["version"],
        ),
    )


def _assign_from_team(request, case, form):
    """The team page hands a case over with one choice; whatever happens, the supervisor is back on the team
    page with a message (there is nothing typed to lose)."""
    if not form.is_valid():
        messages.error(request, _("Pilih pendamping untuk kasus %(number)s.") % {"number": case.registration_number})
        return redirect("cases:team")
    try:
        services.case_assign(
            actor=request.user,
            case=case,
            case_manager=form.cleaned_data["case_manager"],
            version=form.cleaned_data["version"],
        )
    except services.StaleEdit:
        messages.error(request, STALE_PAGE)
    except ValidationError as error:
        messages.error(request, " ".join(error.message_dict.get("case_manager", [])))
    else:
        messages.success(
            request,
            _("Kasus %(number)s diserahkan kepada %(name)s.")
            % {"number": case.registration_number, "name": form.cleaned_data["case_manager"]},
        )
    return redirect("cases:team")


@require_POST
def lawful_basis(request, public_id):
    case = selectors.case_get(actor=request.user, public_id=public_id, opening=False)
    form = LawfulBasisForm(request.POST, auto_id="basis_%s")
    if not form.is_valid():
        return render(request, "cases/detail.html", _detail_context(request, case, basis_form=form), status=400)
    return _act(
        request,
        public_id,
        lambda c: services.case_record_lawful_basis(
            actor=request.user,
            case=c,
            basis=form.cleaned_data["basis"],
            note=form.cleaned_data["note"],
            version=form.cleaned_data["version"],
        ),
    )


@require_http_methods(["GET", "POST"])
def facts_edit(request, public_id):
    """Correct the incident's facts after triage; a save after someone else's merges both (cases.conflicts)."""
    case = selectors.case_get(actor=request.user, public_id=public_id, opening=request.method == "GET")
    if not case_policy.can(request.user, "edit", case):
        raise Http404
    page = {"case": case, "title": _("Fakta kejadian")}
    if request.method == "GET":
        form = CaseFactsForm(case=case)
        return render(request, "cases/person_form.html", {**page, "form": form, "base": conflicts.base_token(form)})
    form = CaseFactsForm(request.POST)
    base = request.POST.get("dasar", "")
    if form.is_valid():
        try:
            services.case_facts_save(
                actor=request.user, case=case, version=form.cleaned_data["version"], **form.facts()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except services.StaleEdit:
            fresh = Case.objects.get(pk=case.pk)
            merged, base = _merged(CaseFactsForm, form, CaseFactsForm(case=fresh), base, fresh.version)
            return render(request, "cases/person_form.html", {**page, "form": merged, "base": base}, status=409)
        else:
            messages.success(request, _("Tersimpan."))
            return redirect("cases:detail", public_id=case.public_id)
    return render(request, "cases/person_form.html", {**page, "form": form, "base": base}, status=400)


@require_POST
def entered_after_fact(request, public_id):
    """A supervisor moves an old case typed in late to the day the office really received it."""
    case = selectors.case_get(actor=request.user, public_id=public_id, opening=False)
    if not case_policy.can(request.user, "backdate", case):
        raise Http404
    form = EnteredAfterFactForm(request.POST, auto_id="backdate_%s")
    if form.is_valid():
        try:
            case = services.case_mark_entered_after_fact(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except services.StaleEdit:
            return render(request, "cases/detail.html", _detail_context(request, case, error=STALE_PAGE), status=409)
        else:
            messages.success(
                request,
                _("Kasus dicatat sebagai laporan lama. Nomor registrasi baru: %(number)s")
                % {"number": case.registration_number},
            )
            return redirect("cases:detail", public_id=case.public_id)
    return render(request, "cases/detail.html", _detail_context(request, case, backdate_form=form), status=400)


@require_POST
def restrict(request, public_id):
    """A supervisor restricts the case to its assigned staff, or lifts that. Restricting a case one is not assigned
    to ends one's own access: the list then says so instead of a 404."""
    case = selectors.case_get(actor=request.user, public_id=public_id, opening=False)
    form = RestrictForm(request.POST)
    if not form.is_valid():
        if not case_policy.can(request.user, "restrict", case):
            raise Http404
        return render(request, "cases/detail.html", _detail_context(request, case, restrict_form=form), status=400)
    try:
        case = services.case_restrict(actor=request.user, case=case, **form.cleaned_data)
    except ValidationError as error:
        form.add_error("reason", error.message_dict.get("reason"))
        return render(request, "cases/detail.html", _detail_context(request, case, restrict_form=form), status=400)
    except services.StaleEdit:
        return render(request, "cases/detail.html", _detail_context(request, case, error=STALE_PAGE), status=409)
    except services.WorkflowError as error:
        return render(request, "cases/detail.html", _detail_context(request, case, error=str(error)), status=400)
    if case_policy.can(request.user, "view", case):
        messages.success(request, _("Akses kasus diubah."))
        return redirect("cases:detail", public_id=case.public_id)
    messages.success(
        request,
        _(
            "Kasus %(number)s kini terbatas untuk pendamping dan timnya. "
            "Anda hanya dapat membukanya dengan akses darurat."
        )
        % {"number": case.registration_number},
    )
    return redirect("cases:list")


@require_http_methods(["GET", "POST"])
def triage(request, public_id):
    """From a report: open a new case, attach it to a case, or close it (not a case / handed over)."""
    report = report_selectors.report_get(actor=request.user, public_id=public_id)
    if not case_policy.can(request.user, "triage"):
        raise Http404
    open_form = OpenCaseForm(agency=request.user.agency)
    close_form = CloseReportForm()
    if request.method == "POST":
        decision = request.POST.get("decision")
        try:
            if decision == "open":
                open_form = OpenCaseForm(request.POST, agency=request.user.agency)
                if open_form.is_valid():
                    case = services.case_open_from_report(actor=request.user, report=report, **open_form.cleaned_data)
                    messages.success(request, _("Kasus %(number)s dibuka.") % {"number": case.registration_number})
                    return (
                        redirect("cases:detail", public_id=case.public_id)
                        if case_policy.can(request.user, "view", case)
                        else redirect("reports:inbox")
                    )
            elif decision == "attach":
                candidates = {str(c.case.public_id): c.case for c in duplicates.possible_duplicates(report)}
                case = candidates.get(request.POST.get("case", ""))
                if case is None:
                    raise Http404
                services.report_attach_to_case(actor=request.user, report=report, case=case)
                messages.success(
                    request, _("Laporan digabungkan ke kasus %(number)s.") % {"number": case.registration_number}
                )
                return redirect("reports:inbox")
            elif decision == "merge":
                others = {str(item.report.public_id): item.report for item in similar.similar_open_reports(report)}
                into = others.get(request.POST.get("report", ""))
                if into is None:
                    raise Http404
                report_services.report_merge(actor=request.user, report=report, into=into)
                messages.success(
                    request,
                    _("Laporan %(code)s digabung ke %(into)s: triase %(into)s memutuskan keduanya.")
                    % {"code": report.tracking_code, "into": into.tracking_code},
                )
                return redirect("reports:inbox")
            elif decision == "close":
                close_form = CloseReportForm(request.POST)
                if close_form.is_valid():
                    report_services.report_close(actor=request.user, report=report, **close_form.cleaned_data)
                    messages.success(request, _("Laporan ditutup."))
                    return redirect("reports:inbox")
        except (services.WorkflowError, report_services.AlreadyTriaged) as error:
            messages.error(request, str(error))
            return redirect("reports:detail", public_id=report.public_id)
    context = {
        "report": report,
        "candidates": duplicates.possible_duplicates(report),
        "similar_reports": similar.similar_open_reports(report) if report_services.untriaged(report) else [],
        "merged": list(report.merged.all()),
        "open_form": open_form,
        "close_form": close_form,
    }
    return render(request, "cases/triage.html", context, status=400 if request.method == "POST" else 200)


def _person_form(request, public_id, *, form_class, model, person_id, save, title):
    """Add or edit a victim, perpetrator or service. A save refused because someone else saved first merges both
    people's changes (cases.conflicts) and shows them; nothing typed is lost."""
    case = selectors.case_get(actor=request.user, public_id=public_id, opening=request.method == "GET")
    if not case_policy.can(request.user, "edit", case):
        raise Http404
    owner = {"victim__case": case} if model is Service else {"case": case}
    person = get_object_or_404(model, public_id=person_id, **owner) if person_id else None
    extra = {"case": case} if form_class in (VictimForm, ServiceForm, PerpetratorForm, PlanItemForm) else {}
    page = {"case": case, "title": title}
    if request.method == "GET":
        form = form_class(instance=person, initial={"version": case.version}, **extra)
        return render(request, "cases/person_form.html", {**page, "form": form, "base": conflicts.base_token(form)})
    form = form_class(request.POST, instance=person, **extra)
    base = request.POST.get("dasar", "")
    if not form.is_valid():
        return render(request, "cases/person_form.html", {**page, "form": form, "base": base}, status=400)
    data = {
        name: value for name, value in form.cleaned_data.items() if name != "version" and not name.startswith("rel_")
    }
    if isinstance(form, PerpetratorForm):
        data["relationships"] = form.relationships()
    try:
        save(
            actor=request.user,
            case=case,
            version=form.cleaned_data["version"],
            **{model._meta.model_name: person},
            **data,
        )
    except ValidationError as error:
        # Rules the service checks (e.g. a plan item's need too short): next to the field, input kept.
        add_service_errors(form, error)
        return render(request, "cases/person_form.html", {**page, "form": form, "base": base}, status=400)
    except services.StaleEdit:
        fresh_case = Case.objects.get(pk=case.pk)
        if person is None:
            # A new record clashes with nobody's: what was typed stays, with the case's new version.
            form.data = form.data.copy()
            form.data["version"] = fresh_case.version
            form.add_error(None, STALE_FORM)
            return render(request, "cases/person_form.html", {**page, "form": form, "base": base}, status=409)
        fresh = model.objects.get(pk=person.pk)
        extra = {"case": fresh_case} if extra else {}
        saved = form_class(instance=fresh, initial={"version": fresh_case.version}, **extra)
        merged, base = _merged(form_class, form, saved, base, fresh_case.version, instance=fresh, **extra)
        return render(request, "cases/person_form.html", {**page, "form": merged, "base": base}, status=409)
    messages.success(request, _("Tersimpan."))
    return redirect("cases:detail", public_id=case.public_id)


def _merged(form_class, posted, saved, base, version: int, **kwargs):
    """The form after a conflict: both people's changes, each field both changed marked, the case's new version,
    and the fingerprints of what is saved now as the new base."""
    data, clashes = conflicts.merge(posted, saved, base)
    data["version"] = str(version)
    merged = form_class(data, **kwargs)
    merged.is_valid()
    conflicts.mark(merged, clashes)
    merged.add_error(None, STALE_FORM)
    return merged, conflicts.base_token(saved)


@require_http_methods(["GET", "POST"])
def assessment_edit(request, public_id, victim_id):
    """A new version of one victim's assessment (the earlier ones stay on the case page). A save after a
    colleague's merges both, like the other case forms (cases.conflicts), so the newest version never silently
    goes back to what an older page showed."""
    case = selectors.case_get(actor=request.user, public_id=public_id, opening=request.method == "GET")
    if not case_policy.can(request.user, "edit", case):
        raise Http404
    victim = get_object_or_404(Victim, case=case, public_id=victim_id)
    page = {"case": case, "title": _("Asesmen korban: %(name)s") % {"name": victim.name or _("(belum diketahui)")}}
    if request.method == "GET":
        latest = victim.assessments.order_by("-number").first()
        form = AssessmentForm(latest=latest, initial={"version": case.version})
        return render(request, "cases/person_form.html", {**page, "form": form, "base": conflicts.base_token(form)})
    form = AssessmentForm(request.POST)
    base = request.POST.get("dasar", "")
    status = 400
    if form.is_valid():
        parts = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        try:
            services.assessment_record(
                actor=request.user, case=case, victim=victim, version=form.cleaned_data["version"], **parts
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except services.StaleEdit:
            fresh = Case.objects.get(pk=case.pk)
            saved = AssessmentForm(
                latest=victim.assessments.order_by("-number").first(), initial={"version": fresh.version}
            )
            form, base = _merged(AssessmentForm, form, saved, base, fresh.version)
            status = 409
        else:
            messages.success(request, _("Asesmen disimpan."))
            return redirect("cases:detail", public_id=case.public_id)
    return render(request, "cases/person_form.html", {**page, "form": form, "base": base}, status=status)


@require_http_methods(["GET", "POST"])
def victim_edit(request, public_id, victim_id=None):
    return _person_form(
        request,
        public_id,
        form_class=VictimForm,
        model=Victim,
        person_id=victim_id,
        save=services.victim_save,
        title=_("Data korban"),
    )


@require_http_methods(["GET", "POST"])
def perpetrator_edit(request, public_id, perpetrator_id=None):
    return _person_form(
        request,
        public_id,
        form_class=PerpetratorForm,
        model=Perpetrator,
        person_id=perpetrator_id,
        save=services.perpetrator_save,
        title=_("Data terduga pelaku"),
    )


# The "Tugas saya" list posts its quick actions with this value, to come back to the list afterwards.
BACK_TO_MY_TASKS = "tugas-saya"


@require_POST
def task_complete(request, public_id, task_id):
    case = selectors.case_get(actor=request.user, public_id=public_id, opening=False)
    task = get_object_or_404(CaseTask, case=case, public_id=task_id)
    form = TaskCompleteForm(request.POST, task=task, auto_id=f"task_{task.pk}_%s")
    from_list = request.POST.get("kembali") == BACK_TO_MY_TASKS
    if form.is_valid():
        try:
            services.task_complete(actor=request.user, task=task, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except services.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Tugas selesai."))
            if from_list:
                return redirect("cases:my_tasks")
            return redirect("cases:detail", public_id=case.public_id)
    if from_list:
        # The quick "done" has nothing typed to lose: back to the list, with the reason (e.g. someone else was first).
        problems = [str(error) for errors in form.errors.values() for error in errors]
        messages.error(request, " ".join(problems))
        return redirect("cases:my_tasks")
    return render(request, "cases/detail.html", _detail_context(request, case, task_errors={task.pk: form}), status=400)


@require_POST
def task_snooze(request, public_id, task_id):
    case = selectors.case_get(actor=request.user, public_id=public_id, opening=False)
    task = get_object_or_404(CaseTask, case=case, public_id=task_id)
    form = TaskSnoozeForm(request.POST, auto_id=f"snooze_{task.pk}_%s")
    if form.is_valid():
        try:
            services.task_snooze(actor=request.user, task=task, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except services.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Tugas ditunda."))
            return redirect("cases:my_tasks")
    return _my_tasks_page(request, errors={task.pk: form}, status=400)


@require_safe
def my_tasks(request):
    if not case_policy.can(request.user, "list"):
        raise Http404
    return _my_tasks_page(request)


def _my_tasks_page(request, *, errors=None, status=200):
    """Each task with its quick forms; a form that failed keeps what was typed and its messages."""
    errors = errors or {}
    rows = []
    for task in selectors.my_tasks(actor=request.user):
        failed = errors.get(task.pk)
        rows.append(
            {
                "task": task,
                "snooze_form": failed
                if isinstance(failed, TaskSnoozeForm)
                else TaskSnoozeForm(auto_id=f"snooze_{task.pk}_%s"),
            }
        )
    now = timezone.now()
    context = {
        "rows": [row for row in rows if not row["task"].snoozed],
        "snoozed": [row for row in rows if row["task"].snoozed],
        "now": now,
        "back": BACK_TO_MY_TASKS,
    }
    return render(request, "cases/my_tasks.html", context, status=status)


@require_safe
def team(request):
    """The supervisor's view of the office: who carries which open cases, late tasks and waiting approvals, and
    a case handed to someone else from here."""
    if not case_policy.can(request.user, "see_team"):
        raise Http404
    managers = list(case_managers(request.user.agency))
    workload = selectors.team_workload(actor=request.user, workers=managers)
    return render(request, "cases/team.html", {"workload": workload, "managers": managers, "back": BACK_TO_TEAM})


@require_POST
def task_add(request, public_id):
    case = selectors.case_get(actor=request.user, public_id=public_id, opening=False)
    form = TaskAddForm(request.POST)
    if not form.is_valid():
        return render(request, "cases/detail.html", _detail_context(request, case, task_form=form), status=400)
    services.task_add(actor=request.user, case=case, **form.cleaned_data)
    return redirect("cases:detail", public_id=case.public_id)


@require_http_methods(["GET", "POST"])
def service_edit(request, public_id, service_id=None):
    return _person_form(
        request,
        public_id,
        form_class=ServiceForm,
        model=Service,
        person_id=service_id,
        save=services.service_save,
        title=_("Layanan untuk korban"),
    )


@require_POST
def note_add(request, public_id):
    case = selectors.case_get(actor=request.user, public_id=public_id, opening=False)
    form = NoteForm(request.POST)
    if not form.is_valid() or not case_policy.can(request.user, "edit", case):
        return render(request, "cases/detail.html", _detail_context(request, case, note_form=form), status=400)
    services.note_add(actor=request.user, case=case, body=form.cleaned_data["body"])
    return redirect("cases:detail", public_id=case.public_id)


@require_POST
def document_add(request, public_id):
    case = selectors.case_get(actor=request.user, public_id=public_id, opening=False)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid() and case_policy.can(request.user, "edit", case) and form.store(actor=request.user, owner=case):
        messages.success(request, _("Dokumen disimpan (terenkripsi)."))
        return redirect("cases:detail", public_id=case.public_id)
    return render(request, "cases/detail.html", _detail_context(request, case, document_form=form), status=400)


@require_safe
def print_register(request, public_id):
    """The case in the order of SIMFONI's register penanganan kasus, watermarked with who printed it and when."""
    case = selectors.case_get(actor=request.user, public_id=public_id)
    audit_record(actor=request.user, action=AuditAction.PRINTED, obj=case)
    context = _detail_context(request, case)
    context["printed_at"] = timezone.now()
    return render(request, "cases/print.html", context)


@require_POST
def team_add(request, public_id):
    case = selectors.case_get(actor=request.user, public_id=public_id, opening=False)
    form = TeamMemberForm(request.POST, agency=request.user.agency)
    if form.is_valid():
        try:
            services.team_add(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("user", error.message_dict.get("user"))
        else:
            return redirect("cases:detail", public_id=case.public_id)
    return render(request, "cases/detail.html", _detail_context(request, case, team_form=form), status=400)
