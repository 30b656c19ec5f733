"""Who may read and keep the public information pages.

Anyone, signed in or not, reads the published pages: they are for the public. Only administrators write them and
read their drafts and versions: the text speaks for the office to frightened parents, so who may change it is
kept as narrow as the admin site's (accounts.policies.is_administrator).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from perisai.accounts.policies import is_administrator
from perisai.core.policies import NOTHING, ModelPolicy
from perisai.publicinfo.models import InfoPage

if TYPE_CHECKING:
    from perisai.accounts.models import User

KEEPER_ACTIONS = frozenset({"view", "create", "edit", "history", "restore"})


class InfoPagePolicy(ModelPolicy):
    model = InfoPage

    def scope(self, actor: User) -> Q:
        return Q() if is_administrator(actor) else NOTHING

    def public(self) -> Q:
        """What every visitor may read, signed in or not."""
        return Q(is_published=True)

    def can(self, actor: User, action: str, obj: InfoPage | None = None) -> bool:
        return is_administrator(actor) and action in KEEPER_ACTIONS


info_page_policy = InfoPagePolicy()
