"""The consultation list's rows as ``consultations.rows`` writes them: the markup the
template wrote (rendered here from the template they replaced), and the rows kept until what
they show changes."""

from __future__ import annotations

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
from caicach.deliberation.consultations.rules import consultations_for
from caicach.deliberation.models import Consultation, ConsultationStatus, Result
from tests.conftest import Org, People
from tests.deliberation.factories import draft, make_committee, sent

pytestmark = pytest.mark.django_db

# The rows as the list's template wrote them before ``consultations.rows``: the reference.
REFERENCE = (Path(__file__).parent / "rows_reference.html").read_text(encoding="utf-8")
LIST = reverse("deliberation:consultation_list")


def _tight(html: str) -> str:
    return re.sub(r"\s*(<[^>]*>)\s*", r"\1", html).strip()


def _table(body: str) -> str:
    return _tight(body[body.index("<tbody>") + len("<tbody>") : body.index("</tbody>")])


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_rows_written_in_python_are_the_templates_rows(
    client: Client, org: Org, people: People, language: str
) -> None:
    members = make_committee(org, people).everyone
    draft(org, people, title='Dự thảo "Quy chế" & <phụ lục>', members=members)
    draft(org, people, title="Dự thảo mật", is_secret=True, members=members)
    closed = sent(org, people, members=members)
    Consultation.objects.filter(pk=closed.pk).update(status=ConsultationStatus.CLOSED, result=Result.PASSED)
    Unit.objects.filter(pk=org.science.pk).update(short_name="")
    client.force_login(people.office_officer)
    with translation.override(language):
        written = _table(client.get(LIST).content.decode())
        shown = consultations_for(people.office_officer).order_by("-created_at", "-pk")
        expected = _tight(Template(REFERENCE).render(Context({"page_obj": {"object_list": list(shown)}})))
    assert written == expected and written.count("<tr>") == 3
    assert "&lt;phụ lục&gt;" in written and "10/10/2024" in written


def test_a_pages_rows_are_kept_until_what_they_show_changes(client: Client, org: Org, people: People) -> None:
    """A second look reads no consultation by key (the rows were kept) and shows the same
    table; a consultation retitled and a lead unit renamed show at once."""
    consultation = sent(org, people, members=make_committee(org, people).everyone)
    client.force_login(people.office_officer)
    first = _table(client.get(LIST).content.decode())
    with CaptureQueriesContext(connection) as again:
        assert _table(client.get(LIST).content.decode()) == first
    assert not [
        query for query in again.captured_queries if '"deliberation_consultation"."title"' in query["sql"]
    ]
    Consultation.objects.filter(pk=consultation.pk).update(title="Dự thảo Quy chế sửa đổi")
    assert "Dự thảo Quy chế sửa đổi" in _table(client.get(LIST).content.decode())
    Unit.objects.filter(pk=org.science.pk).update(short_name="Sở KH&CN mới")
    assert "Sở KH&amp;CN mới" in _table(client.get(LIST).content.decode())
