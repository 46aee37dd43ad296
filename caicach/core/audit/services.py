"""The audit trail: every service records what changed, who, when and from where, inside
the service's own transaction (so a rolled-back change leaves no event, and no change
escapes without one)."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from caicach.core import choices
from caicach.core.middleware import current_client_ip
from caicach.core.models import AuditEvent, User

Changes = dict[str, list[Any]]


def _plain(value: Any) -> Any:
    """A JSON-safe rendering of a field value for the before/after record."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Field values (FKs by their id) taken before a change, to diff against afterwards."""
    values: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        values[name] = getattr(obj, attname)
    return values


def diff(before: dict[str, Any], obj: models.Model) -> Changes:
    """{field: [before, after]} for the fields in ``before`` whose value changed."""
    after = snapshot(obj, before.keys())
    return {
        name: [_plain(before[name]), _plain(after[name])] for name in before if before[name] != after[name]
    }


def record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    changes: Changes | None = None,
    message: str = "",
) -> AuditEvent:
    """Append one event. Must be called inside the service's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must run inside the service's transaction")
    content_type = (
        ContentType.objects.get_for_model(obj, for_concrete_model=True) if obj is not None else None
    )
    if obj is not None:
        # A write may change what a picker offers (a new unit, a task's lead unit, a renamed
        # person): the kept option lists reading its table are forgotten when it commits.
        choices.renew_on_commit(obj._meta.db_table)
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=str(actor) if actor is not None and actor.pk else "",
        action=action,
        content_type=content_type,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        changes={k: [_plain(v) for v in pair] for k, pair in (changes or {}).items()},
        message=message,
        ip_address=current_client_ip(),
    )
