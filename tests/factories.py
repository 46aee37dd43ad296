"""Factories for tests and benchmarks."""

from __future__ import annotations

from typing import Any

import factory

from caicach.core.models import Membership, Role, Unit, UnitKind, User


class UnitFactory(factory.django.DjangoModelFactory):  # type: ignore[misc]
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"Đơn vị thử nghiệm {n}")
    short_name = factory.Sequence(lambda n: f"ĐV{n}")
    kind = UnitKind.DEPARTMENT
    document_symbol = "SNV"
    place_name = "Tây Ninh"


class UserFactory(factory.django.DjangoModelFactory):  # type: ignore[misc]
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    unit = factory.SubFactory(UnitFactory)
    password = factory.django.Password("mat-khau-thu-nghiem")


def person(username: str, unit: Unit, *roles: str, **extra: Any) -> User:
    """A user of ``unit`` holding ``roles`` there."""
    user: User = UserFactory(username=username, unit=unit, **extra)
    for role in roles:
        Membership.objects.get_or_create(user=user, unit=unit, role=role)
    return user


__all__ = ["Role", "UnitFactory", "UserFactory", "person"]
