"""What the recognition partials need beyond the page's own object: the dossier's outcome,
certificate and effectiveness reports; the campaign's recognition counts. A fixed number of
queries each (the rules read what the page already loaded)."""

from __future__ import annotations

from typing import Any

from django import template

from caicach.core.permissions import can
from caicach.initiatives.models import Campaign, Initiative, display_code
from caicach.initiatives.recognition.queries import (
    DossierRecognition,
    RecognitionSummary,
    dossier_recognition,
    recognition_summary,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def recognition_panel(context: dict[str, Any], initiative: Initiative) -> DossierRecognition:
    """``{% recognition_panel initiative as panel %}``: two queries."""
    return dossier_recognition(context["request"].user, initiative)


@register.simple_tag(takes_context=True)
def campaign_recognition(context: dict[str, Any], campaign: Campaign) -> RecognitionSummary | None:
    """``{% campaign_recognition campaign as summary %}``: the counts for the campaign's
    managers (one query), None for anybody else."""
    if not can(context["request"].user, "change", campaign):
        return None
    return recognition_summary(campaign)


@register.filter
def verification_code(code: str) -> str:
    """``{{ certificate.verification_code|verification_code }}`` → "ABCD-EFGH-JKMN"."""
    return display_code(code)
