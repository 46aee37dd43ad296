"""Writes to the working-day calendar: admin overrides and the shipped official schedule.

Every change bumps the calendar version at once and again on commit, so no process keeps
counting deadlines with a stale year (see ``caicach.core.calendar.queries.invalidate``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from caicach.core.audit import services as audit
from caicach.core.calendar import queries as workcal
from caicach.core.models import CalendarDay, CalendarDayKind, User
from caicach.core.permissions import authorize
from caicach.core.text import nfc
from caicach.core.versioning import check_version

_FIELDS = ("date", "kind", "description", "source")


def _changed() -> None:
    workcal.invalidate()
    transaction.on_commit(workcal.invalidate)


def _validate(*, date: datetime.date, kind: str, description: str, day: CalendarDay | None) -> None:
    errors: dict[str, str] = {}
    if kind not in CalendarDayKind.values:
        errors["kind"] = _("Loại ngày không hợp lệ.")
    if not description:
        errors["description"] = _("Vui lòng ghi nội dung (lý do nghỉ hoặc làm bù).")
    if not workcal.MIN_YEAR <= date.year <= workcal.MAX_YEAR:
        errors["date"] = _("Lịch chỉ áp dụng cho các năm từ %(min)d đến %(max)d.") % {
            "min": workcal.MIN_YEAR,
            "max": workcal.MAX_YEAR,
        }
    else:
        base = workcal.base_day(date)
        shown = date.strftime("%d/%m/%Y")
        if kind == CalendarDayKind.WORKING_DAY and base.is_working:
            errors["kind"] = _(
                "Ngày %(date)s vốn là ngày làm việc bình thường. Ngày làm bù phải là thứ Bảy, "
                "Chủ nhật hoặc ngày nghỉ lễ."
            ) % {"date": shown}
        elif kind == CalendarDayKind.DAY_OFF and not base.is_working:
            errors["kind"] = _(
                "Ngày %(date)s vốn đã là ngày nghỉ (%(reason)s). Chỉ khai báo ngày nghỉ cho ngày "
                "làm việc bình thường."
            ) % {"date": shown, "reason": base.reason}
        taken = CalendarDay.objects.filter(date=date)
        if day is not None:
            taken = taken.exclude(pk=day.pk)
        if "date" not in errors and taken.exists():
            errors["date"] = _("Ngày %(date)s đã có trong lịch; vui lòng sửa dòng đã có.") % {"date": shown}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def calendar_day_set(
    *,
    actor: User,
    date: datetime.date,
    kind: str,
    description: str,
    source: str = "",
    day: CalendarDay | None = None,
    expected_updated_at: datetime.datetime | None = None,
) -> CalendarDay:
    """Create an override day (``day`` None) or change ``day``. ``expected_updated_at`` is the
    row's stamp the form was built from: an edit based on a stale copy is refused."""
    authorize(actor, "core.manage_calendar")
    description = nfc(description).strip()
    source = nfc(source).strip()
    if day is not None:
        day = CalendarDay.objects.select_for_update().get(pk=day.pk)
        check_version(day.updated_at, expected_updated_at)
    _validate(date=date, kind=kind, description=description, day=day)
    if day is None:
        day = CalendarDay.objects.create(date=date, kind=kind, description=description, source=source)
        audit.record(
            actor=actor,
            action="calendar_day.create",
            obj=day,
            changes={name: [None, getattr(day, name)] for name in _FIELDS},
        )
    else:
        before = audit.snapshot(day, _FIELDS)
        day.date, day.kind, day.description, day.source = date, kind, description, source
        day.save(update_fields=[*_FIELDS, "updated_at"])
        audit.record(actor=actor, action="calendar_day.update", obj=day, changes=audit.diff(before, day))
    _changed()
    return day


@transaction.atomic
def calendar_day_remove(*, actor: User, day: CalendarDay) -> None:
    """Remove an override: the day goes back to the plain rules. The audit event keeps what
    it was."""
    authorize(actor, "core.manage_calendar")
    day = CalendarDay.objects.select_for_update().get(pk=day.pk)
    audit.record(
        actor=actor,
        action="calendar_day.remove",
        obj=day,
        changes={name: [getattr(day, name), None] for name in _FIELDS},
    )
    day.delete()
    _changed()


@dataclass
class LoadResult:
    created: list[datetime.date] = field(default_factory=list)
    kept: list[datetime.date] = field(default_factory=list)
    skipped_years: list[int] = field(default_factory=list)


@transaction.atomic
def calendar_load_official(*, actor: User | None = None, skip_years_with_rows: bool = False) -> LoadResult:
    """Load the shipped official schedule into ``CalendarDay``. Idempotent: a date that
    already has a row is left as it is (an admin's correction wins over the shipped file).
    With ``skip_years_with_rows`` a year that has any row at all is left alone, so a row an
    admin removed on purpose does not come back (what ``workdays`` uses on a fresh database).
    ``actor`` None: the operator's own command (``load_official_calendar``, the demo loader),
    run with shell access to the server; from the site it is always an administrator."""
    if actor is not None:
        authorize(actor, "core.manage_calendar")
    schedule = workcal.official_schedule()
    result = LoadResult()
    existing = set(
        CalendarDay.objects.select_for_update()
        .filter(date__year__in=schedule.years)
        .values_list("date", flat=True)
    )
    years_with_rows = {d.year for d in existing}
    for item in schedule.days:
        if skip_years_with_rows and item.date.year in years_with_rows:
            if item.date.year not in result.skipped_years:
                result.skipped_years.append(item.date.year)
            continue
        if item.date in existing:
            result.kept.append(item.date)
            continue
        CalendarDay.objects.create(
            date=item.date, kind=item.kind, description=item.description, source=item.source
        )
        result.created.append(item.date)
    if result.created:
        audit.record(
            actor=actor,
            action="calendar.load_official",
            changes={"created": [None, [d.isoformat() for d in result.created]]},
            message=_("Nạp lịch nghỉ lễ, làm bù chính thức các năm %(years)s: thêm %(count)d ngày.")
            % {"years": ", ".join(str(y) for y in schedule.years), "count": len(result.created)},
        )
        _changed()
    return result
