"""The product's form renderer writes, in Python, exactly what Django's widget templates write
(caicach.core.form_renderer): the same forms rendered by both renderers must be equal, byte
for byte, for every widget it covers and for those it hands back to the templates."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from caicach.core.chronology import PLANNED
from caicach.core.form_renderer import FastRenderer
from caicach.core.forms import VietnameseDateField

HOSTILE = "\"><script>alert(1)</script> & 'x'"

CHOICES = [
    ("", "Tất cả"),
    ("a", 'Đơn <vị> & "một"'),
    (gettext_lazy("Nhóm"), [("b", "Hai"), ("c", mark_safe("<b>Ba</b>"))]),
    ("d", gettext_lazy("Bốn")),
]


class EveryWidget(forms.Form):
    text = forms.CharField(
        label="Tên <đơn vị>",
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": HOSTILE, "autofocus": True, "hidden": False}),
    )
    search = forms.CharField(required=False, widget=forms.SearchInput(attrs={"data-x": 0}))
    number = forms.IntegerField(min_value=1, max_value=9)
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    tel = forms.CharField(required=False, widget=forms.TelInput)
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput)
    date = VietnameseDateField(span=PLANNED, required=False)
    native_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    stamp = forms.DateTimeField(required=False)
    hour = forms.TimeField(required=False)
    colour = forms.CharField(required=False, widget=forms.ColorInput)
    agreed = forms.BooleanField(required=False, label_suffix="?")
    upload = forms.FileField(required=False)
    kept_upload = forms.FileField(required=False, widget=forms.ClearableFileInput)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    choice = forms.ChoiceField(choices=CHOICES, required=False)
    several = forms.MultipleChoiceField(choices=CHOICES, required=False)
    maybe = forms.NullBooleanField(required=False)
    radio = forms.ChoiceField(choices=CHOICES[1:2], widget=forms.RadioSelect, required=False)
    boxes = forms.MultipleChoiceField(
        choices=CHOICES[1:2], widget=forms.CheckboxSelectMultiple, required=False
    )
    split = forms.SplitDateTimeField(required=False)


BOUND = {
    "text": HOSTILE,
    "search": "nâng cao",
    "number": "12",
    "email": "a@b",
    "password": "<secret>",
    "hidden": "7",
    "date": "31/02/2026",
    "native_date": "2026-01-05",
    "agreed": "on",
    "note": "dòng một\n<dòng hai> & ba",
    "choice": "c",
    "several": ["a", "c"],
    "maybe": "true",
    "radio": "a",
    "boxes": ["a"],
}


def _rendered(form_kwargs: dict[str, object], renderer: object) -> list[str]:
    form = EveryWidget(renderer=renderer, **form_kwargs)  # type: ignore[arg-type]
    form.is_valid()
    rendered = []
    for bound in form:
        rendered += [str(bound), str(bound.label_tag()), str(bound.legend_tag()), str(bound.as_field_group())]
    return rendered


@pytest.mark.parametrize(
    "form_kwargs",
    [
        {},
        {"data": BOUND},
        {"data": BOUND, "auto_id": False},
        {"initial": {"text": mark_safe("<i>sẵn</i>"), "date": datetime.date(2026, 2, 5), "agreed": True}},
        {"prefix": "loc", "label_suffix": ""},
    ],
    ids=["unbound", "bound", "no-ids", "initial", "prefixed"],
)
def test_the_python_widgets_write_what_the_templates_write(form_kwargs: dict[str, object]) -> None:
    fast = _rendered(form_kwargs, FastRenderer())
    templates = _rendered(form_kwargs, DjangoTemplates())
    assert len(fast) == len(templates) > 0
    for mine, theirs in zip(fast, templates, strict=True):
        assert mine == theirs


def test_the_product_renders_its_forms_with_it() -> None:
    assert settings.FORM_RENDERER == "caicach.core.form_renderer.FastRenderer"
    assert isinstance(get_default_renderer(), FastRenderer)


def test_a_hostile_value_is_escaped() -> None:
    html = str(EveryWidget(data=BOUND)["text"])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
