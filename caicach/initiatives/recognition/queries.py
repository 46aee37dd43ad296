"""Reads for recognition: a campaign's outcomes, decisions and certificates loaded with what
the pages, the documents and the permission rules (``recognition.rules``) read, in a fixed
number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet

from caicach.core.choices import kept
from caicach.core.models import User
from caicach.core.permissions import can
from caicach.initiatives.models import (
    Authorship,
    Campaign,
    Certificate,
    Council,
    EffectivenessReport,
    Initiative,
    Recognition,
    RecognitionDecision,
)

_AUTHORS = Prefetch("initiative__authorships", queryset=Authorship.objects.order_by("position"))
_INITIATIVE = (
    "initiative__unit__parent",
    "initiative__campaign__issuing_unit__parent",
    "initiative__campaign__receiving_unit",
    "initiative__campaign__registered_document",
    "initiative__receipt",
    "initiative__confirmed_by",
)


def recognitions_with_relations() -> QuerySet[Recognition]:
    """Outcomes with their dossier (unit, campaign, authors), decision, refusal letter and
    certificate."""
    return Recognition.objects.select_related(
        *_INITIATIVE,
        "decision__registered_document",
        "decision__campaign__issuing_unit",
        "refusal_letter",
        "certificate__registered_document",
    ).prefetch_related(_AUTHORS)


def campaign_recognitions(campaign: Campaign) -> QuerySet[Recognition]:
    """The outcomes of ``campaign``: recognised first, then by dossier."""
    return (
        recognitions_with_relations()
        .filter(initiative__campaign=campaign)
        .order_by("-recognised", "initiative_id")
    )


@dataclass(frozen=True)
class RecognitionSummary:
    recognised: int = 0
    not_recognised: int = 0
    awaiting_decision: int = 0
    awaiting_certificate: int = 0
    awaiting_letter: int = 0
    certificates: int = 0


def recognition_summary(campaign: Campaign) -> RecognitionSummary:
    """Counts for the campaign page and the recognition page, in one query."""
    # Aliases must not shadow the model's fields ("recognised"): prefixed, then unprefixed.
    recognitions = Recognition.objects.filter(initiative__campaign=campaign)
    # A national campaign's recognitions are counted through its 200,000 dossiers (9 ms):
    # kept until a recognition or a dossier changes (caicach.core.choices.kept).
    counts = kept(
        [recognitions],
        lambda: recognitions.aggregate(
            n_recognised=Count("pk", filter=Q(recognised=True)),
            n_not_recognised=Count("pk", filter=Q(recognised=False)),
            n_awaiting_decision=Count("pk", filter=Q(recognised=True, decision__isnull=True)),
            n_awaiting_certificate=Count(
                "pk", filter=Q(recognised=True, decision__isnull=False, certificate__isnull=True)
            ),
            n_awaiting_letter=Count("pk", filter=Q(recognised=False, refusal_letter__isnull=True)),
            n_certificates=Count("certificate"),
        ),
        "recognition summary",
    )
    return RecognitionSummary(**{key.removeprefix("n_"): value or 0 for key, value in counts.items()})


def campaign_decisions(campaign: Campaign) -> QuerySet[RecognitionDecision]:
    return (
        RecognitionDecision.objects.filter(campaign=campaign)
        .select_related("registered_document")
        .annotate(initiative_count=Count("recognitions"))
        .order_by("-issued_on", "-pk")
    )


def decisions_with_relations() -> QuerySet[RecognitionDecision]:
    return RecognitionDecision.objects.select_related(
        "registered_document",
        "campaign__issuing_unit__parent",
        "campaign__receiving_unit",
        "campaign__registered_document",
    )


def decision_recognitions(decision: RecognitionDecision) -> list[Recognition]:
    """The initiatives a decision lists, in the order of its table."""
    return list(
        Recognition.objects.filter(decision=decision)
        .select_related("initiative__unit")
        .prefetch_related(_AUTHORS)
        .order_by("initiative_id")
    )


def recognitions_awaiting_decision(campaign: Campaign) -> list[Recognition]:
    """The initiatives the next decision of ``campaign`` will list: recognised by the council,
    in no decision yet, in the order of the decision's table."""
    return list(
        Recognition.objects.filter(initiative__campaign=campaign, recognised=True, decision__isnull=True)
        .select_related("initiative__unit")
        .prefetch_related(_AUTHORS)
        .order_by("initiative_id")
    )


def campaign_council(campaign_id: int) -> Council | None:
    return Council.objects.select_related("minutes").filter(campaign_id=campaign_id).first()


def certificates_with_relations() -> QuerySet[Certificate]:
    """Certificates with everything the PDF and the rules read."""
    return Certificate.objects.select_related(
        "registered_document__unit__parent",
        *(f"recognition__{path}" for path in _INITIATIVE),
        "recognition__decision__registered_document",
        "recognition__decision__campaign__issuing_unit__parent",
    ).prefetch_related(
        Prefetch("recognition__initiative__authorships", queryset=Authorship.objects.order_by("position"))
    )


def certificate_for_verification(code: str) -> Certificate | None:
    """The certificate carrying ``code``, with only what the public page shows: two queries
    (the certificate with its joins, then its authors) whether or not it exists."""
    return (
        Certificate.objects.select_related(
            "registered_document",
            "recognition__initiative__unit",
            "recognition__decision__registered_document",
            "recognition__decision__campaign__issuing_unit",
        )
        .prefetch_related(
            Prefetch(
                "recognition__initiative__authorships",
                queryset=Authorship.objects.only("initiative_id", "position", "full_name").order_by(
                    "position"
                ),
            )
        )
        .filter(verification_code=code)
        .first()
    )


def reports_with_relations() -> QuerySet[EffectivenessReport]:
    """Reports with their dossier (the paths are the same as a recognition's)."""
    return EffectivenessReport.objects.select_related(*_INITIATIVE, "created_by").prefetch_related(_AUTHORS)


def initiatives_for_report() -> QuerySet[Initiative]:
    """Dossiers as a new effectiveness report needs them, with what the rule and the
    prefilled form read."""
    return Initiative.objects.select_related(
        "unit__parent", "campaign__issuing_unit", "campaign__receiving_unit", "confirmed_by"
    ).prefetch_related(Prefetch("authorships", queryset=Authorship.objects.order_by("position")))


@dataclass
class DossierRecognition:
    """What the dossier page's recognition panel shows."""

    recognition: Recognition | None = None
    certificate: Certificate | None = None
    reports: list[EffectivenessReport] = field(default_factory=list)
    can_view: bool = False
    can_download_certificate: bool = False
    can_report: bool = False
    can_manage: bool = False


def dossier_recognition(user: User | AnonymousUser, initiative: Initiative) -> DossierRecognition:
    """The outcome of ``initiative`` for its page: two queries, however many reports."""
    recognition = (
        Recognition.objects.select_related(
            "decision__registered_document", "refusal_letter", "certificate__registered_document"
        )
        .filter(initiative=initiative)
        .first()
    )
    panel = DossierRecognition(can_report=can(user, "report_effectiveness", initiative))
    if recognition is None:
        return panel
    # The rules read the dossier, already loaded by the page.
    recognition.initiative = initiative
    panel.recognition = recognition
    panel.can_view = can(user, "view", recognition)
    if not panel.can_view:
        return panel
    panel.can_manage = can(user, "manage", recognition)
    try:
        certificate: Certificate | None = recognition.certificate
    except Certificate.DoesNotExist:
        certificate = None
    if certificate is not None:
        certificate.recognition = recognition
        panel.certificate = certificate
        panel.can_download_certificate = certificate.revoked_at is None and can(user, "download", certificate)
    panel.reports = list(initiative.effectiveness_reports.order_by("-created_at", "-pk"))
    return panel
