"""The glue every view needs, written once: who is asking, how a service's refusal lands on a
form, and how a file goes back to the browser."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from caicach.core.downloads import content_disposition
from caicach.core.models import User
from caicach.core.rendering import RenderedDocument

if TYPE_CHECKING:
    from django.shortcuts import SupportsGetAbsoluteUrl


def acting_user(request: HttpRequest) -> User:
    """The logged-in user behind ``request`` (views that call this are login-protected)."""
    user = request.user
    assert isinstance(user, User), "acting_user() needs a login-protected view"
    return user


def object_urls(url_name: str) -> Callable[[int], str]:
    """``reverse(url_name, args=[pk])`` for the many rows of one table: reversed once, then
    each key put in its place. Django's ``reverse`` costs some 20 µs; a results table of 50
    dossiers linking to their 250 sheets spent 5 ms on them."""
    marker = 2_147_483_647  # a key no row of ours reaches, written once in the reversed URL
    head, _marker, tail = reverse(url_name, args=[marker]).rpartition(str(marker))
    return lambda pk: f"{head}{int(pk)}{tail}"


def safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    """``candidate`` when it is a page of this site (a ``next`` parameter), else None."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def add_service_errors(form: BaseForm, error: ValidationError) -> None:
    """Put a service's refusal on the form: on the field it names when the form has that
    field, otherwise at the top, so the user sees every reason at once."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def file_response(content: bytes, filename: str, content_type: str, *, inline: bool = False) -> HttpResponse:
    """A download named for the user (Vietnamese, with an ASCII fallback); ``nosniff`` so a
    browser never reinterprets a stored file as a page."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def document_response(document: RenderedDocument) -> HttpResponse:
    """A generated document (DOCX/PDF) as a download under its Vietnamese file name."""
    return file_response(document.content, document.filename, document.content_type)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form (an expired page, a stale token) gets our Vietnamese 403 page in the
    site's layout; Django's own CSRF page is English, and with DEBUG on lists its settings.
    The 403 page already says to reload the page and try again."""
    from django.shortcuts import render

    return render(request, "403.html", status=403)


def stale_action(
    request: HttpRequest, message: str | ValidationError, to: str | SupportsGetAbsoluteUrl
) -> HttpResponse:
    """An action that no longer applies — decided in another tab, a closed window, a withdrawn
    item, a document already issued: the user lands back on the object's page with the reason
    in Vietnamese, never on a 404 or a technical page. ``to``: the object (its
    ``get_absolute_url``) or a URL."""
    texts = message.messages if isinstance(message, ValidationError) else [message]
    for text in texts:
        messages.error(request, text)
    return redirect(to)
