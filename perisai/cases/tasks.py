"""Side effects of case changes. They run after commit, in the worker, and carry ids only: no child's
identity ever goes into a task, an e-mail subject or body (UU SPPA Pasal 19)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from perisai.accounts.choices import Role
from perisai.accounts.models import User
from perisai.cases.models import CaseAccessGrant


@task
def notify_break_glass(grant_id: int) -> int:
    grant = CaseAccessGrant.objects.select_related("case", "user").get(pk=grant_id)
    recipients = [
        user.email
        for user in User.objects.filter(roles__role=Role.SUPERVISOR, is_active=True).distinct()
        if user.pk != grant.user_id
    ]
    if not recipients:
        return 0
    link = settings.PERISAI_SITE_URL + reverse("cases:detail", args=[grant.case.public_id])
    body = (
        f"{grant.user.full_name} membuka kasus {grant.case.registration_number} dengan akses darurat "
        f"(di luar kewenangan biasanya) pada {timezone.localtime(grant.granted_at):%d-%m-%Y %H:%M} WIB.\n\n"
        f"Alasannya tercatat di Perisai: {link}\n"
    )
    return send_mail("[Perisai] Akses darurat ke berkas kasus", body, None, recipients)


def after_break_glass(grant) -> None:
    transaction.on_commit(lambda: notify_break_glass.enqueue(grant.pk))
