"""``{% error_summary form formset … %}``: every error of a posted page in one box at the top,
each a link to the field it belongs to, so a long form (the dossier, the monthly report) never
hides a problem below the fold and a screen reader hears all of them at once (WCAG 3.3.1).

It takes any number of forms and formsets. A field error links to its input (its label's
target, or the wrapper a multi-input widget carries the id on); a row's error links to the
field its code names (``validate_authors`` raises ``code="date_of_birth"`` for a birth date)
or to the row's first field; a formset's own errors link to its first row."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

register = template.Library()


@dataclass(frozen=True)
class SummaryEntry:
    message: str
    anchor: str  # an element id, or "" for an error that belongs to no field


def _field_anchor(field: forms.BoundField) -> str:
    return str(field.id_for_label or field.auto_id or "")


def _first_field_anchor(form: forms.BaseForm) -> str:
    fields = form.visible_fields()
    return _field_anchor(fields[0]) if fields else ""


def _non_field_anchor(form: forms.BaseForm, error: ValidationError) -> str:
    code = getattr(error, "code", None)
    if code and code in form.fields:
        return _field_anchor(form[code])
    return ""


def _form_entries(form: forms.BaseForm, row: int | None = None) -> list[SummaryEntry]:
    if not form.is_bound or not form.errors:
        return []
    entries: list[SummaryEntry] = []
    prefix = _("Dòng %(row)s") % {"row": row} + " · " if row is not None else ""
    non_field = form.errors.as_data().get(NON_FIELD_ERRORS, [])
    for error in non_field:
        for message in error.messages:
            anchor = _non_field_anchor(form, error) or (_first_field_anchor(form) if row is not None else "")
            entries.append(SummaryEntry(message, anchor))
    for field in form:
        if field.is_hidden:
            entries.extend(SummaryEntry(str(problem), "") for problem in field.errors)
            continue
        for problem in field.errors:
            entries.append(SummaryEntry(f"{prefix}{field.label}: {problem}", _field_anchor(field)))
    return entries


def _formset_entries(formset: forms.BaseFormSet) -> list[SummaryEntry]:  # type: ignore[type-arg]
    if not formset.is_bound:
        return []
    entries: list[SummaryEntry] = []
    first = next((f for f in formset.forms if f.visible_fields()), None)
    anchor = _first_field_anchor(first) if first is not None else ""
    entries.extend(SummaryEntry(str(message), anchor) for message in formset.non_form_errors())
    for number, form in enumerate(formset.forms, start=1):
        if formset.can_delete and getattr(form, "cleaned_data", {}).get("DELETE"):
            continue  # a row ticked "Xóa" is not judged by the formset either
        entries.extend(_form_entries(form, row=number))
    return entries


def summary_entries(items: Iterable[Any]) -> list[SummaryEntry]:
    """The entries of every form and formset given, in page order; None is skipped so a
    template can pass a formset that only some pages have."""
    entries: list[SummaryEntry] = []
    for item in items:
        if isinstance(item, forms.BaseFormSet):
            entries.extend(_formset_entries(item))
        elif isinstance(item, forms.BaseForm):
            entries.extend(_form_entries(item))
    return entries


@register.inclusion_tag("core/_error_summary.html")
def error_summary(*items: Any) -> dict[str, Any]:
    return {"entries": summary_entries(items)}
