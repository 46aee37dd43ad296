"""The form renderer of the product (``FORM_RENDERER``): Django's own templates, except for
the widgets every page carries — text boxes, selects, text areas and labels — which it
writes in Python, byte for byte what Django's templates write (tests/core/test_form_renderer.py
compares the two for every widget it covers).

Why: Django renders a widget through two or three nested templates, and a select through
one more per option; a list page's filter form (eight fields, a year and a status select
of a dozen options each) spent 5 to 10 ms there, a third of the page's rendering. Any
other template (radio buttons, check-box lists, error lists, multi-widgets, a project
template) still goes through the template engine, so a widget with its own template
renders as before."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

WIDGETS = "django/forms/widgets/"
# The widget templates whose whole body is {% include "django/forms/widgets/input.html" %}.
INPUT_TEMPLATES = frozenset(
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "search",
        "number",
        "email",
        "url",
        "tel",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "color",
        "checkbox",
        "file",
    )
)
SELECT_TEMPLATE = f"{WIDGETS}select.html"
OPTION_TEMPLATE = f"{WIDGETS}select_option.html"
TEXTAREA_TEMPLATE = f"{WIDGETS}textarea.html"
LABEL_TEMPLATE = "django/forms/label.html"


def _text(value: Any) -> str:
    """``{{ value|stringformat:'s' }}`` under autoescape: what is already safe stays as is."""
    return str(conditional_escape(value if hasattr(value, "__html__") else str(value)))


def _attrs(attrs: Mapping[str, Any] | None) -> str:
    """django/forms/widgets/attrs.html: False leaves the attribute out, True writes its
    name alone."""
    parts = []
    for name, value in (attrs or {}).items():
        if value is False:
            continue
        parts.append(
            f" {conditional_escape(name)}"
            if value is True
            else f' {conditional_escape(name)}="{_text(value)}"'
        )
    return "".join(parts)


def _input(widget: Mapping[str, Any]) -> str:
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def _options(optgroups: Iterable[tuple[Any, list[dict[str, Any]], int]]) -> str | None:
    """The options of select.html, or None when one of them has a template of its own."""
    parts = []
    for group_name, options, _index in optgroups:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            parts.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"  # the option template's last line
            )
        if group_name:
            parts.append("\n  </optgroup>")
    return "".join(parts)


def _select(widget: Mapping[str, Any]) -> str | None:
    options = _options(widget["optgroups"])
    if options is None:
        return None
    return (
        f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>{options}\n</select>'
    )


def _textarea(widget: Mapping[str, Any]) -> str:
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'
    )


def _label(context: Mapping[str, Any]) -> str:
    label = conditional_escape(context["label"])
    if not context["use_tag"]:
        return str(label)
    tag = conditional_escape(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{label}</{tag}>"


class FastRenderer(DjangoTemplates):
    """See the module docstring. The output is stripped as ``BaseRenderer.render`` strips it."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> SafeString:
        html: str | None = None
        if template_name in INPUT_TEMPLATES:
            html = _input(context["widget"])
        elif template_name == SELECT_TEMPLATE:
            html = _select(context["widget"])
        elif template_name == TEXTAREA_TEMPLATE:
            html = _textarea(context["widget"])
        elif template_name == LABEL_TEMPLATE:
            html = _label(context)
        if html is None:
            return mark_safe(super().render(template_name, context, request))
        # Safe: every value above went through conditional_escape.
        return mark_safe(html.strip())
