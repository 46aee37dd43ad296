"""Writes for the two-step login: enrolment, each use of a code (audited, success or not),
and an administrator's reset."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from caicach.core import clock
from caicach.core.audit import services as audit
from caicach.core.mfa.queries import (
    is_totp_code,
    mfa_required,
    normalise_code,
    recovery_codes_left,
    recovery_digest,
)
from caicach.core.models import RecoveryCode, SecurityKind, User
from caicach.core.permissions import authorize
from caicach.core.security import services as security_log

RECOVERY_CODE_COUNT = 10
# 16 characters of a 31-letter alphabet without look-alikes (0/o, 1/l/i): 79 random bits,
# read aloud or typed from paper without doubt.
_RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
_RECOVERY_LENGTH = 16
# One step either side of the server's clock: a phone a little fast or slow still works.
TOTP_TOLERANCE = 1


@dataclass(frozen=True)
class Verification:
    device: TOTPDevice
    recovery_code_used: bool
    recovery_codes_left: int


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, _RECOVERY_LENGTH, 4))


def _issue_recovery_codes(user: User) -> list[str]:
    """Ten fresh codes replacing any left; only their digests are stored."""
    RecoveryCode.objects.filter(user=user).delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    now = clock.now()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, digest=recovery_digest(code), created_at=now) for code in codes
    )
    return codes


def new_enrolment_key() -> str:
    """A fresh TOTP secret (20 random bytes, hex), as django-otp stores it."""
    return secrets.token_hex(20)


def _totp_step(hex_key: str, code: str) -> int | None:
    """The time step ``code`` belongs to for the secret, or None when it matches none."""
    totp = TOTP(bytes.fromhex(hex_key), step=30, t0=0, digits=6)
    # The phone's clock, not the product's (clock.now() may be moved in tests and reviews):
    # django-otp's device checks its codes against real time too.
    totp.time = time.time()
    if totp.verify(int(code), TOTP_TOLERANCE):
        step: int = totp.t()
        return step
    return None


@transaction.atomic
def mfa_enrol(*, user: User, key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator the person just set up with its first code; returns the
    device and ten recovery codes to show once."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if TOTPDevice.objects.filter(user=locked, confirmed=True).exists():
        raise ValidationError(_("Bạn đã bật xác thực hai bước."))
    code = normalise_code(code)
    step = _totp_step(key, code) if is_totp_code(code) else None
    if step is None:
        raise ValidationError(
            {
                "code": _(
                    "Mã chưa đúng. Nhập mã 6 chữ số đang hiện trên ứng dụng xác thực "
                    "(kiểm tra giờ của điện thoại nếu mã vẫn sai)."
                )
            }
        )
    TOTPDevice.objects.filter(user=locked).delete()
    # last_t: the confirming code cannot be replayed to pass the login step.
    device = TOTPDevice.objects.create(
        user=locked, name=_("Ứng dụng xác thực"), key=key, confirmed=True, last_t=step
    )
    codes = _issue_recovery_codes(locked)
    audit.record(actor=locked, action="mfa.enrol", obj=locked)
    security_log.record(SecurityKind.MFA_ENROLLED, user=locked, obj=locked)
    return device, codes


def _throttle_message(data: dict[str, Any] | None) -> str:
    until = (data or {}).get("locked_until")
    # django-otp stamps its back-off with timezone.now(): measure against the same clock.
    seconds = max(1, int((until - timezone.now()).total_seconds()) + 1) if until else 1
    return ngettext(
        "Bạn đã nhập sai mã nhiều lần. Vui lòng thử lại sau %(seconds)d giây.",
        "Bạn đã nhập sai mã nhiều lần. Vui lòng thử lại sau %(seconds)d giây.",
        seconds,
    ) % {"seconds": seconds}


def mfa_verify(*, user: User, code: str) -> Verification:
    """The login's second step: a code from the authenticator app, or one of the recovery
    codes (used up by this). Every attempt is audited; failures back off exponentially
    (django-otp's throttle on the device, shared by both kinds of code). Not one transaction
    on purpose: a failure's audit event and throttle count stay though an error is raised."""
    outcome = _check_code(user=user, code=code)
    if isinstance(outcome, Verification):
        return outcome
    raise ValidationError({"code": outcome})


@transaction.atomic
def _check_code(*, user: User, code: str) -> Verification | str:
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        return _("Bạn chưa bật xác thực hai bước.")
    allowed, data = device.verify_is_allowed()
    if not allowed:
        audit.record(
            actor=user, action="mfa.failure", obj=user, message="Bị chặn tạm thời do nhập sai nhiều lần"
        )
        security_log.record(SecurityKind.MFA_FAILED, user=user, obj=user, throttled=True)
        return _throttle_message(data)
    code = normalise_code(code)
    if is_totp_code(code):
        if device.verify_token(code):
            audit.record(actor=user, action="mfa.verify", obj=user)
            security_log.record(SecurityKind.MFA_VERIFIED, user=user, obj=user)
            left = recovery_codes_left(user)
            return Verification(device=device, recovery_code_used=False, recovery_codes_left=left)
    else:
        match = (
            RecoveryCode.objects.select_for_update()
            .filter(user=user, digest=recovery_digest(code), used_at__isnull=True)
            .first()
        )
        if match is not None:
            match.used_at = clock.now()
            match.save(update_fields=["used_at"])
            device.throttle_reset()
            left = recovery_codes_left(user)
            audit.record(
                actor=user, action="mfa.recovery_code_used", obj=user, message=f"Còn {left} mã khôi phục"
            )
            security_log.record(SecurityKind.MFA_RECOVERY_USED, user=user, obj=user, codes_left=left)
            return Verification(device=device, recovery_code_used=True, recovery_codes_left=left)
        device.throttle_increment()
    audit.record(actor=user, action="mfa.failure", obj=user)
    security_log.record(SecurityKind.MFA_FAILED, user=user, obj=user)
    return _("Mã xác thực không đúng hoặc đã được dùng.")


@transaction.atomic
def mfa_reset(*, actor: User, user: User) -> None:
    """An administrator removes a person's authenticator and recovery codes (a lost phone):
    their next login asks them to enrol again if their role requires it."""
    authorize(actor, "reset_mfa", user)
    locked = User.objects.select_for_update().get(pk=user.pk)
    devices = TOTPDevice.objects.filter(user=locked)
    if not devices.exists() and not RecoveryCode.objects.filter(user=locked).exists():
        raise ValidationError(_("Người dùng này chưa bật xác thực hai bước."))
    devices.delete()
    RecoveryCode.objects.filter(user=locked).delete()
    audit.record(actor=actor, action="mfa.reset", obj=locked)
    security_log.record(SecurityKind.MFA_RESET, user=actor, obj=locked)


@transaction.atomic
def _check_current_code(*, user: User, code: str) -> TOTPDevice | str:
    """The person's device when ``code`` is its current code (a change to the second step
    itself asks for the phone, not only for an open session); else what to tell them."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        return _("Bạn chưa bật xác thực hai bước.")
    allowed, data = device.verify_is_allowed()
    if not allowed:
        return _throttle_message(data)
    code = normalise_code(code)
    if is_totp_code(code) and device.verify_token(code):
        return device
    if not is_totp_code(code):
        device.throttle_increment()
    audit.record(actor=user, action="mfa.failure", obj=user)
    security_log.record(SecurityKind.MFA_FAILED, user=user, obj=user)
    return _("Mã xác thực không đúng hoặc đã được dùng.")


def mfa_recovery_codes_renew(*, user: User, code: str) -> list[str]:
    """Ten new recovery codes replacing the old ones, confirmed by a current code."""
    checked = _check_current_code(user=user, code=code)
    if isinstance(checked, str):
        raise ValidationError({"code": checked})
    with transaction.atomic():
        codes = _issue_recovery_codes(user)
        audit.record(actor=user, action="mfa.recovery_codes_renew", obj=user)
    return codes


def mfa_disable(*, user: User, code: str) -> None:
    """A person whose role does not require it turns the second step off, with a current code."""
    if mfa_required(user):
        raise ValidationError(_("Vai trò của bạn bắt buộc xác thực hai bước: không thể tắt."))
    checked = _check_current_code(user=user, code=code)
    if isinstance(checked, str):
        raise ValidationError({"code": checked})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        audit.record(actor=user, action="mfa.disable", obj=user)
