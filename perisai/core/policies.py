"""The shape every app's access policy takes (after Wagtail's permission policies).

A policy answers two questions, and nothing else in the code base may answer them:
- scope(actor): a Q selecting the objects this actor may see at all (need-to-know);
- can(actor, action, obj): may this actor do this action to this object (or to the model, obj=None).
Selectors start every read from visible_to(actor), so an object outside the scope is simply not found (404).
"""

from __future__ import annotations

import hmac
import ipaddress
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser as User  # whichever model AUTH_USER_MODEL names

NOTHING = Q(pk__in=[])


class ModelPolicy:
    model: ClassVar[type[models.Model]]

    def scope(self, actor: User) -> Q:
        raise NotImplementedError

    def can(self, actor: User, action: str, obj: models.Model | None = None) -> bool:
        raise NotImplementedError

    def visible_to(self, actor: User) -> models.QuerySet:
        if not actor.is_authenticated or not actor.is_active:
            return self.model.objects.none()
        return self.model.objects.filter(self.scope(actor))


def may_read_server_figures(request) -> bool:
    """/metrics and the figures of /healthz: a monitor holding the token, or the server itself asking gunicorn
    directly (loopback, and not relayed: nginx adds X-Forwarded-For to everything it passes on, so a request from
    outside never counts as local, whatever address it came from). They reveal no personal data, but queue depth
    and free disk tell an attacker when the office is struggling."""
    token = settings.PERISAI_METRICS_TOKEN
    sent = request.META.get("HTTP_AUTHORIZATION", "")
    if token and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    if "HTTP_X_FORWARDED_FOR" in request.META:
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False
