"""Calendar pages: the year of working days (anyone logged in) and the admin's override
days (``core.manage_calendar``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from caicach.core import clock
from caicach.core.calendar import queries as workcal
from caicach.core.calendar.forms import CalendarDayForm, WorkdayCountForm
from caicach.core.calendar.services import calendar_day_remove, calendar_day_set, calendar_load_official
from caicach.core.models import CalendarDay, User
from caicach.core.once import AlreadySubmitted, once
from caicach.core.permissions import can, get_for_user, require

# The year page is not meant for the far past or future: the URL refuses other years.
FIRST_YEAR = 2000
LAST_YEAR = 2100


def year_bounds() -> tuple[int, int]:
    """The years the year page shows: from the year before the first year with notice days
    (or this year) to the year after the last one. Beyond them the page would be the
    statutory holidays alone, and following "next year" would never end."""
    this_year = clock.today().year
    span = workcal.notice_years() or (this_year, this_year)
    first, last = min(span[0], this_year) - 1, max(span[1], this_year) + 1
    return max(first, FIRST_YEAR), min(last, LAST_YEAR)


WEEKDAY_NAMES = (
    gettext_lazy("Thứ Hai"),
    gettext_lazy("Thứ Ba"),
    gettext_lazy("Thứ Tư"),
    gettext_lazy("Thứ Năm"),
    gettext_lazy("Thứ Sáu"),
    gettext_lazy("Thứ Bảy"),
    gettext_lazy("Chủ nhật"),
)


def weekday_name(date: datetime.date) -> str:
    return str(WEEKDAY_NAMES[date.weekday()])


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _count(form: WorkdayCountForm) -> dict[str, Any] | None:
    if not form.is_valid():
        return None
    start: datetime.date = form.cleaned_data["start"]
    n: int = form.cleaned_data["n"]
    try:
        if form.cleaned_data["direction"] == WorkdayCountForm.BEFORE:
            result = workcal.working_day_before(start, n)
        else:
            result = workcal.add_working_days(start, n)
    except ValueError:
        form.add_error("start", _("Ngày nằm ngoài phạm vi của lịch."))
        return None
    return {
        "start": start,
        "n": n,
        "before": form.cleaned_data["direction"] == WorkdayCountForm.BEFORE,
        "result": result,
        "result_weekday": weekday_name(result),
    }


@login_required
def calendar_current(request: HttpRequest) -> HttpResponse:
    require(request.user, "core.view_calendar")
    return redirect("calendar_year", year=clock.today().year)


@login_required
def calendar_year(request: HttpRequest, year: int) -> HttpResponse:
    require(request.user, "core.view_calendar")
    first, last = year_bounds()
    if not first <= year <= last:
        raise Http404
    form = WorkdayCountForm(request.GET) if "start" in request.GET else WorkdayCountForm()
    count = _count(form) if form.is_bound else None
    context: dict[str, Any] = {"form": form, "count": count}
    if request.htmx and form.is_bound:  # type: ignore[attr-defined]
        return render(request, "core/calendar/_count.html", context)
    overview = workcal.year_overview(year)
    context.update(
        {
            "overview": overview,
            "days_off": [(d, weekday_name(d.date)) for d in overview.days_off],
            "makeup_days": [(d, weekday_name(d.date)) for d in overview.makeup_days],
            "year": year,
            "previous_year": year - 1 if year > first else None,
            "next_year": year + 1 if year < last else None,
            "weekday_headers": [_("T2"), _("T3"), _("T4"), _("T5"), _("T6"), _("T7"), _("CN")],
            "can_manage": can(request.user, "core.manage_calendar"),
            "today": clock.today(),
        }
    )
    return render(request, "core/calendar/year.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_day_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "core.manage_calendar")
    if request.method == "POST":
        form = CalendarDayForm(request.POST)
        if form.is_valid():
            try:
                with once(request, form) as submission:
                    day = calendar_day_set(
                        actor=_actor(request),
                        date=form.cleaned_data["date"],
                        kind=form.cleaned_data["kind"],
                        description=form.cleaned_data["description"],
                        source=form.cleaned_data["source"],
                    )
                    submission.created(reverse("calendar_year", args=[day.date.year]))
            except AlreadySubmitted as repeat:
                return repeat.response(request)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("Đã thêm ngày %(date)s vào lịch.") % {"date": f"{day.date:%d/%m/%Y}"}
                )
                return redirect("calendar_year", year=day.date.year)
    else:
        initial: dict[str, Any] = {}
        try:
            if request.GET.get("date"):
                initial["date"] = datetime.date.fromisoformat(request.GET["date"])
        except ValueError:
            pass
        form = CalendarDayForm(initial=initial)
    return render(request, "core/calendar/day_form.html", {"form": form, "day": None})


@login_required
@require_http_methods(["GET", "POST"])
def calendar_day_update(request: HttpRequest, pk: int) -> HttpResponse:
    day = get_for_user(request.user, CalendarDay.objects.all(), pk, "change")
    if request.method == "POST":
        form = CalendarDayForm(request.POST, editing=True)
        if form.is_valid():
            try:
                day = calendar_day_set(
                    actor=_actor(request),
                    day=day,
                    date=form.cleaned_data["date"],
                    kind=form.cleaned_data["kind"],
                    description=form.cleaned_data["description"],
                    source=form.cleaned_data["source"],
                    expected_updated_at=form.cleaned_data["stamp"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Đã cập nhật ngày %(date)s.") % {"date": f"{day.date:%d/%m/%Y}"})
                return redirect("calendar_year", year=day.date.year)
    else:
        form = CalendarDayForm(initial=CalendarDayForm.initial_for(day), editing=True)
    return render(request, "core/calendar/day_form.html", {"form": form, "day": day})


@login_required
@require_http_methods(["GET", "POST"])
def calendar_day_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    day = get_for_user(request.user, CalendarDay.objects.all(), pk, "change")
    if request.method == "POST":
        calendar_day_remove(actor=_actor(request), day=day)
        messages.success(
            request,
            _("Đã xóa ngày %(date)s khỏi lịch; ngày này trở lại theo quy định chung.")
            % {"date": f"{day.date:%d/%m/%Y}"},
        )
        return redirect("calendar_year", year=day.date.year)
    return render(
        request, "core/calendar/day_confirm_remove.html", {"day": day, "base": workcal.base_day(day.date)}
    )


@login_required
@require_POST
def calendar_load_official_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "core.manage_calendar")
    result = calendar_load_official(actor=_actor(request))
    messages.success(
        request,
        _("Đã nạp lịch chính thức: thêm %(created)d ngày, giữ nguyên %(kept)d ngày đã có.")
        % {"created": len(result.created), "kept": len(result.kept)},
    )
    return redirect("calendar")
