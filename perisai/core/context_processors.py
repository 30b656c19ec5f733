from django.conf import settings
from django.utils.functional import SimpleLazyObject

from perisai.core.notifications import unread_for


def site(request):
    """Values every page may show. Nothing about the user beyond what templates already get."""
    return {
        "office_name": settings.PERISAI_OFFICE_NAME,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME * 60),
    }


def notices(request):
    """How many of the signed-in person's notices are unread, for the menu. Lazy: pages that do not show the
    menu (PDFs, downloads) never run the query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notices": SimpleLazyObject(lambda: unread_for(user).count())}
