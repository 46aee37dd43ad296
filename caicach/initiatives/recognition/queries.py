"""Reads for recognition: a campaign's outcomes, decisions and certificates loaded with what
the pages, the documents and the permission rules (``recognition.rules``) read, in a fixed
number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse

from caicach.core.choices import kept, kept_while_read
from caicach.core.document_numbers import reference
from caicach.core.models import User
from caicach.core.pagination import CappedPaginator
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
    RecognitionLevel,
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


RECOGNITIONS_PER_PAGE = 25


class RecognitionRow(NamedTuple):
    """One outcome as the recognition page's table shows it: the dossier, its authors, the
    vote, and the documents issued or still to issue (``None``: not issued)."""

    pk: int
    initiative_url: str
    title: str
    unit_name: str
    authors: tuple[str, ...]
    recognised: bool
    level_label: str
    votes_for: int
    members_present: int
    reasons: str
    decision_reference: str | None
    certificate_pk: int | None
    certificate_reference: str
    certificate_revoked: bool
    verification_code: str
    refusal_reference: str | None


def _reference_or_none(number: int | None, symbol: str | None) -> str | None:
    return None if number is None or symbol is None else reference(number, symbol)


def _recognition_rows(ids: list[int]) -> list[RecognitionRow]:
    """The outcomes ``ids``, in that order, read as values: no model rows (each outcome
    joined to its dossier, unit, campaign, decision and certificate cost 1 ms a row)."""
    authors: dict[int, list[str]] = {}
    for recognition_id, name in (
        Authorship.objects.filter(initiative__recognition__in=ids)
        .order_by("initiative_id", "position")
        .values_list("initiative__recognition", "full_name")
    ):
        authors.setdefault(recognition_id, []).append(name)
    fields = (
        "pk", "initiative_id", "initiative__title", "initiative__unit__name", "recognised", "level",
        "votes_for", "members_present", "reasons",
        "decision__registered_document__number", "decision__registered_document__symbol",
        "certificate__pk", "certificate__registered_document__number",
        "certificate__registered_document__symbol", "certificate__revoked_at",
        "certificate__verification_code",
        "refusal_letter__number", "refusal_letter__symbol",
    )  # fmt: skip
    by_pk: dict[int, RecognitionRow] = {}
    for (
        pk, initiative_id, title, unit_name, recognised, level, votes_for, members_present, reasons,
        decision_number, decision_symbol, certificate_pk, certificate_number, certificate_symbol,
        revoked_at, code, refusal_number, refusal_symbol,
    ) in Recognition.objects.filter(pk__in=ids).values_list(*fields):  # fmt: skip
        by_pk[pk] = RecognitionRow(
            pk=pk,
            initiative_url=reverse("initiatives:initiative_detail", args=[initiative_id]),
            title=title,
            unit_name=unit_name,
            authors=tuple(authors.get(pk, ())),
            recognised=recognised,
            level_label=str(RecognitionLevel(level).label) if level else "",
            votes_for=votes_for,
            members_present=members_present,
            reasons=reasons,
            decision_reference=_reference_or_none(decision_number, decision_symbol),
            certificate_pk=certificate_pk,
            certificate_reference=_reference_or_none(certificate_number, certificate_symbol) or "",
            certificate_revoked=revoked_at is not None,
            verification_code=code or "",
            refusal_reference=_reference_or_none(refusal_number, refusal_symbol),
        )
    return [by_pk[pk] for pk in ids if pk in by_pk]


def recognition_page(campaign: Campaign, number: int | str | None) -> Page[RecognitionRow]:
    """Page ``number`` of the outcomes of ``campaign`` (recognised first, then by dossier),
    as plain values kept until a write to a table they read commits (``kept_while_read``):
    a national campaign's page cost 30 ms a visit to read as model rows."""
    recognitions = (
        Recognition.objects.filter(initiative__campaign=campaign)
        .order_by("-recognised", "initiative_id")
        .values_list("pk", flat=True)
    )

    def build() -> tuple[list[RecognitionRow], int, int]:
        paginator = CappedPaginator(recognitions, RECOGNITIONS_PER_PAGE)
        page = paginator.get_page(number)
        return _recognition_rows(list(page.object_list)), page.number, paginator.found

    key = (campaign.pk, str(number), RECOGNITIONS_PER_PAGE)
    rows, shown, found = kept_while_read("recognition page", key, build)
    # The page again from what was kept: its number and the count, without a statement.
    return Page(rows, shown, CappedPaginator(recognitions, RECOGNITIONS_PER_PAGE, found=found))


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
