"""Prevention pages (/staf/pencegahan/): activities by the office and its partners, and PATBM groups with their
members and the reports they bring. Thin: reads from selectors, writes through services, rules from policies."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from perisai.core import services as core_services
from perisai.core.selectors import attachments_of
from perisai.prevention import selectors, services
from perisai.prevention.forms import ActivityForm, GroupForm, MaterialForm, MemberForm, PatbmReportForm
from perisai.prevention.policies import activity_policy, patbm_group_policy


def _record_form(request, form, heading, back_url, back_label):
    context = {"form": form, "heading": heading, "back_url": back_url, "back_label": back_label}
    return render(request, "core/record_form.html", context, status=400 if form.errors else 200)


@require_safe
def activity_list(request):
    if not activity_policy.can(request.user, "list"):
        raise Http404
    context = {
        "activities": selectors.activity_list(actor=request.user)[:300],
        "can_create": activity_policy.can(request.user, "create"),
        "can_see_groups": patbm_group_policy.can(request.user, "list"),
    }
    return render(request, "prevention/activity_list.html", context)


def _activity_form(request, activity=None):
    initial = {"held_on": timezone.localdate(), "token": uuid.uuid4()}
    if activity is not None:
        initial = {
            "held_on": activity.held_on,
            "title": activity.title,
            "topic": activity.topic,
            "audience": activity.audience,
            "kelurahan": activity.kelurahan.code,
            "place": activity.place,
            "participants": activity.participants,
            "organiser": activity.organiser_id,
            "agencies": list(activity.agencies.all()),
            "patbm_group": activity.patbm_group_id,
            "materials": activity.materials,
        }
    elif request.user.agency is not None:
        initial["organiser"] = request.user.agency_id
    return ActivityForm(
        request.POST or None,
        initial=initial,
        groups=selectors.group_choices(actor=request.user, keeping=activity),
        agencies=selectors.agency_choices(keeping=activity),
        may_choose_organiser=activity_policy.can(request.user, "choose_organiser"),
    )


def _activity_values(form, actor, *, keep_token: bool) -> dict:
    values = dict(form.cleaned_data)
    token = values.pop("token", None)
    if keep_token:
        values["token"] = token
    values.setdefault("organiser", actor.agency)
    values["agencies"] = list(values["agencies"])
    return values


@require_http_methods(["GET", "POST"])
def activity_create(request):
    if not activity_policy.can(request.user, "create"):
        raise Http404
    form = _activity_form(request)
    if request.method == "POST" and form.is_valid():
        activity = services.activity_record(actor=request.user, **_activity_values(form, request.user, keep_token=True))
        messages.success(request, _("Kegiatan pencegahan dicatat."))
        return redirect("prevention:activity", public_id=activity.public_id)
    return _record_form(
        request, form, _("Catat kegiatan pencegahan"), reverse("prevention:activities"), _("Kegiatan pencegahan")
    )


@require_safe
def activity_detail(request, public_id):
    activity = selectors.activity_get(actor=request.user, public_id=public_id)
    return render(request, "prevention/activity_detail.html", _detail_context(request, activity))


def _detail_context(request, activity, material_form=None) -> dict:
    can_change = activity_policy.can(request.user, "change", activity)
    # Past its retention a file would be deleted the next night: none is taken.
    expired = selectors.files_expired(activity.held_on)
    return {
        "activity": activity,
        "can_change": can_change,
        "materials": attachments_of(activity).order_by("uploaded_at"),
        "files_kept_until": selectors.files_kept_until(activity.held_on),
        "files_expired": expired,
        "material_form": (material_form or MaterialForm()) if can_change and not expired else None,
    }


@require_POST
def material_add(request, public_id):
    """A file of the activity's materials (slides, a leaflet, the attendance list), checked, cleaned of metadata and
    stored encrypted like every attachment."""
    activity = selectors.activity_get(actor=request.user, public_id=public_id)
    if not activity_policy.can(request.user, "change", activity):
        raise Http404
    if selectors.files_expired(activity.held_on):  # a page left open since before the files' retention ran out
        messages.error(request, _("Berkas tidak disimpan: masa simpan berkas kegiatan ini sudah lewat."))
        return redirect("prevention:activity", public_id=activity.public_id)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid() and form.store(actor=request.user, owner=activity, personal=form.cleaned_data["personal"]):
        messages.success(request, _("Materi disimpan."))
        return redirect("prevention:activity", public_id=activity.public_id)
    context = _detail_context(request, activity, material_form=form)
    return render(request, "prevention/activity_detail.html", context, status=400)


@require_POST
def material_remove(request, public_id, material_id):
    """A file uploaded by mistake (a photo showing children's faces, the wrong document) is removed, audited."""
    activity = selectors.activity_get(actor=request.user, public_id=public_id)
    if not activity_policy.can(request.user, "change", activity):
        raise Http404
    material = attachments_of(activity).filter(public_id=material_id).first()
    if material is None:
        raise Http404
    core_services.attachment_remove(actor=request.user, attachment=material)
    messages.success(request, _("Berkas %(name)s dihapus.") % {"name": material.download_name})
    return redirect("prevention:activity", public_id=activity.public_id)


@require_http_methods(["GET", "POST"])
def activity_edit(request, public_id):
    activity = selectors.activity_get(actor=request.user, public_id=public_id)
    if not activity_policy.can(request.user, "change", activity):
        raise Http404
    form = _activity_form(request, activity)
    if request.method == "POST" and form.is_valid() and _date_keeps_files(form, activity):
        services.activity_update(
            actor=request.user, activity=activity, **_activity_values(form, request.user, keep_token=False)
        )
        messages.success(request, _("Kegiatan pencegahan disimpan."))
        return redirect("prevention:activity", public_id=activity.public_id)
    back = reverse("prevention:activity", args=[activity.public_id])
    return _record_form(request, form, _("Ubah kegiatan pencegahan"), back, _("Kembali ke kegiatan"))


def _date_keeps_files(form, activity) -> bool:
    """A date moved back past the files' retention (a mistyped year) would have them deleted that night, for good:
    refused next to the field, the files still there."""
    held_on = form.cleaned_data["held_on"]
    # Only the files that name or show people are deleted; kept slides do not stand in the way.
    deleted = attachments_of(activity).filter(personal=True)
    if held_on == activity.held_on or not selectors.files_expired(held_on) or not deleted.exists():
        return True
    form.add_error(
        "held_on",
        _(
            "Dengan tanggal ini masa simpan berkas kegiatan sudah lewat, dan berkasnya akan dihapus malam ini. "
            "Periksa tahunnya, atau hapus dulu berkasnya jika tanggal ini memang benar."
        ),
    )
    return False


def _group_for(request, public_id, action: str):
    """The group, if this person may see it and do `action` to it; otherwise not found."""
    group = selectors.group_get(actor=request.user, public_id=public_id)
    if not patbm_group_policy.can(request.user, action, group):
        raise Http404
    return group


@require_safe
def group_list(request):
    if not patbm_group_policy.can(request.user, "list"):
        raise Http404
    context = {
        "groups": selectors.group_list(actor=request.user),
        "can_create": patbm_group_policy.can(request.user, "create"),
    }
    return render(request, "prevention/group_list.html", context)


@require_http_methods(["GET", "POST"])
def group_create(request):
    if not patbm_group_policy.can(request.user, "create"):
        raise Http404
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        group = services.patbm_group_create(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Kelompok PATBM dicatat. Tambahkan anggotanya."))
        return redirect("prevention:group", public_id=group.public_id)
    return _record_form(request, form, _("Catat kelompok PATBM"), reverse("prevention:groups"), _("Kelompok PATBM"))


@require_safe
def group_detail(request, public_id):
    group = selectors.group_get(actor=request.user, public_id=public_id)
    user = request.user
    context = {
        "group": group,
        "members": selectors.group_members(actor=user, group=group),
        "can_see_members": patbm_group_policy.can(user, "see_members", group),
        "can_manage_members": patbm_group_policy.can(user, "manage_members", group),
        "can_change": patbm_group_policy.can(user, "change", group),
        "can_record_report": patbm_group_policy.can(user, "record_report", group),
        "can_see_reports": patbm_group_policy.can(user, "see_reports", group),
        "reports": selectors.group_reports(group=group)[:50],
        "activities": selectors.activity_list(actor=user).filter(patbm_group=group)[:50],
    }
    return render(request, "prevention/group_detail.html", context)


@require_http_methods(["GET", "POST"])
def group_edit(request, public_id):
    group = _group_for(request, public_id, "change")
    initial = {
        "name": group.name,
        "kelurahan": group.kelurahan.code,
        "formed_on": group.formed_on,
        "decree": group.decree,
        "is_active": group.is_active,
    }
    form = GroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.patbm_group_update(actor=request.user, group=group, **form.cleaned_data)
        messages.success(request, _("Kelompok PATBM disimpan."))
        return redirect("prevention:group", public_id=group.public_id)
    back = reverse("prevention:group", args=[group.public_id])
    return _record_form(request, form, _("Ubah kelompok PATBM"), back, group.name)


@require_http_methods(["GET", "POST"])
def member_add(request, public_id):
    group = _group_for(request, public_id, "manage_members")
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.patbm_member_add(actor=request.user, group=group, **form.cleaned_data)
        messages.success(request, _("Anggota ditambahkan."))
        return redirect("prevention:group", public_id=group.public_id)
    back = reverse("prevention:group", args=[group.public_id])
    return _record_form(request, form, _("Tambah anggota PATBM"), back, group.name)


@require_http_methods(["GET", "POST"])
def member_edit(request, public_id, member_id):
    group = _group_for(request, public_id, "manage_members")
    member = selectors.member_get(actor=request.user, group=group, public_id=member_id)
    initial = {"name": member.name, "phone": member.phone, "role": member.role, "is_active": member.is_active}
    form = MemberForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.patbm_member_update(actor=request.user, member=member, **form.cleaned_data)
        messages.success(request, _("Data anggota disimpan."))
        return redirect("prevention:group", public_id=group.public_id)
    back = reverse("prevention:group", args=[group.public_id])
    return _record_form(request, form, _("Ubah data anggota PATBM"), back, group.name)


@require_http_methods(["GET", "POST"])
def group_report(request, public_id):
    """A report the group brought: the staff intake form, channel PATBM, linked to the group."""
    group = _group_for(request, public_id, "record_report")
    if request.method == "GET":
        initial = {"token": uuid.uuid4(), "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
        form = PatbmReportForm(initial=initial)
    else:
        form = PatbmReportForm(request.POST, request.FILES)
    if request.method == "GET" or not form.is_valid():
        context = {"form": form, "group": group}
        return render(request, "prevention/group_report.html", context, status=400 if form.errors else 200)
    submission = services.patbm_report_record(
        actor=request.user,
        group=group,
        fields=form.report_fields(),
        token=str(form.cleaned_data["token"]),
        received_at=form.cleaned_data["received_at"],
        entered_after_fact=form.cleaned_data["entered_after_fact"],
        uploads=form.cleaned_data["attachments"],
    )
    for reason in submission.rejected_files:
        messages.warning(request, reason)
    if submission.pin is None:  # sent twice (a double tap, Back and send): the first one holds the PIN
        messages.info(
            request, _("Laporan %(code)s sudah tercatat sebelumnya.") % {"code": submission.report.tracking_code}
        )
    else:
        messages.success(
            request,
            _("Laporan %(code)s dari %(group)s dicatat. PIN untuk pelapor: %(pin)s")
            % {"code": submission.report.tracking_code, "group": group.name, "pin": submission.pin},
        )
    return redirect("reports:detail", public_id=submission.report.public_id)
