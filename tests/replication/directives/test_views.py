"""The directive pages: who sees what (outsiders get 404), the forms as Home Affairs uses
them, the leader's issue confirmation, and each page's query ceiling."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caicach.core import rendering
from caicach.core.models import Job, JobStatus, UnitKind, User
from caicach.core.once import FIELD as TOKEN_FIELD
from caicach.replication.directives import queries as directive_queries
from caicach.replication.directives.queries import ObligationShown, ObligedUnit
from caicach.replication.directives.services import directive_issue
from caicach.replication.models import Directive, DirectiveStatus, Obligation
from tests.conftest import Org, People, on_day
from tests.core.factories import make_unit
from tests.documents import pdf_text
from tests.issuing import confirm_issue
from tests.replication.directives.conftest import ISSUED_ON, Drafted, Tree, draft

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 3, 12)
LIST_CEILING = 12
DETAIL_CEILING = 22


def _url(name: str, directive: Directive) -> str:
    return reverse(f"replication:{name}", args=[directive.pk])


def _issue(drafted: Drafted, tree: Tree) -> Directive:
    with on_day(ISSUED_ON):
        return directive_issue(
            actor=tree.chairman, directive=drafted.directive, version=drafted.directive.version
        )


def _status(client: Client, user: User, url: str) -> int:
    client.force_login(user)
    with on_day(TODAY):
        return int(client.get(url).status_code)


DRAFT_PAGES = ("directive_detail", "directive_edit", "directive_practices", "directive_assignment_add")


@pytest.mark.parametrize("page", DRAFT_PAGES)
def test_a_draft_is_seen_by_home_affairs_and_the_leaders_only(
    client: Client, org: Org, people: People, tree: Tree, page: str
) -> None:
    drafted = draft(org, people.reform_officer)
    url = _url(page, drafted.directive)
    editing = page != "directive_detail"
    expected = {
        people.reform_officer: 200,
        people.admin: 200,
        people.leader: 404 if editing else 200,
        tree.chairman: 404 if editing else 200,
        people.unit_head: 404,
        tree.district_head: 404,
        people.outsider: 404,
        people.committee_member: 404,
    }
    assert {user: _status(client, user, url) for user in expected} == expected


def test_an_issued_directive_is_seen_by_the_units_it_obliges(
    client: Client, org: Org, people: People, tree: Tree
) -> None:
    issued = _issue(draft(org, people.reform_officer), tree)
    url = _url("directive_detail", issued)
    expected = {
        people.reform_officer: 200,
        people.leader: 200,
        people.unit_head: 200,  # the Science department studies solution 2.1
        people.unit_staff: 200,
        tree.district_head: 200,
        tree.commune_head: 200,
        people.outsider: 404,  # a commune directly under the province: not obliged
        people.committee_member: 404,
    }
    assert {user: _status(client, user, url) for user in expected} == expected
    assert _status(client, people.outsider, _url("directive_document", issued)) == 404


def test_the_list_shows_each_person_the_directives_they_may_open(
    client: Client, org: Org, people: People, tree: Tree
) -> None:
    issued = _issue(draft(org, people.reform_officer), tree)
    pending = draft(org, people.reform_officer).directive
    listed: dict[User, set[int]] = {}
    for user in (people.reform_officer, people.leader, people.unit_head, tree.commune_head):
        client.force_login(user)
        with on_day(TODAY):
            page = client.get(reverse("replication:directive_list"))
        assert page.status_code == 200
        listed[user] = {d.pk for d in page.context["page_obj"].object_list}
    assert listed[people.reform_officer] == listed[people.leader] == {issued.pk, pending.pk}
    assert listed[people.unit_head] == listed[tree.commune_head] == {issued.pk}
    assert _status(client, people.committee_member, reverse("replication:directive_list")) == 404


def test_an_issued_directive_cannot_be_edited_and_says_why(
    client: Client, org: Org, people: People, tree: Tree
) -> None:
    issued = _issue(draft(org, people.reform_officer), tree)
    client.force_login(people.reform_officer)
    with on_day(TODAY):
        response = client.get(_url("directive_edit", issued), follow=True)
    assert response.redirect_chain[-1][0] == issued.get_absolute_url()
    assert "đã ban hành, không thể sửa" in response.content.decode()


def test_home_affairs_drafts_a_directive_through_the_forms(
    client: Client, org: Org, people: People, tree: Tree
) -> None:
    drafted = draft(org, people.reform_officer, with_assignments=False)
    client.force_login(people.reform_officer)
    with on_day(TODAY):
        form = client.get(reverse("replication:directive_create"))
        token = re.search(rf'name="{TOKEN_FIELD}" value="([^"]+)"', form.content.decode())
        assert token is not None
        data: dict[str, Any] = {
            TOKEN_FIELD: token.group(1),
            "issuing_unit": org.province.pk,
            "document_type": "CV",
            "title": "Nhân rộng mô hình Ngày thứ năm không chờ",
            "reporting_cycle": "quarterly",
        }
        created = client.post(reverse("replication:directive_create"), data)
        assert created.status_code == 302
        again = client.post(reverse("replication:directive_create"), data)
        assert again.status_code == 302
    directive = Directive.objects.get(title="Nhân rộng mô hình Ngày thứ năm không chờ")
    assert Directive.objects.filter(title=directive.title).count() == 1
    assert directive.coordinator_unit_id == org.home_affairs.pk

    # The listed practices: one model, one solution under its group.
    with on_day(TODAY):
        page = client.get(_url("directive_practices", directive))
    forms = page.context["formset"].forms
    rows = {form.initial["practice"]: index for index, form in enumerate(forms)}
    post: dict[str, Any] = {
        "form-TOTAL_FORMS": len(forms),
        "form-INITIAL_FORMS": len(forms),
        "version": directive.version,
    }
    for practice_pk, index in rows.items():
        post[f"form-{index}-practice"] = practice_pk
        post[f"form-{index}-section"] = "models"
    model, solution = drafted.models[2], drafted.solutions[0]
    post[f"form-{rows[model.pk]}-included"] = "on"
    post[f"form-{rows[solution.pk]}-included"] = "on"
    post[f"form-{rows[solution.pk]}-section"] = "solutions"
    post[f"form-{rows[solution.pk]}-group_title"] = "Đối với chỉ số PAPI"
    with on_day(TODAY):
        saved = client.post(_url("directive_practices", directive), post)
    assert saved.status_code == 302
    labels = dict(directive.listed_practices.values_list("practice_id", "label"))
    assert labels == {model.pk: "1", solution.pk: "1.1"}

    # A group assignment, then one to a unit outside the province: refused on the form.
    directive.refresh_from_db()
    with on_day(TODAY):
        added = client.post(
            _url("directive_assignment_add", directive),
            {
                "version": directive.version,
                "practices": [model.pk, solution.pk],
                "target_group": "commune_committees",
                "role": "apply",
                "due_on": "30/06/2024",
            },
        )
    assert added.status_code == 302
    elsewhere = make_unit("KHAC", name="Sở Nội vụ tỉnh Long An", kind=UnitKind.DEPARTMENT)
    directive.refresh_from_db()
    with on_day(TODAY):
        refused = client.post(
            _url("directive_assignment_add", directive),
            {
                "version": directive.version,
                "practices": [model.pk],
                "target_group": "unit",
                "target_unit": elsewhere.pk,
                "role": "apply",
            },
        )
    assert refused.status_code == 200
    assert directive.assignments.count() == 1


def test_a_stale_form_is_refused_with_a_message(client: Client, org: Org, people: People, tree: Tree) -> None:
    drafted = draft(org, people.reform_officer)
    directive = drafted.directive
    client.force_login(people.reform_officer)
    assignment = directive.assignments.first()
    assert assignment is not None
    with on_day(TODAY):
        response = client.post(
            reverse("replication:directive_assignment_remove", args=[directive.pk, assignment.pk]),
            {"version": directive.version - 1},
            follow=True,
        )
    assert "người khác thay đổi" in response.content.decode()
    assert directive.assignments.count() == 3


def test_a_leader_issues_after_the_confirmation_naming_the_number(
    client: Client, org: Org, people: People, tree: Tree
) -> None:
    directive = draft(org, people.reform_officer).directive
    client.force_login(tree.chairman)
    url = _url("directive_issue", directive)
    with on_day(TODAY):
        page = client.post(url, {"version": directive.version})
        assert page.status_code == 200
        text = page.content.decode()
        assert "01/UBND-SNV" in text and "29 nghĩa vụ" in text and "Nguyễn Văn Chủ Tịch" in text
        assert not Obligation.objects.exists()
        done = confirm_issue(client, url, {"version": directive.version})
    assert done.status_code == 302
    directive.refresh_from_db()
    assert directive.status == DirectiveStatus.ISSUED
    assert Obligation.objects.filter(directive=directive).count() == 29
    with on_day(TODAY):
        again = client.post(url, {"version": directive.version}, follow=True)
    assert "đã được ban hành" in again.content.decode()


def test_home_affairs_cannot_press_issue(client: Client, org: Org, people: People, tree: Tree) -> None:
    directive = draft(org, people.reform_officer).directive
    client.force_login(people.reform_officer)
    with on_day(TODAY):
        response = client.post(_url("directive_issue", directive), {"version": directive.version})
    assert response.status_code == 404


def test_the_extension_names_the_new_units_before_giving_them_obligations(
    client: Client, org: Org, people: People, tree: Tree
) -> None:
    issued = _issue(draft(org, people.reform_officer), tree)
    make_unit("CTH-X9", name="Ủy ban nhân dân xã Mới", kind=UnitKind.COMMUNE_COMMITTEE, parent=org.district)
    client.force_login(people.reform_officer)
    before = Obligation.objects.count()
    with on_day(TODAY):
        page = client.get(_url("directive_extend", issued))
        assert "xã Mới" in page.content.decode()
        assert Obligation.objects.count() == before
        client.post(_url("directive_extend", issued))
    assert Obligation.objects.count() == before + 5
    assert _status(client, tree.chairman, _url("directive_extend", issued)) == 404


def test_the_document_downloads_as_a_draft_and_as_issued(
    client: Client, org: Org, people: People, tree: Tree
) -> None:
    drafted = draft(org, people.reform_officer)
    client.force_login(people.reform_officer)
    with on_day(TODAY):
        preview = client.get(_url("directive_document", drafted.directive))
    assert preview.status_code == 200 and preview["Content-Type"].startswith("application/vnd.openxml")
    issued = _issue(drafted, tree)
    with on_day(TODAY):
        frozen = client.get(_url("directive_document", issued))
    assert frozen.status_code == 200 and frozen.content.startswith(b"PK")


def test_pages_stay_within_their_query_ceilings(
    client: Client, org: Org, people: People, tree: Tree, django_assert_max_num_queries: Any
) -> None:
    for n in range(30):
        make_unit(
            f"XA{n}", name=f"Ủy ban nhân dân xã Số {n}", kind=UnitKind.COMMUNE_COMMITTEE, parent=org.district
        )
    issued = _issue(draft(org, people.reform_officer), tree)
    for _ in range(5):
        draft(org, people.reform_officer)
    client.force_login(people.reform_officer)
    with on_day(TODAY):
        with django_assert_max_num_queries(LIST_CEILING):
            assert client.get(reverse("replication:directive_list")).status_code == 200
        with django_assert_max_num_queries(DETAIL_CEILING):
            assert client.get(_url("directive_detail", issued)).status_code == 200
        with django_assert_max_num_queries(DETAIL_CEILING):
            assert client.get(_url("directive_detail", issued) + "?page=2").status_code == 200


def _obligations_from_the_models(directive: Directive) -> list[tuple[ObligedUnit, list[ObligationShown]]]:
    by_unit: dict[Any, list[Obligation]] = {}
    for obligation in Obligation.objects.filter(directive=directive).select_related(
        "unit", "practice", "transferred_from__unit"
    ):
        by_unit.setdefault(obligation.unit, []).append(obligation)
    return [
        (
            ObligedUnit(unit.pk, unit.name, sum(1 for o in rows if o.ended_on is None)),
            [
                ObligationShown(
                    o.practice.name,
                    o.get_role_display(),
                    o.ended_on,
                    o.transferred_from.unit.name if o.transferred_from else "",
                )
                for o in sorted(rows, key=lambda o: (o.practice_id, o.pk))
            ],
        )
        for unit, rows in sorted(by_unit.items(), key=lambda pair: (pair[0].name, pair[0].pk))
    ]


def test_the_obligations_table_lists_each_units_obligations_and_follows_writes(
    org: Org, people: People, tree: Tree, django_assert_num_queries: Any
) -> None:
    issued = _issue(draft(org, people.reform_officer), tree)
    expected = _obligations_from_the_models(issued)
    page, rows = directive_queries.obligations_table(issued, "1", 4)
    with django_assert_num_queries(0):
        again = directive_queries.obligations_table(issued, "1", 4)
    assert rows == again[1] == expected[:4] and len(expected) > 4
    assert (page.number, page.paginator.count, list(page.object_list)) == (
        1,
        len(expected),
        [u for u, _ in rows],
    )
    _, last = directive_queries.obligations_table(issued, "99", 4)
    assert last == expected[(len(expected) - 1) // 4 * 4 :]
    # An obligation ended since: its unit counts one open fewer, and the row says when.
    ended = Obligation.objects.filter(directive=issued, unit_id=rows[0][0].pk).first()
    assert ended is not None
    Obligation.objects.filter(pk=ended.pk).update(ended_on=TODAY)
    _, after = directive_queries.obligations_table(issued, "1", 4)
    assert after == _obligations_from_the_models(issued)[:4]
    assert after[0][0].open_count == rows[0][0].open_count - 1


def test_the_pdf_is_made_in_the_background_from_the_frozen_document(
    client: Client, org: Org, people: People, tree: Tree, django_capture_on_commit_callbacks: Any, media: Any
) -> None:
    if rendering.soffice_binary() is None:
        pytest.skip("LibreOffice is not installed")
    issued = _issue(draft(org, people.reform_officer), tree)
    client.force_login(tree.commune_head)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("directive_pdf", issued))
    job = Job.objects.get()
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.message
    content = (media / job.result_file).read_bytes()
    assert "Số: 01/UBND-SNV" in pdf_text(content) and "PHỤ LỤC" in pdf_text(content)
    client.force_login(people.outsider)
    assert client.post(_url("directive_pdf", issued)).status_code == 404


def test_a_leader_finds_the_drafts_to_sign_on_the_home_page(
    org: Org, people: People, tree: Tree, committed: Any
) -> None:
    from caicach.core.todos import todos_for

    ready = draft(org, people.reform_officer).directive
    draft(org, people.reform_officer, with_assignments=False)
    entries = {entry.key: entry for entry in todos_for(tree.chairman)}
    entry = entries["replication.sign_directives"]
    assert entry.count == 1 and entry.items[0].url == ready.get_absolute_url()
    assert "replication.sign_directives" not in {entry.key for entry in todos_for(people.reform_officer)}
    with committed():
        _issue(Drafted(ready, [], []), tree)
    assert "replication.sign_directives" not in {entry.key for entry in todos_for(tree.chairman)}


FORM_CEILING = 16


def test_the_drafting_pages_stay_within_their_query_ceilings(
    client: Client, org: Org, people: People, tree: Tree, django_assert_max_num_queries: Any
) -> None:
    for n in range(20):
        make_unit(
            f"XB{n}", name=f"Ủy ban nhân dân xã Thử {n}", kind=UnitKind.COMMUNE_COMMITTEE, parent=org.district
        )
    directive = draft(org, people.reform_officer).directive
    draft(org, people.reform_officer)  # more accepted practices on the practices page
    client.force_login(people.reform_officer)
    with on_day(TODAY):
        for url in (
            reverse("replication:directive_create"),
            _url("directive_edit", directive),
            _url("directive_practices", directive),
            _url("directive_assignment_add", directive),
        ):
            with django_assert_max_num_queries(FORM_CEILING):
                assert client.get(url).status_code == 200, url
