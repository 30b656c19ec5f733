"""Writes for PATBM groups, their members, the reports they bring, and prevention activities. Each write is
atomic and audited in its own transaction; ids and codes only in the audit's extra, never a member's name."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from perisai.accounts.models import Agency, User
from perisai.audit.choices import AuditAction
from perisai.audit.services import audit_record
from perisai.core import selectors as core_selectors
from perisai.core import services as core_services
from perisai.prevention import selectors
from perisai.prevention.models import PatbmGroup, PatbmMember, PatbmReport, PreventionActivity
from perisai.prevention.policies import activity_policy, patbm_group_policy
from perisai.reports import services as report_services
from perisai.reports.choices import Channel
from perisai.reports.services import Submission

GROUP_FIELDS = frozenset({"name", "kelurahan", "formed_on", "decree", "is_active"})
MEMBER_FIELDS = frozenset({"name", "phone", "role", "is_active"})
ACTIVITY_FIELDS = frozenset(
    {"held_on", "place", "kelurahan", "audience", "topic", "title", "participants", "materials"}
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404


def _strip(values: dict[str, Any], allowed: frozenset[str]) -> dict[str, Any]:
    unknown = set(values) - allowed
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    return {name: value.strip() if isinstance(value, str) else value for name, value in values.items()}


@transaction.atomic
def patbm_group_create(*, actor: User, **fields: Any) -> PatbmGroup:
    _require(patbm_group_policy.can(actor, "create"))
    group = PatbmGroup.objects.create(created_by=actor, **_strip(fields, GROUP_FIELDS))
    audit_record(actor=actor, action=AuditAction.PATBM_GROUP_SAVED, obj=group, extra={"created": True})
    return group


@transaction.atomic
def patbm_group_update(*, actor: User, group: PatbmGroup, **fields: Any) -> PatbmGroup:
    _require(patbm_group_policy.can(actor, "change", group))
    values = _strip(fields, GROUP_FIELDS)
    changed = sorted(name for name, value in values.items() if getattr(group, name) != value)
    for name, value in values.items():
        setattr(group, name, value)
    group.save()
    audit_record(actor=actor, action=AuditAction.PATBM_GROUP_SAVED, obj=group, extra={"changed": changed})
    return group


@transaction.atomic
def patbm_member_add(*, actor: User, group: PatbmGroup, **fields: Any) -> PatbmMember:
    _require(patbm_group_policy.can(actor, "manage_members", group))
    member = PatbmMember.objects.create(group=group, **_strip(fields, MEMBER_FIELDS))
    audit_record(actor=actor, action=AuditAction.PATBM_MEMBER_SAVED, obj=group, extra={"member": str(member.public_id)})
    return member


@transaction.atomic
def patbm_member_update(*, actor: User, member: PatbmMember, **fields: Any) -> PatbmMember:
    _require(patbm_group_policy.can(actor, "manage_members", member.group))
    values = _strip(fields, MEMBER_FIELDS)
    if values.get("is_active") is False:
        # Kept only to reach a volunteer about the group's work (UU PDP 27/2022 Pasal 16): that ends with it.
        values["phone"] = ""
    # Which fields changed, never their values: the audit trail must not become a copy of the contacts.
    changed = sorted(name for name, value in values.items() if getattr(member, name) != value)
    for name, value in values.items():
        setattr(member, name, value)
    member.save()
    audit_record(
        actor=actor,
        action=AuditAction.PATBM_MEMBER_SAVED,
        obj=member.group,
        extra={"member": str(member.public_id), "changed": changed},
    )
    return member


def patbm_report_record(
    *,
    actor: User,
    group: PatbmGroup,
    fields: dict[str, Any],
    token: str,
    received_at: dt.datetime,
    entered_after_fact: bool = False,
    uploads: Iterable = (),
) -> Submission:
    """A report a PATBM group brought: the same intake rules as every report (reports.services.report_submit,
    channel PATBM), plus which group brought it. Sending the same form twice gives back the first report.

    Not one transaction: report_submit commits the report's text before it reads any file, so a broken file never
    costs the report. The link follows in its own transaction; if it fails, sending the form again finds the
    report by its token and links it then."""
    _require(patbm_group_policy.can(actor, "record_report", group))
    submission = report_services.report_submit(
        actor=actor,
        fields=fields,
        token=token,
        channel=Channel.PATBM,
        received_at=received_at,
        entered_after_fact=entered_after_fact,
        uploads=uploads,
    )
    with transaction.atomic():
        _link, created = PatbmReport.objects.get_or_create(
            report=submission.report, defaults={"group": group, "recorded_by": actor}
        )
        if created:
            audit_record(
                actor=actor,
                action=AuditAction.PATBM_REPORT_RECORDED,
                obj=group,
                extra={"report": submission.report.tracking_code},
            )
    return submission


@transaction.atomic
def activity_record(
    *,
    actor: User,
    organiser: Agency,
    agencies: Iterable[Agency] = (),
    patbm_group: PatbmGroup | None = None,
    token: uuid.UUID | None = None,
    **fields: Any,
) -> PreventionActivity:
    """Record an activity; the same form token twice gives back the first activity."""
    _require(activity_policy.can(actor, "create"))
    if token is not None:
        earlier = PreventionActivity.objects.filter(submission_token=token).first()
        if earlier is not None:
            return earlier
    if not activity_policy.can(actor, "choose_organiser"):
        organiser = actor.agency  # a partner records its own activities, whatever the form sent
    try:
        with transaction.atomic():
            activity = PreventionActivity.objects.create(
                organiser=organiser,
                patbm_group=patbm_group,
                created_by=actor,
                submission_token=token,
                **_strip(fields, ACTIVITY_FIELDS),
            )
    except IntegrityError:  # the twin request won the race past the lookup above
        return PreventionActivity.objects.get(submission_token=token)
    activity.agencies.set(set(agencies) - {organiser})
    audit_record(actor=actor, action=AuditAction.PREVENTION_RECORDED, obj=activity, extra={"created": True})
    return activity


@transaction.atomic
def activity_update(
    *,
    actor: User,
    activity: PreventionActivity,
    organiser: Agency,
    agencies: Iterable[Agency] = (),
    patbm_group: PatbmGroup | None = None,
    **fields: Any,
) -> PreventionActivity:
    _require(activity_policy.can(actor, "change", activity))
    if not activity_policy.can(actor, "choose_organiser"):
        organiser = actor.agency
    held_on = activity.held_on
    for name, value in _strip(fields, ACTIVITY_FIELDS).items():
        setattr(activity, name, value)
    activity.organiser, activity.patbm_group = organiser, patbm_group
    activity.save()
    activity.agencies.set(set(agencies) - {organiser})
    extra: dict[str, Any] = {"changed": True}
    if activity.held_on != held_on:  # the date decides when the activity's files are deleted: kept on record
        extra["held_on"] = [held_on.isoformat(), activity.held_on.isoformat()]
    audit_record(actor=actor, action=AuditAction.PREVENTION_RECORDED, obj=activity, extra=extra)
    return activity


def materials_expire(*, now: dt.datetime | None = None) -> int:
    """Nightly (ops.jobs, prevention_files): the files of activities held more than PERISAI_PREVENTION_FILES_YEARS
    ago are deleted, each removal audited; the activity stays with its figures, and so do files marked as naming and
    showing nobody (slides, leaflets). An attendance list or a photo
    names or shows people, and is kept no longer than the office's reporting on the activity needs it (UU PDP
    27/2022 Pasal 16). 0 keeps them. Returns the number of files deleted."""
    years = settings.PERISAI_PREVENTION_FILES_YEARS
    if years <= 0:
        return 0
    today = timezone.localdate(now or timezone.now())
    files = core_selectors.attachments_of_kind(PreventionActivity)
    owners = {owner_id for owner_id in files.values_list("owner_id", flat=True).distinct()}
    candidates = PreventionActivity.objects.filter(
        public_id__in=list(owners), held_on__lte=selectors.shift_years(today, -years)
    ).values_list("public_id", "held_on")
    old = {str(public_id) for public_id, held_on in candidates if selectors.files_expired(held_on, today)}
    removed = 0
    # Slides and leaflets that name and show nobody (Attachment.personal) are the office's teaching material, kept.
    for attachment in files.filter(owner_id__in=list(old), personal=True).order_by("pk"):
        with transaction.atomic():  # one file at a time: a failure halfway leaves every removal audited
            core_services.attachment_remove(actor=None, attachment=attachment)
        removed += 1
    return removed
