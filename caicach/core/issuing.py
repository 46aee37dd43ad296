"""Issuing a numbered document is a deliberate act: the user first sees the draft (DOCX/PDF,
no number) and a confirmation page naming the exact number the document will take and what
will happen; only the confirming POST issues it.

A number is irreversible (Decree 30/2020, Art. 15: never given twice, never taken back), so
the confirmation carries the reference it showed. If someone else issued in between, the
number on offer has moved: the page says so and asks again instead of silently taking
another number. The check is made twice: here before the service runs, and again under the
register's row lock (``numbering.expecting``), so a race in between changes nothing either.

One view serves both steps::

    plan = IssuePlan(unit=..., document_type=..., year=..., title=..., consequences=[...],
                     cancel_url=obj_url)
    return issue_or_confirm(request, plan, perform=lambda: ...)  # perform: calls the service
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise

from caicach.core import numbering
from caicach.core.models import Unit

# The reference the confirmation page showed, sent back with the confirming POST.
EXPECTED_FIELD = "expected_reference"
# Fields of the confirmation form itself, never carried over as the service's input.
_OWN_FIELDS = {EXPECTED_FIELD, "csrfmiddlewaretoken"}


@dataclass(frozen=True)
class IssuePlan:
    """What a confirmation page announces: ``count`` documents (a batch of certificates) of
    ``unit``'s ``document_type`` register for ``year``."""

    unit: Unit
    document_type: str
    year: int
    title: str | Promise  # "Quyết định công nhận sáng kiến…"
    cancel_url: str
    consequences: Sequence[str | Promise] = ()
    previews: Sequence[tuple[str | Promise, str]] = ()  # (label, url) of the draft downloads
    # (label, url) of drafts made in the background (a PDF through LibreOffice): a POST that
    # starts the job, opened in a new tab so the confirmation stays where it is.
    preview_jobs: Sequence[tuple[str | Promise, str]] = ()
    drafting_unit: Unit | None = None
    count: int = 1
    button: str | Promise = ""
    # More checks without a number of their own (a date field the service will validate).
    notes: Sequence[str | Promise] = field(default_factory=tuple)

    @property
    def reference(self) -> str:
        return numbering.expected_reference(
            self.unit, self.document_type, self.year, drafting_unit=self.drafting_unit, count=self.count
        )

    def expected(self) -> numbering.Expected:
        return numbering.Expected(
            unit_id=self.unit.pk,
            document_type=self.document_type,
            year=self.year,
            number=numbering.expected_number(self.unit, self.document_type, self.year),
        )


def confirmation_page(
    request: HttpRequest, plan: IssuePlan, *, changed_from: str = "", status: int = 200
) -> HttpResponse:
    """The confirmation page: the number it will take, what happens, the draft's links, and
    a form re-posting the data the user entered (the issue date…) with the reference shown."""
    carried = [
        (name, value) for name, values in request.POST.lists() if name not in _OWN_FIELDS for value in values
    ]
    return render(
        request,
        "core/issue_confirm.html",
        {
            "plan": plan,
            "reference": plan.reference,
            "changed_from": changed_from,
            "carried": carried,
            "expected_field": EXPECTED_FIELD,
        },
        status=status,
    )


def issue_or_confirm(
    request: HttpRequest, plan: IssuePlan, *, perform: Callable[[], HttpResponse]
) -> HttpResponse:
    """GET, or a POST that has not confirmed this number: the confirmation page. A POST
    confirming the number still on offer: ``perform()`` (which calls the issuing service and
    answers), with the register held to that number."""
    sent = request.POST.get(EXPECTED_FIELD) if request.method == "POST" else None
    if sent is None:
        return confirmation_page(request, plan)
    if sent != plan.reference:
        return confirmation_page(request, plan, changed_from=sent, status=409)
    try:
        with numbering.expecting(plan.expected()):
            return perform()
    except numbering.NumberChanged:
        return confirmation_page(request, plan, changed_from=sent, status=409)
