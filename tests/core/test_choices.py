"""The pickers' kept option lists (caicach.core.choices): a list is read once and kept under
its SQL, a different scope never reads another's entry, and an audited write forgets every
list when it commits, so a page shows what the write changed at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, transaction
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


def test_a_many_to_many_add_forgets_the_lists_reading_its_table_when_it_commits(
    org: Org, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    """``add`` on a many-to-many writes with ``bulk_create(ignore_conflicts=True)``: "INSERT
    OR IGNORE INTO" on SQLite, "INSERT INTO … ON CONFLICT DO NOTHING" on PostgreSQL. Both
    renew the lists reading the link table (a campaign's eligible units showed the old count)."""
    from caicach.initiatives.demo import load_seed_campaign
    from caicach.initiatives.models import Campaign

    campaign = load_seed_campaign(
        actor=people.admin,
        issuing_unit=org.province,
        receiving_unit=org.home_affairs,
        eligible_units=[org.science],
    )
    links = Campaign.eligible_units.through.objects.filter(campaign=campaign)
    assert choices.cached_rows(links, lambda rows: rows.count()) == 1
    with django_capture_on_commit_callbacks(execute=True) as pending:
        campaign.eligible_units.add(org.commune)
    table = Campaign.eligible_units.through._meta.db_table
    assert (table,) in [callback.args for callback in pending if choices.is_renewal(callback)]
    assert choices.cached_rows(links, lambda rows: rows.count()) == 2


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


# --- Values kept while read (kept_while_read) and versions read once a request ---------------


class _Builds:
    """A value built from the units' names, counting its builds."""

    def __init__(self, *querysets: Any) -> None:
        self.querysets = querysets
        self.count = 0

    def __call__(self) -> list[list[str]]:
        self.count += 1
        return [sorted(unit.name for unit in queryset.all()) for queryset in self.querysets]


def test_a_value_kept_while_read_is_built_once_then_read_without_a_query(
    org: Org, django_assert_num_queries: Any
) -> None:
    build = _Builds(Unit.objects.filter(pk=org.province.pk))
    first = choices.kept_while_read("names", ("someone",), build)
    with django_assert_num_queries(0):
        assert choices.kept_while_read("names", ("someone",), build) == first
    assert build.count == 1
    # Another key is another value.
    choices.kept_while_read("names", ("someone else",), build)
    assert build.count == 2


def test_what_another_release_of_the_code_kept_is_never_read(
    org: Org, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """A value pickled by the code before an upgrade (a named tuple with other fields) would
    fail, or read shifted, in the code after it: the source's digest is part of every key."""
    build = _Builds(Unit.objects.filter(pk=org.province.pk))
    choices.kept_while_read("names", (), build)
    names = Unit.objects.filter(pk=org.province.pk)
    _names(names)
    monkeypatch.setattr(choices, "code_release", lambda: "another release")
    choices.kept_while_read("names", (), build)
    assert build.count == 2
    read: list[str] = []

    def names_read(rows: Any) -> list[str]:
        read.append("read")
        return [unit.name for unit in rows]

    choices.cached_rows(names, names_read)
    assert read == ["read"]  # a kept list, too, is read again
    # The digest follows the source: a file changed, added or renamed gives another.
    (tmp_path / "a.py").write_text("x = 1\n")
    first = choices.source_digest(tmp_path)
    (tmp_path / "a.py").write_text("x = 2\n")
    second = choices.source_digest(tmp_path)
    (tmp_path / "b.py").write_text("")
    third = choices.source_digest(tmp_path)
    (tmp_path / "b.py").rename(tmp_path / "c.py")
    assert len({first, second, third, choices.source_digest(tmp_path)}) == 4


def test_a_value_kept_while_read_is_built_again_once_a_write_to_a_table_it_read_commits(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    build = _Builds(Unit.objects.filter(code__startswith="ZZ"))
    assert choices.kept_while_read("names", (), build) == [[]]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        make_unit("ZZ1", name="Đơn vị mới lập")
    assert choices.kept_while_read("names", (), build) == [["Đơn vị mới lập"]]
    assert build.count == 2


def test_a_value_kept_while_read_keeps_when_another_table_is_written(
    org: Org, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    build = _Builds(Unit.objects.filter(pk=org.science.pk))
    choices.kept_while_read("names", (), build)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        record(actor=people.admin, action="user.update", obj=people.unit_staff)
    choices.kept_while_read("names", (), build)
    assert build.count == 1


def test_a_kept_figure_found_inside_the_build_still_counts_as_read(
    org: Org, django_capture_on_commit_callbacks: Any, django_assert_num_queries: Any
) -> None:
    """A figure kept by ``kept`` runs no statement when found, yet the value depends on it."""
    units = Unit.objects.filter(code__startswith="ZZ")
    _names(units)  # kept before the build, which then reads it without a query

    def build() -> list[str]:
        return _names(units)

    with django_assert_num_queries(0):
        assert choices.kept_while_read("kept names", (), build) == []
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        make_unit("ZZ1", name="Đơn vị mới lập")
    assert choices.kept_while_read("kept names", (), build) == ["Đơn vị mới lập"]


def test_a_write_committed_while_the_statement_runs_is_not_missed(org: Org) -> None:
    """The generations a value is kept under are read before each statement runs: a write
    committed between that read and the statement's end renews one of them, so the value is
    built again next time (read after the statement, the new generation would hide the
    write's rows from the kept value until it expired)."""
    concurrent = {"renewed": False}

    def commit_elsewhere(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if not concurrent["renewed"] and '"core_unit"' in sql:
            concurrent["renewed"] = True
            choices.renew("core_unit")  # another process's write, committed now
        return execute(sql, params, many, context)

    build = _Builds(Unit.objects.filter(pk=org.province.pk))
    with connection.execute_wrapper(commit_elsewhere):
        choices.kept_while_read("names", (), build)
    assert concurrent["renewed"]
    choices.kept_while_read("names", (), build)
    assert build.count == 2


def test_a_version_read_inside_the_build_is_a_dependency() -> None:
    calls = {"n": 0}

    def build() -> str:
        calls["n"] += 1
        return choices.version("test.version")

    first = choices.kept_while_read("version", (), build)
    assert choices.kept_while_read("version", (), build) == first
    choices.new_version("test.version")
    assert choices.kept_while_read("version", (), build) != first
    assert calls["n"] == 2


def test_a_request_reads_each_version_from_the_cache_once(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[list[str]] = []
    get_many = cache.get_many

    def counting(keys: Any, *args: Any, **kwargs: Any) -> Any:
        asked.append(list(keys))
        return get_many(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", counting)
    first = choices.version("test.version")
    assert choices.version("test.version") == first
    assert len(asked) == 2  # outside a request: every read asks the cache
    asked.clear()
    with choices.versions_per_request():
        assert [choices.version("test.version") for _ in range(5)] == [first] * 5
        assert len(asked) == 1
        # Its own writes replace what it holds.
        choices.new_version("test.version")
        assert choices.version("test.version") != first
        assert len(asked) == 1
    choices.version("test.version")
    assert len(asked) == 2


def test_a_page_reads_the_calendars_version_once(
    client: Client, org: Org, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The task list counts working days for each row: one read of the version, not one a row."""
    for number in range(4):
        assign_task(org, people, content=f"Nhiệm vụ số {number}")
    asked: list[str] = []
    get_many = cache.get_many

    def counting(keys: Any, *args: Any, **kwargs: Any) -> Any:
        asked.extend(key for key in keys if key == "core.calendar.version")
        return get_many(keys, *args, **kwargs)

    client.force_login(people.office_officer)
    url = reverse("oversight:task_list")
    with on_day(SOURCE_DATE):
        client.get(url)
        monkeypatch.setattr(cache, "get_many", counting)
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("Nhiệm vụ số ") == 4
    assert asked == ["core.calendar.version"]


# --- A form's pickers kept as one value (keep_options) -------------------------------------


def _granted_units_form(user: Any) -> Any:
    """A filter form scoped to its user: the units they hold a role in, two pickers."""
    from django import forms

    from caicach.core.permissions import principal, scope_key
    from caicach.core.units.forms import UnitChoiceField

    class GrantedUnits(forms.Form):
        unit = UnitChoiceField(queryset=Unit.objects.none(), required=False)
        also = choices.CachedModelChoiceField(queryset=Unit.objects.none(), required=False)

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            who = principal(user)
            granted = sorted(unit_id for _role, unit_id in who.grants) if who else []
            for name in ("unit", "also"):
                field = self.fields[name]
                assert isinstance(field, forms.ModelChoiceField)
                field.queryset = Unit.objects.filter(pk__in=granted).order_by("code")
            choices.keep_options(self, scope_key(user))

    return GrantedUnits


def _rendered(form: Any) -> str:
    return str(form["unit"]) + str(form["also"])


def test_a_forms_pickers_are_kept_as_one_value_and_found_without_compiling_their_queries(
    org: Org, people: People, monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any
) -> None:
    from django.db.models.sql.query import Query

    form_class = _granted_units_form(people.reform_officer)
    first = _rendered(form_class())
    assert f">{org.home_affairs.code} — {org.home_affairs.name}<" in first

    def compiled(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a kept picker compiled its query to find its options")

    monkeypatch.setattr(Query, "sql_with_params", compiled)
    with django_assert_num_queries(0):
        assert _rendered(form_class()) == first


def test_a_forms_kept_pickers_show_a_grant_at_once(org: Org, people: People) -> None:
    from caicach.core.models import Membership, Role
    from caicach.core.permissions import forget

    user = people.unit_staff
    before = _rendered(_granted_units_form(user)())
    assert f">{org.office.code} — {org.office.name}<" not in before
    # The options' query reads the units, not the memberships: the grants are in the key.
    Membership.objects.create(user=user, unit=org.office, role=Role.UNIT_STAFF)
    forget(user)
    after = _rendered(_granted_units_form(user)())
    assert f">{org.office.code} — {org.office.name}<" in after
    assert f">{org.office.name}</option>" in after  # the other picker too


def test_a_forms_kept_pickers_show_a_renamed_unit_once_the_write_commits(
    org: Org, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    form_class = _granted_units_form(people.reform_officer)
    _rendered(form_class())
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        Unit.objects.filter(pk=org.home_affairs.pk).update(name="Sở Mới Đặt Tên")
    assert "Sở Mới Đặt Tên" in _rendered(form_class())


def test_a_queryset_replaced_after_keeping_is_read_itself(org: Org, people: People) -> None:
    form = _granted_units_form(people.reform_officer)()
    field = form.fields["unit"]
    assert field.options() is not None
    field.queryset = Unit.objects.filter(pk=org.science.pk)
    assert field.options() is None
    assert f">{org.science.code} — {org.science.name}<" in str(form["unit"])
    assert org.home_affairs.name not in str(form["unit"])
