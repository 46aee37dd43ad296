"""The generated OpenAPI schema documents every operation: each has a Vietnamese summary and
its own response shapes. django-ninja names a component after its class, so two routers'
classes of one name would silently share one component (one router's answers then fail their
schema): every schema class of the API has a name of its own."""

from __future__ import annotations

import importlib
import pkgutil
from collections import Counter

from django.test import Client
from django.urls import URLPattern
from ninja import Schema

import caicach.api.routers
from caicach.api import errors, pagination
from caicach.api.api import api


def schema_classes() -> list[type[Schema]]:
    modules = [errors, pagination] + [
        importlib.import_module(f"caicach.api.routers.{info.name}")
        for info in pkgutil.iter_modules(caicach.api.routers.__path__)
    ]
    return [
        value
        for module in modules
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, Schema)
        and value is not Schema
        and value.__module__ == module.__name__
    ]


def test_every_schema_class_has_a_name_of_its_own() -> None:
    names = Counter(cls.__name__ for cls in schema_classes())
    assert len(names) > 20
    assert [name for name, count in names.items() if count > 1] == []


def test_every_operation_has_a_summary(db: None) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    operations = [
        (method, path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    assert len(operations) > 20
    missing = [f"{method.upper()} {path}" for method, path, op in operations if not op.get("summary")]
    assert missing == []


def test_every_operation_has_a_url_name_of_its_own() -> None:
    # ninja names a route after its function: two routers' ``initiative_list`` would make
    # reverse("api-v1:initiative_list") (the benchmark, the documentation links) find either.
    names = [pattern.name for pattern in api.urls[0] if isinstance(pattern, URLPattern) and pattern.name]
    assert len(names) > 20
    assert [name for name, count in Counter(names).items() if count > 1] == []


def test_every_schema_has_an_example_and_every_example_is_valid(db: None) -> None:
    # An enumeration documents itself (its values); every other component shows an example.
    components = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert len(components) > 50
    missing = [name for name, spec in components.items() if "enum" not in spec and not spec.get("examples")]
    assert missing == []
    for cls in schema_classes():
        extra = cls.model_config.get("json_schema_extra")
        if not isinstance(extra, dict):  # a page: built from its rows' examples
            continue
        examples = extra["examples"]
        assert isinstance(examples, list)
        for example in examples:
            cls.model_validate(example)  # raises on an example its own schema refuses
