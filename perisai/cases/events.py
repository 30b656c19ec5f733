"""What the cases app announces about its own rows (perisai.core.events). Apps above cases subscribe; cases
never imports them.

`case_changed` is fired for every write to a case or to a row of its file that anything derives figures from
(victim, perpetrator, service, deadline task): by the services, and by the models' own save and delete
(`announce_model_writes`), so the admin, data fixes and test factories announce theirs too. Services that
write with QuerySet.update(), which sends nothing, fire it themselves beside the update.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models.signals import post_delete, post_save

from perisai.cases.models import Case, CaseTask, Perpetrator, Service, Victim
from perisai.core.events import DomainEvent

# The cases whose figures may have moved: the row's case, and its former case when the row moved.
case_changed = DomainEvent("case_changed", fields=("case_ids",))

# Retention erased a case's identifying data (UU PDP 27/2022 Pasal 43-44). Fired inside the transaction:
# whoever keeps a copy (the snapshots shared with partners, outreach notes) erases it in the same commit.
case_anonymised = DomainEvent("case_anonymised", fields=("case_id",))


def cases_changed(case_ids: Iterable[int | None]) -> None:
    ids = sorted({case_id for case_id in case_ids if case_id})
    if ids:
        case_changed.fire(case_ids=ids)


def _case_saved(sender, instance: Case, **kwargs) -> None:
    cases_changed([instance.pk])


def _row_of_case_saved(sender, instance, **kwargs) -> None:
    # A row moved to another case (nothing in Perisai does that today) takes its old case's figures along.
    cases_changed([instance.case_id, instance.loaded_value("case_id")])
    instance.remember_saved_values()


def _service_saved(sender, instance: Service, **kwargs) -> None:
    victim_ids = {instance.victim_id, instance.loaded_value("victim_id")} - {None}
    victim = instance._state.fields_cache.get("victim")
    if victim is not None and victim_ids == {victim.pk}:
        cases_changed([victim.case_id])
    else:  # moved between victims, or its victim is being deleted (which announces its case itself)
        cases_changed(Victim.objects.filter(pk__in=victim_ids).values_list("case_id", flat=True))
    instance.remember_saved_values()


def announce_model_writes() -> None:
    """Connected once, by CasesConfig.ready()."""
    for signal in (post_save, post_delete):
        kind = "saved" if signal is post_save else "deleted"
        signal.connect(_case_saved, sender=Case, dispatch_uid=f"cases-changed-case-{kind}")
        for model in (Victim, Perpetrator, CaseTask):
            signal.connect(_row_of_case_saved, sender=model, dispatch_uid=f"cases-changed-{model.__name__}-{kind}")
        signal.connect(_service_saved, sender=Service, dispatch_uid=f"cases-changed-service-{kind}")
