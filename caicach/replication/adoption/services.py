"""Adoption reports (seed 004: Home Affairs "hướng dẫn chế độ báo cáo về kết quả thực hiện"):
an obliged unit reports, per cycle and practice, how far it has adopted the practice.

Rules kept here:

- A report covers one cycle of one obligation (the assignment's cycle, quarterly by
  default) and is due ``report_due_working_days`` working days after the cycle's last day
  (``caicach.replication.cycles``). A unit may report on the cycle under way and on any
  past cycle since its obligation started; never on a future one. An obligation handed to a
  successor (``ended_on``) takes no new report.
- A new report starts from the previous cycle's (status, reason, start date, scope and
  result rows; never evidence, difficulties or proposals).
- A draft may be saved incomplete. Sending requires a reason for "stopped" and "not
  applicable", and a start date for a practice being piloted or applied.
- A sent report is closed; Home Affairs returns it with a note for completion and the unit
  sends it again. Each sending and return re-points the obligation at its latest sent
  report (``Obligation.last_submitted``), which the monitoring pages read. It keeps the
  time and lateness of its first sending: a completion Home Affairs asked for does not turn
  an on-time report late. Late means sent after the due date, by the calendar day in
  Vietnam.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from caicach.core import chronology, clock
from caicach.core.audit import services as audit
from caicach.core.models import Membership, Role, User
from caicach.core.notifications.services import notify
from caicach.core.permissions import authorize
from caicach.core.text import normalise_input
from caicach.core.uploads import validate_upload
from caicach.core.versioning import STALE_EDIT_MESSAGE, check_version
from caicach.replication.adoption.queries import (
    MAX_EVIDENCE,
    MAX_RESULTS,
    ReportContent,
    ResultInput,
    cycle_for,
    cycle_problem,
    due_on,
    prefilled_content,
    unit_people,
)
from caicach.replication.models import (
    STATUSES_NEEDING_REASON,
    AdoptionEvidence,
    AdoptionReport,
    AdoptionReportStatus,
    AdoptionResult,
    AdoptionStatus,
    Obligation,
)

EDITABLE = (AdoptionReportStatus.DRAFT, AdoptionReportStatus.RETURNED)
# Statuses saying the practice is in use: they need the day it started.
STATUSES_NEEDING_START = (
    AdoptionStatus.PILOTING,
    AdoptionStatus.APPLIED,
    AdoptionStatus.APPLIED_WIDELY,
)
TEXT_MAX = 4000
NOTE_MAX = 2000
_FIELDS = ("adoption_status", "reason", "started_on", "scope", "difficulties", "proposals")
# Measured values are counts, per cents and scores: below a billion, never negative (the
# column holds more, DecimalField(max_digits=14, decimal_places=2), but no indicator does).
_VALUE_LIMIT = Decimal(10) ** 9


# --- Validation ---------------------------------------------------------------------------------


def _text(value: str) -> str:
    return str(normalise_input(value or "")).strip()


def _line(value: str) -> str:
    return " ".join(_text(value).split())


def _clean(content: ReportContent) -> ReportContent:
    return ReportContent(
        adoption_status=content.adoption_status,
        reason=_text(content.reason),
        started_on=content.started_on,
        scope=_text(content.scope),
        difficulties=_text(content.difficulties),
        proposals=_text(content.proposals),
        results=tuple(
            ResultInput(
                indicator=_line(row.indicator),
                measure_unit=_line(row.measure_unit),
                baseline=row.baseline,
                current=row.current,
                note=_line(row.note),
            )
            for row in content.results
            # A row left wholly blank is no row.
            if any((_line(row.indicator), _line(row.measure_unit), _line(row.note)))
            or row.baseline is not None
            or row.current is not None
        ),
    )


def value_problem(value: Decimal | None, what: str) -> str | None:
    """Why a measured value does not fit (None when it does): a number, at most two decimals,
    not negative and below a billion."""
    if value is None:
        return None
    if not value.is_finite():
        return _("%(what)s phải là một số.") % {"what": what}
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        return _("%(what)s chỉ được có tối đa 2 chữ số thập phân.") % {"what": what}
    if value < 0:
        return _("%(what)s không được âm.") % {"what": what}
    if value >= _VALUE_LIMIT:
        return _("%(what)s phải nhỏ hơn 1.000.000.000.") % {"what": what}
    return None


def _validate(
    obligation: Obligation, period_end: datetime.date, content: ReportContent, *, final: bool
) -> None:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if content.adoption_status not in AdoptionStatus.values:
        add("adoption_status", _("Mức độ triển khai không hợp lệ."))
    if problem := chronology.PAST.problem(content.started_on, what=_("Ngày bắt đầu triển khai")):
        add("started_on", problem)
    elif content.started_on is not None and content.started_on > period_end:
        add(
            "started_on",
            _("Ngày bắt đầu triển khai không được sau ngày cuối kỳ báo cáo (%(day)s).")
            % {"day": f"{period_end:%d/%m/%Y}"},
        )
    for name, value, limit in (
        ("reason", content.reason, TEXT_MAX),
        ("scope", content.scope, TEXT_MAX),
        ("difficulties", content.difficulties, TEXT_MAX),
        ("proposals", content.proposals, TEXT_MAX),
    ):
        if len(value) > limit:
            add(name, _("Tối đa %(max)s ký tự.") % {"max": limit})
    if len(content.results) > MAX_RESULTS:
        add("results", _("Mỗi báo cáo có tối đa %(max)s kết quả đo lường.") % {"max": MAX_RESULTS})
    for number, row in enumerate(content.results, start=1):
        label = _("Kết quả dòng %(n)s") % {"n": number}
        if not row.indicator:
            add("results", _("%(row)s: vui lòng nhập tên chỉ tiêu.") % {"row": label})
        elif len(row.indicator) > 255:
            add("results", _("%(row)s: tên chỉ tiêu tối đa 255 ký tự.") % {"row": label})
        if len(row.measure_unit) > 64:
            add("results", _("%(row)s: đơn vị tính tối đa 64 ký tự.") % {"row": label})
        if len(row.note) > 500:
            add("results", _("%(row)s: ghi chú tối đa 500 ký tự.") % {"row": label})
        for amount, what in ((row.baseline, _("giá trị ban đầu")), (row.current, _("giá trị hiện tại"))):
            if problem := value_problem(amount, what):
                add("results", _("%(row)s: %(problem)s") % {"row": label, "problem": problem})
    if final:
        if content.adoption_status in STATUSES_NEEDING_REASON and not content.reason:
            add(
                "reason",
                _("Mức độ “%(status)s” cần nêu lý do.")
                % {"status": AdoptionStatus(content.adoption_status).label},
            )
        if content.adoption_status in STATUSES_NEEDING_START and content.started_on is None:
            add(
                "started_on",
                _("Mức độ “%(status)s” cần ghi ngày bắt đầu triển khai.")
                % {"status": AdoptionStatus(content.adoption_status).label},
            )
    if errors:
        raise ValidationError(errors)


# --- Fetching and locking -------------------------------------------------------------------------


def refresh_latest_reports(obligations: QuerySet[Obligation]) -> None:
    """Point each obligation at its latest submitted report (by cycle), copying what the
    report says, and each of its reports at the next submitted one (``superseded_from``):
    two statements, whatever the number of obligations. The obligations' lock is the
    caller's."""
    sent = AdoptionReport.objects.filter(status=AdoptionReportStatus.SUBMITTED)
    latest = sent.filter(obligation=OuterRef("pk")).order_by("-period_start")
    obligations.update(
        last_submitted=Subquery(latest.values("pk")[:1]),
        last_submitted_period=Subquery(latest.values("period_start")[:1]),
        last_submitted_status=Coalesce(Subquery(latest.values("adoption_status")[:1]), Value("")),
    )
    following = sent.filter(obligation=OuterRef("obligation"), period_start__gt=OuterRef("period_start"))
    AdoptionReport.objects.filter(obligation__in=obligations.values("pk")).update(
        superseded_from=Subquery(following.order_by("period_start").values("period_start")[:1])
    )


def _locked_obligation(obligation: Obligation) -> Obligation:
    return (
        Obligation.objects.select_for_update(of=("self",))
        .select_related("assignment__directive", "directive")
        .get(pk=obligation.pk)
    )


def _create(obligation: Obligation, period_start: datetime.date, actor: User) -> AdoptionReport:
    """A new draft for the cycle, prefilled from the previous one; the caller has checked
    the cycle and holds the obligation's lock."""
    cycle = cycle_for(obligation, period_start)
    prefill = prefilled_content(obligation, period_start)
    report = AdoptionReport.objects.create(
        obligation=obligation,
        period_start=cycle.start,
        period_end=cycle.end,
        due_on=due_on(obligation, cycle),
        adoption_status=prefill.adoption_status,
        reason=prefill.reason,
        started_on=prefill.started_on,
        scope=prefill.scope,
    )
    AdoptionResult.objects.bulk_create(
        [
            AdoptionResult(
                report=report,
                indicator=row.indicator,
                measure_unit=row.measure_unit,
                baseline=row.baseline,
                current=row.current,
                note=row.note,
                position=position,
            )
            for position, row in enumerate(prefill.results)
        ]
    )
    audit.record(
        actor=actor,
        action="adoption_report.create",
        obj=report,
        message=_("Kỳ %(cycle)s, hạn gửi %(due)s.")
        % {"cycle": cycle.label, "due": f"{report.due_on:%d/%m/%Y}"},
    )
    return report


def _report_for(
    *,
    actor: User,
    obligation: Obligation,
    period_start: datetime.date,
    version: int | None,
    today: datetime.date,
) -> tuple[AdoptionReport, Obligation]:
    """The cycle's report, row-locked (obligation first, then report); created when the form
    was built for a new one (``version`` None). Someone else having created or changed it
    since makes the edit stale."""
    authorize(actor, "adoption.file", obligation)
    locked = _locked_obligation(obligation)
    report = (
        AdoptionReport.objects.select_for_update(of=("self",))
        .filter(obligation=locked, period_start=period_start)
        .first()
    )
    if problem := cycle_problem(locked, period_start, today, new=report is None):
        raise ValidationError(problem, code="cycle")
    if report is None:
        if version is not None:
            raise ValidationError(STALE_EDIT_MESSAGE, code="stale")
        return _create(locked, period_start, actor), locked
    if version is None:
        raise ValidationError(STALE_EDIT_MESSAGE, code="stale")
    check_version(report.version, version)
    return report, locked


def _check_editable(report: AdoptionReport) -> None:
    if report.status not in EDITABLE:
        raise ValidationError(
            _("Báo cáo đã gửi, không thể sửa. Nếu cần bổ sung, Sở Nội vụ sẽ trả lại báo cáo."),
            code="status",
        )


# --- Services --------------------------------------------------------------------------------------


@transaction.atomic
def adoption_report_open(
    *, actor: User, obligation: Obligation, period_start: datetime.date, today: datetime.date | None = None
) -> AdoptionReport:
    """The report of ``obligation`` on the cycle starting ``period_start``; a new draft,
    prefilled from the previous cycle, the first time a unit opens it."""
    today = today or clock.today()
    authorize(actor, "adoption.file", obligation)
    existing = AdoptionReport.objects.filter(obligation=obligation, period_start=period_start).first()
    if existing is not None:
        return existing
    locked = _locked_obligation(obligation)
    if problem := cycle_problem(locked, period_start, today, new=True):
        raise ValidationError(problem, code="cycle")
    try:
        with transaction.atomic():
            return _create(locked, period_start, actor)
    except IntegrityError:  # opened in another tab between our read and insert
        return AdoptionReport.objects.get(obligation=obligation, period_start=period_start)


def _write(report: AdoptionReport, content: ReportContent) -> audit.Changes:
    before = audit.snapshot(report, _FIELDS)
    old_results = [
        (row.indicator, row.measure_unit, row.baseline, row.current, row.note) for row in report.results.all()
    ]
    report.adoption_status = content.adoption_status
    report.reason = content.reason if content.adoption_status in STATUSES_NEEDING_REASON else ""
    report.started_on = content.started_on
    report.scope = content.scope
    report.difficulties = content.difficulties
    report.proposals = content.proposals
    changes = audit.diff(before, report)
    new_results = [
        (row.indicator, row.measure_unit, row.baseline, row.current, row.note) for row in content.results
    ]
    if new_results != old_results:
        # The rows are few and belong to the report alone: replaced as a whole.
        report.results.all().delete()
        AdoptionResult.objects.bulk_create(
            [
                AdoptionResult(
                    report=report,
                    indicator=row.indicator,
                    measure_unit=row.measure_unit,
                    baseline=row.baseline,
                    current=row.current,
                    note=row.note,
                    position=position,
                )
                for position, row in enumerate(content.results)
            ]
        )
        changes["results"] = [
            "; ".join(row[0] for row in old_results) or None,
            "; ".join(row[0] for row in new_results) or None,
        ]
    return changes


@transaction.atomic
def adoption_report_save(
    *,
    actor: User,
    obligation: Obligation,
    period_start: datetime.date,
    content: ReportContent,
    version: int | None,
    today: datetime.date | None = None,
) -> AdoptionReport:
    """Save the unit's report on the cycle as a draft (created when it does not exist yet:
    ``version`` None). ``version`` is the report's version the form was built from."""
    today = today or clock.today()
    report, locked = _report_for(
        actor=actor, obligation=obligation, period_start=period_start, version=version, today=today
    )
    _check_editable(report)
    content = _clean(content)
    _validate(locked, report.period_end, content, final=False)
    changes = _write(report, content)
    report.version += 1
    report.save(update_fields=[*_FIELDS, "version", "updated_at"])
    audit.record(actor=actor, action="adoption_report.update", obj=report, changes=changes)
    return report


@transaction.atomic
def adoption_report_submit(
    *,
    actor: User,
    obligation: Obligation,
    period_start: datetime.date,
    content: ReportContent,
    version: int | None,
    at: datetime.datetime | None = None,
) -> AdoptionReport:
    """Save and send the unit's report on the cycle to Home Affairs. ``at`` is the moment of
    sending (now; the demo and tests pass another). Late when sent after the due date (the
    calendar day in Vietnam); a report sent again after a return keeps its first sending."""
    moment = at or clock.now()
    sent_on = timezone.localdate(moment)
    report, locked = _report_for(
        actor=actor, obligation=obligation, period_start=period_start, version=version, today=sent_on
    )
    _check_editable(report)
    content = _clean(content)
    _validate(locked, report.period_end, content, final=True)
    changes = _write(report, content)
    resent = report.status == AdoptionReportStatus.RETURNED
    changes["status"] = [report.status, AdoptionReportStatus.SUBMITTED]
    report.status = AdoptionReportStatus.SUBMITTED
    fields = [*_FIELDS, "status", "version", "updated_at"]
    if report.submitted_at is None:
        report.submitted_at = moment
        report.submitted_by = actor
        report.is_late = sent_on > report.due_on
        fields += ["submitted_at", "submitted_by", "is_late"]
        changes["is_late"] = [None, report.is_late]
    report.version += 1
    report.save(update_fields=fields)
    refresh_latest_reports(Obligation.objects.filter(pk=locked.pk))
    cycle = cycle_for(locked, report.period_start)
    audit.record(
        actor=actor,
        action="adoption_report.submit",
        obj=report,
        changes=changes,
        message=(_("Gửi lại sau khi bổ sung, kỳ %(cycle)s.") if resent else _("Kỳ %(cycle)s."))
        % {"cycle": cycle.label},
    )
    if resent:
        # Home Affairs asked for the completion: tell the officers who follow the directive.
        # A first sending is not announced one by one (hundreds in a round); it shows on
        # their to-do list and review list.
        officers = [
            m.user
            for m in Membership.objects.filter(
                unit_id=locked.directive.coordinator_unit_id,
                role=Role.REFORM_OFFICER,
                is_active=True,
                user__is_active=True,
            ).select_related("user")
        ]
        if report.returned_by is not None and report.returned_by.is_active:
            officers.append(report.returned_by)
        notify(
            recipients=officers,
            title=_("Báo cáo nhân rộng đã được bổ sung: %(unit)s") % {"unit": locked.unit},
            body=_("%(practice)s, kỳ %(cycle)s.") % {"practice": locked.practice, "cycle": cycle.label},
            url=report.get_absolute_url(),
        )
    return report


@transaction.atomic
def adoption_report_return(
    *,
    actor: User,
    report: AdoptionReport,
    note: str,
    version: int | None,
    at: datetime.datetime | None = None,
) -> AdoptionReport:
    """Home Affairs returns a sent report to the unit for completion, saying what to add."""
    authorize(actor, "return", report)
    obligation = _locked_obligation(report.obligation)
    locked = AdoptionReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
    check_version(locked.version, version)
    if locked.status != AdoptionReportStatus.SUBMITTED:
        raise ValidationError(_("Chỉ trả lại được báo cáo đã gửi."), code="status")
    note = _text(note)
    if not note:
        raise ValidationError({"note": _("Vui lòng nêu nội dung cần bổ sung.")})
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": _("Tối đa %(max)s ký tự.") % {"max": NOTE_MAX}})
    locked.status = AdoptionReportStatus.RETURNED
    locked.returned_at = at or clock.now()
    locked.returned_by = actor
    locked.return_note = note
    locked.version += 1
    locked.save(
        update_fields=["status", "returned_at", "returned_by", "return_note", "version", "updated_at"]
    )
    refresh_latest_reports(Obligation.objects.filter(pk=obligation.pk))
    audit.record(
        actor=actor,
        action="adoption_report.return",
        obj=locked,
        changes={"status": [AdoptionReportStatus.SUBMITTED, AdoptionReportStatus.RETURNED]},
        message=note,
    )
    cycle = cycle_for(obligation, locked.period_start)
    notify(
        recipients=unit_people([obligation.unit_id]).get(obligation.unit_id, []),
        title=_("Báo cáo nhân rộng bị trả lại để bổ sung: %(practice)s") % {"practice": obligation.practice},
        body=_("Kỳ %(cycle)s. Nội dung cần bổ sung: %(note)s") % {"cycle": cycle.label, "note": note},
        url=locked.get_absolute_url(),
    )
    return locked


@transaction.atomic
def adoption_evidence_add(
    *, actor: User, report: AdoptionReport, upload: UploadedFile, is_public: bool = False
) -> AdoptionEvidence:
    """Attach a checked file (``caicach.core.uploads``) to a draft or returned report.
    ``is_public``: the showcase may show it."""
    authorize(actor, "change", report)
    _locked_obligation(report.obligation)
    locked = AdoptionReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
    _check_editable(locked)
    if locked.evidence.count() >= MAX_EVIDENCE:
        raise ValidationError(
            _("Mỗi báo cáo đính kèm tối đa %(max)s tệp minh chứng.") % {"max": MAX_EVIDENCE}, code="too_many"
        )
    checked = validate_upload(upload)
    evidence = AdoptionEvidence(
        report=locked, name=checked.display_name, is_public=is_public, uploaded_by=actor
    )
    upload.seek(0)
    evidence.file.save(checked.stored_name, upload, save=False)
    try:
        # The evidence is not part of the text the version guards: adding a file does not make
        # the report form open in another tab stale.
        evidence.save()
        audit.record(
            actor=actor,
            action="adoption_report.evidence_add",
            obj=locked,
            changes={"evidence": [None, checked.display_name]},
            message=_("Công khai") if is_public else "",
        )
    except BaseException:
        # The row is rolled back with the transaction; the file would be left behind.
        evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence


@transaction.atomic
def adoption_evidence_remove(*, actor: User, evidence: AdoptionEvidence) -> None:
    """Take a file off a draft or returned report (a sent report keeps its evidence)."""
    report = AdoptionReport.objects.select_related("obligation").get(pk=evidence.report_id)
    authorize(actor, "change", report)
    _locked_obligation(report.obligation)
    locked = AdoptionReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
    _check_editable(locked)
    row = AdoptionEvidence.objects.filter(pk=evidence.pk, report=locked).first()
    if row is None:
        return
    name, stored = row.name, row.file.name
    row.delete()
    audit.record(
        actor=actor, action="adoption_report.evidence_remove", obj=locked, changes={"evidence": [name, None]}
    )
    storage = row.file.storage
    transaction.on_commit(lambda: storage.delete(stored))
