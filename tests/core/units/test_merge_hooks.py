"""Domain apps hand over what a merged unit still owes through hooks run inside the merger's
transaction (core imports no domain app)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from caicach.core.models import Unit, UnitKind
from caicach.core.units import services
from tests.conftest import Org, People, on_day
from tests.core.factories import make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls() -> Iterator[list[dict[str, Any]]]:
    seen: list[dict[str, Any]] = []
    saved = list(services._merge_hooks)
    yield seen
    services._merge_hooks[:] = saved


def _merge(org: Org, people: People) -> Unit:
    successor = make_unit(
        "XMOI", name="Ủy ban nhân dân xã Mới", kind=UnitKind.COMMUNE_COMMITTEE, parent=org.province
    )
    with on_day(datetime.date(2025, 6, 20)):
        return services.unit_merge(
            actor=people.admin,
            unit=org.commune,
            successor=successor,
            effective_date=datetime.date(2025, 7, 1),
            expected_version=org.commune.version,
        )


def test_a_registered_hook_runs_once_per_merger_with_the_unit_and_its_successor(
    org: Org, people: People, calls: list[dict[str, Any]]
) -> None:
    def hook(**kwargs: Any) -> None:
        calls.append(kwargs)

    services.on_unit_merge(hook)
    services.on_unit_merge(hook)
    merged = _merge(org, people)
    assert len(calls) == 1
    assert calls[0]["unit"].pk == merged.pk and calls[0]["successor"].pk == merged.successor_id
    assert calls[0]["effective_date"] == datetime.date(2025, 7, 1)


def test_a_hook_that_refuses_undoes_the_merger(org: Org, people: People, calls: list[dict[str, Any]]) -> None:
    def refuse(**kwargs: Any) -> None:
        raise ValidationError("Không thể chuyển.")

    services.on_unit_merge(refuse)
    with pytest.raises(ValidationError):
        _merge(org, people)
    org.commune.refresh_from_db()
    assert org.commune.successor_id is None and org.commune.valid_to is None
