"""Reads for the two-step login: who must use it, who has it, what an authenticator app scans."""

from __future__ import annotations

import hashlib
import re
from base64 import b32encode
from binascii import unhexlify
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from caicach.core.audit.queries import register_action_labels
from caicach.core.models import RecoveryCode, User
from caicach.core.permissions import principal

# The session owes its second step since the password step (set by the login view): the
# login is completed (and audited) only once the code is given or the device enrolled.
PENDING_LOGIN_KEY = "caicach_mfa_pending_login"
# Recovery codes just made, shown once on the next page and then dropped from the session.
NEW_CODES_KEY = "caicach_mfa_new_codes"
# The secret offered on the enrolment page, kept until the first code confirms it.
ENROL_KEY_KEY = "caicach_mfa_enrol_key"

ACTION_LABELS = {
    "mfa.enrol": _("Bật xác thực hai bước"),
    "mfa.verify": _("Xác thực hai bước thành công"),
    "mfa.failure": _("Nhập sai mã xác thực hai bước"),
    "mfa.recovery_code_used": _("Dùng mã khôi phục"),
    "mfa.reset": _("Đặt lại xác thực hai bước"),
    "mfa.recovery_codes_renew": _("Tạo bộ mã khôi phục mới"),
    "mfa.disable": _("Tắt xác thực hai bước"),
}
register_action_labels(ACTION_LABELS)

_SEPARATORS = re.compile(r"[\s\-]+")


def mfa_required(user: User) -> bool:
    """Whether one of the user's active roles is in MFA_REQUIRED_ROLES (a superuser counts
    as a system administrator)."""
    required = set(settings.MFA_REQUIRED_ROLES)
    if not required:
        return False
    who = principal(user)
    if who is None:
        return False
    if "system_admin" in required and who.is_admin:
        return True
    return any(role in required for role, _unit in who.grants)


def totp_device(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator, if they enrolled one."""
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return device


def has_device(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def second_step_due(user: User) -> bool:
    """After the password: a code from the enrolled device, or the enrolment a role requires."""
    return has_device(user) or mfa_required(user)


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


@dataclass(frozen=True)
class Status:
    enrolled: bool
    required: bool
    recovery_codes_left: int


def status(user: User) -> Status:
    """What the profile shows, in one query."""
    unused = (
        RecoveryCode.objects.filter(user=OuterRef("pk"), used_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(count=Count("pk"))
        .values("count")
    )
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            enrolled=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            codes_left=Coalesce(Subquery(unused), 0),
        )
        .values("enrolled", "codes_left")
        .get()
    )
    return Status(
        enrolled=bool(row["enrolled"]),
        required=mfa_required(user),
        recovery_codes_left=int(row["codes_left"]),
    )


def normalise_code(code: str) -> str:
    """What the person typed, without spaces or dashes, in lower case."""
    return _SEPARATORS.sub("", code).lower()


def is_totp_code(code: str) -> bool:
    return len(code) == 6 and code.isdigit()


def recovery_digest(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def secret_text(hex_key: str) -> str:
    """The secret as authenticator apps accept it typed by hand: base32, in groups of four."""
    encoded = b32encode(unhexlify(hex_key)).decode().rstrip("=")
    return " ".join(encoded[i : i + 4] for i in range(0, len(encoded), 4))


def provisioning_uri(hex_key: str, username: str) -> str:
    """The otpauth:// address the QR code carries (Google's Key URI format)."""
    issuer = str(settings.OTP_TOTP_ISSUER).replace(":", "")
    label = quote(f"{issuer}:{username}")
    params = urlencode(
        {"secret": b32encode(unhexlify(hex_key)).decode().rstrip("="), "digits": 6, "period": 30}
    )
    return f"otpauth://totp/{label}?{params}&issuer={quote(issuer)}"


def qr_svg(uri: str) -> str:
    """The QR code as inline SVG (no image request, no inline style)."""
    svg: str = segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff")
    return svg
