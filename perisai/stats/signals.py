"""Mark a case for recounting whenever something the statistics count is written (perisai.stats.tallies).

Signals, not calls in each service, on purpose: the tallies are derived data, like an index, and must follow
every write whatever makes it (a service, the admin, a data migration, a test factory). The mark is one
INSERT in the writer's own transaction, so a change and its mark commit or roll back together. The few
QuerySet.update() calls on these models, which send no signal, call tallies.mark_changed() themselves."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from perisai.stats.tallies import mark_changed


def _case(sender, instance, **kwargs) -> None:
    mark_changed([instance.pk])


def _of_case(sender, instance, **kwargs) -> None:
    mark_changed([instance.case_id])


def _of_victim(sender, instance, **kwargs) -> None:
    from perisai.cases.models import Victim

    victim = instance._state.fields_cache.get("victim")
    if victim is not None:
        mark_changed([victim.case_id])
    else:  # a victim being deleted marks its case itself
        mark_changed(Victim.objects.filter(pk=instance.victim_id).values_list("case_id", flat=True))


def connect() -> None:
    from perisai.cases.models import Case, CaseTask, Perpetrator, Service, Victim
    from perisai.reports.models import Report

    for signal in (post_save, post_delete):
        signal.connect(_case, sender=Case, dispatch_uid=f"stats-tally-case-{signal is post_save}")
        for model in (Victim, Perpetrator, CaseTask, Report):
            signal.connect(_of_case, sender=model, dispatch_uid=f"stats-tally-{model.__name__}-{signal is post_save}")
        signal.connect(_of_victim, sender=Service, dispatch_uid=f"stats-tally-service-{signal is post_save}")
