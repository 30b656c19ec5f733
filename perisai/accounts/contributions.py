"""What accounts adds to the portal (perisai.core.contributions)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from perisai.accounts import policies
from perisai.accounts.demo import describe as describe_demo
from perisai.accounts.demo import seed as seed_demo
from perisai.core.contributions import MenuLink

__all__ = ["describe_demo", "menu_links", "seed_demo"]


def menu_links(user) -> list[MenuLink]:
    if not policies.can_use_admin(user):
        return []
    return [
        MenuLink(_("Administrasi: pengguna, instansi, wilayah, jejak audit"), reverse("admin:index"), 90),
        MenuLink(_("Keamanan: percobaan yang ditolak dan dikunci"), reverse("accounts:security"), 91),
    ]
