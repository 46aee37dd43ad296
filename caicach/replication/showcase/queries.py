"""Reads of the public showcase: only published practices and recognised, unrevoked
initiatives, with only what may be shown to anyone (no drafts, scores, birth dates)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Prefetch, Q, QuerySet

from caicach.core.search import ranked, search, terms
from caicach.initiatives.models import Authorship, Certificate, Initiative
from caicach.replication.models import (
    ADOPTED_STATUSES,
    AdoptionEvidence,
    AdoptionReport,
    AdoptionResult,
    Obligation,
    Practice,
    PracticeAttachment,
)

# How long the applied units of a practice stay in the low-level cache: a report submitted
# now shows on the public page within this many seconds.
APPLIED_UNITS_CACHE_SECONDS = 300


def published_practices() -> QuerySet[Practice]:
    return Practice.objects.filter(is_published=True, status="accepted")


def showcase_practices(
    *,
    text: str = "",
    field: int | None = None,
    index: int | None = None,
    unit: int | None = None,
    year: int | None = None,
) -> QuerySet[Practice]:
    """The published practices matching the filters, newest published first (best match first
    when searching)."""
    found = published_practices().select_related("origin_unit")
    if field:
        found = found.filter(reform_fields=field)
    if index:
        found = found.filter(indices=index)
    if unit:
        found = found.filter(origin_unit=unit)
    if year:
        found = found.filter(published_at__year=year)
    found = found.distinct() if (field or index) else found
    if text.strip():
        return ranked(search(found, text, exact_fields=("name",)), "-published_at", "-id")
    return found.order_by("-published_at", "-id")


def recognised_initiatives() -> QuerySet[Initiative]:
    """Initiatives with a recognition that recognised them and a certificate not revoked (an
    initiative recognised without a certificate yet is shown too: the decision is public)."""
    return Initiative.objects.filter(recognition__recognised=True).exclude(
        recognition__certificate__revoked_at__isnull=False
    )


def showcase_initiatives(
    *, text: str = "", unit: int | None = None, year: int | None = None
) -> QuerySet[Initiative]:
    found = recognised_initiatives().select_related("unit", "recognition__decision__registered_document")
    if unit:
        found = found.filter(unit=unit)
    if year:
        found = found.filter(recognition__decision__issued_on__year=year)
    if text.strip():
        found = found.filter(pk__in=_titles_matching(found, text))
    return found.order_by("-recognition__decided_at", "-id")


# How many full-text candidates the title check looks at: a showcase search is a person
# typing a few words, and the recognised initiatives of a province are hundreds.
TITLE_CANDIDATES = 2000


def _titles_matching(found: QuerySet[Initiative], text: str) -> list[int]:
    """The initiatives whose TITLE holds every word of ``text`` (accent-blind, each word the
    start of a word of the title, as the search service matches). An initiative's folded
    search column also holds its confidential sections (Circular 18/2013, "thông tin cần bảo
    mật"): it only narrows the candidates through its index, and the title decides, so a
    visitor cannot probe the confidential text."""
    words = terms(text)
    candidates = search(found, text).values_list("pk", "title")[:TITLE_CANDIDATES]
    return [
        pk
        for pk, title in candidates
        if all(any(part.startswith(word) for part in terms(title)) for word in words)
    ]


def practice_for_showcase(pk: int) -> Practice | None:
    return (
        published_practices()
        .select_related("origin_unit", "initiative")
        .prefetch_related(
            "reform_fields",
            "indices",
            Prefetch(
                "attachments",
                queryset=PracticeAttachment.objects.filter(is_public=True).only(
                    "id", "practice_id", "name", "description", "file"
                ),
                to_attr="public_attachments",
            ),
        )
        .filter(pk=pk)
        .first()
    )


def initiative_for_showcase(pk: int) -> Initiative | None:
    return (
        recognised_initiatives()
        .select_related(
            "unit",
            "recognition__decision__registered_document",
            "recognition__decision__campaign__issuing_unit",
        )
        .prefetch_related(
            Prefetch(
                "authorships",
                queryset=Authorship.objects.only("id", "initiative_id", "position", "full_name").order_by(
                    "position"
                ),
            )
        )
        .filter(pk=pk)
        .first()
    )


def valid_certificate(initiative: Initiative) -> Certificate | None:
    return Certificate.objects.filter(recognition__initiative=initiative, revoked_at__isnull=True).first()


@dataclass(frozen=True)
class PublicResult:
    indicator: str
    measure_unit: str
    baseline: Decimal | None
    current: Decimal | None


@dataclass(frozen=True)
class PublicEvidence:
    name: str
    url: str


@dataclass(frozen=True)
class AppliedUnit:
    unit_name: str
    adoption_status: str
    period_end: str
    results: tuple[PublicResult, ...]
    evidence: tuple[PublicEvidence, ...]


def _applied_units(practice_id: int) -> list[AppliedUnit]:
    # Each obligation's latest sent report, where the unit applies the practice.
    latest = Obligation.objects.filter(practice_id=practice_id, last_submitted__isnull=False)
    obligations = latest.values_list("last_submitted", flat=True)
    reports = (
        AdoptionReport.objects.filter(pk__in=list(obligations), adoption_status__in=ADOPTED_STATUSES)
        .select_related("obligation__unit")
        .prefetch_related(
            Prefetch("results", queryset=AdoptionResult.objects.order_by("position", "id")),
            Prefetch(
                "evidence",
                queryset=AdoptionEvidence.objects.filter(is_public=True).order_by("uploaded_at", "id"),
                to_attr="public_evidence",
            ),
        )
        .order_by("obligation__unit__name", "id")
    )
    return [
        AppliedUnit(
            unit_name=report.obligation.unit.name,
            adoption_status=report.get_adoption_status_display(),
            period_end=report.period_end.strftime("%d/%m/%Y"),
            results=tuple(
                PublicResult(r.indicator, r.measure_unit, r.baseline, r.current) for r in report.results.all()
            ),
            evidence=tuple(PublicEvidence(e.name, e.file.url) for e in report.public_evidence),
        )
        for report in reports
    ]


def applied_units(practice_id: int) -> list[AppliedUnit]:
    """The units whose latest submitted report says applied (or widely), with their measured
    results and public evidence; cached a few minutes: the public page is read far more often
    than a report is submitted, and the query is the page's most expensive."""
    key = f"replication:showcase:applied:{practice_id}"
    found: list[AppliedUnit] | None = cache.get(key)
    if found is None:
        found = _applied_units(practice_id)
        cache.set(key, found, APPLIED_UNITS_CACHE_SECONDS)
    return found


def filter_choices() -> dict[str, list[tuple[int, str]]]:
    """Choices drawn from what is published (not every unit of the tree)."""
    published = published_practices()
    from caicach.core.models import ReformField, ReformIndex, Unit

    return {
        "fields": list(
            ReformField.objects.filter(practices__in=published)
            .distinct()
            .order_by("name")
            .values_list("pk", "name")
        ),
        "indices": list(
            ReformIndex.objects.filter(practices__in=published)
            .distinct()
            .order_by("pk")
            .values_list("pk", "name")
        ),
        "units": list(
            Unit.objects.filter(
                Q(originated_practices__in=published) | Q(initiatives__in=recognised_initiatives())
            )
            .distinct()
            .order_by("name")
            .values_list("pk", "name")
        ),
    }
