"""Members' opinions and meetings through the API: a member reads the drafts asked of them
and answers with the opinion's version (stale: 409; a retry answers once; a secret draft is
answered on paper); the lead unit and the committee's leaders read the answers and the
tally; meetings show each caller the agenda items they may see; another commune's staff see
nothing of it."""

from __future__ import annotations

from typing import Any

from caicach.api.scopes import READ
from caicach.core.models import AuditEvent
from caicach.deliberation.models import Opinion, OpinionRevision
from tests.api.scene_deliberation import DeliberationScene
from tests.conftest import People, on_day
from tests.deliberation.factories import SENT_ON, answer, opinion_of

# The token (read, its use noted, the security log), the caller's memberships and scope, the
# rows (on PostgreSQL their keys, kept, then the rows by key: caicach.api.pagination): the
# same for 1 row or many.
LIST_CEILING = 9


def ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["items"]}


def give(api: Any, opinion: Opinion, version: Any, key: str | None = None, **body: Any) -> Any:
    headers = {"If-Match": str(version)}
    if key:
        headers["Idempotency-Key"] = key
    payload = {"answer": "agree_with_comments", "comment": "Bổ sung thời hạn phối hợp.", **body}
    with on_day(SENT_ON):
        return api.post(f"/deliberation/opinions/{opinion.pk}/answer", payload, headers)


def test_a_member_lists_the_drafts_asked_of_them(
    deliberation_scene: DeliberationScene, people: People, api_for: Any
) -> None:
    scene = deliberation_scene
    api = api_for(people.committee_member)
    mine = api.get("/deliberation/opinions", pending="true")
    assert mine.status_code == 200
    titles = {row["consultation"]["title"] for row in mine.json()["items"]}
    assert titles == {"Dự thảo Quy chế phối hợp liên thông", "Dự thảo nội dung mật"}
    by_title = {row["consultation"]["title"]: row for row in mine.json()["items"]}
    assert by_title["Dự thảo Quy chế phối hợp liên thông"]["can_answer"] is True
    assert by_title["Dự thảo nội dung mật"]["can_answer"] is False
    # The draft being prepared asks nobody yet, and is not theirs to see.
    assert scene.unsent.pk not in ids(api.get("/deliberation/consultations"))


def test_a_member_answers_with_the_opinions_version(
    deliberation_scene: DeliberationScene, people: People, api_for: Any
) -> None:
    opinion = opinion_of(deliberation_scene.consultation, people.committee_member)
    response = give(api_for(people.committee_member), opinion, opinion.version)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["answer"] == "agree_with_comments" and body["is_late"] is False
    assert body["version"] == opinion.version + 1
    assert AuditEvent.objects.filter(action="opinion.give", object_id=str(opinion.pk)).count() == 1


def test_a_stale_or_missing_version_and_a_missing_comment_change_nothing(
    deliberation_scene: DeliberationScene, people: People, api_for: Any
) -> None:
    opinion = opinion_of(deliberation_scene.consultation, people.committee_member)
    api = api_for(people.committee_member)
    assert give(api, opinion, opinion.version).status_code == 200
    stale = give(api, opinion, opinion.version, answer="agree", comment="")
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    with on_day(SENT_ON):
        missing = api.post(f"/deliberation/opinions/{opinion.pk}/answer", {"answer": "agree"})
    assert missing.status_code == 400 and missing.json()["code"] == "if_match_required"
    no_comment = give(api, opinion, opinion.version + 1, answer="disagree", comment="")
    assert no_comment.status_code == 400 and "comment" in no_comment.json()["fields"]
    assert OpinionRevision.objects.filter(opinion=opinion).count() == 1


def test_a_retried_answer_is_recorded_once(
    deliberation_scene: DeliberationScene, people: People, api_for: Any
) -> None:
    opinion = opinion_of(deliberation_scene.consultation, people.committee_member)
    api = api_for(people.committee_member)
    first = give(api, opinion, opinion.version, key="y-kien-1")
    again = give(api, opinion, opinion.version, key="y-kien-1")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert OpinionRevision.objects.filter(opinion=opinion).count() == 1


def test_a_secret_draft_is_answered_on_paper(
    deliberation_scene: DeliberationScene, people: People, api_for: Any
) -> None:
    opinion = opinion_of(deliberation_scene.secret, people.committee_member)
    response = give(api_for(people.committee_member), opinion, opinion.version)
    assert response.status_code == 400 and response.json()["code"] == "secret"
    opinion.refresh_from_db()
    assert opinion.answer == ""


def test_nobody_answers_anothers_opinion(
    deliberation_scene: DeliberationScene, people: People, api_for: Any
) -> None:
    opinion = opinion_of(deliberation_scene.consultation, people.committee_member)
    for intruder in (people.leader, people.outsider, people.office_officer):
        assert give(api_for(intruder), opinion, opinion.version).status_code == 404


def test_the_lead_unit_reads_every_answer_and_the_tally(
    deliberation_scene: DeliberationScene, people: People, api_for: Any
) -> None:
    scene = deliberation_scene
    for member in scene.committee.everyone:
        answer(scene.consultation, member, "agree")
    response = api_for(people.unit_staff).get(f"/deliberation/consultations/{scene.consultation.pk}")
    assert response.status_code == 200
    body = response.json()
    assert len(body["opinions"]) == len(scene.committee.everyone)
    assert body["tally"]["agree"] == len(scene.committee.everyone)
    assert body["tally"]["result"] == "passed"


def test_a_member_sees_the_draft_but_not_the_others_answers(
    deliberation_scene: DeliberationScene, people: People, api_for: Any
) -> None:
    scene = deliberation_scene
    answer(scene.consultation, scene.committee.third, "disagree", "Chưa phù hợp.")
    body = api_for(people.committee_member).get(f"/deliberation/consultations/{scene.consultation.pk}").json()
    assert body["title"] == "Dự thảo Quy chế phối hợp liên thông"
    assert body["opinions"] == [] and body["tally"] is None


def test_another_communes_staff_see_nothing(
    deliberation_scene: DeliberationScene, people: People, api_for: Any
) -> None:
    scene = deliberation_scene
    api = api_for(people.outsider)
    assert ids(api.get("/deliberation/consultations")) == set()
    assert ids(api.get("/deliberation/opinions")) == set()
    assert ids(api.get("/deliberation/meetings")) == set()
    assert api.get(f"/deliberation/consultations/{scene.consultation.pk}").status_code == 404
    assert api.get(f"/deliberation/meetings/{scene.meeting.pk}").status_code == 404


def test_the_lead_unit_sees_the_meeting_and_its_item(
    deliberation_scene: DeliberationScene, people: People, api_for: Any
) -> None:
    response = api_for(people.unit_staff).get(f"/deliberation/meetings/{deliberation_scene.meeting.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["date"] == "2026-10-21"
    [item] = body["agenda"]
    assert item["dossier_due"] == "2026-10-16" and item["dossier_working_days"] == 3


def test_a_read_only_token_cannot_answer(
    deliberation_scene: DeliberationScene, people: People, api_for: Any
) -> None:
    opinion = opinion_of(deliberation_scene.consultation, people.committee_member)
    api = api_for(people.committee_member, [f"deliberation:{READ}"])
    assert api.get("/deliberation/opinions").status_code == 200
    response = give(api, opinion, opinion.version)
    assert response.status_code == 403 and response.json()["code"] == "scope"


def test_lists_cost_the_same_whatever_their_length(
    deliberation_scene: DeliberationScene, people: People, api_for: Any, django_assert_max_num_queries: Any
) -> None:
    api = api_for(people.office_officer)
    for path in ("/deliberation/consultations", "/deliberation/meetings"):
        with django_assert_max_num_queries(LIST_CEILING):
            assert api.get(path).status_code == 200
    member = api_for(people.committee_member)
    # Each opinion asks its "answer" rule: the consultation is already joined, no query more.
    with django_assert_max_num_queries(LIST_CEILING):
        assert member.get("/deliberation/opinions").status_code == 200


def test_drafts_are_found_by_their_title_without_accents(
    deliberation_scene: DeliberationScene, people: People, api_for: Any
) -> None:
    scene = deliberation_scene
    api = api_for(people.office_officer)
    assert ids(api.get("/deliberation/consultations", q="quy che phoi hop")) == {scene.consultation.pk}
    assert ids(api.get("/deliberation/consultations", q="dang soan")) == {scene.unsent.pk}
    assert ids(api.get("/deliberation/consultations", q="phoi hop mat")) == set()
