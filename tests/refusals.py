"""The one way the suite proves an access refusal: the call raises PermissionDenied and
every table it could have touched reads the same afterwards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from caicach.core.models import AuditEvent, RegisteredDocument


def assert_refused(call: Callable[[], Any], state: Callable[[], Any]) -> None:
    """``state()`` is taken before and after; the audit trail and the register always
    count too (a refusal writes no event and takes no number)."""

    def snapshot() -> tuple[Any, ...]:
        return AuditEvent.objects.count(), RegisteredDocument.objects.count(), state()

    before = snapshot()
    with pytest.raises(PermissionDenied):
        call()
    assert snapshot() == before
