"""Members' opinions, service by service: sending, answering (comment required, changes kept,
late answers flagged), the tally under the rule in force, take-ins, secret drafts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from caicach.core.models import AuditEvent, Notification, User
from caicach.deliberation.consultations.queries import decide, tally_of
from caicach.deliberation.consultations.services import (
    consultation_add_file,
    consultation_close,
    consultation_send,
    opinion_enter,
    opinion_give,
    opinion_respond,
)
from caicach.deliberation.models import (
    Consultation,
    ConsultationStatus,
    DeliberationSettings,
    Opinion,
    OpinionResponse,
    OpinionRevision,
    PassRule,
)
from tests.conftest import Org, People, on_day
from tests.deliberation.factories import (
    DEADLINE,
    SENT_ON,
    Committee,
    answer,
    draft,
    make_committee,
    opinion_of,
    pdf,
    sent,
)
from tests.refusals import assert_refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(org: Org, people: People) -> Committee:
    return make_committee(org, people)


def opinion_state(consultation: Consultation) -> Any:
    return (
        list(Opinion.objects.filter(consultation=consultation).values_list("answer", "comment", "version")),
        OpinionRevision.objects.count(),
        OpinionResponse.objects.count(),
    )


def test_sending_consults_every_member_with_a_deadline_in_working_days(
    org: Org, people: People, committee: Committee
) -> None:
    consultation = sent(org, people)
    assert consultation.status == ConsultationStatus.SENT
    assert consultation.sent_on == SENT_ON
    assert consultation.deadline == DEADLINE
    assert consultation.reply_working_days == 3
    members = set(consultation.opinions.values_list("member_id", flat=True))
    assert members == {user.pk for user in committee.everyone}
    assert consultation.opinions.get(member=committee.chairman).is_chairman
    assert Notification.objects.filter(
        recipient=committee.member, url=consultation.get_absolute_url()
    ).exists()


def test_the_deadline_follows_the_committees_setting_and_skips_days_off(
    org: Org, people: People, committee: Committee
) -> None:
    DeliberationSettings.objects.create(unit=org.province, reply_working_days=5)
    # Friday 30 August 2024: 2 and 3 September are holidays, so five working days end on 10 September.
    consultation = sent(org, people, day=datetime.date(2024, 8, 30))
    assert consultation.deadline == datetime.date(2024, 9, 10)


def test_a_chosen_list_consults_only_those_members(org: Org, people: People, committee: Committee) -> None:
    consultation = sent(org, people, members=[committee.member, committee.chairman])
    assert set(consultation.opinions.values_list("member_id", flat=True)) == {
        committee.member.pk,
        committee.chairman.pk,
    }


def test_a_draft_needs_its_to_trinh_before_it_is_sent(org: Org, people: People, committee: Committee) -> None:
    consultation = draft(org, people, with_file=False)
    with on_day(SENT_ON), pytest.raises(ValidationError):
        consultation_send(
            actor=people.office_officer, consultation=consultation, version=consultation.version
        )
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.DRAFT
    assert not consultation.opinions.exists()


def test_only_the_office_of_the_committee_sends(org: Org, people: People, committee: Committee) -> None:
    consultation = draft(org, people)
    for intruder in (people.unit_head, committee.member, people.outsider, people.reform_officer):

        def send(intruder: User = intruder) -> object:
            return consultation_send(actor=intruder, consultation=consultation, version=consultation.version)

        assert_refused(
            send,
            lambda: Consultation.objects.values_list("status", "version").get(pk=consultation.pk),
        )


def test_a_disguised_file_is_refused_and_nothing_is_stored(
    org: Org, people: People, committee: Committee
) -> None:
    consultation = draft(org, people, with_file=False)
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("to-trinh.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        consultation_add_file(actor=people.office_officer, consultation=consultation, upload=fake)
    assert not consultation.files.exists()


def test_agreeing_with_comments_or_disagreeing_needs_a_written_comment(
    org: Org, people: People, committee: Committee
) -> None:
    consultation = sent(org, people)
    for value in ("agree_with_comments", "disagree"):
        before = opinion_state(consultation)
        with pytest.raises(ValidationError) as refused:
            answer(consultation, committee.member, value, comment="   ")
        assert "comment" in refused.value.message_dict
        assert opinion_state(consultation) == before


def test_a_member_may_change_the_answer_until_the_deadline_and_every_change_is_kept(
    org: Org, people: People, committee: Committee
) -> None:
    consultation = sent(org, people)
    answer(consultation, committee.member, "agree")
    opinion = answer(consultation, committee.member, "disagree", "Chưa rõ nguồn kinh phí.", day=DEADLINE)
    assert opinion.answer == "disagree"
    assert not opinion.is_late
    assert opinion.first_answered_on == SENT_ON
    assert list(opinion.revisions.values_list("number", "answer")) == [(1, "agree"), (2, "disagree")]
    assert AuditEvent.objects.filter(action="opinion.give").count() == 2


def test_after_the_deadline_an_answer_given_cannot_change(
    org: Org, people: People, committee: Committee
) -> None:
    consultation = sent(org, people)
    answer(consultation, committee.member, "agree")
    before = opinion_state(consultation)
    with pytest.raises(ValidationError):
        answer(consultation, committee.member, "disagree", "Muộn.", day=DEADLINE + datetime.timedelta(days=1))
    assert opinion_state(consultation) == before


def test_a_late_first_answer_is_accepted_and_flagged_late(
    org: Org, people: People, committee: Committee
) -> None:
    consultation = sent(org, people)
    opinion = answer(consultation, committee.third, "agree", day=datetime.date(2024, 10, 14))
    assert opinion.is_late
    assert opinion.revisions.get().is_late
    assert tally_of(consultation).late == 1


def test_nobody_else_answers_for_a_member(org: Org, people: People, committee: Committee) -> None:
    consultation = sent(org, people)
    opinion = opinion_of(consultation, committee.member)
    for intruder in (committee.vice, people.office_officer, people.unit_head, people.outsider):

        def give(intruder: User = intruder) -> object:
            return opinion_give(
                actor=intruder, opinion=opinion, answer="agree", comment="", version=opinion.version
            )

        assert_refused(
            give,
            lambda: opinion_state(consultation),
        )


def test_a_stale_page_changes_nothing(org: Org, people: People, committee: Committee) -> None:
    consultation = sent(org, people)
    opinion = opinion_of(consultation, committee.member)
    answer(consultation, committee.member, "agree")
    before = opinion_state(consultation)
    with on_day(SENT_ON), pytest.raises(ValidationError):
        opinion_give(
            actor=committee.member, opinion=opinion, answer="disagree", comment="x", version=opinion.version
        )
    assert opinion_state(consultation) == before


def test_a_secret_draft_holds_no_file_and_its_paper_answers_are_entered_by_the_office(
    org: Org, people: People, committee: Committee
) -> None:
    consultation = draft(org, people, is_secret=True)
    with pytest.raises(ValidationError):
        consultation_add_file(actor=people.office_officer, consultation=consultation, upload=pdf())
    assert not consultation.files.exists()
    with on_day(SENT_ON):
        consultation = consultation_send(
            actor=people.office_officer, consultation=consultation, version=consultation.version
        )
    opinion = opinion_of(consultation, committee.member)
    assert_refused(
        lambda: opinion_give(
            actor=committee.member, opinion=opinion, answer="agree", comment="", version=opinion.version
        ),
        lambda: opinion_state(consultation),
    )
    with on_day(SENT_ON):
        entered = opinion_enter(
            actor=people.office_officer,
            opinion=opinion,
            answer="agree_with_comments",
            comment="Theo phiếu.",
            version=opinion.version,
        )
    assert entered.entered_by == people.office_officer
    assert entered.answer == "agree_with_comments"


def test_a_file_can_be_added_to_a_draft_only(org: Org, people: People, committee: Committee) -> None:
    consultation = sent(org, people)
    assert_refused(
        lambda: consultation_add_file(actor=people.office_officer, consultation=consultation, upload=pdf()),
        lambda: consultation.files.count(),
    )


def everyone_answers(consultation: Consultation, committee: Committee, *answers: tuple[str, str]) -> None:
    for member, (value, comment) in zip(committee.everyone, answers, strict=False):
        answer(consultation, member, value, comment)


def test_the_tally_counts_each_answer_and_no_answer_as_such(
    org: Org, people: People, committee: Committee
) -> None:
    consultation = sent(org, people)
    everyone_answers(
        consultation,
        committee,
        ("agree", ""),
        ("agree_with_comments", "Sửa Điều 3."),
        ("disagree", "Không cần thiết."),
    )
    tally = tally_of(consultation)
    assert (tally.agree, tally.with_comments, tally.disagree, tally.no_answer, tally.total) == (1, 1, 1, 1, 4)
    # 2 of 4 in favour is not more than half: a tie, which the Chairman (in favour) decides.
    assert tally.tie
    assert tally.result == "passed"


def test_on_a_tie_the_side_the_chairman_took_wins(org: Org, people: People, committee: Committee) -> None:
    consultation = sent(org, people)
    everyone_answers(
        consultation,
        committee,
        ("disagree", "Chưa phù hợp."),
        ("agree", ""),
        ("agree", ""),
        ("disagree", "Chưa cần."),
    )
    tally = tally_of(consultation)
    assert tally.tie and tally.result == "not_passed"


def test_members_who_do_not_answer_are_not_counted_in_favour(
    org: Org, people: People, committee: Committee
) -> None:
    consultation = sent(org, people)
    answer(consultation, committee.member, "agree")
    tally = tally_of(consultation)
    assert (tally.in_favour, tally.no_answer, tally.result) == (1, 3, "not_passed")


def test_the_rule_is_a_setting() -> None:
    strict = DeliberationSettings(comments_count_in_favour=False)
    assert (
        decide(total=5, agree=2, with_comments=1, disagree=0, no_answer=2, rules=strict).result
        == "not_passed"
    )
    default = DeliberationSettings()
    assert (
        decide(total=5, agree=2, with_comments=1, disagree=0, no_answer=2, rules=default).result == "passed"
    )
    of_answers = DeliberationSettings(pass_rule=PassRule.MAJORITY_OF_ANSWERS)
    assert (
        decide(total=5, agree=2, with_comments=0, disagree=1, no_answer=2, rules=of_answers).result
        == "passed"
    )
    assert (
        decide(total=5, agree=2, with_comments=0, disagree=1, no_answer=2, rules=default).result
        == "not_passed"
    )
    no_casting = DeliberationSettings(tie_follows_chairman=False)
    assert (
        decide(
            total=4,
            agree=2,
            with_comments=0,
            disagree=2,
            no_answer=0,
            chairman_answer="agree",
            rules=no_casting,
        ).result
        == "not_passed"
    )


def test_the_office_closes_the_tally_only_at_the_deadline_or_when_everybody_answered(
    org: Org, people: People, committee: Committee
) -> None:
    consultation = sent(org, people)
    answer(consultation, committee.member, "agree")
    consultation.refresh_from_db()
    with on_day(DEADLINE), pytest.raises(ValidationError):
        consultation_close(
            actor=people.office_officer, consultation=consultation, version=consultation.version
        )
    with on_day(DEADLINE + datetime.timedelta(days=1)):
        closed = consultation_close(
            actor=people.office_officer, consultation=consultation, version=consultation.version
        )
    assert closed.status == ConsultationStatus.CLOSED
    assert closed.result == "not_passed"
    opinion = opinion_of(consultation, committee.third)
    assert_refused(
        lambda: opinion_give(
            actor=committee.third, opinion=opinion, answer="agree", comment="", version=opinion.version
        ),
        lambda: opinion_state(consultation),
    )


def test_when_everybody_answered_the_tally_may_close_before_the_deadline(
    org: Org, people: People, committee: Committee
) -> None:
    consultation = sent(org, people)
    everyone_answers(
        consultation, committee, ("agree", ""), ("agree", ""), ("agree", ""), ("disagree", "Không.")
    )
    consultation.refresh_from_db()
    with on_day(SENT_ON):
        closed = consultation_close(
            actor=people.office_officer, consultation=consultation, version=consultation.version
        )
    assert closed.result == "passed"


def test_the_lead_unit_takes_each_comment_in_or_explains_why_not(
    org: Org, people: People, committee: Committee
) -> None:
    consultation = sent(org, people)
    answer(consultation, committee.member, "agree_with_comments", "Bổ sung căn cứ pháp lý.")
    opinion = opinion_of(consultation, committee.member)
    with on_day(SENT_ON), pytest.raises(ValidationError):  # before the tally
        opinion_respond(
            actor=people.unit_staff, opinion=opinion, kind="accepted", text="Đã bổ sung.", version=0
        )
    assert_refused(
        lambda: opinion_respond(
            actor=people.office_officer, opinion=opinion, kind="accepted", text="x", version=0
        ),
        lambda: OpinionResponse.objects.count(),
    )
    later = DEADLINE + datetime.timedelta(days=1)
    with on_day(later):
        response = opinion_respond(
            actor=people.unit_staff, opinion=opinion, kind="accepted", text="Đã bổ sung.", version=0
        )
        changed = opinion_respond(
            actor=people.unit_head,
            opinion=opinion,
            kind="explained",
            text="Căn cứ đã có tại Điều 1.",
            version=response.version,
        )
    assert changed.pk == response.pk and changed.kind == "explained"
    agreed = opinion_of(consultation, committee.third)
    with on_day(later):
        assert_refused(
            lambda: opinion_respond(
                actor=people.unit_head, opinion=agreed, kind="accepted", text="x", version=0
            ),
            lambda: OpinionResponse.objects.count(),
        )


def test_a_refused_close_by_a_member_changes_nothing(org: Org, people: People, committee: Committee) -> None:
    consultation = sent(org, people)
    with pytest.raises(PermissionDenied):
        consultation_close(actor=committee.chairman, consultation=consultation, version=consultation.version)
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.SENT
