"""The drill-down's rows as ``statistics.rows`` writes them: the markup the template wrote
(rendered here from the template they replaced), and the rows kept until what they show
changes."""

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

from caicach.core.models import Unit
from caicach.oversight.models import Task
from caicach.oversight.statistics import queries
from caicach.oversight.statistics.rules import statistics_scope
from caicach.oversight.timeliness import Against, Timeliness
from tests.conftest import Org, People, on_day
from tests.oversight.statistics.factories import TODAY, mixed_dataset

pytestmark = pytest.mark.django_db

# The rows as the drill-down's template wrote them before ``statistics.rows``: the reference.
REFERENCE = (Path(__file__).parent / "rows_reference.html").read_text(encoding="utf-8")
URL = reverse("oversight:statistics_drill_down")


def _table(body: str) -> str:
    found = body[body.index("<tbody>") + len("<tbody>") : body.index("</tbody>")]
    return re.sub(r"\s*(<[^>]*>)\s*", r"\1", found).strip()


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("kpi", ["1", ""])
def test_the_rows_written_in_python_are_the_templates_rows(
    client: Client, org: Org, people: People, language: str, kpi: str
) -> None:
    mixed_dataset(org, people)
    Task.objects.filter(pk=Task.objects.order_by("pk").first().pk).update(  # type: ignore[union-attr]
        content='Rà soát "thủ tục" & <biểu mẫu> ' + "rất dài " * 30, source_reference="12/TB-VP"
    )
    client.force_login(people.office_officer)
    params = {"committee": str(org.province.pk), "from": "2024-01-01", "to": "2024-12-31", "kpi": kpi}
    with on_day(TODAY), translation.override(language):
        written = _table(client.get(URL, params).content.decode())
        scope = statistics_scope(people.office_officer, org.province)
        against: Against = "original_deadline" if kpi else "deadline"
        period = queries.span_period(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
        tasks = list(queries.cell_tasks(scope, period, today=TODAY, against=against)[:50])
        context = {"page_obj": tasks, "class_labels": dict(Timeliness.choices)}
        expected = re.sub(r"\s*(<[^>]*>)\s*", r"\1", Template(REFERENCE).render(Context(context))).strip()
    assert written == expected and written.count("<tr") == len(tasks) > 10
    assert "&lt;biểu mẫu&gt;" in written and "12/TB-VP" in written


def test_a_pages_rows_are_kept_until_what_they_show_changes(client: Client, org: Org, people: People) -> None:
    """A second look reads no task by key (the rows were kept) and shows the same table; a
    task reworded and a lead unit renamed show at once."""
    mixed_dataset(org, people)
    client.force_login(people.office_officer)
    params = {"committee": str(org.province.pk), "from": "2024-01-01", "to": "2024-12-31", "kpi": "1"}
    with on_day(TODAY):
        first = _table(client.get(URL, params).content.decode())
        with CaptureQueriesContext(connection) as again:
            assert _table(client.get(URL, params).content.decode()) == first
        assert not [query for query in again.captured_queries if '"oversight_task"."content"' in query["sql"]]
        found = re.search(r'data-task="(\d+)"', first)
        assert found is not None
        task = Task.objects.get(pk=int(found.group(1)))
        Task.objects.filter(pk=task.pk).update(content="Nội dung đã sửa")
        assert "Nội dung đã sửa" in _table(client.get(URL, params).content.decode())
        Unit.objects.filter(pk=task.lead_unit_id).update(short_name="Đơn vị đổi tên", name="Đơn vị đổi tên")
        assert "Đơn vị đổi tên" in _table(client.get(URL, params).content.decode())
