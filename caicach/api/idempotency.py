"""``Idempotency-Key`` on POST: the first answer is kept (API_IDEMPOTENCY_HOURS) and a retry
with the same key by the same user gets it again; nothing is written twice.

The key is claimed inside the write's own transaction (as ``caicach.core.once`` claims a
form's token): two retries racing wait on the unique key, and a write that fails rolls its
claim back with it, so the corrected request may use the key again."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from caicach.api.errors import ApiError
from caicach.api.models import IdempotencyKey
from caicach.core import clock
from caicach.core.models import User

HEADER = "Idempotency-Key"


def _request_digest(request: HttpRequest, payload: Any) -> str:
    body = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _replay(row: IdempotencyKey, digest: str) -> tuple[int, Any]:
    if row.request_digest != digest:
        raise ApiError(
            409,
            "idempotency_key_reused",
            _("Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác."),
        )
    return row.status_code, row.response


def run_once(
    request: HttpRequest, user: User, key: str | None, payload: Any, write: Callable[[], tuple[int, Any]]
) -> tuple[int, Any]:
    """``write()`` (returning status and JSON-ready body), at most once per ``key``."""
    if not key:
        with transaction.atomic():
            return write()
    key = key.strip()
    if not key or len(key) > 255:
        raise ApiError(400, "idempotency_key", _("Khóa Idempotency-Key phải có từ 1 đến 255 ký tự."))
    digest = _request_digest(request, payload)
    now = clock.now()
    IdempotencyKey.objects.filter(user=user, key=key, expires_at__lte=now).delete()
    existing = IdempotencyKey.objects.filter(user=user, key=key).first()
    if existing is not None:
        return _replay(existing, digest)
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(
                    user=user,
                    key=key,
                    request_digest=digest,
                    created_at=now,
                    expires_at=now + datetime.timedelta(hours=settings.API_IDEMPOTENCY_HOURS),
                )
        except IntegrityError:
            # On PostgreSQL the insert waited for the first request's transaction: its row
            # and answer are committed and visible now.
            first = IdempotencyKey.objects.filter(user=user, key=key).first()
            if first is None:  # the first one failed and rolled back: the caller may retry
                raise ApiError(
                    409, "idempotency_conflict", _("Yêu cầu đang được xử lý. Vui lòng thử lại.")
                ) from None
            return _replay(first, digest)
        status, body = write()
        row.status_code = status
        row.response = body
        row.save(update_fields=["status_code", "response"])
        return status, body


@transaction.atomic
def purge_expired() -> int:
    return IdempotencyKey.objects.filter(expires_at__lt=clock.now()).delete()[0]
