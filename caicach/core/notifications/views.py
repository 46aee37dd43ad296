"""The inbox: a person's notifications, newest first, unread ones highlighted.

One view serves the full page and the htmx refresh of the list; every change to read
state answers with ``HX-Trigger: notifications-changed`` so the unread badge in the
navigation (``inbox_badge``) refreshes itself. Without JavaScript the forms post and
redirect back."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caicach.core.models import Notification, User
from caicach.core.notifications.queries import unread_count
from caicach.core.notifications.services import notification_mark_read, notifications_mark_all_read
from caicach.core.permissions import get_for_user, require
from caicach.core.web import acting_user

PAGE_SIZE = 25
CHANGED = "notifications-changed"


def _inbox_context(user: User, page: str | None) -> dict[str, object]:
    queryset = Notification.objects.filter(recipient=user).only(
        "id", "recipient_id", "title", "body", "url", "created_at", "read_at"
    )
    page_obj = Paginator(queryset, PAGE_SIZE).get_page(page)
    return {"page_obj": page_obj, "notifications": page_obj.object_list, "unread_count": unread_count(user)}


def _back_to_inbox(request: HttpRequest) -> HttpResponse:
    """After a POST: htmx gets the refreshed list (same page), a plain form a redirect."""
    page = request.POST.get("page", "")
    if request.htmx:  # type: ignore[attr-defined]
        response = render(
            request, "core/notifications/_list.html", _inbox_context(acting_user(request), page)
        )
    else:
        url = reverse("inbox") + (f"?page={page}" if page.isdigit() else "")
        response = redirect(url)
    response["HX-Trigger"] = CHANGED
    return response


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    require(request.user, "core.view_inbox")
    context = _inbox_context(acting_user(request), request.GET.get("page"))
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "core/notifications/_list.html", context)
    return render(request, "core/notifications/inbox.html", context)


@login_required
@require_GET
def inbox_badge(request: HttpRequest) -> HttpResponse:
    return render(
        request, "core/notifications/_badge.html", {"unread_count": unread_count(acting_user(request))}
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_for_user(request.user, Notification.objects.all(), pk, "change")
    notification_mark_read(user=acting_user(request), notification=notification)
    return _back_to_inbox(request)


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    require(request.user, "core.view_inbox")
    notifications_mark_all_read(user=acting_user(request))
    return _back_to_inbox(request)


def is_safe_local_url(url: str, request: HttpRequest) -> bool:
    """Only a path on this site: "/sang-kien/5/", never "//evil.example" or "https://…"."""
    if not url.startswith("/") or url.startswith(("//", "/\\")):
        return False
    return url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=False)


@login_required
@require_http_methods(["GET", "POST"])
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening a notification from the inbox (a POST: the title is a button) reads it and
    follows its link. A GET — the link in the notification's email, a link previewer, a
    prefetching browser — only follows the link: a GET never changes state. The link was
    written by our own services, but it is still checked: this must never become an open
    redirect."""
    notification = get_for_user(request.user, Notification.objects.all(), pk, "change")
    if request.method == "POST":
        notification_mark_read(user=acting_user(request), notification=notification)
    target = notification.url if is_safe_local_url(notification.url, request) else reverse("inbox")
    return HttpResponseRedirect(target)
