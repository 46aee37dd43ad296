"""The campaign list's rows, written in Python and kept.

A page of 25 campaigns cost the template engine some 10 ms at national scale (a reversed
URL, a document's reference, two dates, a count and a status badge per row), more than
finding them. So a page's rows are written once, as the markup the template wrote (a test
renders both and compares them), and kept by the page's keys until a write to a table they
read commits (``campaign_rows_of``). A row is the same to anyone who may see the campaign;
who may is in the keys, which only the reader's scope found."""

from __future__ import annotations

from typing import NamedTuple

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from caicach.core.choices import kept_while_read
from caicach.core.pagination import rows_by_key
from caicach.core.web import object_urls
from caicach.initiatives.dossiers.rules import eligible_count
from caicach.initiatives.models import Campaign, CampaignStatus

# The status badge's class, as the template gave it.
_BADGES = {CampaignStatus.PUBLISHED.value: "badge badge-ok", CampaignStatus.DRAFT.value: "badge badge-warn"}


class ShownCampaign(NamedTuple):
    """A campaign as a row of the list (escaped markup)."""

    pk: int
    markup: SafeString


def campaign_rows_of(ids: list[int]) -> list[ShownCampaign]:
    """The rows of a page of the list from its keys, kept under them."""
    return kept_while_read("campaign list: a page's rows", tuple(ids), lambda: _written(ids))


def _written(ids: list[int]) -> list[ShownCampaign]:
    campaigns = Campaign.objects.select_related("issuing_unit", "registered_document").annotate(
        eligible_count=eligible_count()
    )
    url = object_urls("initiatives:campaign_detail")
    unnumbered = f'<span class="muted">{escape(gettext("chưa cấp số"))}</span>'
    statuses = {value: escape(label) for value, label in CampaignStatus.choices}
    shown = []
    for campaign in rows_by_key(campaigns, ids):
        document, issuer = campaign.registered_document, campaign.issuing_unit
        markup = (
            f"<tr><td>{escape(document.reference) if document is not None else unnumbered}</td>"
            f'<td><a href="{escape(url(campaign.pk))}">{escape(campaign.title)}</a></td>'
            f"<td>{escape(issuer.short_name or issuer.name)}</td>"
            f"<td>{campaign.window_start:%d/%m/%Y} – {campaign.window_end:%d/%m/%Y}</td>"
            f'<td class="num">{campaign.eligible_count}</td>'  # type: ignore[attr-defined]
            f'<td><span class="{_BADGES.get(campaign.status, "badge")}">'
            f"{statuses.get(campaign.status, escape(campaign.status))}</span></td></tr>"
        )
        shown.append(ShownCampaign(campaign.pk, mark_safe(markup)))  # escaped above
    return shown
