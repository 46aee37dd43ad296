"""Every submission freezes the dossier as a numbered version; any two (or a version and the
dossier as it is now) compare side by side, field by field and author by author, with the
changed words marked."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from caicach.core.models import AuditEvent
from caicach.initiatives.dossiers.queries import compare_snapshots, initiative_snapshot, word_diff
from caicach.initiatives.dossiers.services import initiative_update, version_record
from caicach.initiatives.models import Initiative, InitiativeVersion
from tests.conftest import PASSWORD, Org, People
from tests.initiatives.factories import SEED_TITLE, make_draft, seed_authors


@pytest.fixture
def dossier(org: Org, people: People) -> Initiative:
    return make_draft(actor=people.unit_staff, unit=org.science)


def _revise(dossier: Initiative, people: People) -> None:
    """Version 1 as created; version 2 after the author changed a section and a share."""
    version_record(initiative=dossier, actor=people.unit_staff, note="Nộp lần 1")
    authors = seed_authors(people.unit_staff)
    authors[0]["share"], authors[2]["share"] = Decimal("20"), Decimal("50")
    authors.append({"full_name": "Trần Văn Mới", "share": Decimal("0.5")})
    authors[1]["share"] = Decimal("29.5")
    dossier.refresh_from_db()
    initiative_update(
        initiative=dossier,
        actor=people.unit_staff,
        data={"previous_solution": "Trách nhiệm của nhiều cơ quan trong phối hợp chưa cao."},
        authors=authors,
        version=dossier.version,
    )
    dossier.refresh_from_db()
    version_record(initiative=dossier, actor=people.unit_staff, note="Nộp lần 2")


def test_versions_are_numbered_and_hold_a_json_safe_copy(dossier: Initiative, people: People) -> None:
    first = version_record(initiative=dossier, actor=people.unit_staff, note="Nộp lần 1")
    second = version_record(initiative=dossier, actor=people.unit_staff, note="Nộp lần 2")
    assert (first.number, second.number) == (1, 2)
    json.dumps(first.data)  # raises if anything is not JSON-safe
    assert first.data["title"] == SEED_TITLE
    assert first.data["first_applied_on"] == "2024-02-29"
    assert [a["share"] for a in first.data["authors"]] == ["30.00", "30.00", "40.00"]
    assert first.data["authors"][2]["date_of_birth"] == "1989-06-30"
    assert first.data["kind"] == "solution"
    assert AuditEvent.objects.filter(action="initiative.version", object_id=str(dossier.pk)).count() == 2


def test_a_version_does_not_change_when_the_draft_does(dossier: Initiative, people: People) -> None:
    _revise(dossier, people)
    first = InitiativeVersion.objects.get(initiative=dossier, number=1)
    assert first.data["previous_solution"] == "Trách nhiệm của một số cơ quan trong phối hợp chưa cao."
    assert len(first.data["authors"]) == 3


def test_word_level_differences_are_marked_and_escaped() -> None:
    left, right = word_diff("một số cơ quan <b>cũ</b>", "nhiều cơ quan <b>cũ</b>\ndòng mới")
    assert left == "<del>một số</del> cơ quan &lt;b&gt;cũ&lt;/b&gt;"
    assert right == "<ins>nhiều</ins> cơ quan &lt;b&gt;cũ&lt;/b&gt;<ins><br>dòng mới</ins>"


def test_comparing_snapshots_finds_the_changed_fields_and_author_cells(
    dossier: Initiative, people: People
) -> None:
    _revise(dossier, people)
    one, two = (v.data for v in InitiativeVersion.objects.filter(initiative=dossier).order_by("number"))
    fields, authors, lists = compare_snapshots(one, two)
    changed = {f.name for f in fields if f.changed}
    assert changed == {"previous_solution"}
    section = next(f for f in fields if f.name == "previous_solution")
    assert "<del>một số</del>" in section.before
    assert "<ins>nhiều</ins>" in section.after
    assert section.label == "4. Giải pháp cũ thường làm và nhược điểm"
    assert [(a.position, a.changed_fields) for a in authors[:3]] == [
        (1, {"share"}),
        (2, {"share"}),
        (3, {"share"}),
    ]
    assert authors[0].before is not None and authors[0].before["share"] == "30"
    assert authors[1].after is not None and authors[1].after["share"] == "29,5"
    assert authors[3].before is None and authors[3].changed
    assert not any(row.changed for row in lists)


def test_identical_snapshots_show_no_change(dossier: Initiative) -> None:
    snapshot = initiative_snapshot(dossier)
    fields, authors, lists = compare_snapshots(snapshot, snapshot)
    assert not any(f.changed for f in (*fields, *lists))
    assert not any(a.changed for a in authors)


def test_the_compare_page_shows_two_versions_side_by_side(
    client: Client, dossier: Initiative, people: People
) -> None:
    _revise(dossier, people)
    assert client.login(username=people.unit_head.username, password=PASSWORD)
    url = reverse("initiatives:initiative_compare", args=[dossier.pk])
    html = client.get(url + "?a=1&b=2").content.decode()
    assert "Phiên bản 1" in html
    assert "Phiên bản 2" in html
    assert "<del>một số</del>" in html
    assert "<ins>nhiều</ins>" in html
    assert "Trần Văn Mới" in html
    assert 'class="changed"' in html
    # Without parameters: the last two versions.
    assert "<ins>nhiều</ins>" in client.get(url).content.decode()
    # A version against the dossier as it is now.
    now = client.get(url + "?a=2&b=current").content.decode()
    assert "Hai bản giống nhau." in now
    assert client.get(url + "?a=1&b=9").status_code == 404
    assert client.get(url + "?a=x&b=1").status_code == 404


def test_the_dossier_page_lists_versions_with_compare_links(
    client: Client, dossier: Initiative, people: People
) -> None:
    _revise(dossier, people)
    assert client.login(username=people.unit_staff.username, password=PASSWORD)
    html = client.get(reverse("initiatives:initiative_detail", args=[dossier.pk])).content.decode()
    assert "Nộp lần 2" in html
    assert "?a=1&amp;b=2" in html
    assert "?a=2&amp;b=current" in html
