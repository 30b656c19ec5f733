"""Mark a case for recounting whenever something the statistics count is written (perisai.stats.tallies):
a case, victim, perpetrator, service, report, deadline task or referral.

Signals, not calls in each service, on purpose: the tallies are derived data, like an index, and must follow
every write made through the models (a service, the admin, a test factory). The mark is one INSERT in the
writer's own transaction, so a change and its mark commit or roll back together. What sends no signal must
mark the case itself with tallies.mark_changed(): QuerySet.update() (the services do, beside theirs), bulk
inserts, raw SQL and data migrations (their historical models send no signals to these receivers), or run
`manage.py stats_rebuild` afterwards."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_init, post_save

from perisai.stats.tallies import mark_changed

LOADED = "_stats_loaded_parent"  # the case (or, for a service, the victim) a row was loaded with


def _parent(instance) -> str:
    return "victim_id" if type(instance).__name__ == "Service" else "case_id"


def _remember(sender, instance, **kwargs) -> None:
    # __dict__, not getattr: a deferred column must not cost a query per row loaded.
    setattr(instance, LOADED, instance.__dict__.get(_parent(instance)))


def _case(sender, instance, **kwargs) -> None:
    mark_changed([instance.pk])


def _of_case(sender, instance, **kwargs) -> None:
    # A row moved to another case (nothing in Perisai does that today) takes its old case's numbers with it.
    mark_changed([instance.case_id, getattr(instance, LOADED, None)])
    setattr(instance, LOADED, instance.case_id)


def _of_victim(sender, instance, **kwargs) -> None:
    from perisai.cases.models import Victim

    victim_ids = {instance.victim_id, getattr(instance, LOADED, None)} - {None}
    victim = instance._state.fields_cache.get("victim")
    if victim is not None and victim_ids == {victim.pk}:
        mark_changed([victim.case_id])
    else:  # a victim being deleted marks its case itself
        mark_changed(Victim.objects.filter(pk__in=victim_ids).values_list("case_id", flat=True))
    setattr(instance, LOADED, instance.victim_id)


def connect() -> None:
    from perisai.cases.models import Case, CaseTask, Perpetrator, Service, Victim
    from perisai.referrals.models import Referral
    from perisai.reports.models import Report

    for model in (Victim, Perpetrator, CaseTask, Report, Referral, Service):
        post_init.connect(_remember, sender=model, dispatch_uid=f"stats-tally-{model.__name__}-init")
    for signal in (post_save, post_delete):
        signal.connect(_case, sender=Case, dispatch_uid=f"stats-tally-case-{signal is post_save}")
        for model in (Victim, Perpetrator, CaseTask, Report, Referral):
            signal.connect(_of_case, sender=model, dispatch_uid=f"stats-tally-{model.__name__}-{signal is post_save}")
        signal.connect(_of_victim, sender=Service, dispatch_uid=f"stats-tally-service-{signal is post_save}")
