"""Writes for accounts: logins and lockout, people and their roles. Every change is audited
in its own transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from caicach.core import clock
from caicach.core.accounts.queries import (
    ADMIN_FIELDS,
    PROFILE_FIELDS,
    failures_left,
    lockout_until,
    normalise_username,
    user_fingerprint,
)
from caicach.core.audit import services as audit
from caicach.core.models import LoginFailure, Membership, Role, Unit, User
from caicach.core.permissions import authorize, forget
from caicach.core.versioning import check_version


def lockout_message(until: datetime.datetime) -> str:
    local = timezone.localtime(until)
    minutes = max(1, int((until - clock.now()).total_seconds() // 60) + 1)
    return _(
        "Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần. "
        "Vui lòng thử lại sau %(time)s (khoảng %(minutes)d phút nữa)."
    ) % {"time": formats.date_format(local, "SHORT_DATETIME_FORMAT"), "minutes": minutes}


# --- Login, logout, lockout -------------------------------------------------------------------


@transaction.atomic
def login_failure_record(*, username: str, ip_address: str | None) -> datetime.datetime | None:
    """Remember a failed login; returns when the username/address may try again if this
    failure locked it out (and audits the lockout once, when it starts)."""
    LoginFailure.objects.create(username=normalise_username(username)[:150], ip_address=ip_address)
    until = lockout_until(username=username, ip_address=ip_address)
    if until is not None:
        person = User.objects.filter(username__iexact=username.strip()).first()
        # No client address in the message: the event's ip_address column already holds the
        # request's address, while messages are displayed on the person's timeline.
        audit.record(
            actor=None,
            action="auth.lockout",
            obj=person,
            message=f"Tên đăng nhập: {username[:150]}; khóa đến {timezone.localtime(until):%H:%M %d/%m/%Y}",
        )
    return until


def login_attempt(*, request: HttpRequest, username: str, password: str, ip_address: str | None) -> User:
    """Check the lockout, then the password. Returns the user (the caller logs them in and
    calls ``login_success``) or raises ValidationError with a message to show. Not one
    transaction on purpose: the failure row must stay even though an error is raised."""
    until = lockout_until(username=username, ip_address=ip_address)
    if until is not None:
        # A locked attempt is not counted and the password is not even checked: guessing
        # gains nothing, and the lock does not grow longer while the owner waits.
        raise ValidationError(lockout_message(until), code="locked")
    user = authenticate(request, username=username, password=password)
    if isinstance(user, User):
        return user
    until = login_failure_record(username=username, ip_address=ip_address)
    if until is not None:
        raise ValidationError(lockout_message(until), code="locked")
    left = failures_left(username=username)
    message = _("Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đã bị khóa.")
    if left:
        message += " " + ngettext(
            "Bạn còn %(left)d lần thử trước khi tài khoản bị tạm khóa.",
            "Bạn còn %(left)d lần thử trước khi tài khoản bị tạm khóa.",
            left,
        ) % {"left": left}
    raise ValidationError(message, code="invalid_login")


@transaction.atomic
def login_success(*, user: User) -> None:
    """Clear the username's failures and audit the login."""
    LoginFailure.objects.filter(username=normalise_username(user.get_username())).delete()
    audit.record(actor=user, action="auth.login", obj=user)


@transaction.atomic
def logout_record(*, user: User) -> None:
    audit.record(actor=user, action="auth.logout", obj=user)


# --- People -----------------------------------------------------------------------------------


@transaction.atomic
def user_create(*, actor: User, data: dict[str, Any], password: str, role: str = "") -> User:
    """Create an account; with ``role`` it also gets that role in its unit."""
    authorize(actor, "core.manage_users")
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


def _update(
    *, user: User, actor: User, data: dict[str, Any], fields: tuple[str, ...], fingerprint: str
) -> User:
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
