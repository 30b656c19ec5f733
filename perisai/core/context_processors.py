from django.conf import settings


def site(request):
    """Values every page may show. Nothing about the user beyond what templates already get."""
    return {
        "office_name": settings.PERISAI_OFFICE_NAME,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME * 60),
    }
