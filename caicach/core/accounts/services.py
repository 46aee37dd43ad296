"""Writes for accounts: logins and their throttling, people and their roles. Every change is audited
in its own transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _

from caicach.core import chronology, clock
from caicach.core.accounts import throttle
from caicach.core.accounts.queries import ADMIN_FIELDS, PROFILE_FIELDS, normalise_username, user_fingerprint
from caicach.core.audit import services as audit
from caicach.core.models import KnownLoginAddress, LoginFailure, Membership, Role, SecurityKind, Unit, User
from caicach.core.permissions import authorize, forget
from caicach.core.security import services as security_log
from caicach.core.versioning import check_version

# --- Login, logout, throttling ----------------------------------------------------------------


def _account_named(username: str) -> User | None:
    return User.objects.filter(username__iexact=username.strip()).first()


@transaction.atomic
def login_failure_record(
    *, username: str, ip_address: str | None, request: HttpRequest | None = None
) -> throttle.Verdict:
    """Count a failed login for the throttle and log it; returns the wait it now imposes
    (and logs the lockout, and audits it on the account, when this failure started it)."""
    LoginFailure.objects.create(
        username=normalise_username(username)[:150], ip_address=ip_address, created_at=clock.now()
    )
    person = _account_named(username)
    security_log.record(SecurityKind.LOGIN_FAILED, request=request, user=person, username=username)
    verdict = throttle.verdict(username=username, ip_address=ip_address)
    if verdict.starts_lock:
        security_log.record(
            SecurityKind.LOGIN_LOCKED,
            request=request,
            user=person,
            username=username,
            scope=verdict.scope,
            failures=verdict.failures,
            wait_seconds=verdict.wait,
        )
        # No client address in the message: the event's ip_address column already holds the
        # request's address, while messages are displayed on the person's timeline.
        audit.record(
            actor=None,
            action="auth.lockout",
            obj=person,
            message=(
                f"Tên đăng nhập: {username[:150]}; chờ {verdict.wait} giây sau {verdict.failures} lần sai"
            ),
        )
    return verdict


def login_attempt(
    *,
    request: HttpRequest,
    username: str,
    password: str,
    ip_address: str | None,
    challenge: bool | None = None,
) -> User:
    """Check the throttle, then the image challenge if one was required, then the password.
    ``challenge``: None when the attempt owed none (``throttle.challenge_required``), else
    whether its answer was right. Returns the user (the caller logs them in and calls
    ``login_success``) or raises ValidationError with a message to show. Not one transaction
    on purpose: the failure row must stay even though an error is raised."""
    waiting = throttle.verdict(username=username, ip_address=ip_address, challenged=challenge is not None)
    if waiting.wait:
        # Not counted and the password not even checked: guessing during the wait gains
        # nothing, and the wait does not grow while the owner waits.
        security_log.record(
            SecurityKind.LOGIN_THROTTLED,
            request=request,
            user=_account_named(username),
            username=username,
            scope=waiting.scope,
            wait_seconds=waiting.wait,
        )
        raise ValidationError(throttle.wait_message(waiting.wait), code="throttled")
    if challenge is False:
        # Refused like a wait: the password is not checked and nothing is counted, so a
        # script that cannot read the image learns nothing and locks nobody out.
        security_log.record(
            SecurityKind.LOGIN_CHALLENGE_FAILED,
            request=request,
            user=_account_named(username),
            username=username,
        )
        message = _("Các ký tự chưa đúng hoặc chưa được nhập. Vui lòng nhập các ký tự trong hình mới.")
        raise ValidationError({"challenge": message})
    user = authenticate(request, username=username, password=password)
    if isinstance(user, User):
        return user
    verdict = login_failure_record(username=username, ip_address=ip_address, request=request)
    message = _("Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đã bị khóa.")
    if verdict.wait:
        message += " " + throttle.wait_message(verdict.wait)
    raise ValidationError(message, code="invalid_login")


@transaction.atomic
def login_success(*, user: User, ip_address: str | None = None) -> None:
    """Clear the failures of this (address, account) pair, remember the pair as the
    account's own (see ``throttle``) and audit the login. The account's failures from other
    addresses stay: they still slow down guessing from elsewhere."""
    LoginFailure.objects.filter(
        username=normalise_username(user.get_username()), ip_address=ip_address
    ).delete()
    if ip_address:
        KnownLoginAddress.objects.update_or_create(
            user=user, ip_address=ip_address, defaults={"last_success_at": clock.now()}
        )
    audit.record(actor=user, action="auth.login", obj=user)


@transaction.atomic
def logout_record(*, user: User) -> None:
    audit.record(actor=user, action="auth.logout", obj=user)


@transaction.atomic
def login_failures_purge() -> int:
    """Delete the failures no throttle window counts any more (the daily run)."""
    oldest = min(throttle.window_start(), throttle.address_window_start())
    return LoginFailure.objects.filter(created_at__lt=oldest).delete()[0]


@transaction.atomic
def login_unlock_account(*, actor: User, user: User) -> int:
    """An administrator clears every failure counted against ``user`` (from any address):
    the next attempt is checked at once. Returns how many were cleared."""
    authorize(actor, "change", user)
    cleared, _counts = LoginFailure.objects.filter(username=normalise_username(user.get_username())).delete()
    audit.record(actor=actor, action="auth.unlock", obj=user, message=f"Đã xóa {cleared} lần đăng nhập sai")
    security_log.record(
        SecurityKind.LOGIN_UNLOCKED, user=actor, obj=user, scope=throttle.ACCOUNT, cleared=cleared
    )
    return cleared


@transaction.atomic
def login_unlock_address(*, actor: User, user: User, ip_address: str) -> int:
    """An administrator clears every failure from ``ip_address`` (all accounts), from the
    page of ``user``, whose failures showed the address blocked."""
    authorize(actor, "change", user)
    cleared, _counts = LoginFailure.objects.filter(ip_address=ip_address).delete()
    audit.record(
        actor=actor,
        action="auth.unlock_address",
        obj=user,
        message=f"Địa chỉ IP: {ip_address}; đã xóa {cleared} lần đăng nhập sai",
    )
    security_log.record(
        SecurityKind.LOGIN_UNLOCKED,
        user=actor,
        obj=user,
        scope=throttle.ADDRESS,
        address=ip_address,
        cleared=cleared,
    )
    return cleared


# --- People -----------------------------------------------------------------------------------


@transaction.atomic
def user_create(*, actor: User, data: dict[str, Any], password: str, role: str = "") -> User:
    """Create an account; with ``role`` it also gets that role in its unit."""
    authorize(actor, "core.manage_users")
    _check_birth_date(data.get("date_of_birth"))
    username = data["username"].strip()
    taken = ValidationError({"username": _("Tên đăng nhập này đã được dùng.")})
    if User.objects.filter(username__iexact=username).exists():
        raise taken
    user = User(
        username=username, **{name: data[name] for name in ADMIN_FIELDS if data.get(name) is not None}
    )
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from exc
    user.set_password(password)
    try:
        # Two admins creating "an" and "An" at once both pass the check above; the
        # case-insensitive unique constraint lets only one insert through. The savepoint keeps
        # this transaction usable after the refusal.
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        # By now the other account is committed (PostgreSQL waits for it before refusing).
        if User.objects.filter(username__iexact=username).exists():
            raise taken from exc
        raise
    audit.record(
        actor=actor,
        action="user.create",
        obj=user,
        changes={name: [None, getattr(user, name)] for name in ("username", *ADMIN_FIELDS)},
    )
    if role:
        if user.unit is None:
            raise ValidationError({"role": _("Chọn đơn vị công tác để giao vai trò.")})
        membership_add(actor=actor, user=user, unit=user.unit, role=role)
    return user


def _check_birth_date(day: datetime.date | None) -> None:
    chronology.require_within(day, chronology.BIRTH, what=_("Ngày sinh"), field="date_of_birth")


def _update(
    *, user: User, actor: User, data: dict[str, Any], fields: tuple[str, ...], fingerprint: str
) -> User:
    _check_birth_date(data.get("date_of_birth"))
    locked = User.objects.select_for_update().get(pk=user.pk)
    # A person edits their own profile; anyone else's record is the administrators'.
    if actor.pk != locked.pk or fields != PROFILE_FIELDS:
        authorize(actor, "change", locked)
    check_version(user_fingerprint(locked), fingerprint)
    before = audit.snapshot(locked, fields)
    for name in fields:
        if name in data:
            setattr(locked, name, data[name])
    changes = audit.diff(before, locked)
    if changes:
        locked.save(update_fields=[*fields])
        audit.record(actor=actor, action="user.update", obj=locked, changes=changes)
    for name in fields:
        setattr(user, name, getattr(locked, name))
    return user


@transaction.atomic
def user_update(*, user: User, actor: User, data: dict[str, Any], fingerprint: str) -> User:
    """An administrator's edit of a person's record (unit included)."""
    return _update(user=user, actor=actor, data=data, fields=ADMIN_FIELDS, fingerprint=fingerprint)


@transaction.atomic
def profile_update(*, user: User, data: dict[str, Any], fingerprint: str) -> User:
    """A person's edit of their own data; the unit is the administrator's to change."""
    return _update(user=user, actor=user, data=data, fields=PROFILE_FIELDS, fingerprint=fingerprint)


@transaction.atomic
def user_set_active(*, user: User, actor: User, is_active: bool) -> User:
    authorize(actor, "change", user)
    if user.pk == actor.pk and not is_active:
        raise ValidationError(_("Bạn không thể tự khóa tài khoản của chính mình."))
    if user.is_active == is_active:
        return user
    before = audit.snapshot(user, ["is_active"])
    user.is_active = is_active
    user.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action="user.activate" if is_active else "user.deactivate",
        obj=user,
        changes=audit.diff(before, user),
    )
    return user


@transaction.atomic
def user_set_password(*, user: User, actor: User, password: str) -> User:
    """A new password, by its owner (changed) or by an administrator (reset). The caller has
    validated it against the password rules."""
    if actor.pk != user.pk:
        authorize(actor, "change", user)
    user.set_password(password)
    user.save(update_fields=["password"])
    # The password itself never enters the trail, not even hashed.
    audit.record(
        actor=actor, action="user.password_change" if actor.pk == user.pk else "user.password_reset", obj=user
    )
    return user


# --- Roles ------------------------------------------------------------------------------------


def _membership_text(membership: Membership) -> str:
    # The trail is written in the source language, whatever language the actor reads.
    with translation.override("vi"):
        return f"{membership.get_role_display()} — {membership.unit}"


@transaction.atomic
def membership_add(*, actor: User, user: User, unit: Unit, role: str) -> Membership:
    authorize(actor, "core.manage_users")
    if role not in Role.values:
        raise ValidationError({"role": _("Vai trò không hợp lệ.")})
    existing = Membership.objects.select_for_update().filter(user=user, unit=unit, role=role).first()
    if existing is not None and existing.is_active:
        raise ValidationError(
            _("%(person)s đã có vai trò “%(role)s” tại %(unit)s.")
            % {"person": user, "role": existing.get_role_display(), "unit": unit}
        )
    if existing is not None:
        # One row per user, unit and role: an ended role is revived, its history stays in the trail.
        existing.is_active = True
        existing.save(update_fields=["is_active"])
        membership = existing
    else:
        membership = Membership.objects.create(user=user, unit=unit, role=role)
    audit.record(
        actor=actor,
        action="membership.add",
        obj=user,
        message=_membership_text(membership),
    )
    forget(user)
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> Membership:
    """End a role (kept, inactive, for the record)."""
    authorize(actor, "change", membership)
    if membership.user_id == actor.pk and membership.role == Role.SYSTEM_ADMIN:
        raise ValidationError(_("Bạn không thể tự gỡ vai trò quản trị hệ thống của mình."))
    if not membership.is_active:
        return membership
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action="membership.remove",
        obj=membership.user,
        message=_membership_text(membership),
    )
    forget(membership.user)
    return membership
