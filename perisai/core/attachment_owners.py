"""Which records may own attachments, and which policy guards each kind of owner."""

from __future__ import annotations

from django.db import models

from perisai.core.policies import ModelPolicy

_OWNERS: dict[str, ModelPolicy] = {}


def register(policy: ModelPolicy) -> None:
    """Called by an app's AppConfig.ready() for every model whose records carry attachments."""
    _OWNERS[policy.model._meta.label_lower] = policy


def policy_for(owner_type: str) -> ModelPolicy | None:
    return _OWNERS.get(owner_type)


def owner_ref(owner: models.Model) -> tuple[str, str]:
    return owner._meta.label_lower, str(owner.public_id)
