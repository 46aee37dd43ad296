"""The security log's one writer: ``record(kind, *, request=None, user=None, obj=None, **detail)``.

Every event also goes to the ``caicach.security`` logger (the server's console under
gunicorn), then to the ``SecurityEvent`` table, which is append-only and searched by the
system administrators (``caicach.core.security.views``).

Refusals are recorded where they are raised, and that is often inside a transaction that
the refusal then rolls back (a service's ``authorize()``): a row written there would vanish
with it. So, within a request, events are kept aside and written by
``SecurityLogMiddleware`` once the view has returned or raised, outside any transaction of
the view's. Outside a request (a job, a command, a test calling a service) the row is
written at once."""

from __future__ import annotations

import datetime
import logging
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, models, transaction
from django.http import HttpRequest

from caicach.core import clock
from caicach.core.middleware import client_ip, current_client_ip
from caicach.core.models import SecurityEvent, SecurityKind, User

logger = logging.getLogger("caicach.security")

# Failed logins and refusals are what an attacker repeats: warnings; the rest is information.
WARNING_KINDS = frozenset(
    {
        SecurityKind.LOGIN_FAILED,
        SecurityKind.LOGIN_THROTTLED,
        SecurityKind.LOGIN_LOCKED,
        SecurityKind.ACCESS_DENIED,
        SecurityKind.ACTION_DENIED,
        SecurityKind.MFA_FAILED,
        SecurityKind.API_TOKEN_REFUSED,
    }
)


@dataclass
class RequestScope:
    request: HttpRequest
    pending: list[SecurityEvent] = field(default_factory=list)


_scope: ContextVar[RequestScope | None] = ContextVar("caicach_security_scope", default=None)


def _signed_in(candidate: User | AnonymousUser | None) -> User | None:
    return candidate if isinstance(candidate, User) and candidate.is_authenticated else None


def record(
    kind: str,
    *,
    request: HttpRequest | None = None,
    user: User | AnonymousUser | None = None,
    obj: models.Model | None = None,
    username: str = "",
    **detail: Any,
) -> SecurityEvent:
    """Log one security event. ``request`` defaults to the current one (its address, path
    and signed-in user fill what is not given); ``username`` is the name as typed when it
    differs from the user's (a login form); ``detail`` is stored as JSON."""
    if kind not in SecurityKind.values:
        raise ValueError(f"Unknown security event kind: {kind}")
    scope = _scope.get()
    request = request or (scope.request if scope else None)
    person = _signed_in(user) or _signed_in(getattr(request, "user", None))
    event = SecurityEvent(
        created_at=clock.now(),
        kind=kind,
        user_id=person.pk if person else None,
        username=(username or (person.get_username() if person else ""))[:150],
        ip_address=client_ip(request) if request is not None else current_client_ip(),
        path=request.get_full_path()[:500] if request is not None else "",
        detail=detail,
    )
    if obj is not None and obj.pk is not None:
        event.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
        event.object_id = str(obj.pk)[:64]
        event.object_repr = str(obj)[:255]
    # Set here as save() would: kept-aside events are written with bulk_create.
    event.search_text = event.build_search_text()
    logger.log(
        logging.WARNING if kind in WARNING_KINDS else logging.INFO,
        "%s user=%s ip=%s path=%s object=%s detail=%s",
        kind,
        event.username or "-",
        event.ip_address or "-",
        event.path or "-",
        f"{event.content_type_id}:{event.object_id}" if event.object_id else "-",
        detail,
    )
    if scope is not None:
        scope.pending.append(event)
    else:
        event.save()
    return event


def flush(scope: RequestScope) -> None:
    """Write the events a request kept aside (``SecurityLogMiddleware``). A database that
    refuses them does not turn the visitor's answer into an error: the logger line above
    already holds each event, and the failure is logged beside it."""
    if not scope.pending:
        return
    try:
        with transaction.atomic():
            SecurityEvent.objects.bulk_create(scope.pending)
    except DatabaseError:
        logger.exception("security log: %d events could not be written", len(scope.pending))
    scope.pending.clear()


def enter_request(request: HttpRequest) -> tuple[RequestScope, object]:
    scope = RequestScope(request=request)
    return scope, _scope.set(scope)


def leave_request(token: object) -> None:
    _scope.reset(token)  # type: ignore[arg-type]


def retention_cutoff() -> datetime.datetime:
    return clock.now() - datetime.timedelta(days=settings.SECURITY_LOG_RETENTION_DAYS)


def purge_expired() -> int:
    """Delete the events past retention (the daily run); the one delete of the log."""
    return SecurityEvent.objects.purge_expired(retention_cutoff())
