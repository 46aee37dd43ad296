"""The error summary every form page shows at the top: each error once, each a link to its
field, the rows of a formset named by their number; and every page with a posted form uses it."""

from __future__ import annotations

import re
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.template import Context, Template

import caicach
from caicach.core import chronology
from caicach.core.forms import VietnameseDateField
from caicach.core.templatetags.error_summary import SummaryEntry, summary_entries


class PersonForm(forms.Form):
    name = forms.CharField(label="Họ và tên")
    born = VietnameseDateField(label="Ngày sinh", required=False, span=chronology.BIRTH)
    fields_of_work = forms.MultipleChoiceField(
        label="Lĩnh vực", choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
    )

    def clean(self) -> None:
        raise ValidationError("Ngày sinh phải trước ngày vào làm.", code="born")


class TableFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        raise ValidationError("Tổng phải bằng 100%.")


RowFormSet = forms.formset_factory(PersonForm, formset=TableFormSet, extra=0)


def test_every_error_of_a_form_links_to_its_field() -> None:
    form = PersonForm({"name": "", "born": "31/02/1990"})
    entries = summary_entries([form])
    anchors = {e.anchor for e in entries}
    assert {"id_name", "id_born", "id_fields_of_work"} <= anchors
    # A form-wide error whose code names a field links to that field.
    assert SummaryEntry("Ngày sinh phải trước ngày vào làm.", "id_born") in entries
    assert entries[0].message == "Ngày sinh phải trước ngày vào làm."
    assert any(e.message.startswith("Họ và tên: ") for e in entries)


def test_formset_rows_are_numbered_and_the_table_error_links_to_the_first_row() -> None:
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-0-name": "An",
        "form-0-fields_of_work": "a",
        "form-1-name": "",
        "form-1-born": "không rõ",
        "form-1-fields_of_work": "b",
    }
    formset = RowFormSet(data)
    entries = summary_entries([None, formset])
    assert entries[0] == SummaryEntry("Tổng phải bằng 100%.", "id_form-0-name")
    assert (
        SummaryEntry(
            "Dòng 2 · Ngày sinh: " + str(VietnameseDateField.default_error_messages["invalid"]),
            "id_form-1-born",
        )
        in entries
    )
    assert any(e.message.startswith("Dòng 2 · Họ và tên: ") and e.anchor == "id_form-1-name" for e in entries)


def test_an_unbound_or_valid_form_shows_nothing() -> None:
    html = Template("{% load error_summary %}{% error_summary form %}").render(
        Context({"form": PersonForm()})
    )
    assert html.strip() == ""


def test_the_summary_renders_links_and_a_count() -> None:
    form = PersonForm({"name": "", "born": "", "fields_of_work": ["a"]})
    html = Template("{% load error_summary %}{% error_summary form %}").render(Context({"form": form}))
    assert 'class="error-summary" role="alert"' in html
    assert "Có 2 lỗi cần sửa:" in html
    assert '<a href="#id_name">' in html
    assert '<a href="#id_born">Ngày sinh phải trước ngày vào làm.</a>' in html


TEMPLATE_ROOT = Path(caicach.__file__).parent


def test_every_page_with_a_posted_form_uses_the_summary() -> None:
    """A template that renders a posted form's errors by hand must show the summary too
    (the shared field include carries it)."""
    missing = []
    for path in TEMPLATE_ROOT.glob("**/templates/**/*.html"):
        text = path.read_text()
        # A job's row errors (an import's report, beside the job's restart button) are not
        # a posted form's errors.
        if not re.search(r'method="post"', text) or not re.search(r"(?<!job)\.errors", text):
            continue
        if "error_summary" not in text and "_form_fields.html" not in text:
            missing.append(str(path.relative_to(TEMPLATE_ROOT)))
    assert missing == []


def test_every_formset_page_reports_the_table_in_the_summary() -> None:
    """A page with a formset names it in its summary (the rows' errors and the table's own),
    and its rows' field includes do not add a second summary of their own."""
    missing = []
    for path in TEMPLATE_ROOT.glob("**/templates/**/*.html"):
        text = path.read_text()
        match = re.search(r"\{\{ (\w+)\.management_form \}\}", text)
        if not match or path.name.startswith("_"):
            continue
        formset = match[1]
        if not re.search(r"\{% error_summary [^%]*\b" + formset + r"\b", text):
            missing.append(str(path.relative_to(TEMPLATE_ROOT)))
    assert missing == []


def test_a_row_ticked_for_deletion_is_not_reported() -> None:
    formset = forms.formset_factory(PersonForm, extra=0, can_delete=True)(
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "0",
            "form-0-born": "không rõ",
            "form-0-DELETE": "on",
        }
    )
    assert summary_entries([formset]) == []
