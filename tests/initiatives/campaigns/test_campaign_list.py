"""The campaign list shows exactly the campaigns the permission rule lets a user see."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from caicach.core.models import Role, UnitKind, User
from caicach.core.permissions import can
from caicach.initiatives.demo import load_seed_campaign
from caicach.initiatives.dossiers.rules import campaigns_for
from caicach.initiatives.models import Campaign
from tests.conftest import Org, People
from tests.core.factories import make_unit, person

LIST = reverse("initiatives:campaign_list")


@pytest.fixture
def campaigns(org: Org, people: People) -> dict[str, Campaign]:
    published = load_seed_campaign(
        actor=people.admin, issuing_unit=org.district, receiving_unit=org.district_home_affairs,
        eligible_units=[org.commune], issued_on=datetime.date(2024, 5, 10),
    )  # fmt: skip
    draft = load_seed_campaign(
        actor=people.admin, issuing_unit=org.district, receiving_unit=org.district_home_affairs,
        eligible_units=[org.commune],
    )  # fmt: skip
    # Issued by another district's committee: outside Châu Thành's jurisdiction.
    other_district = make_unit(
        "BCA", name="Ủy ban nhân dân huyện Bến Cầu", kind=UnitKind.DISTRICT_COMMITTEE, parent=org.province,
        document_symbol="UBND",
    )  # fmt: skip
    elsewhere = load_seed_campaign(
        actor=people.admin, issuing_unit=other_district, receiving_unit=other_district, eligible_units=[],
    )  # fmt: skip
    return {"published": published, "draft": draft, "elsewhere": elsewhere}


def test_the_list_query_agrees_with_the_view_rule_for_every_persona(
    campaigns: dict[str, Campaign], people: People, org: Org
) -> None:
    commune_staff = person("xa.canbo", org.commune, Role.UNIT_STAFF)
    district_staff = person("huyen.canbo", org.district_home_affairs, Role.UNIT_STAFF)
    district_officer = person("huyen.cchc", org.district_home_affairs, Role.REFORM_OFFICER)
    everyone: list[User] = [*vars(people).values(), commune_staff, district_staff, district_officer]
    for user in everyone:
        listed = set(campaigns_for(user).values_list("pk", flat=True))
        allowed = {c.pk for c in campaigns.values() if can(user, "view", c)}
        assert listed == allowed, user.username
    # The rule is not trivially all-or-nothing: an eligible commune sees only the issued plan.
    assert set(campaigns_for(commune_staff)) == {campaigns["published"]}
    assert set(campaigns_for(people.outsider)) == set()
    # A district's reform officer sees the district's campaigns, drafts included, and not
    # those of another committee; the province's Home Affairs officer sees them all.
    assert set(campaigns_for(district_officer)) == {campaigns["published"], campaigns["draft"]}
    assert set(campaigns_for(people.reform_officer)) == set(campaigns.values())


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get(LIST)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_an_outsider_sees_an_empty_list(
    client: Client, campaigns: dict[str, Campaign], people: People
) -> None:
    client.force_login(people.outsider)
    response = client.get(LIST)
    assert response.status_code == 200
    assert campaigns["published"].title not in response.content.decode()


def test_the_list_has_a_constant_query_count(
    client: Client, org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    eligible = [make_unit(f"E{i}") for i in range(10)]
    for _ in range(30):
        load_seed_campaign(
            actor=people.admin, issuing_unit=org.district, receiving_unit=org.district_home_affairs,
            eligible_units=eligible,
        )  # fmt: skip
    client.force_login(people.reform_officer)
    # One query more than a plain member's list: the unit tree for the officer's jurisdiction.
    with django_assert_max_num_queries(10):
        response = client.get(LIST)
    assert response.status_code == 200
    assert response.content.decode().count("dot-phat-dong/") >= 25


def test_the_campaign_page_shows_its_timeline(
    client: Client, campaigns: dict[str, Campaign], people: People
) -> None:
    client.force_login(people.reform_officer)
    html = client.get(campaigns["published"].get_absolute_url()).content.decode()
    assert "Lịch sử thay đổi" in html
    assert "Ban hành kế hoạch, cấp số" in html and "Lập kế hoạch phát động" in html


# The rows as the list's template wrote them before ``campaigns.rows``: the reference.
REFERENCE = (Path(__file__).parent / "rows_reference.html").read_text(encoding="utf-8")


def _table(body: str) -> str:
    found = body[body.index("<tbody>") + len("<tbody>") : body.index("</tbody>")]
    return re.sub(r"\s*(<[^>]*>)\s*", r"\1", found).strip()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_rows_written_in_python_are_the_templates_rows(
    client: Client, campaigns: dict[str, Campaign], people: People, language: str
) -> None:
    Campaign.objects.filter(pk=campaigns["elsewhere"].pk).update(
        status="closed", title="Đợt <cũ> & đã kết thúc"
    )
    client.force_login(people.reform_officer)
    with translation.override(language):
        written = _table(client.get(LIST).content.decode())
        shown = list(campaigns_for(people.reform_officer).order_by("-window_start", "-pk"))
        expected = Template(REFERENCE).render(Context({"page_obj": {"object_list": shown}}))
    assert written == re.sub(r"\s*(<[^>]*>)\s*", r"\1", expected).strip() and written.count("<tr>") == 3
    assert "badge badge-ok" in written and "badge badge-warn" in written and "&lt;cũ&gt;" in written


def test_a_pages_rows_are_kept_until_what_they_show_changes(
    client: Client, campaigns: dict[str, Campaign], people: People, org: Org
) -> None:
    """A second look reads no campaign by key (the rows were kept) and shows the same table;
    a campaign retitled and a unit made eligible show at once."""
    client.force_login(people.reform_officer)
    first = _table(client.get(LIST).content.decode())
    with CaptureQueriesContext(connection) as again:
        assert _table(client.get(LIST).content.decode()) == first
    assert not [query for query in again.captured_queries if '"initiatives_campaign"."title"' in query["sql"]]
    published = campaigns["published"]
    Campaign.objects.filter(pk=published.pk).update(title="Đợt phát động đã sửa tên")
    assert "Đợt phát động đã sửa tên" in _table(client.get(LIST).content.decode())
    before = published.eligible_units.count()
    published.eligible_units.add(org.other_commune)
    assert f'<td class="num">{before + 1}</td>' in _table(client.get(LIST).content.decode())
