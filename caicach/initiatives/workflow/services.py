"""The dossier's way from its authors to the receiving body: submit (author), confirm (unit
head, "Xác nhận của cơ quan, đơn vị"), then accept with a numbered receipt or return for
completion (reform officer). Each transition locks the dossier row, checks state before
person (so a double click reads "already sent", not "not allowed"), writes one audit event
and tells the next people in line (inbox now, email once the transaction commits).

    draft/returned --submit--> awaiting_confirmation --confirm--> submitted
    submitted --accept--> accepted          submitted --return--> returned
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caicach.core import chronology, clock, numbering
from caicach.core.audit import services as audit
from caicach.core.calendar import queries as working_calendar
from caicach.core.models import DocumentType, Membership, Role, Unit, UnitAncestry, User
from caicach.core.months import add_months
from caicach.core.notifications.services import notify
from caicach.core.permissions import COMMITTEE_KINDS, authorize, principal, units_answering_to
from caicach.core.text import normalise_input
from caicach.core.versioning import check_version
from caicach.initiatives.dossiers.queries import field_label, missing_fields
from caicach.initiatives.dossiers.rules import EDITABLE_STATUSES
from caicach.initiatives.dossiers.services import campaign_window_error, validate_authors, version_record
from caicach.initiatives.models import (
    Authorship,
    Campaign,
    CampaignStatus,
    Initiative,
    InitiativeStatus,
)

# Decree 13/2012/NĐ-CP: the body decides within 3 months of accepting a valid request, and a
# request is filed within 1 year of the initiative's first (or trial) application.
RESULT_MONTHS = 3
FILING_LIMIT_YEARS = 1

ACTION_LABELS = {
    "initiative.submit": gettext_lazy("Gửi hồ sơ sáng kiến"),
    "initiative.confirm": gettext_lazy("Thủ trưởng đơn vị xác nhận hồ sơ"),
    "initiative.accept": gettext_lazy("Tiếp nhận hồ sơ, cấp giấy biên nhận"),
    "initiative.return": gettext_lazy("Trả lại hồ sơ để bổ sung"),
    "initiative.send_back": gettext_lazy("Thủ trưởng đơn vị trả lại hồ sơ cho tác giả"),
}

_LOCKED = Initiative.objects.select_for_update(of=("self",)).select_related(
    "campaign__issuing_unit", "campaign__receiving_unit", "unit"
)

# --- Dates ------------------------------------------------------------------------------------


def result_due_on(accepted_on: datetime.date) -> datetime.date:
    """The date the result is due: ``RESULT_MONTHS`` calendar months after acceptance, moved to
    the next working day when that is a day off (Civil Code Art. 148: a period does not end
    on a day off — the body answers on a working day)."""
    return working_calendar.add_working_days(add_months(accepted_on, RESULT_MONTHS), 0)


def filing_deadline(first_applied_on: datetime.date) -> datetime.date:
    """The last day the request may be filed: "within 1 year" of the first application, that
    day included. Not moved off days off: dossiers are filed online on any day."""
    return add_months(first_applied_on, 12 * FILING_LIMIT_YEARS)


def _d(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


# --- Checks -------------------------------------------------------------------------------------


def _wrong_state(initiative: Initiative) -> ValidationError:
    return ValidationError(
        _("Hồ sơ đang ở trạng thái “%(status)s”, không thể thực hiện thao tác này.")
        % {"status": initiative.get_status_display()},
        code="status",
    )


def _check_complete(initiative: Initiative) -> None:
    missing = missing_fields(initiative)
    if missing:
        labels = "; ".join(field_label(name) for name in missing)
        raise ValidationError(
            _("Hồ sơ chưa đủ nội dung để gửi. Vui lòng bổ sung: %(fields)s.") % {"fields": labels},
            code="incomplete",
        )


def _check_authors(initiative: Initiative) -> None:
    rows = [
        {
            "user": a.user,
            "full_name": a.full_name,
            "date_of_birth": a.date_of_birth,
            "workplace": a.workplace,
            "job_title": a.job_title,
            "qualification": a.qualification,
            "share": a.share,
            "contribution": a.contribution,
            "is_lead": a.is_lead,
        }
        for a in Authorship.objects.filter(initiative=initiative).select_related("user").order_by("position")
    ]
    try:
        validate_authors(rows)
    except ValidationError as exc:
        raise ValidationError(
            _("Bảng tác giả chưa hợp lệ: %(problems)s") % {"problems": " ".join(exc.messages)},
            code="authors",
        ) from exc


def _contact(campaign: Campaign) -> str:
    contact = campaign.contact.strip()
    name = campaign.receiving_unit.name
    return f"{name} ({contact})" if contact else name


ORPHAN_MESSAGE = gettext_lazy(
    "Hồ sơ không thuộc đợt phát động nào nên không có hội đồng sáng kiến nào xem xét được; "
    "không thể gửi hoặc tiếp nhận. Vui lòng lập hồ sơ trong một đợt phát động đang nhận hồ sơ "
    "mà đơn vị được tham gia."
)


def _check_reachable(initiative: Initiative) -> None:
    """A dossier reaches a council only through its campaign: one without a campaign (made
    before the create form required one, or imported) would get a receipt number and then
    wait forever, so it is neither sent nor received."""
    if initiative.campaign_id is None:
        raise ValidationError(str(ORPHAN_MESSAGE), code="no_campaign")


def _check_campaign_window(initiative: Initiative, today: datetime.date) -> None:
    """Only the first submission must fall in the window: a dossier filed in time and
    returned for completion may come back after the window closed."""
    campaign = initiative.campaign
    if campaign is None or initiative.first_submitted_at is not None:
        return
    problem = campaign_window_error(campaign, today)
    if problem is None:
        return
    if campaign.status == CampaignStatus.PUBLISHED and today > campaign.window_end:
        problem = _(
            "Đợt phát động đã hết hạn nhận hồ sơ ngày %(day)s; liên hệ %(contact)s để được gia hạn."
        ) % {"day": _d(campaign.window_end), "contact": _contact(campaign)}
    raise ValidationError(problem, code="campaign_window")


def _check_filing_limit(initiative: Initiative, today: datetime.date) -> None:
    """Decree 13/2012: the request is filed within 1 year of the first application. The
    request counts as filed on its first submission: completing a returned dossier does not
    restart the clock against the authors."""
    first_applied = initiative.first_applied_on
    if first_applied is None:
        return  # reported by the completeness check
    filed_on = timezone.localdate(initiative.first_submitted_at) if initiative.first_submitted_at else today
    if first_applied > filed_on:
        raise ValidationError(
            _("Ngày áp dụng lần đầu (%(applied)s) không được sau ngày nộp hồ sơ (%(filed)s).")
            % {"applied": _d(first_applied), "filed": _d(filed_on)},
            code="first_applied_on",
        )
    deadline = filing_deadline(first_applied)
    if filed_on > deadline:
        raise ValidationError(
            _(
                "Đã quá thời hạn %(years)s năm kể từ ngày sáng kiến được áp dụng lần đầu (%(applied)s): "
                "đơn phải nộp chậm nhất ngày %(deadline)s, ngày nộp là %(filed)s."
            )
            % {
                "years": FILING_LIMIT_YEARS,
                "applied": _d(first_applied),
                "deadline": _d(deadline),
                "filed": _d(filed_on),
            },
            code="filing_limit",
        )


# --- Who is told ----------------------------------------------------------------------------------


def _active_members(units: Iterable[int], role: str) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        memberships__unit_id__in=list(units),
        memberships__role=role,
        memberships__is_active=True,
    ).distinct()


def unit_heads(initiative: Initiative) -> QuerySet[User]:
    return _active_members([initiative.unit_id], Role.UNIT_HEAD)


def _committees_above(unit_id: int) -> list[int]:
    """The jurisdictions (committees) ``unit_id`` answers to, nearest first: a district
    division -> the district committee -> the province committee; a unit with no committee
    above answers to itself. One query on the closure table."""
    committees = list(
        UnitAncestry.objects.filter(descendant_id=unit_id, ancestor__kind__in=COMMITTEE_KINDS)
        .order_by("depth")
        .values_list("ancestor_id", flat=True)
    )
    return committees or [unit_id]


def receiving_officers(initiative: Initiative) -> list[User]:
    """The reform officers who receive the dossier: those of the campaign's receiving and
    issuing units; outside a campaign, those of the nearest jurisdiction (committee) above
    the unit that has any, so a district's dossier goes to the district's Home Affairs
    division, not to every officer of the province."""
    campaign = initiative.campaign
    if campaign is not None:
        return list(
            _active_members({campaign.receiving_unit_id, campaign.issuing_unit_id}, Role.REFORM_OFFICER)
        )
    for committee in _committees_above(initiative.unit_id):
        held = Membership.objects.filter(
            role=Role.REFORM_OFFICER, is_active=True, unit__in=units_answering_to(committee)
        ).values("user_id")
        officers = list(User.objects.filter(pk__in=held, is_active=True))
        if officers:
            return officers
    return []


def authors_to_tell(initiative: Initiative) -> QuerySet[User]:
    """The authors with an account, and whoever created the dossier."""
    ids = set(
        Authorship.objects.filter(initiative=initiative, user__isnull=False).values_list("user_id", flat=True)
    )
    if initiative.created_by_id is not None:
        ids.add(initiative.created_by_id)
    return User.objects.filter(pk__in=ids, is_active=True)


def _tell(recipients: Iterable[User], initiative: Initiative, title: str, body: str) -> None:
    notify(recipients=recipients, title=title, body=body, url=initiative.get_absolute_url())


def receiving_unit_for(initiative: Initiative, actor: User) -> Unit:
    """Whose register numbers the receipt: the campaign's receiving unit; outside a campaign,
    the accepting officer's own unit in the nearest jurisdiction covering the dossier's unit,
    or (an administrator without one) the committee the dossier's unit belongs to."""
    if initiative.campaign is not None:
        return initiative.campaign.receiving_unit
    committees = _committees_above(initiative.unit_id)
    who = principal(actor)
    held = sorted(who.units_with_role(Role.REFORM_OFFICER)) if who is not None else []
    if held:
        for committee in committees:
            own = Unit.objects.filter(pk__in=held).filter(pk__in=units_answering_to(committee)).order_by("pk")
            found = own.first()
            if found is not None:
                return found
    return Unit.objects.get(pk=committees[0])


# --- Transitions ----------------------------------------------------------------------------------


@transaction.atomic
def initiative_submit(*, initiative: Initiative, actor: User, version: int) -> Initiative:
    """An author sends a draft (or a dossier returned for completion) to the unit head. The
    dossier must be complete, its authors table valid, the campaign still taking dossiers
    (first submission only) and the request within 1 year of the first application. The
    dossier is frozen as the next version; ``revision`` counts the submissions."""
    locked = _LOCKED.get(pk=initiative.pk)
    if locked.status not in EDITABLE_STATUSES:
        raise _wrong_state(locked)
    authorize(actor, "submit", locked)
    check_version(locked.version, version)
    today = clock.today()
    _check_reachable(locked)
    _check_complete(locked)
    _check_authors(locked)
    _check_campaign_window(locked, today)
    _check_filing_limit(locked, today)

    before = locked.status
    now = clock.now()
    locked.revision += 1
    with translation.override(settings.LANGUAGE_CODE):
        note = _("Gửi lần đầu") if locked.revision == 1 else _("Gửi lại lần %(n)s") % {"n": locked.revision}
    version_record(initiative=locked, actor=actor, note=note)
    locked.status = InitiativeStatus.AWAITING_CONFIRMATION
    locked.submitted_at = now
    fields = ["status", "submitted_at", "revision", "version", "updated_at"]
    if locked.first_submitted_at is None:
        locked.first_submitted_at = now
        fields.append("first_submitted_at")
    locked.version += 1
    locked.save(update_fields=fields)
    audit.record(
        actor=actor,
        action="initiative.submit",
        obj=locked,
        changes={"status": [before, locked.status], "revision": [locked.revision - 1, locked.revision]},
    )
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Hồ sơ sáng kiến chờ xác nhận: %(title)s") % {"title": locked.title}
        body = _("%(author)s đã gửi hồ sơ (lần %(n)s); thủ trưởng đơn vị vui lòng xem và xác nhận.") % {
            "author": actor.full_name or actor.get_username(),
            "n": locked.revision,
        }
    _tell(unit_heads(locked), locked, title, body)
    return locked


@transaction.atomic
def initiative_confirm(*, initiative: Initiative, actor: User, note: str = "") -> Initiative:
    """The unit head confirms the dossier ("Xác nhận của cơ quan, đơn vị"); it goes to the
    receiving body, whose reform officers are told."""
    locked = _LOCKED.get(pk=initiative.pk)
    if locked.status != InitiativeStatus.AWAITING_CONFIRMATION:
        raise _wrong_state(locked)
    authorize(actor, "confirm", locked)
    note = str(normalise_input(note or "")).strip()
    limit = 2000
    if len(note) > limit:
        raise ValidationError({"note": _("Tối đa %(max)s ký tự.") % {"max": limit}})
    before = locked.status
    locked.status = InitiativeStatus.SUBMITTED
    locked.confirmed_by = actor
    locked.confirmed_at = clock.now()
    locked.confirmation_note = note
    locked.version += 1
    locked.save(
        update_fields=["status", "confirmed_by", "confirmed_at", "confirmation_note", "version", "updated_at"]
    )
    audit.record(
        actor=actor,
        action="initiative.confirm",
        obj=locked,
        changes={"status": [before, locked.status], "confirmation_note": ["", note]},
    )
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Hồ sơ sáng kiến mới gửi đến: %(title)s") % {"title": locked.title}
        body = _(
            "%(unit)s đã xác nhận và gửi hồ sơ (lần %(n)s); vui lòng tiếp nhận hoặc trả lại để bổ sung."
        ) % {
            "unit": locked.unit.name,
            "n": locked.revision,
        }
    _tell(receiving_officers(locked), locked, title, body)
    return locked


@transaction.atomic
def initiative_accept(
    *, initiative: Initiative, actor: User, accepted_on: datetime.date | None = None
) -> Initiative:
    """The receiving body accepts the dossier: a receipt (giấy biên nhận) numbered in its
    register, and the date the result is due (3 months, Decree 13/2012). Authors are told."""
    locked = _LOCKED.get(pk=initiative.pk)
    if locked.status != InitiativeStatus.SUBMITTED:
        raise _wrong_state(locked)
    authorize(actor, "receive", locked)
    _check_reachable(locked)
    today = clock.today()
    day = accepted_on or today
    chronology.require_within(day, chronology.ISSUED, what=_("Ngày tiếp nhận"), field="accepted_on")
    if day > today:
        raise ValidationError({"accepted_on": _("Ngày tiếp nhận không được sau ngày hôm nay.")})
    if locked.submitted_at is not None and day < timezone.localdate(locked.submitted_at):
        raise ValidationError(
            {
                "accepted_on": _("Ngày tiếp nhận không được trước ngày gửi hồ sơ (%(day)s).")
                % {"day": _d(timezone.localdate(locked.submitted_at))}
            }
        )
    receiver = receiving_unit_for(locked, actor)
    due = result_due_on(day)
    receipt = numbering.issue(
        obj=locked, document_field="receipt", unit=receiver, document_type=DocumentType.RECEIPT,
        title=f"Giấy biên nhận hồ sơ sáng kiến “{locked.title}”", issued_on=day, actor=actor,
        action="initiative.accept",
        stamp={"status": InitiativeStatus.ACCEPTED, "accepted_on": day, "result_due_on": due},
    )  # fmt: skip
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Hồ sơ sáng kiến đã được tiếp nhận: %(title)s") % {"title": locked.title}
        body = _(
            "%(unit)s đã tiếp nhận hồ sơ ngày %(day)s, giấy biên nhận số %(reference)s. "
            "Thời hạn trả kết quả: %(due)s."
        ) % {
            "unit": receiver.name,
            "day": _d(day),
            "reference": receipt.reference,
            "due": _d(due),
        }
    _tell(authors_to_tell(locked), locked, title, body)
    return locked


@transaction.atomic
def initiative_return(*, initiative: Initiative, actor: User, comment: str) -> Initiative:
    """The receiving body sends the dossier back for completion, saying what is missing. The
    authors edit it and submit again (the next revision)."""
    locked = _LOCKED.get(pk=initiative.pk)
    if locked.status != InitiativeStatus.SUBMITTED:
        raise _wrong_state(locked)
    authorize(actor, "receive", locked)
    comment = _comment_for_authors(comment, _("Vui lòng ghi rõ nội dung cần bổ sung, hoàn thiện."))
    _back_to_authors(locked, actor, comment, status=InitiativeStatus.RETURNED, action="initiative.return")
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Hồ sơ sáng kiến được trả lại để bổ sung: %(title)s") % {"title": locked.title}
        body = _("Nội dung cần bổ sung: %(comment)s") % {"comment": comment}
    _tell(authors_to_tell(locked), locked, title, body)
    return locked


@transaction.atomic
def initiative_send_back(*, initiative: Initiative, actor: User, comment: str) -> Initiative:
    """The unit head sends the dossier back to its authors with comments instead of
    confirming it. It never reached the receiving body, so it goes back to a draft — or, if
    the receiving body already had it once (returned by them, then resubmitted), back to
    "returned", where that body still follows it. The authors see the comment on the
    dossier's page, edit and submit again."""
    locked = _LOCKED.get(pk=initiative.pk)
    if locked.status != InitiativeStatus.AWAITING_CONFIRMATION:
        raise _wrong_state(locked)
    authorize(actor, "confirm", locked)
    comment = _comment_for_authors(comment, _("Vui lòng ghi rõ ý kiến để tác giả sửa, bổ sung."))
    reached_before = locked.confirmed_at is not None
    status = InitiativeStatus.RETURNED if reached_before else InitiativeStatus.DRAFT
    _back_to_authors(locked, actor, comment, status=status, action="initiative.send_back")
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Thủ trưởng đơn vị trả lại hồ sơ sáng kiến: %(title)s") % {"title": locked.title}
        body = _("Ý kiến của thủ trưởng đơn vị: %(comment)s") % {"comment": comment}
    _tell(authors_to_tell(locked), locked, title, body)
    return locked


# What a returned dossier's comment may hold (a page of text).
COMMENT_LIMIT = 5000


def _comment_for_authors(comment: str, missing: str) -> str:
    """The comment sent back with a dossier, cleaned; ``missing`` when there is none."""
    comment = str(normalise_input(comment or "")).strip()
    if not comment:
        raise ValidationError({"comment": missing})
    if len(comment) > COMMENT_LIMIT:
        raise ValidationError({"comment": _("Tối đa %(max)s ký tự.") % {"max": COMMENT_LIMIT}})
    return comment


def _back_to_authors(locked: Initiative, actor: User, comment: str, *, status: str, action: str) -> None:
    """The dossier goes back to its authors with ``comment`` (whoever sends it back): its
    state, the comment shown on its page, a new version for stale edits, the audit event."""
    before = locked.status
    locked.status = status
    locked.return_comment = comment
    locked.returned_at = clock.now()
    locked.version += 1
    locked.save(update_fields=["status", "return_comment", "returned_at", "version", "updated_at"])
    audit.record(
        actor=actor,
        action=action,
        obj=locked,
        changes={"status": [before, locked.status], "return_comment": ["", comment]},
        message=comment,
    )
