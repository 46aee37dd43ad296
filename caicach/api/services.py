"""Writes of the API's own: making and revoking tokens, and their use (last use, the
security log). The domain writes go through each app's services, never here."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caicach.api.models import ApiToken
from caicach.api.scopes import ALL_SCOPES
from caicach.core import clock
from caicach.core.audit import services as audit
from caicach.core.mfa.queries import mfa_required
from caicach.core.models import SecurityKind, User
from caicach.core.permissions import authorize
from caicach.core.security import services as security_log

TOKEN_MARK = "cc"
# last_used_at is written at most this often: a busy integration must not turn every read
# into a write as well (the security log's one insert is the only cost of a use).
LAST_USED_RESOLUTION = datetime.timedelta(minutes=5)


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _new_secret() -> tuple[str, str]:
    """``(prefix, token)``: ``cc_<prefix>_<secret>``, 8 + 43 random URL-safe characters."""
    prefix = secrets.token_hex(4)
    return prefix, f"{TOKEN_MARK}_{prefix}_{secrets.token_urlsafe(32)}"


@transaction.atomic
def token_create(
    *,
    actor: User,
    user: User,
    name: str,
    scopes: list[str],
    expires_at: datetime.datetime,
    mfa_verified: bool,
) -> tuple[ApiToken, str]:
    """A token for ``user`` (``actor`` themself, or an administrator's service account), and
    its secret, which is shown this once and never stored. An actor whose role requires the
    two-step login makes tokens only from a session that passed it."""
    authorize(actor, "api.create_token", user)
    errors: dict[str, list[str]] = {}
    name = " ".join(name.split())
    if not name:
        errors["name"] = [_("Vui lòng đặt tên gợi nhớ cho mã (ví dụ: tên hệ thống sẽ dùng mã).")]
    elif len(name) > 100:
        errors["name"] = [_("Tên gợi nhớ tối đa 100 ký tự.")]
    scopes = sorted(set(scopes))
    if not scopes:
        errors["scopes"] = [_("Vui lòng chọn ít nhất một phạm vi.")]
    elif any(scope not in ALL_SCOPES for scope in scopes):
        errors["scopes"] = [_("Phạm vi không hợp lệ.")]
    now = clock.now()
    if expires_at <= now:
        errors["expires_at"] = [_("Ngày hết hạn phải sau hôm nay.")]
    elif expires_at > now + datetime.timedelta(days=settings.API_TOKEN_MAX_DAYS):
        errors["expires_at"] = [
            _("Mã có hiệu lực tối đa %(days)s ngày.") % {"days": settings.API_TOKEN_MAX_DAYS}
        ]
    if errors:
        raise ValidationError(errors)
    if mfa_required(actor) and not mfa_verified:
        raise ValidationError(_("Vai trò của bạn yêu cầu xác thực hai bước trước khi tạo mã truy cập API."))
    if not user.is_active:
        raise ValidationError(_("Tài khoản này đã bị khóa, không thể tạo mã."))
    prefix, raw = _new_secret()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        hash=digest(raw),
        scopes=scopes,
        expires_at=expires_at,
        created_by=actor,
        created_at=now,
    )
    audit.record(
        actor=actor,
        action="api_token.create",
        obj=token,
        message=_("Cho %(user)s, phạm vi: %(scopes)s, hết hạn %(day)s.")
        % {"user": user, "scopes": ", ".join(scopes), "day": f"{timezone.localdate(expires_at):%d/%m/%Y}"},
    )
    security_log.record(SecurityKind.API_TOKEN_CREATED, user=actor, obj=token, prefix=prefix, owner=user.pk)
    return token, raw


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke ``token`` at once; revoking a revoked token changes nothing."""
    authorize(actor, "revoke", token)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = clock.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor=actor, action="api_token.revoke", obj=token)
    security_log.record(SecurityKind.API_TOKEN_REVOKED, user=actor, obj=token, prefix=token.prefix)
    return token


def token_used(token: ApiToken) -> None:
    """Note a request made with ``token``: one security-log insert (written after the
    response), and the last use at most every few minutes."""
    now = clock.now()
    security_log.record(SecurityKind.API_TOKEN_USED, user=token.user, prefix=token.prefix)
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
