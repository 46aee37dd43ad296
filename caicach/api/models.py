"""Personal API tokens and the replay memory of ``Idempotency-Key``.

A token is shown once, when it is made: only its SHA-256 digest is stored (``hash``), with
a short ``prefix`` that lists and the security log name it by. Its ``scopes`` say what it
may do, read or write per app (``["workprogram:write", "replication:read"]``); it acts as
its user, so every rule and every service's ``require()`` applies to it unchanged."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from caicach.core import clock


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("tên gợi nhớ"), max_length=100)
    prefix = models.CharField(_("tiền tố"), max_length=16, unique=True)
    hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("phạm vi"), default=list)
    expires_at = models.DateTimeField(_("hết hạn lúc"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > clock.now())


class IdempotencyKey(models.Model):
    """The first answer to a POST sent with an ``Idempotency-Key``: a retry with the same key
    by the same user gets it again instead of writing twice. Kept API_IDEMPOTENCY_HOURS."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # The operation and a digest of its body: the same key sent with another request is a
    # client's mistake, refused rather than answered with an unrelated response.
    request_digest = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField()

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["user", "key"], name="api_idempotency_key_unique")
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["expires_at"], name="api_idem_expires_idx")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"
