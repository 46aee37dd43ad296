"""Every write after the council's vote: the recognition decision, refusal letters,
certificates (issue, revoke) and the authors' effectiveness reports.

Decree 13/2012, Art. 9 and 10: the body that received the request decides within 3 months;
a recognised initiative gets a certificate, a refused one a written answer stating the
reasons. The council's vote itself (``Recognition`` rows) is recorded by ``services.review``."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caicach.core import chronology, clock, numbering
from caicach.core.audit import services as audit
from caicach.core.models import DocumentType, Role, User
from caicach.core.notifications.services import notify
from caicach.core.numbering import register_number
from caicach.core.permissions import authorize
from caicach.core.text import normalise_input
from caicach.core.versioning import check_version
from caicach.initiatives.models import (
    Campaign,
    Certificate,
    Council,
    EffectivenessReport,
    Initiative,
    InitiativeStatus,
    Recognition,
    RecognitionDecision,
    ReportStatus,
    new_verification_code,
)
from caicach.initiatives.recognition.documents import decision_subtitle

# Verification codes are read off paper and typed by people: no 0/O, 1/I/L look-alikes.

REPORT_FIELDS = ("essence", "effectiveness", "replicability", "confirmed_by_name", "representative_name")

AUDIT_LABELS = {
    "recognition_decision.issue": gettext_lazy("Ban hành quyết định công nhận sáng kiến"),
    "recognition.refusal_letter": gettext_lazy("Gửi văn bản trả lời không công nhận sáng kiến"),
    "certificate.issue": gettext_lazy("Cấp giấy chứng nhận sáng kiến"),
    "certificate.revoke": gettext_lazy("Thu hồi giấy chứng nhận sáng kiến"),
    "effectiveness_report.create": gettext_lazy("Lập báo cáo hiệu quả áp dụng sáng kiến"),
    "effectiveness_report.update": gettext_lazy("Sửa báo cáo hiệu quả áp dụng sáng kiến"),
    "effectiveness_report.submit": gettext_lazy("Gửi báo cáo hiệu quả áp dụng sáng kiến"),
}


# --- Verification codes -------------------------------------------------------------------------


def _unused_code() -> str:
    # A clash is astronomically unlikely, but the unique constraint would turn one into a
    # server error: draw again instead.
    while True:
        code = new_verification_code()
        if not Certificate.objects.filter(verification_code=code).exists():
            return code


# --- Helpers ------------------------------------------------------------------------------------------


def _today() -> datetime.date:
    return clock.today()


def _notify_authors(initiatives: Iterable[Initiative], *, title: str, body: str, url: str) -> None:
    initiatives = list(initiatives)
    ids = [initiative.pk for initiative in initiatives]
    creators = {initiative.created_by_id for initiative in initiatives if initiative.created_by_id}
    recipients = User.objects.filter(
        Q(authorships__initiative_id__in=ids) | Q(pk__in=creators), is_active=True
    ).distinct()
    notify(recipients=recipients, title=title, body=body, url=url)


def _vietnamese(text: Any) -> str:
    """Notifications speak the language of the administration, whoever pressed the button."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def _campaign_of(recognition: Recognition) -> Campaign:
    campaign = recognition.initiative.campaign
    if campaign is None:
        # The council sits per campaign, so a vote outside one cannot happen; guard anyway.
        raise ValidationError(_("Sáng kiến không thuộc đợt phát động nào nên không thể ban hành văn bản."))
    return campaign


def _locked_recognition(recognition: Recognition) -> Recognition:
    return (
        Recognition.objects.select_for_update(of=("self",))
        .select_related(
            "initiative__campaign__issuing_unit__parent",
            "initiative__campaign__receiving_unit",
            "decision__registered_document",
            "decision__campaign__issuing_unit",
        )
        .get(pk=recognition.pk)
    )


# --- The decision ---------------------------------------------------------------------------------


def decision_input_errors(
    campaign: Campaign, *, issued_on: datetime.date, signer_title: str
) -> dict[str, str]:
    """What is wrong with a decision's date and signer, by field: the service refuses these,
    and the issue view asks before offering a number, so the confirmation page never
    announces a number for a decision that cannot be issued."""
    errors: dict[str, str] = {}
    if not normalise_input(signer_title).strip():
        errors["signer_title"] = _("Vui lòng nhập chức vụ người ký.")
    problem = chronology.ISSUED.problem(issued_on, what=_("Ngày ban hành"))
    if problem:
        errors["issued_on"] = problem
        return errors
    if issued_on > _today():
        errors["issued_on"] = _("Ngày ban hành không được sau ngày hôm nay.")
        return errors
    # The vote may be entered after the meeting (decided_at is when it was recorded): the
    # meeting's own date is what a decision cannot precede, and its minutes
    # (caicach.core.chronology).
    meeting_on, minutes_on = Council.objects.filter(campaign=campaign).values_list(
        "meeting_on", "minutes__issued_on"
    ).first() or (None, None)
    problem = chronology.first_problem(
        chronology.must_follow(
            issued_on, meeting_on, what=_("Ngày quyết định"), anchor_name=_("ngày họp Hội đồng")
        ),
        chronology.must_follow(
            issued_on, minutes_on, what=_("Ngày quyết định"), anchor_name=_("ngày biên bản họp Hội đồng")
        ),
    )
    if problem:
        errors["issued_on"] = problem
    return errors


@transaction.atomic
def recognition_decision_issue(
    *,
    campaign: Campaign,
    actor: User,
    issued_on: datetime.date,
    signer_authority: str,
    signer_title: str,
    signer_name: str,
) -> RecognitionDecision:
    """One "Quyết định công nhận sáng kiến" numbered in the issuing unit's QĐ register,
    listing every recognised initiative of the campaign that no decision lists yet."""
    signer_authority, signer_title, signer_name = (
        normalise_input(value).strip() for value in (signer_authority, signer_title, signer_name)
    )
    errors = decision_input_errors(campaign, issued_on=issued_on, signer_title=signer_title)
    if errors:
        raise ValidationError(errors)
    # Campaign first, then its recognitions: the same order as every other writer.
    locked = (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("issuing_unit__parent", "registered_document")
        .get(pk=campaign.pk)
    )
    # The campaign's managers issue its decision (the same people who see it).
    authorize(actor, "change", locked)
    pending = list(
        Recognition.objects.select_for_update(of=("self",))
        .select_related("initiative")
        .filter(initiative__campaign=locked, recognised=True, decision__isnull=True)
        .order_by("initiative_id")
    )
    if not pending:
        raise ValidationError(
            _("Chưa có sáng kiến nào được Hội đồng công nhận mà chưa có trong quyết định công nhận.")
        )
    document = register_number(
        unit=locked.issuing_unit,
        document_type=DocumentType.DECISION,
        year=issued_on.year,
        title=f"Quyết định {decision_subtitle(locked)}",
        issued_on=issued_on,
        actor=actor,
        obj=locked,
    )
    decision = RecognitionDecision.objects.create(
        campaign=locked,
        registered_document=document,
        issued_on=issued_on,
        signer_authority=signer_authority,
        signer_title=signer_title,
        signer_name=signer_name,
        created_by=actor,
    )
    Recognition.objects.filter(pk__in=[r.pk for r in pending]).update(decision=decision)
    audit.record(
        actor=actor,
        action="recognition_decision.issue",
        obj=decision,
        changes={"registered_document": [None, document.reference]},
        message=_vietnamese(gettext_lazy("Công nhận %(count)s sáng kiến.")) % {"count": len(pending)},
    )
    day = f"{issued_on:%d/%m/%Y}"
    for recognition in pending:
        initiative = recognition.initiative
        audit.record(
            actor=actor,
            action="recognition_decision.issue",
            obj=initiative,
            message=_vietnamese(gettext_lazy("Quyết định số %(reference)s ngày %(day)s."))
            % {"reference": document.reference, "day": day},
        )
        # One notice per dossier, each opening its own page.
        _notify_authors(
            [initiative],
            title=_vietnamese(gettext_lazy("Sáng kiến của bạn đã được công nhận")),
            body=_vietnamese(gettext_lazy("“%(title)s”: Quyết định số %(reference)s ngày %(day)s."))
            % {"title": initiative.title, "reference": document.reference, "day": day},
            url=initiative.get_absolute_url(),
        )
    return decision


# --- Refusal letters ------------------------------------------------------------------------------


@transaction.atomic
def refusal_letter_issue(
    *,
    recognition: Recognition,
    actor: User,
    reasons: str | None = None,
    issued_on: datetime.date | None = None,
) -> Recognition:
    """The numbered official letter answering the authors that their request is refused,
    with the reasons (Decree 13/2012, Art. 10: refusal is given in writing with reasons).
    ``reasons`` replaces the council's wording when given."""
    locked = _locked_recognition(recognition)
    authorize(actor, "manage", locked)
    if locked.recognised:
        raise ValidationError(_("Sáng kiến đã được công nhận: không gửi văn bản từ chối."))
    if locked.refusal_letter_id is not None:
        raise ValidationError(_("Văn bản trả lời cho sáng kiến này đã được ban hành."))
    campaign = _campaign_of(locked)
    day = issued_on or _today()
    if day > _today():
        raise ValidationError({"issued_on": _("Ngày ban hành không được sau ngày hôm nay.")})
    reasons = normalise_input(reasons).strip() if reasons is not None else locked.reasons.strip()
    if not reasons:
        raise ValidationError(
            {"reasons": _("Vui lòng ghi rõ lý do không công nhận: văn bản trả lời phải nêu lý do.")}
        )
    # The outcome's own record keeps the letter and, when restated, the council's wording
    # beside the new one; the dossier's history says what the authors were told.
    document = numbering.issue(
        obj=locked,
        document_field="refusal_letter",
        unit=campaign.issuing_unit,
        document_type=DocumentType.OFFICIAL_LETTER,
        title=f"V/v trả lời đơn yêu cầu công nhận sáng kiến “{locked.initiative.title}”",
        issued_on=day,
        actor=actor,
        action="recognition.refusal_letter",
        stamp={"reasons": reasons},
        drafting_unit=campaign.receiving_unit,
    )
    audit.record(
        actor=actor,
        action="recognition.refusal_letter",
        obj=locked.initiative,
        message=_vietnamese(gettext_lazy("Văn bản số %(reference)s. Lý do: %(reasons)s"))
        % {"reference": document.reference, "reasons": locked.reasons},
    )
    _notify_authors(
        [locked.initiative],
        title=_vietnamese(gettext_lazy("Kết quả xét công nhận sáng kiến")),
        body=_vietnamese(
            gettext_lazy("Sáng kiến “%(title)s” không được công nhận. Văn bản trả lời số %(reference)s.")
        )
        % {"title": locked.initiative.title, "reference": document.reference},
        url=locked.initiative.get_absolute_url(),
    )
    return locked


# --- Certificates ------------------------------------------------------------------------------------


@transaction.atomic
def certificate_issue(
    *, recognition: Recognition, actor: User, issued_on: datetime.date | None = None
) -> Certificate:
    """The certificate of a recognised initiative listed in an issued decision: the next
    number of the deciding unit's GCN register and a fresh verification code."""
    locked = _locked_recognition(recognition)
    authorize(actor, "manage", locked)
    if not locked.recognised:
        raise ValidationError(_("Chỉ cấp giấy chứng nhận cho sáng kiến được công nhận."))
    decision = locked.decision
    if decision is None:
        raise ValidationError(
            _("Sáng kiến chưa có trong quyết định công nhận: vui lòng ban hành quyết định trước.")
        )
    if Certificate.objects.filter(recognition=locked).exists():
        raise ValidationError(_("Sáng kiến này đã được cấp giấy chứng nhận."))
    day = issued_on or _today()
    problem = chronology.must_follow(
        day,
        decision.issued_on,
        what=_("Ngày cấp giấy chứng nhận"),
        anchor_name=_("ngày ban hành quyết định công nhận"),
    )
    if problem:
        raise ValidationError({"issued_on": problem})
    if day > _today():
        raise ValidationError({"issued_on": _("Ngày cấp không được sau ngày hôm nay.")})
    document = register_number(
        unit=decision.campaign.issuing_unit,
        document_type=DocumentType.CERTIFICATE,
        year=day.year,
        title=f"Giấy chứng nhận sáng kiến “{locked.initiative.title}”",
        issued_on=day,
        actor=actor,
        obj=locked.initiative,
    )
    certificate = Certificate.objects.create(
        recognition=locked, registered_document=document, verification_code=_unused_code(), issued_on=day
    )
    audit.record(
        actor=actor,
        action="certificate.issue",
        obj=locked.initiative,
        message=_vietnamese(gettext_lazy("Giấy chứng nhận số %(reference)s."))
        % {"reference": document.reference},
    )
    _notify_authors(
        [locked.initiative],
        title=_vietnamese(gettext_lazy("Đã cấp giấy chứng nhận sáng kiến")),
        body=_vietnamese(gettext_lazy("Giấy chứng nhận số %(reference)s cho sáng kiến “%(title)s”."))
        % {"reference": document.reference, "title": locked.initiative.title},
        url=locked.initiative.get_absolute_url(),
    )
    return certificate


def certificates_pending(campaign: Campaign) -> list[Recognition]:
    """Recognised initiatives of ``campaign`` listed in a decision, still without certificate."""
    return list(
        Recognition.objects.filter(
            initiative__campaign=campaign, recognised=True, decision__isnull=False, certificate__isnull=True
        )
        .select_related("initiative")
        .order_by("initiative_id")
    )


@dataclass(frozen=True)
class BulkIssue:
    issued: list[Certificate]
    failures: list[str]


def certificates_issue_all(
    *, campaign: Campaign, actor: User, progress: Callable[[int, int], None] | None = None
) -> BulkIssue:
    """A certificate for every recognised initiative of the campaign that has none. Each is
    its own transaction: one refusal (a unit without a document symbol, say) does not undo
    the others; the refusals come back with the certificates issued. ``progress(done,
    total)`` is called after each one (the background job's progress bar)."""
    pending = certificates_pending(campaign)
    issued: list[Certificate] = []
    failures: list[str] = []
    for done, recognition in enumerate(pending, start=1):
        try:
            issued.append(certificate_issue(recognition=recognition, actor=actor))
        except ValidationError as exc:
            failures.extend(f"{recognition.initiative.title}: {message}" for message in exc.messages)
        if progress is not None:
            progress(done, len(pending))
    return BulkIssue(issued=issued, failures=failures)


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, actor: User, reason: str) -> Certificate:
    """Withdraw a certificate (issued in error, initiative found copied…). It stays on record
    and the public page says it was revoked."""
    reason = normalise_input(reason).strip()
    if not reason:
        raise ValidationError({"reason": _("Vui lòng nêu lý do thu hồi giấy chứng nhận.")})
    locked = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("registered_document", "recognition__initiative")
        .get(pk=certificate.pk)
    )
    if locked.revoked_at is not None:
        raise ValidationError(_("Giấy chứng nhận này đã bị thu hồi."))
    authorize(actor, "revoke", locked)
    locked.revoked_at = clock.now()
    locked.revocation_reason = reason
    locked.save(update_fields=["revoked_at", "revocation_reason"])
    initiative = locked.recognition.initiative
    audit.record(
        actor=actor,
        action="certificate.revoke",
        obj=initiative,
        message=_vietnamese(gettext_lazy("Giấy chứng nhận số %(reference)s. Lý do thu hồi: %(reason)s"))
        % {"reference": locked.registered_document.reference, "reason": reason},
    )
    _notify_authors(
        [initiative],
        title=_vietnamese(gettext_lazy("Giấy chứng nhận sáng kiến đã bị thu hồi")),
        body=_vietnamese(gettext_lazy("Giấy chứng nhận số %(reference)s bị thu hồi. Lý do: %(reason)s"))
        % {"reference": locked.registered_document.reference, "reason": reason},
        url=initiative.get_absolute_url(),
    )
    return locked


# --- Effectiveness reports (seed 000) -------------------------------------------------------------


def _clean_report_data(data: Mapping[str, Any]) -> dict[str, str]:
    unknown = set(data) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown effectiveness report fields: {sorted(unknown)}")
    clean = normalise_input(dict(data))
    return {name: str(value or "").strip() for name, value in clean.items()}


# The two names on the signature lines (the model's max_length).
NAME_MAX = 150


def _check_lengths(report: EffectivenessReport) -> None:
    for name in ("confirmed_by_name", "representative_name"):
        if len(getattr(report, name)) > NAME_MAX:
            raise ValidationError({name: _("Tối đa %(limit)s ký tự.") % {"limit": NAME_MAX}})


def effectiveness_report_defaults(initiative: Initiative) -> dict[str, str]:
    """What a new report starts with: the essence from the dossier, the lead author as the
    authors' representative and the head who confirmed the dossier."""
    lead = next((a for a in initiative.authorships.all() if a.is_lead), None)
    confirmer = initiative.confirmed_by
    return {
        "essence": initiative.essence,
        "effectiveness": "",
        "replicability": "",
        "confirmed_by_name": confirmer.full_name if confirmer is not None else "",
        "representative_name": lead.full_name if lead is not None else "",
    }


@transaction.atomic
def effectiveness_report_create(
    *, initiative: Initiative, actor: User, data: Mapping[str, Any]
) -> EffectivenessReport:
    """A draft report; the text may be completed later (nothing typed is lost)."""
    locked = Initiative.objects.select_for_update(of=("self",)).get(pk=initiative.pk)
    if locked.status != InitiativeStatus.RECOGNISED:
        raise ValidationError(_("Chỉ lập báo cáo hiệu quả áp dụng cho sáng kiến đã được công nhận."))
    authorize(actor, "report_effectiveness", locked)
    values = {**effectiveness_report_defaults(locked), **_clean_report_data(data)}
    report = EffectivenessReport(initiative=locked, created_by=actor, **values)
    _check_lengths(report)
    report.save()
    audit.record(
        actor=actor,
        action="effectiveness_report.create",
        obj=locked,
    )
    return report


@transaction.atomic
def effectiveness_report_update(
    *, report: EffectivenessReport, actor: User, data: Mapping[str, Any], version: int
) -> EffectivenessReport:
    locked = (
        EffectivenessReport.objects.select_for_update(of=("self",))
        .select_related("initiative")
        .get(pk=report.pk)
    )
    check_version(locked.version, version)
    if locked.status != ReportStatus.DRAFT:
        raise ValidationError(_("Báo cáo đã gửi, không thể sửa."))
    authorize(actor, "change", locked)
    values = _clean_report_data(data)
    before = audit.snapshot(locked, values.keys())
    for name, value in values.items():
        setattr(locked, name, value)
    _check_lengths(locked)
    changes = audit.diff(before, locked)
    locked.version += 1
    locked.save(update_fields=[*values.keys(), "version", "updated_at"])
    # On the report itself: the diff's fields are the report's, not the dossier's.
    audit.record(actor=actor, action="effectiveness_report.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def effectiveness_report_submit(
    *, report: EffectivenessReport, actor: User, version: int
) -> EffectivenessReport:
    """Send the finished report; the head of the authors' unit is told (they confirm it)."""
    locked = (
        EffectivenessReport.objects.select_for_update(of=("self",))
        .select_related("initiative__unit")
        .get(pk=report.pk)
    )
    check_version(locked.version, version)
    if locked.status != ReportStatus.DRAFT:
        raise ValidationError(_("Báo cáo này đã được gửi."))
    authorize(actor, "submit", locked)
    missing = {
        name: _("Vui lòng nhập nội dung này trước khi gửi báo cáo.")
        for name in ("essence", "effectiveness", "replicability")
        if not getattr(locked, name).strip()
    }
    if missing:
        raise ValidationError(missing)
    locked.status = ReportStatus.SUBMITTED
    locked.submitted_at = clock.now()
    locked.version += 1
    locked.save(update_fields=["status", "submitted_at", "version", "updated_at"])
    initiative = locked.initiative
    audit.record(
        actor=actor,
        action="effectiveness_report.submit",
        obj=initiative,
    )
    audit.record(
        actor=actor,
        action="effectiveness_report.submit",
        obj=locked,
        changes={"status": [ReportStatus.DRAFT, ReportStatus.SUBMITTED]},
    )
    heads = User.objects.filter(
        is_active=True,
        memberships__unit_id=initiative.unit_id,
        memberships__role=Role.UNIT_HEAD,
        memberships__is_active=True,
    ).distinct()
    notify(
        recipients=heads,
        title=_vietnamese(gettext_lazy("Báo cáo hiệu quả áp dụng sáng kiến cần xác nhận")),
        body=_vietnamese(gettext_lazy("Sáng kiến “%(title)s”.")) % {"title": initiative.title},
        url=initiative.get_absolute_url(),
    )
    return locked
