import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from perisai.audit.choices import AuditAction
from perisai.audit.models import AppendOnlyError, AuditEvent
from perisai.audit.services import audit_record
from perisai.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def three_events(actor):
    return [audit_record(actor=actor, action=AuditAction.RECORD_VIEWED, obj=actor) for _ in range(3)]


def tamper(sql: str, params: list) -> None:
    """Edit the table behind the application's back, as an intruder with database access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Only a superuser can do this; the application's own connection hits the trigger.
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute(sql, params)


class AuditRecordTests:
    def test_events_are_numbered_without_gaps_and_linked_by_hash(self, make_user):
        actor = make_user()
        first = AuditEvent.objects.order_by("seq").last().seq
        events = three_events(actor)
        assert [event.seq for event in events] == [first + 1, first + 2, first + 3]
        assert events[1].prev_hash == events[0].hash
        assert events[0].agency_id == actor.agency_id
        assert verify_chain().ok

    def test_an_event_records_the_opaque_id_never_the_database_id(self, make_user):
        actor = make_user()
        event = audit_record(actor=actor, action=AuditAction.RECORD_VIEWED, obj=actor)
        assert event.object_type == "accounts.user"
        assert event.object_id == str(actor.public_id)

    def test_an_event_is_rolled_back_with_the_change_it_describes(self, make_user):
        actor = make_user()
        before = AuditEvent.objects.count()
        with pytest.raises(RuntimeError), transaction.atomic():
            audit_record(actor=actor, action=AuditAction.EXPORTED)
            raise RuntimeError("the export failed")
        assert AuditEvent.objects.count() == before
        assert verify_chain().ok


class AppendOnlyTests:
    def test_the_application_cannot_change_or_delete_events(self, make_user):
        event = audit_record(actor=make_user(), action=AuditAction.EXPORTED)
        with pytest.raises(AppendOnlyError):
            event.save()
        with pytest.raises(AppendOnlyError):
            event.delete()
        with pytest.raises(AppendOnlyError):
            AuditEvent.objects.filter(pk=event.pk).update(action=AuditAction.LOGIN)
        with pytest.raises(AppendOnlyError):
            AuditEvent.objects.all().delete()

    def test_the_database_refuses_an_update_through_the_applications_connection(self, make_user):
        event = audit_record(actor=make_user(), action=AuditAction.EXPORTED)
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET action = 'login' WHERE id = %s", [event.pk])

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite flushes with DELETE; see migration 0002")
    def test_postgresql_refuses_a_delete_through_the_applications_connection(self, make_user):
        event = audit_record(actor=make_user(), action=AuditAction.EXPORTED)
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])


class AuditVerifyCommandTests:
    def test_an_intact_chain_verifies(self, make_user, capsys):
        three_events(make_user())
        call_command("audit_verify")
        assert "utuh" in capsys.readouterr().out

    def test_editing_a_row_in_the_database_is_found_and_the_event_named(self, make_user):
        events = three_events(make_user())
        tamper("UPDATE audit_auditevent SET object_id = %s WHERE id = %s", ["someone-else", events[1].pk])
        with pytest.raises(CommandError) as error:
            call_command("audit_verify")
        assert f"#{events[1].seq}" in str(error.value)
        assert str(events[1].public_id) in str(error.value)

    def test_a_removed_row_is_found(self, make_user):
        events = three_events(make_user())
        tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
        with pytest.raises(CommandError, match=f"#{events[1].seq} hilang"):
            call_command("audit_verify")

    def test_a_cut_off_tail_is_found(self, make_user):
        events = three_events(make_user())
        tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
        with pytest.raises(CommandError, match="hilang"):
            call_command("audit_verify")
