"""The site's page for API tokens: one's own (made, listed, revoked) and, for an
administrator, every token and tokens for service accounts. A new token's secret is shown
once, on the answer to the POST that made it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from caicach.api import services
from caicach.api.forms import TokenForm
from caicach.api.rules import tokens_for
from caicach.core.mfa.views import is_verified
from caicach.core.once import AlreadySubmitted, once
from caicach.core.permissions import get_for_user, principal, require
from caicach.core.web import acting_user, add_service_errors

LIST_LIMIT = 200


def _form(request: HttpRequest, *, bound: bool = True) -> TokenForm:
    """The create form; an administrator's also offers the other accounts (service accounts)."""
    who = principal(request.user)
    return TokenForm((request.POST or None) if bound else None, for_others=bool(who and who.is_admin))


def _page(request: HttpRequest, form: TokenForm, *, secret: str = "", status: int = 200) -> HttpResponse:
    tokens = list(tokens_for(request.user)[:LIST_LIMIT])
    context = {"form": form, "tokens": tokens, "secret": secret, "api_docs": reverse("api-v1:openapi-view")}
    return render(request, "api/tokens.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "api.manage_own_tokens")
    form = _form(request)
    if request.method == "POST" and form.is_valid():
        actor = acting_user(request)
        owner = form.owner(actor)
        try:
            with once(request, form) as submission:
                _token, secret = services.token_create(
                    actor=actor,
                    user=owner,
                    name=form.cleaned_data["name"],
                    scopes=form.cleaned_data["scopes"],
                    expires_at=form.expires_at(),
                    mfa_verified=is_verified(request),
                )
                submission.created(reverse("api_tokens"))
        except AlreadySubmitted as repeat:
            return repeat.response(request)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # The one time the secret is shown: on this answer, never stored, never again.
            return _page(request, _form(request, bound=False), secret=secret, status=201)
    return _page(request, form)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_for_user(request.user, tokens_for(request.user), pk, "revoke")
    services.token_revoke(actor=acting_user(request), token=token)
    messages.success(request, _("Đã thu hồi mã “%(name)s”.") % {"name": token.name})
    return redirect("api_tokens")
