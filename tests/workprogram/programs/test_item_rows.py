"""The program page's item rows, written in Python (``program_item_rows``), are the rows the
template wrote, in Vietnamese and in English, for every status badge and mark."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from caicach.core.models import Unit
from caicach.workprogram.models import ItemStatus, ProgramItem, SubmissionKind
from caicach.workprogram.templatetags.workprogram_items import program_item_rows
from tests.conftest import Org, People
from tests.workprogram.factories import YEAR, file_request, make_item, make_scene, month

pytestmark = pytest.mark.django_db

# The rows as ``_item_table.html`` wrote them before ``program_item_rows``: the reference.
ITEM_ROWS = (Path(__file__).parent / "item_rows_reference.html").read_text(encoding="utf-8")


def _tight(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_item_rows_written_in_python_are_the_templates_rows(
    client: Client, org: Org, people: People, language: str
) -> None:
    scene = make_scene(org, people)
    program = scene.program
    file_request(scene.science_item, people.unit_staff)  # a pending adjustment request
    Unit.objects.filter(pk=org.science.pk).update(short_name="Sở KH&CN <tỉnh>")
    ProgramItem.objects.filter(pk=scene.science_other.pk).update(
        title='Đề án "số hóa" & <lưu trữ>',
        is_legal_document=True,
        original_due_month=month(2),
        submission_kind=SubmissionKind.PARTY_COMMITTEE,
    )
    for status in ItemStatus.values:
        make_item(program, org.home_affairs, month(11, YEAR + 5), status=status, leader=people.leader)
    client.force_login(people.office_officer)
    url = reverse("workprogram:program_detail", args=[program.pk])
    with translation.override(language):
        page = client.get(url).context["page_obj"]
        expected = Template(ITEM_ROWS).render(Context({"items": page}))
        written = program_item_rows(page)
        kind_label = str(SubmissionKind.PARTY_COMMITTEE.label)
    assert _tight(written) == _tight(expected)
    # The rows cover every badge, a moved month, escaped names and titles, a missing leader.
    for mark in (
        '<span class="badge">',
        "badge-ok",
        "badge-danger",
        "badge-warn",
        'class="muted" title=',
        "&lt;lưu trữ&gt;",
        "Sở KH&amp;CN &lt;tỉnh&gt;",
        "<td>—</td>",
        kind_label,
    ):
        assert mark in written, mark
    assert written.count("<tr>") == len(page) == 4 + len(ItemStatus.values)
    with translation.override(language):
        empty = Template(ITEM_ROWS).render(Context({"items": []}))
        assert _tight(program_item_rows([])) == _tight(empty)
