"""Language choice (Bahasa Indonesia unless the person picked English), and private pages for signed-in people."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.utils.deprecation import MiddlewareMixin


class ChosenLanguageMiddleware(MiddlewareMixin):
    """Like Django's LocaleMiddleware, but ignores the browser's Accept-Language.

    Many phones in Cilegon run an English system language while their owners read Indonesian; a
    frightened reporter must not land on a half-understood page. English is an explicit choice,
    remembered in the language cookie set by the switch in the header.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        patch_vary_headers(response, ("Cookie",))
        return response


class PrivatePagesMiddleware(MiddlewareMixin):
    """Nothing shown to a signed-in person is kept by the browser or a proxy.

    Partners and staff often share office computers; a case page, a referral or a receipt with a PIN must not
    come back from the browser's cache after they sign out. Views that set their own Cache-Control keep it."""

    def process_response(self, request, response):
        # Checked first: asking who is signed in reads the session, and the outage pages (which set their own)
        # must not need the database on their way out (core.outage).
        if "Cache-Control" in response:
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response
