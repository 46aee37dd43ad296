"""Pages of the two-step login: the code after the password, enrolment, the recovery codes
shown once, and an administrator's reset."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from caicach.core.accounts import services as account_services
from caicach.core.mfa import queries, services
from caicach.core.mfa.forms import CodeForm, EnrolForm
from caicach.core.middleware import client_ip
from caicach.core.models import User
from caicach.core.permissions import get_for_user
from caicach.core.web import acting_user, add_service_errors, safe_next


def is_verified(request: HttpRequest) -> bool:
    """Whether this session passed its second step (django-otp's OTPMiddleware knows)."""
    return getattr(request.user, "otp_device", None) is not None


def second_step_url(request: HttpRequest, next_url: str | None) -> str:
    """Where a session owing its second step goes: the code page, or the enrolment."""
    name = "mfa_verify" if queries.has_device(acting_user(request)) else "mfa_enrol"
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def begin_second_step(request: HttpRequest, next_url: str | None) -> HttpResponse | None:
    """Called by the login view once the password is right: when the person has an
    authenticator, or a role that requires one, the login waits for the second step."""
    if not queries.second_step_due(acting_user(request)):
        return None
    request.session[queries.PENDING_LOGIN_KEY] = True
    return HttpResponseRedirect(second_step_url(request, next_url))


def _finish(request: HttpRequest, device: TOTPDevice) -> None:
    otp_login(request, device)
    if request.session.pop(queries.PENDING_LOGIN_KEY, False):
        # The login is complete only now: its audit event (and the end of the password
        # failures) belongs here, not to the password step.
        account_services.login_success(user=acting_user(request), ip_address=client_ip(request))


def _next(request: HttpRequest) -> str | None:
    return safe_next(request, request.POST.get("next") or request.GET.get("next"))


@sensitive_post_parameters("code")
@never_cache
@login_required
def mfa_verify(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    next_url = _next(request)
    if is_verified(request):
        return redirect(next_url or "home")
    if not queries.has_device(user):
        return redirect(second_step_url(request, next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.mfa_verify(user=user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            _finish(request, result.device)
            if result.recovery_code_used:
                messages.warning(
                    request,
                    _(
                        "Bạn vừa dùng một mã khôi phục; còn %(left)d mã. Khi còn ít mã, nhờ quản trị "
                        "hệ thống đặt lại xác thực hai bước để nhận bộ mã mới."
                    )
                    % {"left": result.recovery_codes_left},
                )
            return redirect(next_url or "home")
    return render(request, "core/mfa/verify.html", {"form": form, "next": next_url or ""})


@sensitive_post_parameters("code")
@never_cache
@login_required
def mfa_enrol(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    next_url = _next(request)
    if queries.has_device(user):
        if not is_verified(request):
            return redirect(second_step_url(request, next_url))
        messages.info(request, _("Bạn đã bật xác thực hai bước."))
        return redirect("profile")
    key = request.session.get(queries.ENROL_KEY_KEY)
    if not isinstance(key, str):
        key = services.new_enrolment_key()
        request.session[queries.ENROL_KEY_KEY] = key
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.mfa_enrol(user=user, key=key, code=form.cleaned_data["code"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            del request.session[queries.ENROL_KEY_KEY]
            _finish(request, device)
            request.session[queries.NEW_CODES_KEY] = codes
            url = reverse("mfa_recovery_codes")
            return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)
    uri = queries.provisioning_uri(key, user.get_username())
    context = {
        "form": form,
        "next": next_url or "",
        "qr_svg": queries.qr_svg(uri),
        "secret": queries.secret_text(key),
        "required": queries.mfa_required(user),
    }
    return render(request, "core/mfa/enrol.html", context)


@never_cache
@login_required
def mfa_recovery_codes(request: HttpRequest) -> HttpResponse:
    """The codes just made, once: a reload finds them gone from the session."""
    codes = request.session.pop(queries.NEW_CODES_KEY, None)
    if not codes:
        return redirect("profile")
    context = {"codes": codes, "next": _next(request) or reverse("home")}
    return render(request, "core/mfa/recovery_codes.html", context)


def _refused(request: HttpRequest, error: ValidationError) -> HttpResponse:
    for message in error.messages:
        messages.error(request, message)
    return redirect(reverse("profile") + "#xac-thuc-hai-buoc")


@sensitive_post_parameters("code")
@require_POST
@login_required
def mfa_codes_renew(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _refused(request, ValidationError(_("Vui lòng nhập mã 6 chữ số trên ứng dụng xác thực.")))
    try:
        codes = services.mfa_recovery_codes_renew(user=acting_user(request), code=form.cleaned_data["code"])
    except ValidationError as exc:
        return _refused(request, exc)
    request.session[queries.NEW_CODES_KEY] = codes
    url = reverse("mfa_recovery_codes")
    return redirect(f"{url}?{urlencode({'next': reverse('profile')})}")


@sensitive_post_parameters("code")
@require_POST
@login_required
def mfa_disable(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _refused(request, ValidationError(_("Vui lòng nhập mã 6 chữ số trên ứng dụng xác thực.")))
    try:
        services.mfa_disable(user=acting_user(request), code=form.cleaned_data["code"])
    except ValidationError as exc:
        return _refused(request, exc)
    messages.success(request, _("Đã tắt xác thực hai bước."))
    return redirect("profile")


@login_required
def mfa_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST removes the person's authenticator and codes."""
    person = get_for_user(request.user, User.objects.select_related("unit"), pk, "reset_mfa")
    if request.method == "POST":
        try:
            services.mfa_reset(actor=acting_user(request), user=person)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã đặt lại xác thực hai bước cho %(name)s.") % {"name": person})
        return redirect("user_detail", pk=person.pk)
    context = {"person": person, "enrolled": queries.has_device(person)}
    return render(request, "core/mfa/reset_confirm.html", context)
