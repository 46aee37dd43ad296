"""Typed builders for tests and benchmarks (plain functions: mypy --strict sees real types)."""

from __future__ import annotations

import itertools
from typing import Any

from caicach.core.models import Membership, Unit, UnitKind, User

PASSWORD = "mat-khau-thu-nghiem"
_sequence = itertools.count(1)


def make_unit(code: str | None = None, **fields: Any) -> Unit:
    n = next(_sequence)
    values: dict[str, Any] = {
        "name": f"Đơn vị thử nghiệm {n}",
        "short_name": f"ĐV{n}",
        "kind": UnitKind.DEPARTMENT,
        "document_symbol": "SNV",
        "place_name": "Tây Ninh",
    }
    values.update(fields)
    unit, _ = Unit.objects.get_or_create(code=code or f"U{n:04d}", defaults=values)
    return unit


def make_user(username: str | None = None, *, unit: Unit | None = None, **fields: Any) -> User:
    n = next(_sequence)
    username = username or f"user{n}"
    values: dict[str, Any] = {"full_name": f"Nguyễn Văn Thử {n}", "email": f"{username}@example.org"}
    values.update(fields)
    user = User(username=username, unit=unit if unit is not None else make_unit(), **values)
    user.set_password(PASSWORD)
    user.save()
    return user


def person(username: str, unit: Unit, *roles: str, **fields: Any) -> User:
    """A user of ``unit`` holding ``roles`` there."""
    user = User.objects.filter(username=username).first() or make_user(username, unit=unit, **fields)
    for role in roles:
        Membership.objects.get_or_create(user=user, unit=unit, role=role)
    return user
