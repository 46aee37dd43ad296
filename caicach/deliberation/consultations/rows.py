"""The consultation list's rows, written in Python and kept.

A page of 25 consultations cost the template engine some 12 ms at national scale (a
reversed URL, three choices' labels and the committee's and lead unit's names per row), more
than finding them; so they are written once and kept (``core.pagination.kept_rows``)."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.html import escape
from django.utils.translation import gettext

from caicach.core.pagination import MarkupRow, kept_rows, rows_by_key
from caicach.core.web import object_urls
from caicach.deliberation.models import Consultation, ConsultationStatus, DraftKind, Result


def consultation_rows_of(ids: list[int]) -> list[MarkupRow]:
    """The rows of a page of the list from its keys, kept under them."""
    return kept_rows("consultation list: a page's rows", ids, lambda: _written(ids))


def _written(ids: list[int]) -> Iterator[tuple[int, str]]:
    consultations = rows_by_key(Consultation.objects.select_related("committee", "lead_unit"), ids)
    url = object_urls("deliberation:consultation_detail")
    secret = f' <span class="badge">{escape(gettext("Mật"))}</span>'
    # Each label translated once a page (``get_FOO_display`` builds its choices' dict per call).
    kinds = {value: escape(label) for value, label in DraftKind.choices}
    statuses = {value: escape(label) for value, label in ConsultationStatus.choices}
    results = {value: escape(label) for value, label in Result.choices}
    for consultation in consultations:
        committee, lead = consultation.committee, consultation.lead_unit
        status: str = statuses.get(consultation.status, escape(consultation.status))
        if consultation.result:
            status += f": {results.get(consultation.result, escape(consultation.result))}"
        deadline = f"{consultation.deadline:%d/%m/%Y}" if consultation.deadline else "—"
        yield (
            consultation.pk,
            (
                f'<tr><td><a href="{escape(url(consultation.pk))}">{escape(consultation.title)}</a>'
                f"{secret if consultation.is_secret else ''}<br>"
                f'<span class="muted">{kinds.get(consultation.kind, escape(consultation.kind))} · '
                f"{escape(committee.short_name or committee.name)}</span></td>"
                f"<td>{escape(lead.short_name or lead.name)}</td>"
                f"<td>{status}</td>"
                f"<td>{deadline}</td></tr>"
            ),
        )
