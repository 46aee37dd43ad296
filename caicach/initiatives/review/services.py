"""Every write of the council's work: rubrics, the council and its members, assignment with
conflict-of-interest exclusion, scoring, closing the round, the vote, the minutes' number.

Decree 13/2012 (Điều lệ Sáng kiến): the council decides by at least 2/3 of its members in
favour, and an author may not judge their own initiative. Rubrics differ by province, so
criteria, caps, bands, the pass mark and the vote rule are data (``Rubric``)."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from caicach.core import chronology, clock, numbering
from caicach.core.audit import services as audit
from caicach.core.forms import parse_decimal_text
from caicach.core.models import DocumentType, Membership, User
from caicach.core.notifications.services import notify
from caicach.core.permissions import authorize, can
from caicach.core.text import fold, normalise_input
from caicach.core.versioning import check_version
from caicach.initiatives.models import (
    CENT,
    Authorship,
    Campaign,
    Council,
    CouncilMember,
    CouncilRole,
    Criterion,
    CriterionBand,
    Initiative,
    InitiativeStatus,
    Recognition,
    RecognitionLevel,
    ReviewAssignment,
    ReviewScore,
    RoundStatus,
    Rubric,
    quantize,
)
from caicach.initiatives.review.queries import dossier_mean

UNIQUE_ROLES = (CouncilRole.CHAIR, CouncilRole.SECRETARY)


def council_url(council: Council) -> str:
    return reverse("initiatives:council_detail", args=[council.pk])


def _to_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(parse_decimal_text(str(value)))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _has_cents_at_most(value: Decimal) -> bool:
    return value == value.quantize(CENT)


def _points_text(value: Decimal) -> str:
    """ "30", "12.5": points without trailing zeros, for messages."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- Rubrics ------------------------------------------------------------------------------------

RUBRIC_FIELDS = ("name", "description", "pass_mark", "vote_numerator", "vote_denominator",
                 "disagreement_threshold")  # fmt: skip


@dataclass(frozen=True)
class BandData:
    min_points: Decimal
    max_points: Decimal
    description: str


@dataclass(frozen=True)
class CriterionData:
    id: int | None
    name: str
    max_points: Decimal
    description: str
    bands: tuple[BandData, ...]


def rubric_is_locked(rubric: Rubric) -> bool:
    """A rubric a submitted review was scored on may no longer change: the sheets must keep
    meaning what they meant when they were signed."""
    return ReviewScore.objects.filter(
        criterion__rubric=rubric, assignment__submitted_at__isnull=False
    ).exists()


def _clean_criteria(rows: Sequence[Mapping[str, Any]]) -> tuple[list[CriterionData], list[str]]:
    errors: list[str] = []
    criteria: list[CriterionData] = []
    names: set[str] = set()
    for index, raw in enumerate(rows, start=1):
        row = normalise_input(dict(raw))
        name = str(row.get("name") or "").strip()
        label = _("Tiêu chí %(number)s") % {"number": index} + (f" “{name}”" if name else "")
        if not name:
            errors.append(_("%(label)s: vui lòng nhập tên tiêu chí.") % {"label": label})
        elif fold(name) in names:
            errors.append(_("%(label)s: trùng tên với một tiêu chí khác.") % {"label": label})
        names.add(fold(name))
        cap = _to_decimal(row.get("max_points"))
        if cap is None or cap <= 0 or not _has_cents_at_most(cap):
            errors.append(
                _("%(label)s: điểm tối đa phải là số dương, tối đa hai chữ số thập phân.") % {"label": label}
            )
            cap = None
        bands: list[BandData] = []
        for band in row.get("bands") or ():
            low, high = _to_decimal(band.get("min_points")), _to_decimal(band.get("max_points"))
            text = str(band.get("description") or "").strip()
            if low is None or high is None or not text:
                errors.append(
                    _("%(label)s: mỗi mức điểm cần có điểm từ, điểm đến và mô tả.") % {"label": label}
                )
                continue
            if not (_has_cents_at_most(low) and _has_cents_at_most(high)):
                errors.append(
                    _("%(label)s: điểm của mức chỉ được có hai chữ số thập phân.") % {"label": label}
                )
                continue
            if low < 0 or high < low or (cap is not None and high > cap):
                errors.append(
                    _(
                        "%(label)s: mức “%(band)s” phải nằm trong khoảng 0–%(cap)s "
                        "và điểm từ không lớn hơn điểm đến."
                    )
                    % {"label": label, "band": text, "cap": _points_text(cap) if cap is not None else "?"}
                )
                continue
            bands.append(BandData(min_points=low, max_points=high, description=text))
        bands.sort(key=lambda b: (b.min_points, b.max_points))
        for before, after in itertools.pairwise(bands):
            if after.min_points <= before.max_points:
                errors.append(
                    _("%(label)s: các mức điểm “%(a)s” và “%(b)s” chồng lên nhau.")
                    % {"label": label, "a": before.description, "b": after.description}
                )
        raw_id = row.get("id")
        criteria.append(
            CriterionData(
                id=int(raw_id) if raw_id not in (None, "") else None,
                name=name,
                max_points=cap if cap is not None else Decimal(0),
                description=str(row.get("description") or "").strip(),
                # Highest band first: the order a scorer reads them in.
                bands=tuple(reversed(bands)),
            )
        )
    if not criteria:
        errors.append(_("Bộ tiêu chí cần có ít nhất một tiêu chí."))
    return criteria, errors


def _validate_rubric(rubric: Rubric, criteria: list[CriterionData], criteria_errors: list[str]) -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not rubric.name.strip():
        add("name", _("Vui lòng nhập tên bộ tiêu chí."))
    total = sum((c.max_points for c in criteria), Decimal(0))
    pass_mark = _to_decimal(rubric.pass_mark)
    if pass_mark is None or pass_mark <= 0 or not _has_cents_at_most(pass_mark):
        add("pass_mark", _("Điểm đạt phải là số dương, tối đa hai chữ số thập phân."))
    elif not criteria_errors and pass_mark > total:
        add(
            "pass_mark",
            _("Điểm đạt (%(pass)s) không được lớn hơn tổng điểm tối đa của các tiêu chí (%(total)s).")
            % {"pass": _points_text(pass_mark), "total": _points_text(total)},
        )
    numerator, denominator = rubric.vote_numerator, rubric.vote_denominator
    if not denominator or denominator < 1 or not numerator or numerator < 1 or numerator > denominator:
        add("vote_numerator", _("Tỷ lệ biểu quyết phải là một phân số từ 1/n đến n/n, ví dụ 2/3."))
    threshold = _to_decimal(rubric.disagreement_threshold)
    if threshold is None or threshold < 0:
        add("disagreement_threshold", _("Ngưỡng chênh lệch phải là số không âm."))
    if criteria_errors:
        errors.setdefault("__all__", []).extend(criteria_errors)
    if errors:
        raise ValidationError(errors)


def _rubric_scalars(data: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(RUBRIC_FIELDS)
    if unknown:
        raise TypeError(f"Unknown rubric fields: {sorted(unknown)}")
    clean = normalise_input(dict(data))
    return {k: v.strip() if isinstance(v, str) else v for k, v in clean.items()}


def _criteria_summary(rubric: Rubric) -> list[str]:
    rows = Criterion.objects.filter(rubric=rubric).prefetch_related("bands").order_by("position", "pk")
    summary = []
    for criterion in rows:
        bands = "; ".join(
            f"{_points_text(b.min_points)}–{_points_text(b.max_points)}: {b.description}"
            for b in criterion.bands.all()
        )
        summary.append(
            f"{criterion.name} ({_points_text(criterion.max_points)})" + (f" [{bands}]" if bands else "")
        )
    return summary


def _write_criteria(rubric: Rubric, criteria: list[CriterionData]) -> None:
    existing = {c.pk: c for c in Criterion.objects.filter(rubric=rubric)}
    kept: set[int] = set()
    for position, data in enumerate(criteria, start=1):
        criterion = existing.get(data.id) if data.id is not None else None
        if criterion is None:
            criterion = Criterion(rubric=rubric)
        else:
            kept.add(criterion.pk)
        criterion.position = position
        criterion.name = data.name
        criterion.description = data.description
        criterion.max_points = data.max_points
        if criterion.pk is None:
            criterion.save()
        else:
            criterion.save(update_fields=["position", "name", "description", "max_points"])
        data_bands = data.bands
        CriterionBand.objects.filter(criterion=criterion).delete()
        CriterionBand.objects.bulk_create(
            CriterionBand(criterion=criterion, position=n, min_points=b.min_points, max_points=b.max_points,
                          description=b.description)
            for n, b in enumerate(data_bands, start=1)
        )  # fmt: skip
    removed = [pk for pk in existing if pk not in kept]
    if removed:
        # Only draft scores can point at them (a submitted one locks the rubric).
        ReviewScore.objects.filter(criterion_id__in=removed).delete()
        Criterion.objects.filter(pk__in=removed).delete()


@transaction.atomic
def rubric_create(*, actor: User, data: Mapping[str, Any], criteria: Sequence[Mapping[str, Any]]) -> Rubric:
    """A rubric with its criteria (name, max points, description, bands with min, max and
    description). The pass mark may not exceed the criteria's total; bands lie within
    0..max and do not overlap."""
    authorize(actor, "initiatives.manage_rubrics")
    scalars = _rubric_scalars(data)
    rubric = Rubric(**scalars)
    cleaned, criteria_errors = _clean_criteria(criteria)
    _validate_rubric(rubric, cleaned, criteria_errors)
    rubric.save()
    _write_criteria(rubric, cleaned)
    audit.record(
        actor=actor,
        action="rubric.create",
        obj=rubric,
        changes={"name": [None, rubric.name], "criteria": [None, _criteria_summary(rubric)]},
    )
    return rubric


@transaction.atomic
def rubric_update(
    *,
    rubric: Rubric,
    actor: User,
    data: Mapping[str, Any],
    criteria: Sequence[Mapping[str, Any]],
    version: int,
) -> Rubric:
    locked = Rubric.objects.select_for_update().get(pk=rubric.pk)
    authorize(actor, "change", locked)
    check_version(locked.version, version)
    if rubric_is_locked(locked):
        raise ValidationError(
            _(
                "Bộ tiêu chí đã được dùng để chấm điểm (đã có phiếu chấm được nộp) nên không thể sửa. "
                "Hãy tạo một bộ tiêu chí mới nếu cần thay đổi."
            )
        )
    scalars = _rubric_scalars(data)
    before = audit.snapshot(locked, scalars.keys())
    criteria_before = _criteria_summary(locked)
    for name, value in scalars.items():
        setattr(locked, name, value)
    cleaned, criteria_errors = _clean_criteria(criteria)
    _validate_rubric(locked, cleaned, criteria_errors)
    changes = audit.diff(before, locked)
    _write_criteria(locked, cleaned)
    criteria_after = _criteria_summary(locked)
    if criteria_before != criteria_after:
        changes["criteria"] = [criteria_before, criteria_after]
    locked.version += 1
    locked.save(update_fields=[*scalars.keys(), "version"])
    audit.record(actor=actor, action="rubric.update", obj=locked, changes=changes)
    return locked


# --- The council --------------------------------------------------------------------------------

COUNCIL_FIELDS = ("name", "established_by", "scoring_deadline", "reminder_working_days", "meeting_on",
                  "meeting_place")  # fmt: skip


def _validate_council(council: Council) -> None:
    errors: dict[str, str] = {}
    if not council.name.strip():
        errors["name"] = _("Vui lòng nhập tên hội đồng.")
    if council.reminder_working_days is None or council.reminder_working_days > 30:
        errors["reminder_working_days"] = _("Số ngày làm việc nhắc trước hạn phải từ 0 đến 30.")
    chronology.add_span_error(
        errors, "scoring_deadline", council.scoring_deadline, chronology.PLANNED, what=_("Hạn chấm điểm")
    )
    chronology.add_span_error(
        errors, "meeting_on", council.meeting_on, chronology.PLANNED, what=_("Ngày họp Hội đồng")
    )
    # Once scoring has closed the meeting has taken place: its date cannot lie ahead.
    if council.round_status == RoundStatus.CLOSED:
        future = chronology.not_after(council.meeting_on, clock.today(), what=_("Ngày họp Hội đồng"))
        if future:
            errors["meeting_on"] = future
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def council_save(
    *, campaign: Campaign, actor: User, data: Mapping[str, Any], version: int | None = None
) -> Council:
    """Create the campaign's council, or edit it (``version`` from the form)."""
    unknown = set(data) - set(COUNCIL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown council fields: {sorted(unknown)}")
    clean = {k: v.strip() if isinstance(v, str) else v for k, v in normalise_input(dict(data)).items()}
    locked_campaign = Campaign.objects.select_for_update(of=("self",)).get(pk=campaign.pk)
    authorize(actor, "change", locked_campaign)
    council = Council.objects.filter(campaign=campaign).first()
    if council is None:
        council = Council(campaign=campaign, **clean)
        _validate_council(council)
        council.save()
        audit.record(
            actor=actor, action="council.create", obj=council, changes={"name": [None, council.name]}
        )
        return council
    check_version(council.version, version)
    before = audit.snapshot(council, clean.keys())
    for name, value in clean.items():
        setattr(council, name, value)
    _validate_council(council)
    changes = audit.diff(before, council)
    council.version += 1
    council.save(update_fields=[*clean.keys(), "version"])
    audit.record(actor=actor, action="council.update", obj=council, changes=changes)
    return council


def _check_unique_role(council: Council, role: str, *, exclude: CouncilMember | None = None) -> None:
    if role not in UNIQUE_ROLES:
        return
    holders = CouncilMember.objects.filter(council=council, role=role).select_related("user")
    if exclude is not None:
        holders = holders.exclude(pk=exclude.pk)
    holder = holders.first()
    if holder is not None:
        raise ValidationError(
            {
                "role": _("Hội đồng đã có %(role)s: %(name)s. Mỗi hội đồng chỉ có một người giữ vai trò này.")
                % {"role": CouncilRole(role).label, "name": holder.user.full_name or holder.user.username}
            }
        )


@transaction.atomic
def council_member_add(*, council: Council, actor: User, user: User, role: str) -> CouncilMember:
    """Seat ``user`` on the council. One chair and one secretary at most (both are needed
    before dossiers can be assigned)."""
    locked = Council.objects.select_for_update().get(pk=council.pk)
    authorize(actor, "change", locked)
    if role not in CouncilRole.values:
        raise ValidationError({"role": _("Vai trò không hợp lệ.")})
    if not user.is_active:
        raise ValidationError({"user": _("Tài khoản này đã bị khóa, không thể cử vào hội đồng.")})
    if CouncilMember.objects.filter(council=locked, user=user).exists():
        raise ValidationError(
            {"user": _("%(name)s đã là thành viên hội đồng.") % {"name": user.full_name or user.username}}
        )
    _check_unique_role(locked, role)
    position = (CouncilMember.objects.filter(council=locked).aggregate(top=Max("position"))["top"] or 0) + 1
    try:
        with transaction.atomic():
            member = CouncilMember.objects.create(council=locked, user=user, role=role, position=position)
    except IntegrityError as exc:  # two managers adding the same person at the same moment
        raise ValidationError({"user": _("Người này đã là thành viên hội đồng.")}) from exc
    audit.record(
        actor=actor,
        action="council.member_add",
        obj=locked,
        changes={"members": [None, f"{user.full_name or user.username} — {CouncilRole(role).label}"]},
    )
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Bạn được cử vào %(council)s") % {"council": locked.name}
        body = _("Vai trò: %(role)s.") % {"role": CouncilRole(role).label}
    notify(recipients=[user], title=title, body=body, url=council_url(locked))
    return member


@transaction.atomic
def council_member_set_role(*, member: CouncilMember, actor: User, role: str) -> CouncilMember:
    Council.objects.select_for_update().get(pk=member.council_id)
    locked = CouncilMember.objects.select_related("council", "user").get(pk=member.pk)
    authorize(actor, "change", locked)
    if role not in CouncilRole.values:
        raise ValidationError({"role": _("Vai trò không hợp lệ.")})
    if role == locked.role:
        return locked
    _check_unique_role(locked.council, role, exclude=locked)
    before = locked.role
    locked.role = role
    locked.save(update_fields=["role"])
    audit.record(
        actor=actor,
        action="council.member_role",
        obj=locked.council,
        changes={
            "role": [
                f"{locked.user.full_name} — {CouncilRole(before).label}",
                f"{locked.user.full_name} — {CouncilRole(role).label}",
            ]
        },
    )
    return locked


@transaction.atomic
def council_member_remove(*, member: CouncilMember, actor: User) -> None:
    """Take a member off the council with their unsubmitted assignments. A member who has
    submitted a sheet stays: the sheet is part of the record."""
    Council.objects.select_for_update().get(pk=member.council_id)
    locked = CouncilMember.objects.select_related("council", "user").get(pk=member.pk)
    authorize(actor, "change", locked)
    if ReviewAssignment.objects.filter(member=locked, submitted_at__isnull=False).exists():
        raise ValidationError(
            _("%(name)s đã nộp phiếu chấm nên không thể rút khỏi hội đồng.") % {"name": locked.user.full_name}
        )
    ReviewAssignment.objects.filter(member=locked).delete()
    label = f"{locked.user.full_name or locked.user.username} — {locked.get_role_display()}"
    council = locked.council
    locked.delete()
    audit.record(actor=actor, action="council.member_remove", obj=council, changes={"members": [label, None]})


# --- Assignment and conflict of interest ---------------------------------------------------


def council_missing_roles(council: Council, members: Iterable[CouncilMember] | None = None) -> list[str]:
    """The roles a council must have before scoring starts, among those it lacks (from
    ``members`` when already loaded)."""
    if members is not None:
        roles = {m.role for m in members}
    else:
        roles = set(CouncilMember.objects.filter(council=council).values_list("role", flat=True))
    return [str(CouncilRole(role).label) for role in UNIQUE_ROLES if role not in roles]


def conflict_reason(
    *,
    initiative: Initiative,
    user: User,
    author_ids: set[int],
    member_unit_ids: set[int],
) -> str:
    """Why ``user`` may not score ``initiative`` ("" if they may): an author, or someone of
    the author's own unit (where they work or hold an active role)."""
    if user.pk in author_ids or initiative.created_by_id == user.pk:
        return _("Là tác giả của sáng kiến.")
    if initiative.unit_id in member_unit_ids:
        return _("Cùng đơn vị với tác giả (%(unit)s).") % {"unit": initiative.unit.name}
    return ""


@transaction.atomic
def review_assign(
    *,
    campaign: Campaign,
    actor: User,
    initiatives: Iterable[Initiative] | None = None,
    members: Iterable[CouncilMember] | None = None,
) -> list[ReviewAssignment]:
    """Give the campaign's accepted dossiers (or the ones chosen) to every council member (or
    the ones chosen). Accepted dossiers move to "in review". A member with a conflict of
    interest is recorded but excluded, with the reason. Pairs already assigned are left as
    they are, so running it again after adding a member or a dossier completes the table.
    Returns the assignments created."""
    council = Council.objects.select_for_update().filter(campaign=campaign).first()
    if council is None:
        raise ValidationError(_("Đợt phát động chưa có hội đồng sáng kiến."))
    authorize(actor, "change", council)
    if council.round_status != RoundStatus.OPEN:
        raise ValidationError(_("Vòng chấm điểm đã khóa, không thể phân công thêm."))
    if campaign.rubric_id is None:
        raise ValidationError(_("Đợt phát động chưa chọn bộ tiêu chí chấm điểm."))
    missing = council_missing_roles(council)
    if missing:
        raise ValidationError(
            _("Hội đồng cần có đúng một Chủ tịch và một Thư ký trước khi chấm điểm; còn thiếu: %(roles)s.")
            % {"roles": ", ".join(missing)}
        )

    dossiers = Initiative.objects.select_for_update(of=("self",)).select_related("unit")
    dossiers = dossiers.filter(campaign=campaign)
    if initiatives is None:
        chosen = list(dossiers.filter(status=InitiativeStatus.ACCEPTED).order_by("pk"))
        if not chosen:
            raise ValidationError(_("Không có hồ sơ nào đã tiếp nhận để phân công chấm."))
    else:
        wanted = {i.pk for i in initiatives}
        chosen = list(dossiers.filter(pk__in=wanted).order_by("pk"))
        if not wanted or len(chosen) != len(wanted):
            raise ValidationError(_("Vui lòng chọn các hồ sơ thuộc đợt phát động này."))
        wrong = [i for i in chosen if i.status not in (InitiativeStatus.ACCEPTED, InitiativeStatus.IN_REVIEW)]
        if wrong:
            raise ValidationError(
                _("Chỉ phân công được hồ sơ đã tiếp nhận; hồ sơ “%(title)s” đang ở trạng thái %(status)s.")
                % {"title": wrong[0].title, "status": wrong[0].get_status_display()}
            )

    seats = CouncilMember.objects.filter(council=council).select_related("user").order_by("position", "pk")
    if members is None:
        chosen_members = list(seats)
    else:
        wanted_members = {m.pk for m in members}
        chosen_members = list(seats.filter(pk__in=wanted_members))
        if not wanted_members or len(chosen_members) != len(wanted_members):
            raise ValidationError(_("Vui lòng chọn thành viên của hội đồng này."))

    dossier_ids = [i.pk for i in chosen]
    user_ids = [m.user_id for m in chosen_members]
    authors: dict[int, set[int]] = {}
    for initiative_id, user_id in Authorship.objects.filter(
        initiative_id__in=dossier_ids, user_id__isnull=False
    ).values_list("initiative_id", "user_id"):
        authors.setdefault(initiative_id, set()).add(user_id)
    units: dict[int, set[int]] = {
        m.user_id: {m.user.unit_id} if m.user.unit_id else set() for m in chosen_members
    }
    for user_id, unit_id in Membership.objects.filter(user_id__in=user_ids, is_active=True).values_list(
        "user_id", "unit_id"
    ):
        units[user_id].add(unit_id)
    taken = set(
        ReviewAssignment.objects.filter(initiative_id__in=dossier_ids, member__council=council).values_list(
            "initiative_id", "member_id"
        )
    )

    created: list[ReviewAssignment] = []
    for initiative in chosen:
        for member in chosen_members:
            if (initiative.pk, member.pk) in taken:
                continue
            reason = conflict_reason(
                initiative=initiative,
                user=member.user,
                author_ids=authors.get(initiative.pk, set()),
                member_unit_ids=units[member.user_id],
            )
            created.append(
                ReviewAssignment(
                    initiative=initiative, member=member, excluded=bool(reason), exclusion_reason=reason
                )
            )
    ReviewAssignment.objects.bulk_create(created)

    moving = [i for i in chosen if i.status == InitiativeStatus.ACCEPTED]
    Initiative.objects.filter(pk__in=[i.pk for i in moving]).update(
        status=InitiativeStatus.IN_REVIEW, version=F("version") + 1, updated_at=clock.now()
    )
    per_dossier: dict[int, list[str]] = {}
    for assignment in created:
        name = assignment.member.user.full_name or assignment.member.user.username
        per_dossier.setdefault(assignment.initiative_id, []).append(
            f"{name} ({_('không chấm')}: {assignment.exclusion_reason})" if assignment.excluded else name
        )
    for initiative in chosen:
        changes: dict[str, list[Any]] = {}
        if initiative in moving:
            changes["status"] = [InitiativeStatus.ACCEPTED, InitiativeStatus.IN_REVIEW]
        if initiative.pk in per_dossier:
            changes["reviewers"] = [None, per_dossier[initiative.pk]]
        if changes:
            audit.record(actor=actor, action="initiative.review_assign", obj=initiative, changes=changes)

    reviewers = {a.member.user_id: a.member.user for a in created if not a.excluded}
    if reviewers:
        with translation.override(settings.LANGUAGE_CODE):
            title = _("Hồ sơ sáng kiến được giao chấm điểm: %(council)s") % {"council": council.name}
            body = (
                _("Hạn chấm điểm: %(day)s.") % {"day": f"{council.scoring_deadline:%d/%m/%Y}"}
                if council.scoring_deadline
                else ""
            )
        notify(recipients=reviewers.values(), title=title, body=body, url=council_url(council))
    return created


def _own_open_assignment(assignment: ReviewAssignment, actor: User) -> ReviewAssignment:
    """The assignment, locked, after checking that ``actor`` is its member and that it may
    still change."""
    locked = (
        ReviewAssignment.objects.select_for_update(of=("self",))
        .select_related("member__council__campaign__rubric", "member__user", "initiative")
        .get(pk=assignment.pk)
    )
    if locked.member.user_id != actor.pk:
        raise PermissionDenied(_("Chỉ thành viên được phân công mới được chấm phiếu này."))
    if locked.excluded:
        raise ValidationError(
            _("Bạn không tham gia chấm hồ sơ này: %(reason)s") % {"reason": locked.exclusion_reason}
        )
    if locked.submitted_at is not None:
        raise ValidationError(_("Phiếu chấm đã nộp, không thể sửa."))
    if locked.member.council.round_status != RoundStatus.OPEN:
        raise ValidationError(_("Vòng chấm điểm đã khóa."))
    return locked


@transaction.atomic
def review_declare_conflict(*, assignment: ReviewAssignment, actor: User, reason: str) -> ReviewAssignment:
    """A member declares a conflict of interest themselves: they are excluded from the
    dossier (draft points are discarded) and the chair and secretary are told."""
    reason = normalise_input(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Vui lòng nêu lý do xung đột lợi ích.")})
    locked = _own_open_assignment(assignment, actor)
    ReviewScore.objects.filter(assignment=locked).delete()
    text = (_("Tự khai báo: %(reason)s") % {"reason": reason})[:255]
    locked.excluded = True
    locked.exclusion_reason = text
    locked.total = None
    locked.version += 1
    locked.save(update_fields=["excluded", "exclusion_reason", "total", "version"])
    audit.record(
        actor=actor,
        action="review.declare_conflict",
        obj=locked,
        changes={"excluded": [False, True], "exclusion_reason": ["", text]},
    )
    council = locked.member.council
    running = User.objects.filter(council_seats__council=council, council_seats__role__in=UNIQUE_ROLES)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(name)s khai báo xung đột lợi ích") % {"name": actor.full_name or actor.username}
        body = _("Hồ sơ “%(title)s”. %(reason)s") % {"title": locked.initiative.title, "reason": text}
    notify(recipients=running.exclude(pk=actor.pk), title=title, body=body, url=council_url(council))
    return locked


# --- Scoring ----------------------------------------------------------------------------------


def _clean_points(
    criteria: Sequence[Criterion], points: Mapping[int, Any], *, complete: bool
) -> dict[int, Decimal]:
    """Points per criterion id, each in 0..max with at most two decimals; every criterion
    scored when ``complete`` (a submitted sheet)."""
    by_id = {c.pk: c for c in criteria}
    unknown = set(points) - set(by_id)
    if unknown:
        raise ValidationError(_("Tiêu chí không thuộc bộ tiêu chí của đợt phát động."))
    errors: dict[str, str] = {}
    clean: dict[int, Decimal] = {}
    for criterion in criteria:
        raw = points.get(criterion.pk)
        field = f"criterion_{criterion.pk}"
        if raw is None or raw == "":
            if complete:
                errors[field] = _("Vui lòng chấm điểm tiêu chí “%(name)s” trước khi nộp.") % {
                    "name": criterion.name
                }
            continue
        value = _to_decimal(raw)
        if value is None:
            errors[field] = _("Điểm tiêu chí “%(name)s” phải là một số.") % {"name": criterion.name}
        elif value < 0 or value > criterion.max_points:
            errors[field] = _("Điểm tiêu chí “%(name)s” phải từ 0 đến %(max)s.") % {
                "name": criterion.name,
                "max": _points_text(criterion.max_points),
            }
        elif not _has_cents_at_most(value):
            errors[field] = _("Điểm tiêu chí “%(name)s” chỉ được có tối đa hai chữ số thập phân.") % {
                "name": criterion.name
            }
        else:
            clean[criterion.pk] = quantize(value)
    if errors:
        raise ValidationError(errors)
    return clean


def _write_review(
    *,
    assignment: ReviewAssignment,
    actor: User,
    points: Mapping[int, Any],
    comment: str,
    version: int,
    submit: bool,
) -> ReviewAssignment:
    locked = _own_open_assignment(assignment, actor)
    check_version(locked.version, version)
    if locked.initiative.status != InitiativeStatus.IN_REVIEW:
        raise ValidationError(_("Hồ sơ không còn ở giai đoạn chấm điểm."))
    rubric = locked.member.council.campaign.rubric
    if rubric is None:
        raise ValidationError(_("Đợt phát động chưa chọn bộ tiêu chí chấm điểm."))
    criteria = list(rubric.criteria.order_by("position", "pk"))
    clean = _clean_points(criteria, points, complete=submit)
    # Scores left from another rubric (the campaign's rubric was changed) or cleared boxes go.
    ReviewScore.objects.filter(assignment=locked).exclude(criterion_id__in=list(clean)).delete()
    existing = {s.criterion_id: s for s in ReviewScore.objects.filter(assignment=locked)}
    to_create, to_update = [], []
    for criterion_id, value in clean.items():
        score = existing.get(criterion_id)
        if score is None:
            to_create.append(ReviewScore(assignment=locked, criterion_id=criterion_id, points=value))
        elif score.points != value:
            score.points = value
            to_update.append(score)
    ReviewScore.objects.bulk_create(to_create)
    ReviewScore.objects.bulk_update(to_update, ["points"])
    before = audit.snapshot(locked, ["total", "comment", "submitted_at"])
    locked.total = sum(clean.values(), Decimal(0)) if clean else None
    locked.comment = normalise_input(comment or "").strip()
    if submit:
        locked.submitted_at = clock.now()
    locked.version += 1
    locked.save(update_fields=["total", "comment", "submitted_at", "version"])
    changes = audit.diff(before, locked)
    changes.pop("comment", None)  # the text stays on the sheet; the trail says that it changed
    audit.record(
        actor=actor, action="review.submit" if submit else "review.save", obj=locked, changes=changes
    )
    return locked


@transaction.atomic
def review_save(
    *, assignment: ReviewAssignment, actor: User, points: Mapping[int, Any], comment: str, version: int
) -> ReviewAssignment:
    """Save a draft sheet: points given so far (criterion id -> points) and the comment."""
    return _write_review(
        assignment=assignment, actor=actor, points=points, comment=comment, version=version, submit=False
    )


@transaction.atomic
def review_submit(
    *, assignment: ReviewAssignment, actor: User, points: Mapping[int, Any], comment: str, version: int
) -> ReviewAssignment:
    """Submit the sheet: every criterion scored; it is locked from then on."""
    return _write_review(
        assignment=assignment, actor=actor, points=points, comment=comment, version=version, submit=True
    )


# --- Closing the round ------------------------------------------------------------------------


def missing_reviews(council: Council) -> list[ReviewAssignment]:
    """Assignments still without a submitted sheet (excluded members owe none)."""
    return list(
        ReviewAssignment.objects.filter(member__council=council, excluded=False, submitted_at__isnull=True)
        .select_related("member__user", "initiative")
        .order_by("member__position", "member_id", "initiative_id")
    )


@transaction.atomic
def round_close(*, council: Council, actor: User, confirm_missing: bool = False) -> Council:
    """Close the scoring round: from now on the council sees every sheet and the aggregates,
    and nobody scores any more. With sheets still missing, closing needs ``confirm_missing``
    (the page lists who is missing first)."""
    locked = Council.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=council.pk)
    if locked.round_status != RoundStatus.OPEN:
        raise ValidationError(_("Vòng chấm điểm đã được khóa trước đó."))
    if not can(actor, "close_round", locked):
        raise PermissionDenied(
            _("Chỉ Chủ tịch, Thư ký Hội đồng hoặc chuyên viên phụ trách mới được khóa vòng chấm.")
        )
    if not ReviewAssignment.objects.filter(member__council=locked).exists():
        raise ValidationError(_("Chưa phân công hồ sơ nào để chấm."))
    # The round closes at (or after) the meeting: a meeting still ahead is a wrong date.
    future = chronology.not_after(locked.meeting_on, clock.today(), what=_("Ngày họp Hội đồng"))
    if future:
        raise ValidationError(
            _("%(problem)s Vui lòng sửa ngày họp trước khi khóa vòng chấm.") % {"problem": future}
        )
    missing = missing_reviews(locked)
    if missing and not confirm_missing:
        names = sorted({a.member.user.full_name or a.member.user.username for a in missing})
        raise ValidationError(
            _("Còn %(count)s phiếu chấm chưa nộp (%(names)s). Xác nhận nếu vẫn muốn khóa vòng chấm.")
            % {"count": len(missing), "names": ", ".join(names)},
            code="missing_reviews",
        )
    locked.round_status = RoundStatus.CLOSED
    locked.round_closed_at = clock.now()
    locked.round_closed_by = actor
    locked.version += 1
    locked.save(update_fields=["round_status", "round_closed_at", "round_closed_by", "version"])
    audit.record(
        actor=actor,
        action="council.round_close",
        obj=locked,
        changes={
            "round_status": [RoundStatus.OPEN, RoundStatus.CLOSED],
            "missing_reviews": [None, len(missing)],
        },
    )
    members = User.objects.filter(council_seats__council=locked)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Đã khóa vòng chấm điểm: %(council)s") % {"council": locked.name}
        body = _("Kết quả chấm điểm tổng hợp đã có trên hệ thống.")
    notify(recipients=members.exclude(pk=actor.pk), title=title, body=body, url=council_url(locked))
    return locked


# --- The vote ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class VoteOutcome:
    recognised: bool
    reasons: tuple[str, ...]  # why not, when not


def vote_outcome(
    *, rubric: Rubric, members_present: int, votes_for: int, mean: Decimal | None
) -> VoteOutcome:
    """Decree 13/2012: recognised when at least ``num/den`` of the members present vote in
    favour (votes_for × den ≥ num × present, in integers: no rounding) and the mean score
    reaches the pass mark."""
    reasons: list[str] = []
    numerator, denominator = rubric.vote_numerator, rubric.vote_denominator
    if votes_for * denominator < numerator * members_present:
        reasons.append(
            _(
                "Số phiếu tán thành (%(for)s/%(present)s thành viên dự họp) chưa đạt tỷ lệ %(num)s/%(den)s "
                "theo quy định."
            )
            % {"for": votes_for, "present": members_present, "num": numerator, "den": denominator}
        )
    if mean is None:
        reasons.append(_("Chưa có phiếu chấm điểm hợp lệ."))
    elif mean < rubric.pass_mark:
        reasons.append(
            _("Điểm trung bình %(mean)s thấp hơn điểm đạt %(pass)s.")
            % {"mean": _points_text(mean), "pass": _points_text(rubric.pass_mark)}
        )
    return VoteOutcome(recognised=not reasons, reasons=tuple(reasons))


@transaction.atomic
def recognition_record(
    *,
    initiative: Initiative,
    actor: User,
    members_present: int,
    votes_for: int,
    votes_against: int,
    level: str,
    reasons: str,
) -> Recognition:
    """Record the council's vote on one dossier and its outcome. The outcome follows the
    rule strictly (see ``vote_outcome``): a recognised dossier needs its level; one that is
    not needs the reasons the refusal letter will give."""
    locked = (
        Initiative.objects.select_for_update(of=("self",))
        .select_related("campaign__rubric")
        .get(pk=initiative.pk)
    )
    council = Council.objects.filter(campaign_id=locked.campaign_id).first() if locked.campaign_id else None
    if council is None or locked.campaign is None:
        raise ValidationError(_("Hồ sơ không thuộc đợt phát động nào có hội đồng sáng kiến."))
    if not can(actor, "record_votes", council):
        raise PermissionDenied(
            _("Chỉ Chủ tịch, Thư ký Hội đồng hoặc chuyên viên phụ trách được ghi kết quả biểu quyết.")
        )
    if locked.status != InitiativeStatus.IN_REVIEW:
        raise ValidationError(_("Hồ sơ không ở giai đoạn hội đồng xét (có thể đã ghi kết quả)."))
    if Recognition.objects.filter(initiative=locked).exists():
        raise ValidationError(_("Đã ghi kết quả biểu quyết cho hồ sơ này."))
    rubric = locked.campaign.rubric
    if rubric is None:
        raise ValidationError(_("Đợt phát động chưa chọn bộ tiêu chí chấm điểm."))

    eligible = (
        CouncilMember.objects.filter(council=council).count()
        - ReviewAssignment.objects.filter(initiative=locked, member__council=council, excluded=True).count()
    )
    errors: dict[str, str] = {}
    for name, value in (("members_present", members_present), ("votes_for", votes_for),
                        ("votes_against", votes_against)):  # fmt: skip
        if not isinstance(value, int) or value < 0:
            errors[name] = _("Vui lòng nhập số nguyên không âm.")
    if not errors:
        if members_present < 1:
            errors["members_present"] = _("Phải có ít nhất một thành viên dự họp.")
        elif members_present > eligible:
            errors["members_present"] = _(
                "Số thành viên dự họp (%(present)s) không được vượt quá số thành viên hội đồng được "
                "biểu quyết hồ sơ này (%(eligible)s, không tính người có xung đột lợi ích)."
            ) % {"present": members_present, "eligible": eligible}
        if votes_for + votes_against > members_present:
            errors["votes_for"] = _(
                "Tổng số phiếu tán thành và không tán thành vượt quá số thành viên dự họp."
            )
    if errors:
        raise ValidationError(errors)

    mean = dossier_mean(locked)
    outcome = vote_outcome(rubric=rubric, members_present=members_present, votes_for=votes_for, mean=mean)
    reasons = normalise_input(reasons or "").strip()
    if outcome.recognised:
        if level not in RecognitionLevel.values:
            raise ValidationError(
                {"level": _("Sáng kiến đạt yêu cầu công nhận: vui lòng chọn cấp công nhận.")}
            )
        reasons = ""
    else:
        if not reasons:
            raise ValidationError(
                {
                    "reasons": _(
                        "Sáng kiến không được công nhận vì: %(why)s Vui lòng ghi lý do không công nhận."
                    )
                    % {"why": " ".join(outcome.reasons)}
                }
            )
        level = ""
    recognition = Recognition.objects.create(
        initiative=locked,
        members_present=members_present,
        votes_for=votes_for,
        votes_against=votes_against,
        mean_score=mean,
        recognised=outcome.recognised,
        level=level,
        reasons=reasons,
        decided_by=actor,
    )
    new_status = InitiativeStatus.RECOGNISED if outcome.recognised else InitiativeStatus.NOT_RECOGNISED
    locked.status = new_status
    locked.version += 1
    locked.save(update_fields=["status", "version", "updated_at"])
    audit.record(
        actor=actor,
        action="initiative.recognition_record",
        obj=locked,
        changes={
            "status": [InitiativeStatus.IN_REVIEW, new_status],
            "votes": [None, f"{votes_for}/{members_present} ({votes_against})"],
            "mean_score": [None, mean],
            "level": [None, level or None],
        },
    )
    return recognition


# --- The minutes ------------------------------------------------------------------------------


@transaction.atomic
def minutes_issue(*, council: Council, actor: User, issued_on: datetime.date | None = None) -> Council:
    """Number the council's minutes (Biên bản họp Hội đồng sáng kiến, "BB") from the register
    of the campaign's issuing unit, once every assigned dossier has its vote recorded."""
    locked = (
        Council.objects.select_for_update(of=("self",))
        .select_related("campaign__issuing_unit")
        .get(pk=council.pk)
    )
    if not can(actor, "minutes", locked):
        raise PermissionDenied(
            _("Chỉ Chủ tịch, Thư ký Hội đồng hoặc chuyên viên phụ trách được cấp số biên bản.")
        )
    if locked.minutes_id is not None:
        raise ValidationError(_("Biên bản đã được cấp số."))
    pending = (
        Initiative.objects.filter(
            review_assignments__member__council=locked, status=InitiativeStatus.IN_REVIEW
        )
        .distinct()
        .count()
    )
    if pending:
        raise ValidationError(
            _("Còn %(count)s hồ sơ chưa ghi kết quả biểu quyết; vui lòng ghi đủ trước khi cấp số biên bản.")
            % {"count": pending}
        )
    day = issued_on or locked.meeting_on or clock.today()
    # The minutes record the meeting: never dated before it.
    problem = chronology.ISSUED.problem(day, what=_("Ngày biên bản")) or chronology.must_follow(
        day, locked.meeting_on, what=_("Ngày biên bản"), anchor_name=_("ngày họp Hội đồng")
    )
    if problem:
        raise ValidationError({"issued_on": problem})
    numbering.issue(
        obj=locked, document_field="minutes", unit=locked.campaign.issuing_unit,
        document_type=DocumentType.MINUTES, title=f"Biên bản họp {locked.name}", issued_on=day, actor=actor,
        action="council.minutes_issue", stamp={"meeting_on": locked.meeting_on or day},
    )  # fmt: skip
    return locked
