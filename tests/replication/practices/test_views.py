"""The practice pages: who sees what (outsiders get 404, anonymous visitors log in), the
forms as Home Affairs and units use them, and each page's query ceiling."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from caicach.core.models import Notification, ReformIndex, User
from caicach.core.once import FIELD as TOKEN_FIELD
from caicach.core.todos import todos_for
from caicach.initiatives.models import InitiativeStatus
from caicach.replication.models import DirectivePractice, Practice, PracticeAttachment, PracticeStatus
from caicach.replication.practices.queries import proposals_to_evaluate
from tests.conftest import Org, People
from tests.initiatives.factories import make_campaign, make_dossier
from tests.replication.factories import make_directive, make_practice
from tests.replication.practices.conftest import Catalogue

pytestmark = pytest.mark.django_db

LIST_CEILING = 14
DETAIL_CEILING = 16
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _url(name: str, practice: Practice | None = None) -> str:
    return reverse(f"replication:{name}", args=[practice.pk] if practice else [])


def _status(client: Client, user: User, url: str) -> int:
    client.force_login(user)
    return int(client.get(url).status_code)


def _token(client: Client, url: str) -> str:
    found = re.search(rf'name="{TOKEN_FIELD}" value="([^"]+)"', client.get(url).content.decode())
    assert found is not None
    return found.group(1)


def test_who_opens_which_practice_page(client: Client, people: People, catalogue: Catalogue) -> None:
    detail = _url("practice_detail", catalogue.accepted)
    edit = _url("practice_edit", catalogue.accepted)
    proposal = _url("practice_detail", catalogue.proposed)
    district = _url("practice_detail", catalogue.district_accepted)
    expected = {
        (people.reform_officer, detail): 200,
        (people.reform_officer, edit): 200,
        (people.reform_officer, district): 200,
        (people.leader, detail): 200,
        (people.leader, edit): 404,
        (people.leader, district): 404,
        (people.unit_staff, detail): 200,
        (people.unit_staff, edit): 404,
        (people.unit_staff, proposal): 200,  # its own proposal
        (people.unit_head, proposal): 200,
        (people.outsider, detail): 200,  # accepted, of the province above it
        (people.outsider, proposal): 404,
        (people.outsider, district): 404,  # another committee
        (catalogue.commune_staff, detail): 200,
        (catalogue.commune_staff, proposal): 404,
        (catalogue.district_officer, detail): 404,
        (catalogue.district_officer, district): 200,
        (people.council_member, detail): 404,
    }
    for (user, url), status in expected.items():
        assert _status(client, user, url) == status, (user.username, url)


def test_anonymous_visitors_are_sent_to_log_in(client: Client, catalogue: Catalogue) -> None:
    for url in (
        _url("practice_list"),
        _url("practice_detail", catalogue.accepted),
        _url("practice_create"),
        _url("practice_propose"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "next=" in response["Location"], url


def test_the_create_and_propose_forms_open_only_for_their_people(
    client: Client, people: People, catalogue: Catalogue
) -> None:
    assert _status(client, people.reform_officer, _url("practice_create")) == 200
    assert _status(client, people.unit_staff, _url("practice_create")) == 404
    assert _status(client, people.unit_staff, _url("practice_propose")) == 200
    assert _status(client, people.leader, _url("practice_propose")) == 404
    assert _status(client, people.council_member, _url("practice_list")) == 404


def test_the_list_shows_what_the_user_may_see_and_filters(
    client: Client, people: People, catalogue: Catalogue
) -> None:
    client.force_login(people.outsider)
    page = client.get(_url("practice_list")).content.decode()
    assert catalogue.accepted.name in page
    assert catalogue.proposed.name not in page and catalogue.district_accepted.name not in page
    client.force_login(people.reform_officer)
    page = client.get(_url("practice_list"), {"status": "proposed"}).content.decode()
    assert catalogue.proposed.name in page and catalogue.district_proposed.name in page
    assert catalogue.accepted.name not in page


def _origin_options(page: str) -> set[int]:
    found = re.search(r'<select name="origin_unit".*?</select>', page, re.S)
    assert found is not None
    return {int(pk) for pk in re.findall(r'<option value="(\d+)"', found.group(0))}


def test_the_unit_filter_offers_the_units_behind_the_practices_the_user_sees(
    client: Client, org: Org, people: People, catalogue: Catalogue
) -> None:
    make_practice(org, committee=org.district, name="Hộp thư góp ý điện tử", origin_unit=org.other_commune)
    client.force_login(people.outsider)
    assert _origin_options(client.get(_url("practice_list")).content.decode()) == {org.district.pk}
    client.force_login(people.reform_officer)
    offered = _origin_options(client.get(_url("practice_list")).content.decode())
    # Not every unit of the jurisdiction (the Department of Science built nothing).
    assert offered == {org.district.pk, org.other_commune.pk}


def test_the_list_finds_a_practice_without_accents(
    client: Client, people: People, catalogue: Catalogue
) -> None:
    client.force_login(people.reform_officer)
    page = client.get(_url("practice_list"), {"q": "ngay thu bay lang nghe"}).content.decode()
    assert catalogue.accepted.name in page
    assert catalogue.declined.name not in page


def test_the_list_filters_by_index(client: Client, people: People, catalogue: Catalogue) -> None:
    papi = ReformIndex.objects.create(code="PAPI", name="Chỉ số PAPI")
    catalogue.declined.indices.add(papi)
    client.force_login(people.reform_officer)
    page = client.get(
        _url("practice_list"), {"index": str(papi.pk), "kind": "bogus", "field": "x"}
    ).content.decode()
    assert catalogue.declined.name in page and catalogue.accepted.name not in page


def test_the_list_keeps_its_query_ceiling(
    client: Client, org: Org, people: People, catalogue: Catalogue, django_assert_max_num_queries: object
) -> None:
    papi = ReformIndex.objects.create(code="PAPI", name="Chỉ số PAPI")
    for n in range(30):
        make_practice(org, name=f"Mô hình {n}").indices.add(papi)
    client.force_login(people.reform_officer)
    with django_assert_max_num_queries(LIST_CEILING):  # type: ignore[operator]
        assert client.get(_url("practice_list")).status_code == 200


def test_the_page_shows_everything_and_keeps_its_query_ceiling(
    client: Client, org: Org, people: People, django_assert_max_num_queries: object
) -> None:
    campaign = make_campaign(org, people)
    initiative = make_dossier(campaign, org.science, status=InitiativeStatus.RECOGNISED)
    practice = make_practice(
        org,
        initiative=initiative,
        implementation_steps="Bước một: lập lịch tiếp dân",
        cost="Không phát sinh kinh phí",
        contact="Văn phòng HĐND-UBND huyện",
    )
    for n in range(3):
        practice.indices.add(ReformIndex.objects.create(code=f"I{n}", name=f"Chỉ số {n}"))
        PracticeAttachment.objects.create(
            practice=practice, name=f"Tệp {n}.pdf", file="x.pdf", is_public=n == 0
        )
        DirectivePractice.objects.create(
            directive=make_directive(org, title=f"Văn bản {n}"), practice=practice
        )
    client.force_login(people.reform_officer)
    with django_assert_max_num_queries(DETAIL_CEILING):  # type: ignore[operator]
        page = client.get(_url("practice_detail", practice)).content.decode()
    for text in (
        "Bước một: lập lịch tiếp dân",
        "Không phát sinh kinh phí",
        "Văn phòng HĐND-UBND huyện",
        "Chỉ số 2",
        "Tệp 1.pdf",
        "Văn bản 2",
        initiative.title,
        "Trần Văn Tác Giả",
    ):
        assert text in page


def test_home_affairs_creates_a_practice_once_however_often_the_form_is_sent(
    client: Client, org: Org, people: People
) -> None:
    client.force_login(people.reform_officer)
    url = _url("practice_create")
    data = {
        TOKEN_FIELD: _token(client, url),
        "committee": org.province.pk,
        "name": "Ngày thứ bảy lắng nghe dân nói",
        "kind": "model",
        "origin_unit": org.district.pk,
        "summary": "Đối thoại với người dân.",
    }
    first = client.post(url, data)
    practice = Practice.objects.get()
    assert first["Location"] == practice.get_absolute_url()
    again = client.post(url, data)
    assert again.status_code == 302 and Practice.objects.count() == 1


def test_a_stale_edit_shows_the_reason_on_the_form(
    client: Client, people: People, catalogue: Catalogue
) -> None:
    practice = catalogue.accepted
    client.force_login(people.reform_officer)
    response = client.post(
        _url("practice_edit", practice),
        {
            "name": "Khác",
            "kind": "model",
            "origin_unit": practice.origin_unit_id,
            "summary": "Tóm tắt",
            "version": 99,
        },
    )
    assert response.status_code == 200
    assert "người khác thay đổi" in response.content.decode()
    practice.refresh_from_db()
    assert practice.name != "Khác"


def test_a_unit_proposes_and_home_affairs_declines_with_a_note(
    client: Client, org: Org, people: People
) -> None:
    client.force_login(people.unit_staff)
    url = _url("practice_propose")
    response = client.post(
        url,
        {
            TOKEN_FIELD: _token(client, url),
            "proposing_unit": org.science.pk,
            "name": "Tổ công nghệ số",
            "kind": "way_of_working",
            "summary": "Hướng dẫn người dân nộp hồ sơ trực tuyến.",
            "proposal_note": "Đã làm ở Sở.",
        },
    )
    practice = Practice.objects.get()
    assert response["Location"] == practice.get_absolute_url()
    assert practice.status == PracticeStatus.PROPOSED
    client.force_login(people.reform_officer)
    evaluate = _url("practice_evaluate", practice)
    refused = client.post(
        evaluate, {"decision": "declined", "note": "", "version": practice.version}, follow=True
    )
    assert "lý do không chọn" in refused.content.decode()
    client.post(
        evaluate, {"decision": "declined", "note": "Đã có mô hình tương tự.", "version": practice.version}
    )
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.DECLINED
    assert Notification.objects.filter(recipient=people.unit_staff).count() == 1
    again = client.post(evaluate, {"decision": "accepted", "version": practice.version}, follow=True)
    assert "đã được đánh giá" in again.content.decode()
    # The unit's own staff may not evaluate: 404 for the action, not a technical page.
    practice.status = PracticeStatus.PROPOSED
    practice.save(update_fields=["status"])
    client.force_login(people.unit_staff)
    assert client.post(evaluate, {"decision": "accepted", "version": practice.version}).status_code == 404


def test_publishing_from_the_page(client: Client, people: People, catalogue: Catalogue) -> None:
    practice = catalogue.accepted
    client.force_login(people.reform_officer)
    client.post(_url("practice_publish", practice), {"publish": "on", "version": practice.version})
    practice.refresh_from_db()
    assert practice.is_published
    stale = client.post(_url("practice_publish", practice), {"version": 1}, follow=True)
    assert "người khác thay đổi" in stale.content.decode()
    refused = client.post(
        _url("practice_publish", catalogue.proposed), {"publish": "on", "version": 1}, follow=True
    )
    assert "đã được chọn" in refused.content.decode()
    client.force_login(people.leader)
    assert client.post(_url("practice_publish", practice), {"version": practice.version}).status_code == 404


def test_attachments_upload_and_download_to_whoever_sees_the_practice(
    client: Client, people: People, catalogue: Catalogue
) -> None:
    practice = catalogue.accepted
    client.force_login(people.reform_officer)
    client.post(
        _url("practice_attachment_add", practice),
        {"file": SimpleUploadedFile("Hướng dẫn.pdf", PDF), "is_public": "on"},
    )
    attachment = PracticeAttachment.objects.get()
    assert attachment.is_public
    disguised = client.post(
        _url("practice_attachment_add", practice),
        {"file": SimpleUploadedFile("a.pdf", b"MZ" * 20)},
        follow=True,
    )
    assert "Loại tệp không được chấp nhận" in disguised.content.decode()
    download = reverse("replication:practice_attachment", args=[attachment.pk])
    client.force_login(people.outsider)
    response = client.get(download)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    client.force_login(people.council_member)
    assert client.get(download).status_code == 404


def test_the_initiative_page_offers_the_practice_to_home_affairs_once(
    client: Client, org: Org, people: People
) -> None:
    initiative = make_dossier(make_campaign(org, people), org.science, status=InitiativeStatus.RECOGNISED)
    button = reverse("replication:practice_from_initiative", args=[initiative.pk])
    client.force_login(people.reform_officer)
    assert button in client.get(initiative.get_absolute_url()).content.decode()
    response = client.post(button)
    practice = Practice.objects.get()
    assert response["Location"] == practice.get_absolute_url()
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert button not in page and practice.get_absolute_url() in page
    again = client.post(button, follow=True)
    assert "đã có mô hình" in again.content.decode()
    assert Practice.objects.count() == 1


def test_a_unit_sees_no_button_on_its_initiative(client: Client, org: Org, people: People) -> None:
    initiative = make_dossier(
        make_campaign(org, people), org.science, status=InitiativeStatus.RECOGNISED, author=people.unit_staff
    )
    client.force_login(people.unit_head)
    response = client.get(initiative.get_absolute_url())
    assert response.status_code == 200
    assert (
        reverse("replication:practice_from_initiative", args=[initiative.pk]) not in response.content.decode()
    )
    assert (
        client.post(reverse("replication:practice_from_initiative", args=[initiative.pk])).status_code == 302
    )
    assert not Practice.objects.exists()


def test_home_affairs_sees_the_proposals_to_evaluate_on_the_home_page(
    people: People, catalogue: Catalogue, django_assert_max_num_queries: object
) -> None:
    # The memberships, the count with the first keys, those rows with their relations.
    with django_assert_max_num_queries(3):  # type: ignore[operator]
        entry = proposals_to_evaluate(people.reform_officer, 5)
    assert entry is not None and entry.count == 2
    district = {e.key: e for e in todos_for(catalogue.district_officer)}["replication.practices_to_evaluate"]
    assert [item.label for item in district.items] == [catalogue.district_proposed.name]
    assert "replication.practices_to_evaluate" not in {e.key for e in todos_for(people.unit_staff)}


def test_the_menu_leads_to_the_catalogue(client: Client, people: People) -> None:
    client.force_login(people.unit_staff)
    assert _url("practice_list") in client.get("/").content.decode()


# The rows as the list's template wrote them before ``practice_rows``: the reference.
TEMPLATE_ROWS = (Path(__file__).parent / "rows_reference.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_rows_written_in_python_are_the_templates_rows(
    client: Client, org: Org, people: People, catalogue: Catalogue, language: str
) -> None:
    from django.template import Context, Template
    from django.utils import translation

    from caicach.replication.templatetags.replication_practices import practice_rows

    papi = ReformIndex.objects.create(code="PAPI", name="Chỉ số <PAPI>")
    par = ReformIndex.objects.create(code="PAR", name="Chỉ số PAR INDEX")
    make_practice(org, name='Mô hình "một cửa" & <số>', is_published=True).indices.add(papi, par)
    make_practice(org, name="Cách làm từ bên ngoài", origin_unit=None, origin_external_name="Tỉnh bạn")
    make_practice(org, name="Không có nơi xây dựng", origin_unit=None, origin_external_name="")
    client.force_login(people.reform_officer)
    with translation.override(language):
        page_obj = client.get(_url("practice_list")).context["page_obj"]
        assert {practice.status for practice in page_obj.object_list} == set(PracticeStatus.values)
        expected = Template(TEMPLATE_ROWS).render(Context({"page_obj": page_obj}))
        written = practice_rows(page_obj)
    assert re.sub(r">\s+<", "><", written).strip() == re.sub(r">\s+<", "><", expected).strip()
    assert "&lt;PAPI&gt;; Chỉ số PAR INDEX" in written or "Chỉ số PAR INDEX; Chỉ số &lt;PAPI&gt;" in written
