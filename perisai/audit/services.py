"""Writing audit events. Call inside the transaction of the change being audited, so the event and
the change commit together or not at all."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import connections, models, router, transaction
from django.utils import timezone

from perisai.audit import chain, context
from perisai.audit.choices import AuditAction, AuditOutcome
from perisai.audit.models import AuditChainHead, AuditEvent

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser as User  # whichever model AUTH_USER_MODEL names


def object_ref(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    # Opaque ids only: a sequential id or a name in the trail would itself reveal something.
    identifier = getattr(obj, "public_id", None) or getattr(obj, "code", None) or obj.pk
    return obj._meta.label_lower, str(identifier)


# No savepoint: a failed audit write must fail the change it describes, and savepoints cost two statements.
@transaction.atomic(savepoint=False)
def audit_record(
    *,
    actor: User | None,
    action: AuditAction | str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    outcome: AuditOutcome | str = AuditOutcome.SUCCESS,
    extra: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain. `extra` must hold ids and codes only, never personal data."""
    if obj is not None:
        object_type, object_id = object_ref(obj)
    request = context.current()
    actor = actor if actor is not None and actor.is_authenticated else None
    head = _head_locked()
    if head is None:  # the very first event of a database
        created = AuditChainHead.objects.select_for_update().get_or_create(id=1)[0]
        head = created.seq, created.hash
    seq, last_hash = head
    event = AuditEvent(
        seq=seq + 1,
        occurred_at=timezone.now(),
        actor=actor,
        agency_id=getattr(actor, "agency_id", None),
        action=action,
        object_type=object_type,
        object_id=object_id,
        outcome=outcome,
        ip_address=request.ip_address if request else None,
        user_agent=request.user_agent if request else "",
        extra=extra or {},
        prev_hash=last_hash or chain.GENESIS,
    )
    event.hash = chain.event_hash(event)
    event.save()
    _head_move(event.seq, event.hash)
    return event


# The head is read and moved in every audited change, the public report form's among them, so by two fixed
# statements: building them through the ORM cost a report more than running them (bench/profile_report.py).
def _head_sql(connection) -> tuple[str, str]:
    table = connection.ops.quote_name(AuditChainHead._meta.db_table)
    # Lock the row: concurrent requests queue here, so every event extends the latest one. SQLite has no row locks;
    # its write transactions (BEGIN IMMEDIATE, config/settings.py) already run one at a time.
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    # The model's own table name, quoted; no input reaches these strings.
    return (
        f"SELECT seq, hash FROM {table} WHERE id = 1{lock}",  # noqa: S608  # nosec B608
        f"UPDATE {table} SET seq = %s, hash = %s WHERE id = 1",  # noqa: S608  # nosec B608
    )


def _head_locked() -> tuple[int, str] | None:
    connection = connections[router.db_for_write(AuditChainHead)]
    with connection.cursor() as cursor:
        cursor.execute(_head_sql(connection)[0])
        return cursor.fetchone()


def _head_move(seq: int, hash_: str) -> None:
    connection = connections[router.db_for_write(AuditChainHead)]
    with connection.cursor() as cursor:
        cursor.execute(_head_sql(connection)[1], [seq, hash_])
