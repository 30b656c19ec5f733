"""Background side effects shared by every app. Tasks carry ids, never personal data."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task

from perisai.core.models import Notification


@task
def send_notification_email(notification_id: int) -> int:
    notice = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notice is None or not notice.user.is_active:
        return 0
    link = settings.PERISAI_SITE_URL + notice.url
    body = f"{notice.message}\n\nBuka Perisai untuk melihatnya (perlu masuk): {link}\n"
    return send_mail("[Perisai] Pemberitahuan", body, None, [notice.user.email])
