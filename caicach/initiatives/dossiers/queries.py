"""Reads for the dossier pages: the dossier with everything its page shows (a fixed number of
queries however long the authors table), how its sections are laid out, and the side-by-side
comparison of two versions."""

from __future__ import annotations

import contextlib
import datetime
import decimal
import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from caicach.core.models import Membership, User
from caicach.initiatives.dossiers.rules import RECEIVED_STATUSES
from caicach.initiatives.models import (
    Authorship,
    Campaign,
    Initiative,
    InitiativeAttachment,
    InitiativeKind,
    InitiativeStatus,
    InitiativeVersion,
)


@dataclass(frozen=True)
class SectionGroup:
    title: Any  # a lazy string
    fields: tuple[str, ...]


APPLICATION_GROUP = SectionGroup(
    _("Đơn yêu cầu công nhận sáng kiến"),
    (
        "title",
        "addressee",
        "investor",
        "application_field",
        "first_applied_on",
        "confidential_info",
        "essence",
        "application_conditions",
        "author_assessed_benefits",
        "trial_assessed_benefits",
        "first_application_participants",
    ),
)
# Seed 001: the description (thuyết minh), sections 4–7.3.
SOLUTION_GROUPS = (SectionGroup(_("Thuyết minh mô tả giải pháp và kết quả"), Initiative.SOLUTION_SECTIONS),)
# Seed 003: introduction, content, conclusion.
EXPERIENCE_GROUPS = (
    SectionGroup(_("Phần mở đầu"), ("context", "reasons", "study_scope", "study_purpose", "novelty")),
    SectionGroup(_("Phần nội dung"), ("current_situation", "measures", "effectiveness")),
    SectionGroup(_("Phần kết luận"), ("lessons", "significance", "applicability", "recommendations")),
)


def section_groups(kind: str) -> tuple[SectionGroup, ...]:
    """The sections of ``kind`` in the order of its official layout, grouped under headings."""
    return EXPERIENCE_GROUPS if kind == InitiativeKind.EXPERIENCE else SOLUTION_GROUPS


def field_label(name: str) -> str:
    label = str(Initiative._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
    return label[:1].upper() + label[1:]


ALL_SECTIONS = (*Initiative.SOLUTION_SECTIONS, *Initiative.EXPERIENCE_SECTIONS)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def initiative_snapshot(initiative: Initiative) -> dict[str, Any]:
    """The dossier as JSON-safe data: every field of the application and of both section
    layouts, the authors table and the names of the attached files (a fixed number of
    queries)."""
    data: dict[str, Any] = {
        "kind": initiative.kind,
        "status": initiative.status,
        "unit": initiative.unit.name,
        "campaign": initiative.campaign.title if initiative.campaign_id and initiative.campaign else "",
        "revision": initiative.revision,
    }
    for name in (*Initiative.APPLICATION_FIELDS, *ALL_SECTIONS):
        data[name] = _plain(getattr(initiative, name))
    data["reform_fields"] = [str(f) for f in initiative.reform_fields.order_by("position", "pk")]
    data["target_indices"] = [str(i) for i in initiative.target_indices.order_by("position", "pk")]
    data["authors"] = [
        {
            "position": a.position,
            "user": a.user_id,
            "full_name": a.full_name,
            "date_of_birth": _plain(a.date_of_birth),
            "workplace": a.workplace,
            "job_title": a.job_title,
            "qualification": a.qualification,
            "share": _plain(a.share),
            "contribution": a.contribution,
            "is_lead": a.is_lead,
        }
        for a in Authorship.objects.filter(initiative=initiative).order_by("position")
    ]
    data["attachments"] = [
        {"name": a.original_name, "size": a.size, "sha256": a.sha256}
        for a in initiative.attachments.filter(removed_at__isnull=True).order_by("uploaded_at", "pk")
    ]
    return data


# What an author must have written before the dossier may leave the unit. The application
# fields that say "if any" (investor, confidential information, trial appliers' opinion,
# first-application participants) and the sections seed 003 treats as optional are left out.
REQUIRED_COMMON = ("title", "first_applied_on")
REQUIRED_BY_KIND: dict[str, tuple[str, ...]] = {
    InitiativeKind.SOLUTION: (
        "essence",
        "previous_solution",
        "necessity",
        "purpose",
        "solution_steps",
        "application_scope",
        "benefits",
    ),
    InitiativeKind.EXPERIENCE: (
        "context",
        "reasons",
        "study_scope",
        "study_purpose",
        "current_situation",
        "measures",
        "effectiveness",
        "lessons",
        "applicability",
    ),
}


def missing_fields(initiative: Initiative) -> list[str]:
    """The names of the required fields still empty, in form order."""
    required = (*REQUIRED_COMMON, *REQUIRED_BY_KIND.get(initiative.kind, ()))
    missing = []
    for name in required:
        value = getattr(initiative, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            missing.append(name)
    return missing


# --- The dossier page -------------------------------------------------------------------------


def initiative_for_page() -> QuerySet[Initiative]:
    """A dossier with what its page shows and its rules read: the campaign and its units,
    the authors table with linked accounts, reform fields and indices, the files still
    attached, and the versions (without their data)."""
    return Initiative.objects.select_related(
        "campaign__issuing_unit", "campaign__receiving_unit", "unit", "receipt", "created_by", "confirmed_by"
    ).prefetch_related(
        Prefetch("authorships", queryset=Authorship.objects.select_related("user").order_by("position")),
        "reform_fields",
        "target_indices",
        Prefetch(
            "attachments",
            queryset=InitiativeAttachment.objects.filter(removed_at__isnull=True)
            .select_related("uploaded_by")
            .order_by("uploaded_at", "pk"),
            to_attr="live_attachments",
        ),
        Prefetch(
            "versions",
            queryset=InitiativeVersion.objects.defer("data").select_related("created_by").order_by("number"),
            to_attr="version_list",
        ),
    )


@dataclass(frozen=True)
class ShownSection:
    name: str
    label: str
    value: Any


@dataclass(frozen=True)
class ShownGroup:
    title: str
    sections: list[ShownSection]


def sections_for_display(initiative: Initiative) -> list[ShownGroup]:
    """Every section of the dossier's layout with its label and value, grouped."""
    return [
        ShownGroup(
            str(group.title),
            [ShownSection(name, field_label(name), getattr(initiative, name)) for name in group.fields],
        )
        for group in section_groups(initiative.kind)
    ]


def author_user_choices(unit_ids: Iterable[int], linked: Iterable[int | None] = ()) -> QuerySet[User]:
    """Accounts an author row may be linked to: the active people of the dossier's unit(s)
    (by home unit or an active membership) and anyone already linked. Co-authors from
    elsewhere are entered by name; a long list of every account would help nobody."""
    units = list(unit_ids)
    members = Membership.objects.filter(unit_id__in=units, is_active=True).values("user_id")
    already = [pk for pk in linked if pk is not None]
    return (
        User.objects.filter(
            Q(is_active=True) & (Q(unit_id__in=units) | Q(pk__in=members)) | Q(pk__in=already)
        )
        .select_related("unit")
        .order_by("full_name", "username")
        .distinct()
    )


# --- Comparing versions -----------------------------------------------------------------------

_WORDS = re.compile(r"\s+|[^\s]+")
CURRENT = "current"


@dataclass
class FieldComparison:
    name: str
    label: str
    before: SafeString
    after: SafeString
    changed: bool


@dataclass
class AuthorComparison:
    position: int
    before: dict[str, str] | None
    after: dict[str, str] | None
    changed_fields: set[str] = field(default_factory=set)

    @property
    def changed(self) -> bool:
        return bool(self.changed_fields) or self.before is None or self.after is None


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
    return str(value)


def word_diff(before: str, after: str) -> tuple[SafeString, SafeString]:
    """Both texts as HTML, words removed wrapped in <del> on the left and words added in
    <ins> on the right (whitespace kept so line breaks survive).

    The cost stays near the size of what changed, not the product of the two texts' sizes
    (difflib on every word of two long sections took seconds): an unchanged text is not
    diffed at all, lines are matched first and only the changed runs of lines are diffed word
    by word, after their common first and last words are set aside; in a long run, the words
    so common they would anchor everywhere (spaces, "của", "và") are left to difflib's own
    popularity rule (``autojunk``) and matched only as part of longer runs."""
    if before == after:
        same = _html(escape(before))
        return same, same
    left: list[str] = []
    right: list[str] = []
    old_lines, new_lines = before.splitlines(keepends=True), after.splitlines(keepends=True)
    # Lines (paragraphs) are few and rarely repeat: a plain match is cheap and exact.
    lines = _matcher(old_lines, new_lines, autojunk=False)
    for op, a1, a2, b1, b2 in lines.get_opcodes():
        if op == "equal":
            text = escape("".join(old_lines[a1:a2]))
            left.append(text)
            right.append(text)
        else:
            _diff_words("".join(old_lines[a1:a2]), "".join(new_lines[b1:b2]), left, right)
    return _html("".join(left)), _html("".join(right))


def _html(text: str) -> SafeString:
    return mark_safe(text.replace("\n", "<br>"))  # every piece escaped by the caller


def _matcher(a: Sequence[str], b: Sequence[str], *, autojunk: bool) -> difflib.SequenceMatcher[str]:
    """The one place a SequenceMatcher is built (a test counts what it is given)."""
    return difflib.SequenceMatcher(a=a, b=b, autojunk=autojunk)


def _diff_words(before: str, after: str, left: list[str], right: list[str]) -> None:
    old, new = _WORDS.findall(before), _WORDS.findall(after)
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    same_head = escape("".join(old[:head]))
    left.append(same_head)
    right.append(same_head)
    old_mid, new_mid = old[head : len(old) - tail], new[head : len(new) - tail]
    for op, a1, a2, b1, b2 in _matcher(old_mid, new_mid, autojunk=True).get_opcodes():
        removed, added = escape("".join(old_mid[a1:a2])), escape("".join(new_mid[b1:b2]))
        if op == "equal":
            left.append(removed)
            right.append(added)
            continue
        if removed:
            left.append(f"<del>{removed}</del>")
        if added:
            right.append(f"<ins>{added}</ins>")
    same_tail = escape("".join(old[len(old) - tail :]))
    left.append(same_tail)
    right.append(same_tail)


AUTHOR_COLUMNS = (
    ("full_name", _("Họ và tên")),
    ("date_of_birth", _("Ngày sinh")),
    ("workplace", _("Nơi công tác")),
    ("job_title", _("Chức danh")),
    ("qualification", _("Trình độ chuyên môn")),
    ("share", _("Tỷ lệ (%)")),
    ("contribution", _("Nội dung đóng góp")),
    ("is_lead", _("Tác giả chính")),
)


# What only those who may see the authors' personal data read (rule "view_personal_data"):
# the birth date, the workplace (or residence) and the qualification of each author, and the
# people of the first application (the same details, typed one person a line).
PERSONAL_AUTHOR_COLUMNS = frozenset({"date_of_birth", "workplace", "qualification"})
PERSONAL_FIELDS = frozenset({"first_application_participants"})


def _author_cells(row: Mapping[str, Any], personal_data: bool = True) -> dict[str, str]:
    cells = {
        name: _as_text(row.get(name))
        for name, _label in AUTHOR_COLUMNS
        if personal_data or name not in PERSONAL_AUTHOR_COLUMNS
    }
    with contextlib.suppress(decimal.InvalidOperation):
        cells["share"] = format(decimal.Decimal(cells["share"]).normalize(), "f").replace(".", ",")
    cells["is_lead"] = "✓" if row.get("is_lead") else ""
    return cells


def compare_snapshots(
    before: Mapping[str, Any], after: Mapping[str, Any], *, personal_data: bool = True
) -> tuple[list[FieldComparison], list[AuthorComparison], list[FieldComparison]]:
    """Fields (application, then the sections of the layout), the authors table row by row,
    and the lists (reform fields, indices, attached files) of two snapshots; without
    ``personal_data``, nothing of PERSONAL_FIELDS and PERSONAL_AUTHOR_COLUMNS, changed or not."""
    kind = after.get("kind") or before.get("kind") or InitiativeKind.SOLUTION
    names = [*APPLICATION_GROUP.fields, *(n for g in section_groups(kind) for n in g.fields)]
    if not personal_data:
        names = [name for name in names if name not in PERSONAL_FIELDS]
    fields: list[FieldComparison] = []
    for name in names:
        old, new = _as_text(before.get(name)), _as_text(after.get(name))
        left, right = word_diff(old, new)
        fields.append(FieldComparison(name, field_label(name), left, right, old != new))

    old_rows = [_author_cells(r, personal_data) for r in before.get("authors", [])]
    new_rows = [_author_cells(r, personal_data) for r in after.get("authors", [])]
    authors: list[AuthorComparison] = []
    for index in range(max(len(old_rows), len(new_rows))):
        old_row = old_rows[index] if index < len(old_rows) else None
        new_row = new_rows[index] if index < len(new_rows) else None
        changed = {n for n in old_row if old_row[n] != new_row[n]} if old_row and new_row else set()
        authors.append(AuthorComparison(index + 1, old_row, new_row, changed))

    lists: list[FieldComparison] = []
    for name, label in (
        ("reform_fields", _("Lĩnh vực CCHC")),
        ("target_indices", _("Chỉ số cải thiện")),
        ("attachments", _("Tệp đính kèm")),
    ):
        old_items = before.get(name, [])
        new_items = after.get(name, [])
        if name == "attachments":
            old_items = [a.get("name", "") for a in old_items]
            new_items = [a.get("name", "") for a in new_items]
        old_text, new_text = "\n".join(old_items), "\n".join(new_items)
        left, right = word_diff(old_text, new_text)
        lists.append(FieldComparison(name, str(label), left, right, old_text != new_text))
    return fields, authors, lists


@dataclass(frozen=True)
class Side:
    key: str  # the version number, or CURRENT
    label: str
    created_at: datetime.datetime | None
    data: Mapping[str, Any]


def comparison_side(initiative: Initiative, key: str) -> Side | None:
    """One side of a comparison: a version by its number, or the dossier as it is now."""
    if key == CURRENT:
        return Side(CURRENT, str(_("Hồ sơ hiện tại")), initiative.updated_at, initiative_snapshot(initiative))
    if not key.isdigit():
        return None
    version = InitiativeVersion.objects.filter(initiative=initiative, number=int(key)).first()
    if version is None:
        return None
    return Side(
        str(version.number),
        str(_("Phiên bản %(number)s") % {"number": version.number}),
        version.created_at,
        version.data,
    )


def status_label(status: str) -> str:
    return str(InitiativeStatus(status).label) if status in InitiativeStatus.values else status


def received_count(campaign: Campaign) -> int:
    """The campaign's dossiers that reached it, as whoever may change the campaign sees them:
    all of them (the reform officer's branch of ``initiatives_visible_to`` holds every
    received dossier of a campaign in their scope; an administrator sees every dossier), so
    the (campaign, status) index counts them alone. Through the viewer's scope, the count
    took 16 ms on a national campaign's page; a test keeps the two equal."""
    return Initiative.objects.filter(campaign=campaign, status__in=RECEIVED_STATUSES).count()
