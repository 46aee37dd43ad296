"""The pickers' kept option lists (caicach.core.choices): a list is read once and kept under
its SQL, a different scope never reads another's entry, and an audited write forgets every
list when it commits, so a page shows what the write changed at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from caicach.core import choices
from caicach.core.audit.services import record
from caicach.core.models import Unit
from tests.conftest import Org, People, on_day
from tests.core.factories import make_unit
from tests.oversight.factories import SOURCE_DATE, assign_task

# These tests are about when a write renews what was kept: on commit, as in production.
pytestmark = [pytest.mark.django_db, pytest.mark.renew_on_commit]


def _names(queryset: Any) -> list[str]:
    return choices.cached_rows(queryset, lambda rows: [unit.name for unit in rows])


def test_a_kept_list_is_read_once_and_a_different_query_has_its_own(
    org: Org, django_assert_num_queries: Any
) -> None:
    provinces = Unit.objects.filter(pk=org.province.pk)
    first = _names(provinces)
    with django_assert_num_queries(0):
        assert _names(Unit.objects.filter(pk=org.province.pk)) == first
    # Another scope is another query: it never reads the first one's rows.
    assert _names(Unit.objects.filter(pk=org.science.pk)) == [org.science.name]


def test_an_audited_write_forgets_the_lists_when_it_commits(
    org: Org, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    everyone = Unit.objects.filter(code__startswith="ZZ").order_by("code")
    assert _names(everyone) == []
    unit = make_unit("ZZ1", name="Đơn vị mới lập")
    assert _names(everyone) == []  # written, but the test's own transaction never commits
    with django_capture_on_commit_callbacks(execute=False) as pending, transaction.atomic():
        record(actor=people.admin, action="unit.create", obj=unit)
    assert _names(everyone) == []  # not committed yet: the old list stands
    assert pending, "the write asked to forget the lists on commit"
    for callback in pending:
        callback()
    assert _names(everyone) == ["Đơn vị mới lập"]


def test_a_write_to_another_table_keeps_the_lists(
    org: Org, people: People, django_capture_on_commit_callbacks: Any, django_assert_num_queries: Any
) -> None:
    units = Unit.objects.filter(pk=org.science.pk)
    _names(units)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        record(actor=people.admin, action="user.update", obj=people.unit_staff)
    with django_assert_num_queries(0):
        assert _names(Unit.objects.filter(pk=org.science.pk)) == [org.science.name]
    assert choices.tables_read(str(units.query)) == ["core_unit"]


def test_a_rolled_back_write_keeps_the_lists(org: Org, people: People) -> None:
    before = choices.generations(["core_unit"])
    with pytest.raises(RuntimeError), transaction.atomic():
        record(actor=people.admin, action="unit.create", obj=org.science)
        raise RuntimeError("the service failed")
    assert choices.generations(["core_unit"]) == before


def test_a_task_assigned_through_the_service_shows_its_lead_unit_in_the_filter_at_once(
    client: Client, org: Org, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    assign_task(org, people)
    newcomer = make_unit("ZZ-NN", name="Sở Nông nghiệp và Môi trường", parent=org.province)
    client.force_login(people.office_officer)
    url = reverse("oversight:task_list")
    with on_day(SOURCE_DATE):
        assert newcomer.name not in client.get(url).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            assign_task(org, people, lead_unit=newcomer)
        page = client.get(url).content.decode()
    assert f">{newcomer.code} — {newcomer.name}<" in page


def test_a_kept_model_picker_lists_its_options_once_and_still_validates_against_its_queryset(
    org: Org, django_assert_num_queries: Any
) -> None:
    from django import forms

    class Picker(forms.Form):
        unit = choices.CachedModelChoiceField(queryset=Unit.objects.none(), required=False)

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            field = self.fields["unit"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = Unit.objects.filter(pk__in=[org.science.pk, org.office.pk]).order_by("code")

    first = str(Picker()["unit"])
    with django_assert_num_queries(0):
        assert str(Picker()["unit"]) == first
    assert f'<option value="{org.science.pk}">{org.science}</option>' in first
    chosen = Picker({"unit": str(org.office.pk)})
    assert chosen.is_valid() and chosen.cleaned_data["unit"] == org.office
    assert not Picker({"unit": str(org.province.pk)}).is_valid()  # not among the options


def test_any_write_forgets_the_lists_reading_its_table_when_it_commits(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    """Not only the audited object's table: every table a statement writes (the second
    table of a service, a bulk update) is renewed when the transaction commits, asked once
    per table and savepoint however many statements write it."""
    everyone = Unit.objects.filter(code__startswith="ZZ").order_by("code")
    assert _names(everyone) == []
    for n in range(3):
        make_unit(f"ZZ{n}", name=f"Đơn vị {n}")
    assert _names(everyone) == []  # kept: the test's own transaction never commits
    with django_capture_on_commit_callbacks(execute=False) as pending, transaction.atomic():
        for n in range(3):
            Unit.objects.filter(code=f"ZZ{n}").update(name=f"Đơn vị đổi tên {n}")
        with transaction.atomic():  # a savepoint: it may roll back alone, so it asks too
            Unit.objects.filter(code="ZZ0").delete()
    renewals = [callback.args for callback in pending if choices.is_renewal(callback)]
    # The deletion's cascade asks for the tables it clears too (the unit's ancestry, ...).
    assert renewals.count(("core_unit",)) == 2 and ("core_unitancestry",) in renewals
    assert _names(everyone) == []  # not committed yet
    for callback in pending:
        callback()
    assert _names(everyone) == ["Đơn vị đổi tên 1", "Đơn vị đổi tên 2"]


def test_a_rolled_back_savepoint_asks_again(org: Org, django_capture_on_commit_callbacks: Any) -> None:
    make_unit("ZZ1", name="Đơn vị")
    with django_capture_on_commit_callbacks(execute=False) as pending, transaction.atomic():
        Unit.objects.filter(code="ZZ1").update(name="Tên một")
        with pytest.raises(RuntimeError), transaction.atomic():
            Unit.objects.filter(code="ZZ1").update(name="Tên bỏ")
            raise RuntimeError("rolled back: its renewal goes with it")
        # The rollback dropped callbacks: the block's own is kept, and a write asks again.
        Unit.objects.filter(code="ZZ1").update(name="Tên hai")
    assert [c.args for c in pending if choices.is_renewal(c)] == [("core_unit",), ("core_unit",)]


def test_sessions_written_on_every_request_renew_nothing(
    client: Client, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as pending, transaction.atomic():
        client.force_login(people.unit_staff)
    tables = {c.args[0] for c in pending if choices.is_renewal(c)}
    assert "core_user" in tables  # the last login
    assert "django_session" not in tables


def test_a_read_of_the_unit_tree_depends_on_the_units_whose_triggers_keep_it() -> None:
    """Moving a unit rewrites its ancestry through triggers, which no statement of ours
    writes: a query reading the ancestry is renewed by writes to the units."""
    sql = 'SELECT "descendant_id" FROM "core_unitancestry" WHERE "ancestor_id" = %s'
    assert choices.tables_read(sql) == ["core_unit", "core_unitancestry"]
