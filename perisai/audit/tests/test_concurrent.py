"""Twenty requests appending to the audit chain at once extend it one after another (both databases): the head
row's lock (PostgreSQL) or the write transaction (SQLite) orders them, so no two events share a predecessor."""

import threading

import pytest
from django.db import close_old_connections, connection, transaction

from perisai.audit.choices import AuditAction
from perisai.audit.models import AuditEvent
from perisai.audit.services import audit_record
from perisai.audit.verify import verify_chain

ROUNDS = 5


@pytest.mark.django_db(transaction=True)
def test_twenty_requests_recording_at_once_form_one_unbroken_chain():
    before = AuditEvent.objects.count()
    barrier = threading.Barrier(20)
    errors = []

    def record(n):
        try:
            connection.ensure_connection()  # connected before the start, so that the appends overlap
            barrier.wait(timeout=30)
            for round_ in range(ROUNDS):
                with transaction.atomic():
                    audit_record(
                        actor=None, action=AuditAction.RECORD_VIEWED, object_type="test", object_id=f"{n}.{round_}"
                    )
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=record, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    events = list(AuditEvent.objects.order_by("seq").values_list("seq", "prev_hash", "hash"))[before:]
    assert [seq for seq, _prev, _hash in events] == list(range(before + 1, before + 20 * ROUNDS + 1))
    assert all(prev == events[i - 1][2] for i, (_seq, prev, _hash) in enumerate(events) if i)
    assert AuditEvent.objects.filter(object_type="test").values("object_id").distinct().count() == 20 * ROUNDS
    assert verify_chain().ok
