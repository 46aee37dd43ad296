"""The consultation list's rows, written in Python and kept.

A page of 25 consultations cost the template engine some 12 ms at national scale (a
reversed URL, three choices' labels and the committee's and lead unit's names per row), more
than finding them. So a page's rows are written once, as the markup the template wrote (a
test renders both and compares them), and kept by the page's keys until a write to a table
they read commits (``consultation_rows_of``). A row is the same to anyone who may see the
consultation; who may is in the keys, which only the reader's scope found."""

from __future__ import annotations

from typing import NamedTuple

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from caicach.core.choices import kept_while_read
from caicach.core.pagination import rows_by_key
from caicach.core.web import object_urls
from caicach.deliberation.models import Consultation, ConsultationStatus, DraftKind, Result


class ShownConsultation(NamedTuple):
    """A consultation as a row of the list (escaped markup)."""

    pk: int
    markup: SafeString


def consultation_rows_of(ids: list[int]) -> list[ShownConsultation]:
    """The rows of a page of the list from its keys, kept under them."""
    return kept_while_read("consultation list: a page's rows", tuple(ids), lambda: _written(ids))


def _written(ids: list[int]) -> list[ShownConsultation]:
    consultations = rows_by_key(Consultation.objects.select_related("committee", "lead_unit"), ids)
    url = object_urls("deliberation:consultation_detail")
    secret = f' <span class="badge">{escape(gettext("Mật"))}</span>'
    # Each label translated once a page (``get_FOO_display`` builds its choices' dict per call).
    kinds = {value: escape(label) for value, label in DraftKind.choices}
    statuses = {value: escape(label) for value, label in ConsultationStatus.choices}
    results = {value: escape(label) for value, label in Result.choices}
    shown = []
    for consultation in consultations:
        committee, lead = consultation.committee, consultation.lead_unit
        status: str = statuses.get(consultation.status, escape(consultation.status))
        if consultation.result:
            status += f": {results.get(consultation.result, escape(consultation.result))}"
        deadline = f"{consultation.deadline:%d/%m/%Y}" if consultation.deadline else "—"
        markup = (
            f'<tr><td><a href="{escape(url(consultation.pk))}">{escape(consultation.title)}</a>'
            f"{secret if consultation.is_secret else ''}<br>"
            f'<span class="muted">{kinds.get(consultation.kind, escape(consultation.kind))} · '
            f"{escape(committee.short_name or committee.name)}</span></td>"
            f"<td>{escape(lead.short_name or lead.name)}</td>"
            f"<td>{status}</td>"
            f"<td>{deadline}</td></tr>"
        )
        shown.append(ShownConsultation(consultation.pk, mark_safe(markup)))  # escaped above
    return shown
