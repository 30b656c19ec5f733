"""The intervention plan as the supervisor approves it: a snapshot in words, and what changed since the approved
one. Plain reads, shared by the approval request (services) and the case page; the plan's writes are services."""

from __future__ import annotations

import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from perisai.cases.choices import ApprovalDecision, ApprovalKind
from perisai.cases.models import Case, CaseApproval


def plan_snapshot(case: Case) -> list[dict]:
    """The plan as words, item by item, in a stable order: what the supervisor approves and later compares."""
    items = case.plan_items.select_related("provider", "responsible").order_by("created_at", "pk")
    return snapshot_from(list(items), list(case.victims.all()))


def snapshot_from(items, victims) -> list[dict]:
    """The same snapshot from items and victims already read (the case page reads them for itself anyway). Codes
    and ids decide whether the plan changed; the words beside them are only for showing the changes, so a reader
    in another language, or a renamed agency, never makes an approved plan look changed."""
    numbers = {victim.pk: number for number, victim in enumerate(sorted(victims, key=lambda v: v.pk), start=1)}
    items = sorted(items, key=lambda item: (item.created_at, item.pk))
    return [
        {
            "id": str(item.public_id),
            "victim": numbers.get(item.victim_id, 0),
            "need": item.need,
            "service": item.service_type,
            "provider": item.provider_id,
            "responsible": item.responsible_id,
            "target": item.target_date.isoformat() if item.target_date else "",
            "status": item.status,
            "words": {
                "service": str(item.get_service_type_display()),
                "provider": str(item.provider),
                "responsible": str(item.responsible or ""),
                "status": str(item.get_status_display()),
            },
        }
        for item in items
    ]


def _decisive(rows: list[dict]) -> list[dict]:
    """A snapshot without its display words: what decides whether two plans are the same."""
    return [{key: value for key, value in row.items() if key != "words"} for row in rows]


def same_plan(one: list[dict] | None, other: list[dict] | None) -> bool:
    if one is None or other is None:
        return False
    return _decisive(one) == _decisive(other)


def approved_plan(case: Case) -> CaseApproval | None:
    return (
        case.approvals.filter(kind=ApprovalKind.PLAN, decision=ApprovalDecision.APPROVED)
        .order_by("-decided_at")
        .first()
    )


def latest_approved(approvals) -> CaseApproval | None:
    """The last approved plan among approvals already read."""
    approved = [a for a in approvals if a.kind == ApprovalKind.PLAN and a.decision == ApprovalDecision.APPROVED]
    return max(approved, key=lambda a: a.decided_at, default=None)


def snapshot_of(approval: CaseApproval | None) -> list[dict] | None:
    if approval is None or not approval.plan_snapshot:
        return None
    return json.loads(approval.plan_snapshot)


FIELDS = (
    ("need", gettext_lazy("kebutuhan")),
    ("service", gettext_lazy("layanan")),
    ("provider", gettext_lazy("pemberi layanan")),
    ("responsible", gettext_lazy("penanggung jawab")),
    ("target", gettext_lazy("target")),
    ("status", gettext_lazy("status")),
)


def plan_changes(before: list[dict] | None, after: list[dict]) -> list[str]:
    """What changed from the approved plan to this one, one line per item (empty: nothing changed)."""
    if before is None:
        return []
    old = {row["id"]: row for row in before}
    new = {row["id"]: row for row in after}

    def shown(row: dict, name: str) -> str:
        return str((row.get("words") or {}).get(name, row.get(name)) or "-")

    lines = []
    for key, row in new.items():
        if key not in old:
            lines.append(_("Baru: %(service)s — %(need)s") % {"service": shown(row, "service"), "need": row["need"]})
            continue
        changed = [
            f"{label} {shown(old[key], name)} → {shown(row, name)}"
            for name, label in FIELDS
            if old[key].get(name) != row.get(name)
        ]
        if changed:
            lines.append(
                _("Diubah: %(service)s: %(changes)s")
                % {"service": shown(row, "service"), "changes": "; ".join(changed)}
            )
    lines += [
        _("Dihapus: %(service)s — %(need)s") % {"service": shown(row, "service"), "need": row["need"]}
        for key, row in old.items()
        if key not in new
    ]
    return lines


def plan_changed_since_approval(case: Case) -> bool:
    return not same_plan(snapshot_of(approved_plan(case)), plan_snapshot(case))
