"""The adoption pages: who opens what (the obliged unit, another unit of the same committee,
Home Affairs, a leader, an outsider), the form with its "Thêm dòng" button without JS,
stale and refused actions landing on the report's page, and each page's query ceiling."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from caicach.core import pagination
from caicach.core.models import Role, User
from caicach.replication.adoption import views
from caicach.replication.adoption.queries import (
    ReportContent,
    ReportToReview,
    ResultInput,
    ReviewFilters,
    period_label,
    reports_to_review,
)
from caicach.replication.adoption.services import adoption_report_open, adoption_report_submit
from caicach.replication.models import AdoptionReport, AdoptionReportStatus, AdoptionStatus, Obligation
from tests.conftest import Org, People, on_day
from tests.core.factories import person
from tests.replication.factories import make_directive, make_obligation, make_practice, make_report

IN_Q2 = datetime.date(2024, 5, 15)
Q1 = datetime.date(2024, 1, 1)
Q2 = datetime.date(2024, 4, 1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _in_q2() -> Any:
    with on_day(IN_Q2):
        yield


@pytest.fixture
def obligation(org: Org) -> Obligation:
    return make_obligation(make_directive(org), org.science, make_practice(org))


@pytest.fixture
def other_unit_staff(org: Org) -> User:
    """Staff of another unit of the same committee."""
    return person("canbovanphong", org.office, Role.UNIT_STAFF, full_name="Lý Văn Phòng")


@pytest.fixture
def submitted(obligation: Obligation, people: People) -> AdoptionReport:
    return adoption_report_submit(
        actor=people.unit_staff,
        obligation=obligation,
        period_start=Q1,
        content=ReportContent(adoption_status=AdoptionStatus.STUDYING),
        version=None,
        at=datetime.datetime(2024, 4, 5, 9, tzinfo=datetime.UTC),
    )


def edit_url(obligation: Obligation, start: datetime.date = Q2) -> str:
    return reverse("replication:report_edit", args=[obligation.pk, start.isoformat()])


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("unit_staff", 200),
        ("unit_head", 200),
        ("reform_officer", 200),
        ("leader", 200),
        ("other_unit_staff", 404),
        ("outsider", 404),
    ],
)
def test_who_reads_a_report(
    client: Client, people: People, other_unit_staff: User, submitted: AdoptionReport, who: str, expected: int
) -> None:
    user = other_unit_staff if who == "other_unit_staff" else getattr(people, who)
    response = login(client, user).get(submitted.get_absolute_url())
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("unit_staff", 200),
        ("unit_head", 200),
        ("reform_officer", 302),
        ("leader", 302),
        ("other_unit_staff", 404),
        ("outsider", 404),
    ],
)
def test_only_the_obliged_units_people_open_the_report_form(
    client: Client, people: People, other_unit_staff: User, obligation: Obligation, who: str, expected: int
) -> None:
    user = other_unit_staff if who == "other_unit_staff" else getattr(people, who)
    response = login(client, user).get(edit_url(obligation))
    assert response.status_code == expected
    # A GET never writes: the start button's POST creates the draft.
    assert not AdoptionReport.objects.exists()
    response = client.post(edit_url(obligation))
    created = AdoptionReport.objects.filter(obligation=obligation, period_start=Q2).exists()
    assert created is (expected == 200)
    if created:
        assert response.status_code == 302 and response["Location"] == edit_url(obligation)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("reform_officer", 200),
        ("leader", 200),
        ("admin", 200),
        ("unit_staff", 404),
        ("other_unit_staff", 404),
        ("outsider", 404),
    ],
)
def test_who_opens_the_review_list(
    client: Client, people: People, other_unit_staff: User, submitted: AdoptionReport, who: str, expected: int
) -> None:
    user = other_unit_staff if who == "other_unit_staff" else getattr(people, who)
    response = login(client, user).get(reverse("replication:report_review_list"))
    assert response.status_code == expected
    if expected == 200:
        assert submitted.obligation.practice.name in response.content.decode()


@pytest.mark.parametrize(
    ("who", "expected"),
    [("leader", 404), ("unit_staff", 404), ("other_unit_staff", 404), ("outsider", 404)],
)
def test_only_home_affairs_returns_a_report(
    client: Client, people: People, other_unit_staff: User, submitted: AdoptionReport, who: str, expected: int
) -> None:
    user = other_unit_staff if who == "other_unit_staff" else getattr(people, who)
    response = login(client, user).post(
        reverse("replication:report_return", args=[submitted.pk]),
        {"note": "Bổ sung", "version": submitted.version},
    )
    assert response.status_code == expected
    submitted.refresh_from_db()
    assert submitted.status == AdoptionReportStatus.SUBMITTED


def test_the_unit_list_shows_each_obligations_current_cycle_and_links_to_file_it(
    client: Client, people: People, obligation: Obligation, other_unit_staff: User
) -> None:
    page = login(client, people.unit_staff).get(reverse("replication:obligation_list")).content.decode()
    assert obligation.practice.name in page
    # Mid-May: Q1's report (due mid-April) is missing and late; Q2 may be reported early.
    assert "Quý I/2024" in page and edit_url(obligation, Q1) in page
    assert "Chưa báo cáo" in page and "Quá hạn" in page
    assert "Báo cáo sớm kỳ Quý II/2024" in page and edit_url(obligation, Q2) in page
    other = login(Client(), other_unit_staff).get(reverse("replication:obligation_list")).content.decode()
    assert obligation.practice.name not in other


def test_a_future_cycle_lands_on_the_list_with_a_message(
    client: Client, people: People, obligation: Obligation
) -> None:
    response = login(client, people.unit_staff).get(
        edit_url(obligation, datetime.date(2024, 7, 1)), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("replication:obligation_list")
    assert "chưa bắt đầu" in response.content.decode()
    assert not AdoptionReport.objects.exists()


def test_a_bad_period_in_the_address_is_not_found(
    client: Client, people: People, obligation: Obligation
) -> None:
    response = login(client, people.unit_staff).get(
        reverse("replication:report_edit", args=[obligation.pk, "2024-13-01"])
    )
    assert response.status_code == 404


def _post_data(report: AdoptionReport, **extra: str) -> dict[str, str]:
    data = {
        "version": str(report.version),
        "adoption_status": AdoptionStatus.PILOTING,
        "reason": "",
        "started_on": "01/03/2024",
        "scope": "Bộ phận một cửa",
        "difficulties": "",
        "proposals": "",
        "kq-TOTAL_FORMS": "1",
        "kq-INITIAL_FORMS": "0",
        "kq-MIN_NUM_FORMS": "0",
        "kq-MAX_NUM_FORMS": "20",
        "kq-0-indicator": "Tỷ lệ hồ sơ trực tuyến",
        "kq-0-measure_unit": "%",
        "kq-0-baseline": "12,5",
        "kq-0-current": "40,25",
        "kq-0-note": "",
    }
    data.update(extra)
    return data


def test_add_row_returns_the_form_as_typed_with_one_more_row_and_saves_nothing(
    client: Client, people: People, obligation: Obligation
) -> None:
    login(client, people.unit_staff).post(edit_url(obligation))
    report = AdoptionReport.objects.get()
    response = client.post(edit_url(obligation), _post_data(report, action="add_row"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="kq-TOTAL_FORMS" value="2"' in page
    assert 'value="40,25"' in page and "Tỷ lệ hồ sơ trực tuyến" in page
    report.refresh_from_db()
    assert report.version == 1 and not report.results.exists()


def test_saving_then_submitting_through_the_pages(
    client: Client, people: People, obligation: Obligation
) -> None:
    login(client, people.unit_staff).post(edit_url(obligation))
    report = AdoptionReport.objects.get()
    response = client.post(edit_url(obligation), _post_data(report, action="save"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert [(r.baseline, r.current) for r in report.results.all()] == [(Decimal("12.5"), Decimal("40.25"))]
    response = client.post(
        reverse("replication:report_submit", args=[report.pk]), _post_data(report, action="submit")
    )
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    report.refresh_from_db()
    assert report.status == AdoptionReportStatus.SUBMITTED


def test_a_bad_number_is_shown_in_vietnamese_and_changes_nothing(
    client: Client, people: People, obligation: Obligation
) -> None:
    login(client, people.unit_staff).post(edit_url(obligation))
    report = AdoptionReport.objects.get()
    response = client.post(
        edit_url(obligation), _post_data(report, action="save", **{"kq-0-current": "12,345"})
    )
    assert response.status_code == 400
    assert "tối đa 2 chữ số thập phân" in response.content.decode()
    report.refresh_from_db()
    assert report.version == 1


def test_a_stale_form_is_refused_with_the_reload_message(
    client: Client, people: People, obligation: Obligation
) -> None:
    login(client, people.unit_staff).post(edit_url(obligation))
    report = AdoptionReport.objects.get()
    client.post(edit_url(obligation), _post_data(report, action="save"))
    response = client.post(edit_url(obligation), _post_data(report, action="save", scope="Cũ"))
    assert response.status_code == 400
    assert "tải lại trang" in response.content.decode()
    report.refresh_from_db()
    assert report.scope == "Bộ phận một cửa"


def test_a_stale_return_lands_on_the_report_with_a_message(
    client: Client, people: People, submitted: AdoptionReport
) -> None:
    response = login(client, people.reform_officer).post(
        reverse("replication:report_return", args=[submitted.pk]),
        {"note": "Bổ sung", "version": submitted.version - 1},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == submitted.get_absolute_url()
    assert "tải lại trang" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == AdoptionReportStatus.SUBMITTED


def test_the_return_note_and_its_history_show_on_the_report(
    client: Client, people: People, submitted: AdoptionReport
) -> None:
    login(client, people.reform_officer).post(
        reverse("replication:report_return", args=[submitted.pk]),
        {"note": "Bổ sung số liệu", "version": submitted.version},
    )
    page = login(Client(), people.unit_staff).get(submitted.get_absolute_url()).content.decode()
    assert "Bổ sung số liệu" in page and "Bổ sung và gửi lại" in page


def test_evidence_downloads_for_those_who_see_the_report_only(
    client: Client, people: People, obligation: Obligation, other_unit_staff: User
) -> None:
    login(client, people.unit_staff).post(edit_url(obligation))
    report = AdoptionReport.objects.get()
    client.post(
        reverse("replication:evidence_add", args=[report.pk]),
        {"file": SimpleUploadedFile("Biên bản.pdf", PDF), "is_public": "on"},
    )
    evidence = report.evidence.get()
    url = reverse("replication:evidence_download", args=[evidence.pk])
    response = login(Client(), people.reform_officer).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert login(Client(), other_unit_staff).get(url).status_code == 404
    assert login(Client(), people.outsider).get(url).status_code == 404


def test_a_disguised_evidence_file_is_refused_with_a_message(
    client: Client, people: People, obligation: Obligation
) -> None:
    login(client, people.unit_staff).post(edit_url(obligation))
    report = AdoptionReport.objects.get()
    response = client.post(
        reverse("replication:evidence_add", args=[report.pk]),
        {"file": SimpleUploadedFile("hop-dong.pdf", b"MZ" + b"\x00" * 64)},
        follow=True,
    )
    assert "Loại tệp không được chấp nhận" in response.content.decode()
    assert not report.evidence.exists()


# --- Query ceilings -----------------------------------------------------------------------------------


def _many_obligations(org: Org, count: int) -> list[Obligation]:
    directive = make_directive(org)
    obligations = [make_obligation(directive, org.science, make_practice(org)) for _ in range(count)]
    for obligation in obligations[::2]:
        make_report(obligation, Q2, datetime.date(2024, 6, 30), status=AdoptionReportStatus.DRAFT)
    return obligations


# The first visit counts the unit's obligations, finds the page's keys, then reads its rows
# by key; a later one finds the count and the keys kept.
UNIT_LIST_QUERIES = 13
KEPT_UNIT_LIST_QUERIES = 11
FORM_QUERIES = 12
DETAIL_QUERIES = 13
# The first visit reads the page's reports twice: by key for the page, then as the table
# shows them (kept; a second visit reads neither).
REVIEW_LIST_QUERIES = 12
# Then neither the page's keys nor its rows are read again (nor the filters' choices).
KEPT_REVIEW_LIST_QUERIES = 4


def test_the_unit_list_has_a_query_ceiling(
    client: Client, org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    _many_obligations(org, 12)
    login(client, people.unit_staff)
    with django_assert_max_num_queries(UNIT_LIST_QUERIES):
        response = client.get(reverse("replication:obligation_list"))
    assert response.content.decode().count("Mô hình thử nghiệm") >= 12
    with django_assert_max_num_queries(KEPT_UNIT_LIST_QUERIES):
        again = client.get(reverse("replication:obligation_list"))
    assert again.content.decode().count("Mô hình thử nghiệm") == response.content.decode().count(
        "Mô hình thử nghiệm"
    )


def test_the_report_form_and_page_have_query_ceilings(
    client: Client, people: People, obligation: Obligation, django_assert_max_num_queries: Any
) -> None:
    report = adoption_report_open(actor=people.unit_staff, obligation=obligation, period_start=Q2)
    report.results.create(indicator="Số buổi đối thoại", current=Decimal(3))
    login(client, people.unit_staff)
    with django_assert_max_num_queries(FORM_QUERIES):
        assert client.get(edit_url(obligation)).status_code == 200
    with django_assert_max_num_queries(DETAIL_QUERIES):
        assert client.get(report.get_absolute_url()).status_code == 200
    adoption_report_submit(
        actor=people.unit_staff,
        obligation=obligation,
        period_start=Q2,
        content=ReportContent(
            adoption_status=AdoptionStatus.STUDYING, results=(ResultInput(indicator="Số buổi"),)
        ),
        version=report.version,
    )
    login(client, people.reform_officer)  # with the return form
    with django_assert_max_num_queries(DETAIL_QUERIES):
        assert "Trả lại báo cáo" in client.get(report.get_absolute_url()).content.decode()


def test_the_review_list_has_a_query_ceiling(
    client: Client, org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    _many_obligations(org, 12)
    login(client, people.reform_officer)
    with django_assert_max_num_queries(REVIEW_LIST_QUERIES):
        response = client.get(reverse("replication:report_review_list"), {"tinh_trang": "draft"})
    assert response.status_code == 200
    assert response.content.decode().count("Mô hình thử nghiệm") >= 6


def _review_rows_from_the_models(user: User) -> list[ReportToReview]:
    return [
        ReportToReview(
            pk=r.pk,
            url=r.get_absolute_url(),
            period=period_label(r.period_start, r.period_end),
            unit_name=r.obligation.unit.short_name or r.obligation.unit.name,
            practice_name=r.obligation.practice.name,
            directive_title=r.obligation.directive.title,
            adoption_status_label=r.get_adoption_status_display(),
            due_on=r.due_on,
            status=r.status,
            status_label=r.get_status_display(),
            sent_late=r.is_late,
        )
        for r in reports_to_review(user, ReviewFilters())[: views.PER_PAGE]
    ]


def test_the_review_list_shows_each_report_as_its_model_reads_and_follows_writes(
    client: Client, org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    obligations = _many_obligations(org, 6)
    make_report(obligations[1], Q1, datetime.date(2024, 3, 31), adoption_status=AdoptionStatus.APPLIED,
                submitted_at=datetime.datetime(2024, 4, 20, tzinfo=datetime.UTC), is_late=True)  # fmt: skip
    login(client, people.reform_officer)
    url = reverse("replication:report_review_list")
    first = list(client.get(url).context["page_obj"].object_list)
    assert first == _review_rows_from_the_models(people.reform_officer) and len(first) == 4
    assert any(row.sent_late for row in first) and {row.status for row in first} == {"draft", "submitted"}
    with django_assert_max_num_queries(KEPT_REVIEW_LIST_QUERIES):
        again = client.get(url)
    assert list(again.context["page_obj"].object_list) == first
    body = again.content.decode()
    assert "Gửi muộn" in body and first[0].url in body and first[0].period in body
    # A report returned since: its row says so at once.
    AdoptionReport.objects.filter(pk=first[0].pk).update(status=AdoptionReportStatus.RETURNED)
    after = list(client.get(url).context["page_obj"].object_list)
    assert after == _review_rows_from_the_models(people.reform_officer) != first
    assert after[0].status_label == AdoptionReportStatus.RETURNED.label


def test_the_menu_offers_the_units_obligations_to_the_people_who_file_reports(
    client: Client, people: People
) -> None:
    url = reverse("replication:obligation_list")
    assert f'href="{url}"' in login(client, people.unit_staff).get(reverse("home")).content.decode()
    assert f'href="{url}"' not in login(Client(), people.reform_officer).get(reverse("home")).content.decode()


def test_an_obligation_handed_on_says_so_and_offers_no_new_report(
    client: Client, people: People, obligation: Obligation
) -> None:
    Obligation.objects.filter(pk=obligation.pk).update(ended_on=datetime.date(2024, 3, 15))
    page = login(client, people.unit_staff).get(reverse("replication:obligation_list")).content.decode()
    assert "Nhiệm vụ đã chuyển giao: không lập báo cáo mới." in page
    assert edit_url(obligation, Q1) not in page and edit_url(obligation, Q2) not in page
    response = client.get(edit_url(obligation, Q1), follow=True)
    assert "chuyển giao" in response.content.decode()
    assert not AdoptionReport.objects.exists()


def test_the_review_filters_offer_only_what_the_users_scope_holds(
    client: Client, org: Org, people: People
) -> None:
    province = make_directive(org, title="Văn bản của tỉnh về nhân rộng")
    district = make_directive(
        org,
        title="Văn bản của huyện về nhân rộng",
        issuing_unit=org.district,
        coordinator_unit=org.district_home_affairs,
    )
    practice = make_practice(org)
    for directive, unit in ((province, org.science), (district, org.district_home_affairs)):
        make_report(make_obligation(directive, unit, practice), Q1, datetime.date(2024, 3, 31))
    officer = person("cvpnv", org.district_home_affairs, Role.REFORM_OFFICER)
    page = login(client, officer).get(reverse("replication:report_review_list")).content.decode()
    assert "Văn bản của huyện về nhân rộng" in page
    assert "Văn bản của tỉnh về nhân rộng" not in page
    assert "Quý I/2024" in page
    filtered = client.get(reverse("replication:report_review_list"), {"van_ban": province.pk})
    assert "Văn bản của tỉnh" not in filtered.content.decode()  # not a choice: the filter is refused
    page = (
        login(Client(), people.reform_officer).get(reverse("replication:report_review_list")).content.decode()
    )
    assert "Văn bản của huyện về nhân rộng" in page and "Văn bản của tỉnh về nhân rộng" in page


@pytest.mark.renew_on_commit
def test_the_review_filters_are_kept_and_follow_a_report_once_committed(
    client: Client, org: Org, people: People, committed: Any
) -> None:
    """The filters' directives and cycles are kept under the user's scope (compiling the
    scoped queries only to key them cost more than reading them): read again from the cache
    without a statement of their own, and renewed when a report of a new directive or cycle
    commits."""
    from django.db.models.sql.query import Query

    first = make_directive(org, title="Văn bản thứ nhất về nhân rộng")
    practice = make_practice(org)
    make_report(make_obligation(first, org.science, practice), Q1, datetime.date(2024, 3, 31))
    login(client, people.reform_officer)
    url = reverse("replication:report_review_list")
    page = client.get(url).content.decode()
    assert "Văn bản thứ nhất" in page and "Quý I/2024" in page
    compiled: list[str] = []
    real = Query.sql_with_params

    def spy(query: Query) -> Any:
        compiled.append(query.model.__name__ if query.model else "")
        return real(query)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Query, "sql_with_params", spy)
        client.get(url)
    assert "Directive" not in compiled  # the options' scoped query is not compiled for a key
    second = make_directive(org, title="Văn bản thứ hai về nhân rộng")
    with committed():
        make_report(make_obligation(second, org.commune, practice), Q2, datetime.date(2024, 6, 30))
    page = client.get(url).content.decode()
    assert "Văn bản thứ hai" in page and "Quý II/2024" in page


def test_a_refused_sending_keeps_save_as_saving(
    client: Client, people: People, obligation: Obligation
) -> None:
    login(client, people.unit_staff).post(edit_url(obligation))
    report = AdoptionReport.objects.get()
    response = client.post(
        reverse("replication:report_submit", args=[report.pk]),
        _post_data(report, action="submit", adoption_status=AdoptionStatus.STOPPED),
    )
    page = response.content.decode()
    assert response.status_code == 400 and "cần nêu lý do" in page
    assert f'action="{edit_url(obligation)}"' in page
    report.refresh_from_db()
    assert report.status == AdoptionReportStatus.DRAFT


def test_a_review_list_past_the_counting_cap_pages_cycle_by_cycle_in_the_same_order(
    client: Client, org: Org, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the cap, each page sorts only its cycles' reports: the pages hold what sorting
    every report gives, newest cycle first, then directive and unit."""
    practice = make_practice(org)
    for title in ("Văn bản thứ nhất", "Văn bản thứ hai"):
        directive = make_directive(org, title=title)
        for unit in (org.science, org.office):
            obligation = make_obligation(directive, unit, practice)
            make_report(obligation, Q1, datetime.date(2024, 3, 31))
            make_report(obligation, Q2, datetime.date(2024, 6, 30))
    expected = list(
        AdoptionReport.objects.order_by(
            "-period_start", "obligation__directive_id", "obligation__unit__code", "pk"
        ).values_list("pk", flat=True)
    )
    monkeypatch.setattr(views, "PER_PAGE", 3)
    monkeypatch.setattr(pagination, "LIST_CAP", 7)
    sliced: list[Any] = []
    leading_slice = pagination.leading_slice

    def by_cycles(rows: Any, field: str, values: Any, bottom: int, top: int) -> Any:
        sliced.append((field, list(values)))
        return leading_slice(rows, field, values, bottom, top)

    monkeypatch.setattr(pagination, "leading_slice", by_cycles)
    login(client, people.reform_officer)
    shown: list[int] = []
    for number in (1, 2, 3):
        response = client.get(reverse("replication:report_review_list"), {"page": number})
        assert response.context["page_obj"].paginator.capped
        shown += [row.pk for row in response.context["page_obj"].object_list]
    assert shown == expected[:7]
    assert sliced == [("period_start", [Q2, Q1])] * 3
