"""Turning a dossier read from a file (``imports.parser.parse_dossier``) into a draft: a new one,
or the empty parts of an existing one (a user imports the description, seed 001, then the
effectiveness report, seed 000, of the same initiative into the same draft).

The writes themselves are ``initiative_create`` / ``initiative_update`` (their validation and
audit events); this adds the import's own event naming the file."""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caicach.core.audit import services as audit
from caicach.core.audit.queries import register_action_labels
from caicach.core.models import Unit, User
from caicach.core.text import fold
from caicach.initiatives.dossiers.services import initiative_create, initiative_update, validate_authors
from caicach.initiatives.imports.parser import LAYOUT_UNKNOWN, ParsedDossier, field_labels
from caicach.initiatives.models import Authorship, Campaign, Initiative, InitiativeKind

# Stored in the authors table of a draft created without one, so a later import (of the
# effectiveness report, which has the table) knows it may replace it. Data, not UI: not translated.
PLACEHOLDER_CONTRIBUTION = (
    "Tạm ghi khi nhập hồ sơ từ tệp (tệp không có bảng tác giả hợp lệ): vui lòng sửa lại."
)

register_action_labels({"initiative.import": gettext_lazy("Nhập hồ sơ từ tệp")})


@dataclass
class ImportResult:
    initiative: Initiative
    filled: list[str] = field(default_factory=list)  # labels of the fields taken from the file
    kept: list[str] = field(default_factory=list)  # labels of fields the draft had, differing in the file
    authors_imported: bool = False
    authors_problems: list[str] = field(default_factory=list)


def authors_problems(parsed: ParsedDossier) -> list[str]:
    """Why the file's authors table cannot become the draft's (empty when it can)."""
    if not parsed.authors:
        return [_("Tệp không có bảng tác giả.")]
    try:
        validate_authors(parsed.authors)
    except ValidationError as exc:
        return list(exc.messages)
    return []


def placeholder_author(actor: User) -> dict[str, Any]:
    """The importing user as the single, 100% lead author: a stand-in the author replaces."""
    return {
        "user": actor,
        "full_name": actor.full_name or actor.get_username(),
        "date_of_birth": actor.date_of_birth,
        "workplace": actor.unit.name if actor.unit_id and actor.unit else "",
        "job_title": actor.position,
        "qualification": actor.qualification,
        "share": decimal.Decimal(100),
        "contribution": PLACEHOLDER_CONTRIBUTION,
        "is_lead": True,
    }


def is_placeholder(authors: Sequence[Authorship]) -> bool:
    return len(authors) == 1 and authors[0].contribution == PLACEHOLDER_CONTRIBUTION


def _solution_fields(parsed: ParsedDossier) -> dict[str, Any]:
    # The seed layouts are those of a solution initiative; nothing else is read from them.
    allowed = {*Initiative.APPLICATION_FIELDS, *Initiative.SOLUTION_SECTIONS}
    return {name: value for name, value in parsed.fields.items() if name in allowed}


def _check_readable(parsed: ParsedDossier) -> None:
    if parsed.layout == LAYOUT_UNKNOWN and not parsed.fields:
        raise ValidationError(
            _(
                "Không nhận ra nội dung tệp: tệp cần theo mẫu Thuyết minh mô tả giải pháp "
                "hoặc Báo cáo hiệu quả áp dụng của sáng kiến."
            ),
            code="layout",
        )


def _record(actor: User, initiative: Initiative, filename: str, result: ImportResult) -> None:
    changes: dict[str, list[Any]] = {"fields": [None, result.filled]}
    if result.authors_imported:
        changes["authors"] = [None, [a.full_name for a in initiative.authorships.order_by("position")]]
    audit.record(
        actor=actor,
        action="initiative.import",
        obj=initiative,
        changes=changes,
        message=_("Nhập từ tệp “%(name)s”.") % {"name": filename},
    )


@transaction.atomic
def initiative_import(
    *,
    actor: User,
    unit: Unit,
    campaign: Campaign | None,
    parsed: ParsedDossier,
    filename: str,
    use_placeholder_author: bool = False,
) -> ImportResult:
    """A new draft from ``parsed``. Without a valid authors table in the file it is refused,
    unless ``use_placeholder_author``: then the actor stands in as the only author."""
    _check_readable(parsed)
    problems = authors_problems(parsed)
    if problems and not use_placeholder_author:
        raise ValidationError(problems, code="authors")
    authors = [placeholder_author(actor)] if problems else parsed.authors
    data = _solution_fields(parsed)
    initiative = initiative_create(
        actor=actor, unit=unit, campaign=campaign, kind=InitiativeKind.SOLUTION, data=data, authors=authors
    )
    labels = field_labels()
    result = ImportResult(
        initiative=initiative,
        filled=[labels.get(name, name) for name in data],
        authors_imported=not problems,
        authors_problems=problems,
    )
    _record(actor, initiative, filename, result)
    return result


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return fold(a).rstrip(" .") == fold(b).rstrip(" .")
    return bool(a == b)


@transaction.atomic
def initiative_import_into(
    *, initiative: Initiative, actor: User, parsed: ParsedDossier, filename: str, version: int
) -> ImportResult:
    """Fill the empty fields of a draft from ``parsed``; what the draft already has stays. The
    authors table is taken from the file only when the draft has none but the placeholder."""
    _check_readable(parsed)
    if initiative.kind != InitiativeKind.SOLUTION:
        raise ValidationError(
            _("Chỉ nhập được vào hồ sơ loại “Sáng kiến, giải pháp” (mẫu thuyết minh, báo cáo hiệu quả)."),
            code="kind",
        )
    labels = field_labels()
    data: dict[str, Any] = {}
    kept: list[str] = []
    for name, value in _solution_fields(parsed).items():
        current = getattr(initiative, name)
        if _is_empty(current):
            data[name] = value
        elif not _same(current, value):
            kept.append(labels.get(name, name))
    problems = authors_problems(parsed)
    existing = list(initiative.authorships.all())
    take_authors = not problems and (not existing or is_placeholder(existing))
    updated = initiative_update(
        initiative=initiative,
        actor=actor,
        data=data,
        authors=parsed.authors if take_authors else None,
        version=version,
    )
    result = ImportResult(
        initiative=updated,
        filled=[labels.get(name, name) for name in data],
        kept=kept,
        authors_imported=take_authors,
        authors_problems=problems,
    )
    _record(actor, updated, filename, result)
    return result
