"""What the referrals app announces about its own rows (perisai.core.events). Apps above referrals subscribe.

`referral_changed` is fired for every write to a referral, by the services and by the model's own save and
delete (so the admin and test factories announce theirs too), with its case now and before.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from perisai.core.events import DomainEvent
from perisai.referrals.models import Referral

# A referral was written; `case_ids`: its case, and its former case if that changed.
referral_changed = DomainEvent("referral_changed", fields=("referral_id", "case_ids"))


def _referral_saved(sender, instance: Referral, **kwargs) -> None:
    case_ids = sorted({instance.case_id, instance.loaded_value("case_id")} - {None})
    referral_changed.fire(referral_id=instance.pk, case_ids=case_ids)
    instance.remember_saved_values()


def announce_model_writes() -> None:
    """Connected once, by ReferralsConfig.ready()."""
    post_save.connect(_referral_saved, sender=Referral, dispatch_uid="referrals-changed-saved")
    post_delete.connect(_referral_saved, sender=Referral, dispatch_uid="referrals-changed-deleted")
