"""Accounts pages: home, login/logout, password, own profile, and the user administration."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from caicach.core.accounts import queries, services, throttle
from caicach.core.accounts.forms import (
    AddressUnlockForm,
    LoginForm,
    MembershipAddForm,
    PasswordChangeForm,
    ProfileForm,
    SetPasswordForm,
    UserCreateForm,
    UserFilterForm,
    UserUpdateForm,
)
from caicach.core.context_processors import nav_items
from caicach.core.mfa import queries as mfa_queries
from caicach.core.mfa.views import begin_second_step
from caicach.core.middleware import client_ip
from caicach.core.models import Membership, User
from caicach.core.notifications.queries import unread_count
from caicach.core.once import AlreadySubmitted, once
from caicach.core.pagination import CappedPaginator
from caicach.core.permissions import can, get_for_user, require
from caicach.core.todos import todos_for
from caicach.core.web import acting_user, add_service_errors

PAGE_SIZE = 25


def _safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


# --- Home, login, logout, password ------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    """Logged-out visitors land on the login page; others on their to-do list (what waits
    for them, kind by kind, from the providers the apps register), then their shortcuts."""
    if not request.user.is_authenticated:
        return redirect("login")
    user = acting_user(request)
    shortcuts = [item for item in nav_items(request) if item.key != "home"]
    unread = next((item.count for item in shortcuts if item.key == "inbox"), None)
    if unread is None:
        unread = unread_count(user)
    todos = todos_for(user)
    context = {
        "todos": todos,
        "todo_total": sum(entry.count for entry in todos),
        "memberships": queries.active_memberships_of(user),
        "shortcuts": shortcuts,
        "unread": unread,
    }
    return render(request, "core/accounts/home.html", context)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return HttpResponseRedirect(next_url or reverse("home"))
    ip_address = client_ip(request)
    form = LoginForm(request.POST or None)
    # The name is known only once posted: the first page never shows the challenge, and an
    # attempt that owes it without having seen it is refused and shown it.
    posted_name = str(form.data.get("username", ""))
    challenge = request.method == "POST" and throttle.challenge_required(
        username=posted_name, ip_address=ip_address
    )
    if challenge:
        form.add_challenge()
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_attempt(
                request=request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                ip_address=ip_address,
                challenge=form.cleaned_data["challenge"] if challenge else None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            if not challenge and throttle.challenge_required(username=posted_name, ip_address=ip_address):
                form.add_challenge()
        else:
            auth_login(request, user)
            second_step = begin_second_step(request, next_url)
            if second_step is not None:
                return second_step
            services.login_success(user=user, ip_address=ip_address)
            return HttpResponseRedirect(next_url or reverse("home"))
    return render(request, "core/accounts/login.html", {"form": form, "next": next_url or ""})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.logout_record(user=acting_user(request))
    auth_logout(request)
    messages.info(request, _("Bạn đã đăng xuất."))
    return redirect("login")


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = PasswordChangeForm(user=user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_set_password(user=user, actor=user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        return redirect("password_change_done")
    return render(request, "core/accounts/password_change.html", {"form": form})


@login_required
def password_change_done(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accounts/password_change_done.html")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.profile_update(
                    user=user, data=form.data_for_service(), fingerprint=form.cleaned_data["fingerprint"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu thông tin cá nhân."))
                return redirect("profile")
    else:
        form = ProfileForm(
            initial={
                **{name: getattr(user, name) for name in queries.PROFILE_FIELDS},
                "fingerprint": queries.user_fingerprint(user),
            }
        )
    context = {
        "form": form,
        "memberships": queries.active_memberships_of(user),
        "mfa": mfa_queries.status(user),
    }
    return render(request, "core/accounts/profile.html", context)


# --- User administration ----------------------------------------------------------------------


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "core.manage_users")
    filters = UserFilterForm(request.GET or None)
    q, unit_id, role = "", None, ""
    if filters.is_valid():
        q = filters.cleaned_data["q"] or ""
        unit = filters.cleaned_data["unit"]
        unit_id = unit.pk if unit else None
        role = filters.cleaned_data["role"] or ""
    users = queries.user_directory(q=q, unit_id=unit_id, role=role)
    page_obj = CappedPaginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filters": filters, "page_obj": page_obj, "users": page_obj.object_list}
    template = (
        "core/accounts/_user_rows.html" if getattr(request, "htmx", False) else "core/accounts/user_list.html"
    )
    return render(request, template, context)


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "core.manage_users")
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with once(request, form) as submission:
                person = services.user_create(
                    actor=acting_user(request),
                    data=form.data_for_service(),
                    password=form.cleaned_data["password1"],
                    role=form.cleaned_data["role"],
                )
                submission.created(reverse("user_detail", args=[person.pk]))
        except AlreadySubmitted as repeat:
            return repeat.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo tài khoản %(name)s.") % {"name": person})
            return redirect("user_detail", pk=person.pk)
    return render(request, "core/accounts/user_form.html", {"form": form, "person": None})


def _detail_context(
    request: HttpRequest, person: User, membership_form: MembershipAddForm | None = None
) -> dict[str, Any]:
    # A unit head may open a staff member's record, but the trail (logins, lockouts, who
    # changed what) is for the trail's administrators and the person themself.
    show_timeline = person.pk == request.user.pk or can(request.user, "core.search_audit")
    can_change = can(request.user, "change", person)
    return {
        "person": person,
        "memberships": queries.memberships_of(person),
        "show_timeline": show_timeline,
        "events": queries.user_events(person) if show_timeline else [],
        "can_change": can_change,
        "personal_data": can(request.user, "view_personal_data", person),
        "can_reset_mfa": can(request.user, "reset_mfa", person),
        "login_failures": throttle.recent_failures_of(person) if can_change else [],
        "membership_form": membership_form or MembershipAddForm(),
    }


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_for_user(request.user, User.objects.select_related("unit"), pk, "view")
    return render(request, "core/accounts/user_detail.html", _detail_context(request, person))


@login_required
def user_update(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_for_user(request.user, User.objects.select_related("unit"), pk, "change")
    if request.method == "POST":
        form = UserUpdateForm(request.POST)
        if form.is_valid():
            try:
                services.user_update(
                    user=person,
                    actor=acting_user(request),
                    data=form.data_for_service(),
                    fingerprint=form.cleaned_data["fingerprint"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu thông tin người dùng."))
                return redirect("user_detail", pk=person.pk)
    else:
        form = UserUpdateForm(
            initial={
                **{name: getattr(person, name) for name in queries.ADMIN_FIELDS},
                "fingerprint": queries.user_fingerprint(person),
            }
        )
    return render(request, "core/accounts/user_form.html", {"form": form, "person": person})


@sensitive_post_parameters("new_password1", "new_password2")
@login_required
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_for_user(request.user, User.objects.all(), pk, "change")
    form = SetPasswordForm(user=person, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_set_password(
            user=person, actor=acting_user(request), password=form.cleaned_data["new_password1"]
        )
        messages.success(request, _("Đã đặt lại mật khẩu cho %(name)s.") % {"name": person})
        return redirect("user_detail", pk=person.pk)
    return render(request, "core/accounts/user_password.html", {"form": form, "person": person})


@require_POST
@login_required
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_for_user(request.user, User.objects.all(), pk, "change")
    activate = request.POST.get("is_active") == "1"
    try:
        services.user_set_active(user=person, actor=acting_user(request), is_active=activate)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã mở khóa tài khoản.") if activate else _("Đã khóa tài khoản."))
    return redirect("user_detail", pk=person.pk)


@require_POST
@login_required
def user_login_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_for_user(request.user, User.objects.all(), pk, "change")
    services.login_unlock_account(actor=acting_user(request), user=person)
    messages.success(request, _("Đã mở khóa đăng nhập cho %(name)s.") % {"name": person})
    return redirect("user_detail", pk=person.pk)


@require_POST
@login_required
def user_address_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_for_user(request.user, User.objects.all(), pk, "change")
    form = AddressUnlockForm(request.POST)
    if form.is_valid():
        address = form.cleaned_data["ip_address"]
        services.login_unlock_address(actor=acting_user(request), user=person, ip_address=address)
        messages.success(request, _("Đã mở chặn đăng nhập từ địa chỉ %(address)s.") % {"address": address})
    else:
        messages.error(request, _("Địa chỉ IP không hợp lệ."))
    return redirect("user_detail", pk=person.pk)


@require_POST
@login_required
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_for_user(request.user, User.objects.select_related("unit"), pk, "change")
    form = MembershipAddForm(request.POST)
    if form.is_valid():
        try:
            services.membership_add(
                actor=acting_user(request),
                user=person,
                unit=form.cleaned_data["unit"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã giao vai trò."))
            return redirect("user_detail", pk=person.pk)
    context = _detail_context(request, person, membership_form=form)
    return render(request, "core/accounts/user_detail.html", context, status=400)


@require_POST
@login_required
def membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_for_user(request.user, Membership.objects.select_related("user", "unit"), pk, "change")
    try:
        services.membership_remove(actor=acting_user(request), membership=membership)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã thôi giao vai trò."))
    return redirect("user_detail", pk=membership.user_id)
