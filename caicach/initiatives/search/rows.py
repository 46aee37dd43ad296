"""The initiatives list's rows, written in Python and kept.

A page of 25 dossiers cost the template engine some 9 ms at national scale (350 µs a row: a
dozen lookups, a reversed URL, the authors' loop with ``floatformat``, the status badge's
comparisons), more than the list's queries; reading them again with their unit, campaign,
recognition and authors cost as much. So a page's rows are written once, as the markup the
template wrote (a test renders both and compares them), and kept by the page's keys until a
write to a table they read commits (``shown_rows``); the list numbers them as it shows
them (``initiative_rows`` tag)."""

from __future__ import annotations

from typing import NamedTuple

from django.db.models import Prefetch
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext

from caicach.core.choices import kept_while_read
from caicach.core.pagination import rows_by_key
from caicach.initiatives.models import Authorship, Initiative, InitiativeKind, InitiativeStatus
from caicach.initiatives.search.queries import ROW_COLUMNS, recognition_level

# The labels by value (Django's get_FOO_display builds this mapping on every call).
_KINDS = dict(InitiativeKind.choices)
_STATUSES = dict(InitiativeStatus.choices)

_BADGES: dict[str, str] = {
    InitiativeStatus.RECOGNISED.value: " badge-ok",
    InitiativeStatus.RETURNED.value: " badge-danger",
    InitiativeStatus.NOT_RECOGNISED.value: " badge-danger",
    InitiativeStatus.DRAFT.value: " badge-warn",
    InitiativeStatus.AWAITING_CONFIRMATION.value: " badge-warn",
}


class ShownRow(NamedTuple):
    """A dossier as a row of the list: its cells after the row's number (escaped markup)."""

    pk: int
    title: str
    cells: str


def shown_rows(ids: list[int]) -> list[ShownRow]:
    """The rows of the dossiers ``ids`` (a page of the list, in its order; the keys came
    through the reader's scope)."""

    def build() -> list[ShownRow]:
        outside = escape(gettext("Ngoài đợt phát động"))
        dossiers = (
            Initiative.objects.select_related("unit", "campaign", "recognition")
            .only(*ROW_COLUMNS)
            .prefetch_related(Prefetch("authorships", queryset=Authorship.objects.order_by("position")))
        )
        return [
            ShownRow(initiative.pk, initiative.title, row_cells(initiative, outside))
            for initiative in rows_by_key(dossiers, ids)
        ]

    return kept_while_read("initiative list: a page's rows", tuple(ids), build)


def row_cells(initiative: Initiative, outside: str) -> str:
    """A dossier's cells after its number: title and kind, unit, campaign, authors with
    their shares, status, day sent, recognition level (every value escaped)."""
    detail = reverse("initiatives:initiative_detail", args=[initiative.pk])
    unit = initiative.unit
    campaign = initiative.campaign
    if campaign is not None:
        title = Truncator(campaign.title).chars(60)
        campaign_cell = f'<a href="{escape(campaign.get_absolute_url())}">{escape(title)}</a>'
    else:
        campaign_cell = f'<span class="muted">{outside}</span>'
    authors = "; ".join(
        f"{escape(author.full_name)} ({floatformat(author.share, '-2')}%)"
        for author in initiative.authorships.all()
    )
    sent = initiative.submitted_at
    submitted = timezone.localtime(sent).strftime("%d/%m/%Y") if sent else ""
    return (
        f'<td><a href="{escape(detail)}">{escape(initiative.title)}</a>'
        f'<br><small class="muted">{escape(_KINDS.get(initiative.kind, initiative.kind))}</small></td>'
        f"<td>{escape(unit.short_name or unit.name)}</td>"
        f"<td>{campaign_cell}</td>"
        f"<td>{authors}</td>"
        f'<td><span class="badge{_BADGES.get(initiative.status, "")}">'
        f"{escape(_STATUSES.get(initiative.status, initiative.status))}</span></td>"
        f'<td class="nowrap">{submitted}</td>'
        f"<td>{escape(recognition_level(initiative))}</td>"
    )
