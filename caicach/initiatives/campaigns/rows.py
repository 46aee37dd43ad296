"""The campaign list's rows, written in Python and kept.

A page of 25 campaigns cost the template engine some 10 ms at national scale (a reversed
URL, a document's reference, two dates, a count and a status badge per row), more than
finding them; so they are written once and kept (``core.pagination.kept_rows``)."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.html import escape
from django.utils.translation import gettext

from caicach.core.pagination import MarkupRow, kept_rows, rows_by_key
from caicach.core.web import object_urls
from caicach.initiatives.dossiers.rules import eligible_count
from caicach.initiatives.models import Campaign, CampaignStatus

# The status badge's class, as the template gave it.
_BADGES = {CampaignStatus.PUBLISHED.value: "badge badge-ok", CampaignStatus.DRAFT.value: "badge badge-warn"}


def campaign_rows_of(ids: list[int]) -> list[MarkupRow]:
    """The rows of a page of the list from its keys, kept under them."""
    return kept_rows("campaign list: a page's rows", ids, lambda: _written(ids))


def _written(ids: list[int]) -> Iterator[tuple[int, str]]:
    campaigns = Campaign.objects.select_related("issuing_unit", "registered_document").annotate(
        eligible_count=eligible_count()
    )
    url = object_urls("initiatives:campaign_detail")
    unnumbered = f'<span class="muted">{escape(gettext("chưa cấp số"))}</span>'
    statuses = {value: escape(label) for value, label in CampaignStatus.choices}
    for campaign in rows_by_key(campaigns, ids):
        document, issuer = campaign.registered_document, campaign.issuing_unit
        yield (
            campaign.pk,
            (
                f"<tr><td>{escape(document.reference) if document is not None else unnumbered}</td>"
                f'<td><a href="{escape(url(campaign.pk))}">{escape(campaign.title)}</a></td>'
                f"<td>{escape(issuer.short_name or issuer.name)}</td>"
                f"<td>{campaign.window_start:%d/%m/%Y} – {campaign.window_end:%d/%m/%Y}</td>"
                f'<td class="num">{campaign.eligible_count}</td>'  # type: ignore[attr-defined]
                f'<td><span class="{_BADGES.get(campaign.status, "badge")}">'
                f"{statuses.get(campaign.status, escape(campaign.status))}</span></td></tr>"
            ),
        )
