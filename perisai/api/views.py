"""/staf/token-api/: a person's own API tokens. Making one asks for the password again (allauth's
re-authentication): a token reads children's records without a second factor, so it is as strong as a sign-in."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from perisai.api import selectors, services
from perisai.api.forms import TokenForm
from perisai.api.policies import api_policy
from perisai.core.forms import add_service_errors


@require_http_methods(["GET", "POST"])
def token_list(request):
    if not api_policy.can(request.user, "manage_tokens"):
        raise Http404
    if request.method == "POST":
        return _create(request)
    return _page(request, TokenForm())


def _page(request, form, *, secret=None, status=200):
    context = {"form": form, "tokens": selectors.tokens_of(request.user), "secret": secret}
    response = render(request, "api/tokens.html", context, status=status)
    response["Cache-Control"] = "no-store"  # the new secret is on this page once
    return response


@reauthentication_required
def _create(request):
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            _token, secret = services.token_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Token dibuat. Salin sekarang: token ini tidak akan ditampilkan lagi."))
            return _page(request, TokenForm(), secret=secret, status=201)
    return _page(request, form, status=400)


@require_POST
def token_revoke(request, public_id):
    token = selectors.token_of(request.user, public_id)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token dicabut."))
    return redirect("api_tokens:list")
