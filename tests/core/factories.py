"""Typed builders for tests and benchmarks (plain functions: mypy --strict sees real types)."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from caicach.core.models import DocumentType, Membership, RegisteredDocument, Unit, UnitKind, User
from caicach.core.numbering import register_number

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


def take_number(
    unit: Unit,
    day: datetime.date = datetime.date(2024, 5, 10),
    document_type: str = DocumentType.PLAN,
    actor: User | None = None,
) -> RegisteredDocument:
    """The unit's next number in the register (a plan, unless told otherwise)."""
    return register_number(
        unit=unit,
        document_type=document_type,
        year=day.year,
        title="Kế hoạch thử nghiệm",
        issued_on=day,
        actor=actor,
    )
