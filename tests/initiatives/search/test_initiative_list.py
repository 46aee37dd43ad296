"""Finding dossiers: the list at /sang-kien/ shows only what the user may see, filters by
campaign, unit, field, index, status, year and level, searches without caring for accents
or case, pages by 25, and exports the same filtered set to Excel."""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from caicach.core.models import Job, JobStatus, ReformField, ReformIndex, Unit, User
from caicach.initiatives.demo import load_seed_campaign
from caicach.initiatives.dossiers.access import initiatives_for
from caicach.initiatives.dossiers.services import refresh_search_text
from caicach.initiatives.models import (
    Authorship,
    Campaign,
    Initiative,
    InitiativeKind,
    InitiativeStatus,
    Recognition,
    RecognitionLevel,
)
from caicach.initiatives.search import queries as search_queries
from caicach.initiatives.search.queries import InitiativeFilters, initiative_rows
from tests.conftest import Org, People

S = InitiativeStatus
LIST = reverse("initiatives:initiative_list")
EXPORT = reverse("initiatives:initiative_export")
SEED_TITLE = "Chỉ thị về việc Nâng cao hiệu quả thực hiện Quy chế làm việc của UBND tỉnh"


@pytest.fixture
def campaign(org: Org, people: People) -> Campaign:
    return load_seed_campaign(
        actor=people.admin, issuing_unit=org.province, receiving_unit=org.home_affairs,
        eligible_units=[org.science, org.commune], issued_on=datetime.date(2024, 5, 10),
    )  # fmt: skip


def dossier(
    *,
    unit: Unit,
    title: str,
    status: str = S.SUBMITTED,
    campaign: Campaign | None = None,
    created_by: User | None = None,
    authors: tuple[tuple[str, str], ...] = (("Nguyễn Văn An", "100"),),
    sent: datetime.datetime | None = None,
    **fields: Any,
) -> Initiative:
    """A dossier written straight to the tables, with its search text rebuilt by the dossier
    service's own function."""
    initiative = Initiative.objects.create(
        unit=unit, title=title, status=status, campaign=campaign, created_by=created_by,
        submitted_at=sent, first_submitted_at=sent, **fields,
    )  # fmt: skip
    Authorship.objects.bulk_create(
        [
            Authorship(
                initiative=initiative, position=n, full_name=name, share=Decimal(share), is_lead=n == 1
            )
            for n, (name, share) in enumerate(authors, start=1)
        ]
    )
    refresh_search_text(initiative)
    return initiative


def sent_in(year: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, 6, 1, 9, 0))


@pytest.fixture
def dossiers(campaign: Campaign, org: Org, people: People) -> dict[str, Initiative]:
    seed = dossier(
        unit=org.science, campaign=campaign, title=SEED_TITLE, status=S.RECOGNISED,
        created_by=people.unit_staff,
        authors=(("Lê Tuấn Phú", "30"), ("Nguyễn Phương Thảo", "30"), ("Đông Thị Huệ", "40")),
        sent=sent_in(2024), solution_steps="Bước 1: rà soát quy trình tham mưu; bước 2: số hóa hồ sơ.",
    )  # fmt: skip
    Recognition.objects.create(
        initiative=seed, members_present=5, votes_for=5, recognised=True, level=RecognitionLevel.PROVINCIAL
    )
    experience = dossier(
        unit=org.science, campaign=campaign, title="Kinh nghiệm chuyển đổi số ở Sở", status=S.SUBMITTED,
        kind=InitiativeKind.EXPERIENCE, sent=sent_in(2025), created_by=people.unit_staff,
    )  # fmt: skip
    draft = dossier(unit=org.science, campaign=campaign, title="Bản nháp nâng cao hiệu suất", status=S.DRAFT,
                    created_by=people.unit_staff)  # fmt: skip
    commune = dossier(
        unit=org.commune,
        campaign=campaign,
        title="Một cửa điện tử cấp xã",
        status=S.ACCEPTED,
        sent=sent_in(2024),
    )
    elsewhere = dossier(unit=org.other_commune, title="Sáng kiến của xã khác", status=S.DRAFT,
                        created_by=people.outsider)  # fmt: skip
    return {
        "seed": seed,
        "experience": experience,
        "draft": draft,
        "commune": commune,
        "elsewhere": elsewhere,
    }


def titles(client: Client, query: str = "") -> list[str]:
    response = client.get(f"{LIST}?{query}" if query else LIST)
    assert response.status_code == 200
    return [initiative.title for initiative in response.context["page_obj"].object_list]


# --- Access ----------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    assert client.get(LIST).status_code == 302
    response = client.post(EXPORT)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", {"seed", "experience", "draft", "commune", "elsewhere"}),
        ("reform_officer", {"seed", "experience", "commune"}),  # what reached the campaign
        ("unit_head", {"seed", "experience", "draft"}),  # the unit's dossiers
        ("unit_staff", {"seed", "experience", "draft"}),  # the author's own
        ("office_officer", set()),
        ("council_member", set()),  # nothing assigned to them
        ("outsider", {"elsewhere"}),  # their own only
    ],
)
def test_each_persona_lists_exactly_the_dossiers_they_may_see(
    client: Client, dossiers: dict[str, Initiative], people: People, persona: str, expected: set[str]
) -> None:
    user = getattr(people, persona)
    client.force_login(user)
    listed = set(titles(client))
    assert listed == {dossiers[key].title for key in expected}
    assert listed == set(initiatives_for(user).values_list("title", flat=True))


def test_a_campaign_the_user_may_not_see_is_not_a_way_in(
    client: Client, dossiers: dict[str, Initiative], campaign: Campaign, people: People
) -> None:
    client.force_login(people.outsider)
    response = client.get(f"{LIST}?campaign={campaign.pk}")
    assert "campaign" in response.context["form"].errors
    assert [i.title for i in response.context["page_obj"].object_list] == ["Sáng kiến của xã khác"]


# --- Search ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "nang cao hieu qua",
        "NÂNG CAO HIỆU QUẢ",
        "Nâng Cao hiệu quả quy chế",
        unicodedata.normalize("NFD", "nâng cao hiệu quả"),  # as typed on a Mac
        "dong thi hue",  # an author
        "so hoa ho so",  # the text of section 7.1
    ],
)
def test_search_ignores_accents_and_case_in_titles_authors_and_text(
    client: Client, dossiers: dict[str, Initiative], people: People, query: str
) -> None:
    client.force_login(people.admin)
    assert titles(client, f"q={query}") == [SEED_TITLE]


def test_every_word_must_match(client: Client, dossiers: dict[str, Initiative], people: People) -> None:
    client.force_login(people.admin)
    assert titles(client, "q=nang cao") == ["Bản nháp nâng cao hiệu suất", SEED_TITLE]
    assert titles(client, "q=nang cao hieu suat") == ["Bản nháp nâng cao hiệu suất"]
    assert titles(client, "q=nang cao dien tu") == []


# --- Filters ---------------------------------------------------------------------------------


def test_each_filter_narrows_the_list(
    client: Client, dossiers: dict[str, Initiative], campaign: Campaign, org: Org, people: People
) -> None:
    field = ReformField.objects.create(code="TTHC", name="Cải cách thủ tục hành chính")
    index = ReformIndex.objects.create(code="PAPI", name="PAPI")
    dossiers["commune"].reform_fields.add(field)
    dossiers["seed"].reform_fields.add(field)
    dossiers["seed"].target_indices.add(index)
    # Never sent: its year is the year it was created.
    Initiative.objects.filter(pk=dossiers["draft"].pk).update(created_at=sent_in(2025))
    client.force_login(people.admin)
    t = {key: d.title for key, d in dossiers.items()}
    assert set(titles(client, f"campaign={campaign.pk}")) == {
        t["seed"],
        t["experience"],
        t["draft"],
        t["commune"],
    }
    assert set(titles(client, f"unit={org.commune.pk}")) == {t["commune"]}
    assert set(titles(client, f"reform_field={field.pk}")) == {t["seed"], t["commune"]}
    assert set(titles(client, f"target_index={index.pk}")) == {t["seed"]}
    assert set(titles(client, f"status={S.DRAFT}")) == {t["draft"], t["elsewhere"]}
    assert set(titles(client, "year=2024")) == {t["seed"], t["commune"]}
    assert set(titles(client, "year=2025")) == {t["experience"], t["draft"]}
    assert set(titles(client, f"level={RecognitionLevel.PROVINCIAL}")) == {t["seed"]}
    assert titles(client, f"level={RecognitionLevel.NATIONAL}") == []
    assert set(titles(client, f"campaign={campaign.pk}&reform_field={field.pk}&q=mot cua")) == {t["commune"]}


def test_a_refused_recognition_has_no_level(
    client: Client, dossiers: dict[str, Initiative], people: People
) -> None:
    Recognition.objects.create(
        initiative=dossiers["commune"],
        members_present=5,
        votes_for=1,
        recognised=False,
        reasons="Chưa có tính mới",
    )
    client.force_login(people.admin)
    page = client.get(f"{LIST}?q=mot cua")
    assert "Chưa có tính mới" not in page.content.decode()
    assert set(titles(client, f"level={RecognitionLevel.GRASSROOTS}")) == set()


# --- Pages and cost --------------------------------------------------------------------------


def many(campaign: Campaign, unit: Unit, count: int) -> None:
    for n in range(count):
        dossier(
            unit=unit, campaign=campaign, title=f"Sáng kiến số {n:03d}", status=S.SUBMITTED,
            sent=sent_in(2024),
            authors=(("Trần Văn Bình", "60"), ("Lê Thị Cúc", "40")),
        )  # fmt: skip


def test_the_list_pages_by_25_with_a_fixed_query_budget(
    client: Client, campaign: Campaign, org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    many(campaign, org.science, 30)
    client.force_login(people.reform_officer)
    path = f"{LIST}?campaign={campaign.pk}&page=2"
    client.get(path)  # the first request after logging in also writes the session
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    many(campaign, org.commune, 70)
    with django_assert_max_num_queries(16):
        response = client.get(path)
    with CaptureQueriesContext(connection) as hundred:
        client.get(path)
    assert len(hundred) == len(few)
    page = response.context["page_obj"]
    assert page.paginator.count == 100 and len(page.object_list) == 25
    body = response.content.decode()
    assert "Trần Văn Bình (60%); Lê Thị Cúc (40%)" in body
    assert "Dòng 26–50 trong tổng số 100" in body


def test_a_list_longer_than_the_counting_cap_says_more_than(
    client: Client, campaign: Campaign, org: Org, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    from caicach.initiatives.search import queries as search_queries

    many(campaign, org.science, 30)
    monkeypatch.setattr(search_queries, "LIST_CAP", 40)  # what the list counts up to
    client.force_login(people.reform_officer)
    body = client.get(f"{LIST}?campaign={campaign.pk}&page=2").content.decode()
    assert "30 hồ sơ" in body and "Dòng 26–30 trong tổng số 30" in body
    many(campaign, org.commune, 20)
    response = client.get(f"{LIST}?campaign={campaign.pk}&page=9")
    body = response.content.decode()
    assert "Hơn 40 hồ sơ" in body and "Dòng 26–40 trong hơn 40 dòng" in body
    assert response.context["page_obj"].number == 2  # the last page the cap reaches


def test_an_htmx_request_gets_the_table_alone(
    client: Client, dossiers: dict[str, Initiative], people: People
) -> None:
    client.force_login(people.admin)
    response = client.get(f"{LIST}?q=mot cua", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body and "Một cửa điện tử cấp xã" in body
    assert f'action="{EXPORT}?q=mot+cua"' in body


# --- Export ----------------------------------------------------------------------------------


def sheet_rows(content: bytes) -> list[tuple[Any, ...]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def expected_rows(user: User, filters: InitiativeFilters) -> list[tuple[Any, ...]]:
    rows = []
    for n, initiative in enumerate(initiative_rows(user, filters), start=1):
        sent = initiative.submitted_at
        rows.append(
            (n, initiative.title, initiative.unit.name, timezone.localtime(sent).date() if sent else None)
        )
    return rows


def test_the_export_holds_the_same_filtered_rows(
    client: Client, dossiers: dict[str, Initiative], campaign: Campaign, people: People
) -> None:
    client.force_login(people.reform_officer)
    response = client.post(f"{EXPORT}?campaign={campaign.pk}&q=nang")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=utf-8''Danh%20s%C3%A1ch%20s%C3%A1ng%20ki%E1%BA%BFn" in response["Content-Disposition"]
    header, *rows = sheet_rows(response.content)
    assert header == tuple(title for title, _ in search_queries.EXPORT_COLUMNS)
    # The reform officer does not see the draft, whatever the search.
    assert [(r[0], r[1], r[3], r[7].date() if r[7] else None) for r in rows] == expected_rows(
        people.reform_officer, InitiativeFilters(campaign_id=campaign.pk, text="nang")
    )
    (seed,) = rows
    assert seed[2] == "Sáng kiến, giải pháp"
    assert seed[4] == campaign.title
    assert seed[5] == "Lê Tuấn Phú (30%); Nguyễn Phương Thảo (30%); Đông Thị Huệ (40%)"
    assert (seed[6], seed[7].date(), seed[8]) == ("Được công nhận", datetime.date(2024, 6, 1), "Cấp tỉnh")


def test_an_outsider_exports_only_their_own(
    client: Client, dossiers: dict[str, Initiative], people: People
) -> None:
    client.force_login(people.outsider)
    _, *rows = sheet_rows(client.post(EXPORT).content)
    assert [r[1] for r in rows] == ["Sáng kiến của xã khác"]


def test_the_export_is_a_post(client: Client, people: People) -> None:
    client.force_login(people.admin)
    assert client.get(EXPORT).status_code == 405


def test_a_long_export_runs_in_the_background_with_the_users_own_rights(
    client: Client, campaign: Campaign, org: Org, people: People, monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    many(campaign, org.science, 6)
    dossier(unit=org.science, campaign=campaign, title="Sáng kiến số nháp", status=S.DRAFT)
    monkeypatch.setattr(search_queries, "EXPORT_INLINE_LIMIT", 5)
    client.force_login(people.reform_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{EXPORT}?q=sang kien so")
    job = Job.objects.get(kind="initiatives.initiatives_export")
    assert response.status_code == 302
    assert response["Location"] == reverse("job_detail", kwargs={"pk": job.pk})
    assert job.status == JobStatus.DONE, job.message  # tasks run inline under test
    assert job.created_by == people.reform_officer
    download = client.get(reverse("job_download", kwargs={"pk": job.pk}))
    _, *rows = sheet_rows(b"".join(download.streaming_content))  # type: ignore[attr-defined]
    assert len(rows) == 6  # the draft is not the reform officer's to see
    assert [r[1] for r in rows] == [
        t for _, t, _, _ in expected_rows(people.reform_officer, InitiativeFilters(text="sang kien so"))
    ]
    # Someone else cannot fetch the result.
    client.force_login(people.outsider)
    assert client.get(reverse("job_download", kwargs={"pk": job.pk})).status_code == 404


def test_a_pages_rows_are_kept_until_a_dossier_or_its_authors_change(
    client: Client, dossiers: dict[str, Initiative], people: People
) -> None:
    """The rows are written once and kept by the page's keys: a second visit reads neither
    the keys nor the rows; an author renamed or a dossier moved on shows at once."""
    client.force_login(people.admin)

    def table(body: str) -> str:
        return body[body.index('<table class="table initiative-table">') : body.index("</table>")]

    with CaptureQueriesContext(connection) as first:
        shown = table(client.get(LIST).content.decode())
    with CaptureQueriesContext(connection) as again:
        assert table(client.get(LIST).content.decode()) == shown
    assert shown.count("<tr>") == 6 and '<td class="num">5</td>' in shown
    read = [query["sql"] for query in again.captured_queries]
    assert not [sql for sql in read if "initiatives_initiative" in sql or "initiatives_authorship" in sql]
    assert len(first.captured_queries) > len(again.captured_queries)
    commune = dossiers["commune"]
    Authorship.objects.filter(initiative=commune).update(full_name="Hồ Thị Mới")
    Initiative.objects.filter(pk=commune.pk).update(status=S.IN_REVIEW)
    body = client.get(LIST).content.decode()
    row = next(line for line in body.split("<tr>") if commune.title in line)
    assert "Hồ Thị Mới (100%)" in row and str(S.IN_REVIEW.label) in row


def test_a_searchs_page_is_kept_for_each_reader_until_a_dossier_changes(
    client: Client, dossiers: dict[str, Initiative], people: People, org: Org
) -> None:
    """A search's page (its count and keys) is kept under the reader's scope and the filters:
    a second visit reads no dossier; a new match shows at once; a narrower reader's page is
    their own, never the wider reader's kept one."""

    def expected(user: User) -> set[str]:
        found = initiative_rows(user, InitiativeFilters(text="nang cao"))
        return set(found.values_list("title", flat=True))

    client.force_login(people.admin)
    first = set(titles(client, "q=nang+cao"))
    assert first == expected(people.admin) and len(first) == 2
    with CaptureQueriesContext(connection) as again:
        assert set(titles(client, "q=nang+cao")) == first
    assert not [query for query in again.captured_queries if "initiatives_initiative" in query["sql"]]
    dossier(unit=org.other_commune, title="Nâng cao chất lượng một cửa", sent=sent_in(2025))
    assert "Nâng cao chất lượng một cửa" in titles(client, "q=nang+cao") and len(expected(people.admin)) == 3
    for reader in (people.unit_staff, people.outsider):
        client.force_login(reader)
        assert set(titles(client, "q=nang+cao")) == expected(reader) != expected(people.admin), reader


def test_a_searchs_page_made_from_its_keys_reads_the_keys_alone(
    dossiers: dict[str, Initiative], people: People
) -> None:
    """The list makes a search's rows from its keys (``rows_of``): the tiers' keys are read,
    not the dossiers' rows."""
    from caicach.core.pagination import CappedPaginator

    tiered = search_queries.initiative_page_rows(people.admin, InitiativeFilters(text="nang cao"))
    with CaptureQueriesContext(connection) as ctx:
        page = CappedPaginator(tiered, 25, rows_of=list).get_page(1)
    expected = initiative_rows(people.admin, InitiativeFilters(text="nang cao")).values_list("pk", flat=True)
    assert sorted(page.object_list) == sorted(expected) and len(page.object_list) == 2
    selected = [query["sql"].split(" FROM ", 1)[0] for query in ctx.captured_queries]
    assert selected and not [columns for columns in selected if '"initiatives_initiative"."title"' in columns]


# --- The rows written in Python ----------------------------------------------------------------

# The rows as the list's template wrote them before ``initiative_rows``: the reference.
TEMPLATE_ROWS = (Path(__file__).parent / "rows_reference.html").read_text(encoding="utf-8")


def _tight(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_rows_written_in_python_are_the_templates_rows(
    client: Client,
    dossiers: dict[str, Initiative],
    campaign: Campaign,
    org: Org,
    people: People,
    language: str,
) -> None:
    from django.template import Context, Template
    from django.utils import translation

    from caicach.initiatives.templatetags.initiatives_search import initiative_rows as rows_tag

    Campaign.objects.filter(pk=campaign.pk).update(title="Đợt <phát động> " + "rất dài " * 12)
    dossier(
        unit=org.science, title='Tên có "dấu" & <thẻ>', status=S.RETURNED, created_by=people.unit_staff,
        authors=(("Trần <B>", "33.33"), ("Lê C", "33.34"), ("Võ D", "33.33")),
        sent=timezone.make_aware(datetime.datetime(2025, 12, 31, 23, 30)),
    )  # fmt: skip
    dossier(unit=org.science, title="Chờ xác nhận", status=S.AWAITING_CONFIRMATION, campaign=campaign,
            authors=(("Phan E", "12.5"), ("Đỗ F", "87.5")))  # fmt: skip
    Recognition.objects.create(
        initiative=dossiers["commune"], members_present=5, votes_for=1, recognised=False, reasons="Chưa mới"
    )
    client.force_login(people.admin)
    with translation.override(language):
        page_obj = client.get(f"{LIST}?page=1").context["page_obj"]
        assert len(page_obj.object_list) == 7
        # The reference reads the model rows (``initiative_rows``) of the same page.
        models = Paginator(list(initiative_rows(people.admin, InitiativeFilters())), 25).page(1)
        expected = Template(TEMPLATE_ROWS).render(Context({"page_obj": models}))
        written = rows_tag(page_obj)
    assert _tight(written) == _tight(expected)
    assert "&lt;thẻ&gt;" in written and "31/12/2025" in written and "12,50%" in written
