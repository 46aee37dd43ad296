"""The range a stored number may take, checked by the services.

The model fields carry the range (``MinValueValidator``/``MaxValueValidator``) and the forms
offer exactly it; ``save()`` never runs validators, so a service asks here before writing:
a number past the column (2147483648 in a PostgreSQL ``integer``) is refused with a message
instead of a database error."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models


def range_errors(obj: models.Model, *names: str) -> dict[str, str]:
    """The first refusal of each named field's validators, by field name."""
    errors: dict[str, str] = {}
    for name in names:
        value = getattr(obj, name)
        if value is None:
            continue
        try:
            obj._meta.get_field(name).run_validators(value)  # type: ignore[union-attr]
        except ValidationError as error:
            errors[name] = error.messages[0]
    return errors
