"""The program page's item rows, written in Python (``programs.rows``), are the rows the
template wrote, in Vietnamese and in English, for every status badge and mark; a page's rows
are kept until a write to what they show."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from caicach.core import clock
from caicach.core.models import Unit
from caicach.core.pagination import rows_by_key
from caicach.workprogram.models import ItemStatus, ProgramItem, SubmissionKind
from caicach.workprogram.programs.queries import ItemFilters, program_items, settings_for
from caicach.workprogram.templatetags.workprogram_items import program_item_rows
from tests.conftest import Org, People, on_day
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
        # The reference: the template over the page's model rows, as the table reads them.
        grace = settings_for(program.issuing_unit_id).overdue_grace_days
        items = program_items(people.office_officer, program, ItemFilters(), today=clock.today(), grace=grace)
        expected = Template(ITEM_ROWS).render(
            Context({"items": rows_by_key(items, [row.pk for row in page])})
        )
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


def test_a_pages_rows_are_kept_until_what_they_show_changes(client: Client, org: Org, people: People) -> None:
    """A second look at the program's page reads neither the items' coordinating units nor
    their pending requests (the rows were kept) and shows the same table; a unit renamed, a
    request filed and another day (an item now overdue) show at once."""
    scene = make_scene(org, people)
    client.force_login(people.office_officer)
    url = reverse("workprogram:program_detail", args=[scene.program.pk])
    with on_day(datetime.date(YEAR, 4, 10)):
        first = client.get(url).content.decode()
        with CaptureQueriesContext(connection) as ctx:
            again = client.get(url).content.decode()
        read = " ".join(query["sql"] for query in ctx.captured_queries)
        assert "workprogram_programitem_coordinating_units" not in read
        assert _table(again) == _table(first) and "Sở KH&amp;CN mới" not in first
        Unit.objects.filter(pk=org.home_affairs.pk).update(short_name="Sở KH&CN mới")
        assert "Sở KH&amp;CN mới" in _table(client.get(url).content.decode())
        assert "Có đề nghị điều chỉnh" not in _table(client.get(url).content.decode())
        file_request(scene.science_item, people.unit_staff)
        assert "Có đề nghị điều chỉnh" in _table(client.get(url).content.decode())
    overdue = _table(first).count("Quá hạn chưa trình")
    with on_day(datetime.date(YEAR, 12, 20)):
        later = _table(client.get(url).content.decode()).count("Quá hạn chưa trình")
    assert later == len(scene.program.items.filter(status=ItemStatus.PLANNED)) > overdue


def _table(body: str) -> str:
    return body[body.index("<tbody>") : body.index("</tbody>")]
