"""What the workflow partials need beyond the page's own object: which buttons this user
may press, what is still missing before sending, which documents exist. A fixed number of
queries (the rules read what the page query already loaded)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.translation import gettext as _

from caicach.core.models import User
from caicach.core.permissions import can
from caicach.initiatives.dossiers.queries import field_label, missing_fields, received_count
from caicach.initiatives.dossiers.rules import may_read_document
from caicach.initiatives.models import Campaign, Initiative, InitiativeKind
from caicach.initiatives.workflow.forms import AcceptForm, ConfirmForm, SendBackForm

register = template.Library()


@dataclass(frozen=True)
class DocumentLink:
    label: str
    docx_url: str
    pdf_url: str


def _documents(user: User | AnonymousUser, initiative: Initiative) -> list[DocumentLink]:
    kinds = [
        ("application", _("Đơn yêu cầu công nhận sáng kiến")),
        (
            "description",
            _("Báo cáo sáng kiến kinh nghiệm")
            if initiative.kind == InitiativeKind.EXPERIENCE
            else _("Thuyết minh mô tả giải pháp"),
        ),
    ]
    if initiative.receipt_id is not None:
        kinds.append(("receipt", _("Giấy biên nhận")))
    return [
        DocumentLink(
            label=str(label),
            docx_url=reverse("initiatives:initiative_document", kwargs={"pk": initiative.pk, "kind": kind}),
            pdf_url=reverse(
                "initiatives:initiative_document_pdf", kwargs={"pk": initiative.pk, "kind": kind}
            ),
        )
        for kind, label in kinds
        if may_read_document(user, initiative, kind)
    ]


@register.simple_tag(takes_context=True)
def dossier_workflow(context: template.Context, initiative: Initiative) -> dict[str, Any]:
    """``{% dossier_workflow initiative as workflow %}``."""
    user = context.get("user") or context["request"].user
    # A dossier outside any campaign is refused on sending (no council would see it): the
    # page says so (``orphan``) instead of offering a button that cannot succeed.
    orphan = initiative.campaign_id is None and initiative.receipt_id is None
    can_submit = can(user, "submit", initiative) and not orphan
    return {
        "orphan": orphan,
        "can_submit": can_submit,
        "can_confirm": can(user, "confirm", initiative),
        "can_receive": can(user, "receive", initiative),
        "missing": [field_label(name) for name in missing_fields(initiative)] if can_submit else [],
        "confirm_form": ConfirmForm(),
        "send_back_form": SendBackForm(),
        "accept_form": AcceptForm(),
        "documents": _documents(user, initiative),
    }


@register.simple_tag(takes_context=True)
def campaign_zip(context: template.Context, campaign: Campaign) -> dict[str, Any]:
    """``{% campaign_zip campaign as zip %}``: whether this user may pack the campaign's
    dossiers, and how many they would get."""
    user = context.get("user") or context["request"].user
    if not can(user, "change", campaign):
        return {"can_start": False, "count": 0}
    return {"can_start": True, "count": received_count(campaign)}
