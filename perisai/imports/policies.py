"""Who may import the office's earlier registers: supervisors of the office. An import creates many children's
cases at once, with names and NIK, under their authority (the same services and audit as the screens)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from perisai.accounts.choices import Role
from perisai.accounts.policies import works_in_office

if TYPE_CHECKING:
    from perisai.accounts.models import User


class ImportPolicy:
    def can(self, actor: User, action: str) -> bool:
        if action in {"import", "save_template"}:
            return works_in_office(actor, Role.SUPERVISOR)
        return False


import_policy = ImportPolicy()
