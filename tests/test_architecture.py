"""The dependency rules of ../shared/DESIGN.md, enforced: the walk from a view to its
document goes down only.

- no import cycle among ``caicach`` modules, counting imports inside functions (a cycle
  "broken" by a function-level import is still a cycle);
- ``caicach.core`` imports no domain app (apps register into core's registries instead);
- reads (``queries``, ``documents``) and template tags never import ``services``.

Imports under ``if TYPE_CHECKING:`` are annotations, not dependencies, and are ignored."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "caicach"
DOMAIN_APPS = ("initiatives", "workprogram", "replication", "deliberation", "oversight", "api")
READ_ROLES = ("queries", "documents", "templatetags")

Graph = dict[str, set[str]]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported_names(tree: ast.AST) -> Iterable[str]:
    """Every module name imported anywhere in ``tree`` (``from a import b`` yields ``a.b``
    and ``a``: the caller keeps whichever is a module)."""
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            pending.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)
        pending.extend(ast.iter_child_nodes(node))


def build_graph(root: Path = ROOT) -> Graph:
    files = [p for p in (root / PACKAGE).rglob("*.py") if "migrations" not in p.parts]
    modules = {module_name(p): p for p in files}
    graph: Graph = {name: set() for name in modules}
    for name, path in modules.items():
        for target in imported_names(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if target in modules and target != name:
                graph[name].add(target)
    return graph


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterable[str]]] = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _role(module: str) -> str:
    return module.rsplit(".", 1)[-1]


def violations(graph: Mapping[str, set[str]]) -> list[str]:
    problems = [" ↔ ".join(component) for component in cycles(graph)]
    core = f"{PACKAGE}.core"
    for source, targets in sorted(graph.items()):
        for target in sorted(targets):
            if (source == core or source.startswith(core + ".")) and any(
                target == f"{PACKAGE}.{app}" or target.startswith(f"{PACKAGE}.{app}.") for app in DOMAIN_APPS
            ):
                problems.append(f"{source} → {target}: core imports no domain app")
            in_read = any(part in READ_ROLES for part in source.split(".")[2:])
            if in_read and "services" in target.split(".")[2:]:
                problems.append(
                    f"{source} → {target}: a read (queries, documents, template tags) imports a service"
                )
    return problems


def test_the_code_depends_one_way() -> None:
    problems = violations(build_graph())
    assert not problems, "\n".join(problems)


def test_the_check_catches_a_cycle_an_upward_import_and_a_read_calling_a_service() -> None:
    graph: Graph = {
        "caicach.a.services": {"caicach.a.documents"},
        "caicach.a.documents": {"caicach.a.services"},
        "caicach.core.jobs.services": {"caicach.initiatives.tasks"},
        "caicach.initiatives.tasks": set(),
        "caicach.workprogram.programs.queries": {"caicach.workprogram.programs.services"},
        "caicach.workprogram.programs.services": set(),
    }
    problems = violations(graph)
    assert "caicach.a.documents ↔ caicach.a.services" in problems
    assert any("caicach.core.jobs.services → caicach.initiatives.tasks" in p for p in problems)
    assert any(
        "caicach.workprogram.programs.queries → caicach.workprogram.programs.services" in p for p in problems
    )
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_function_level_and_type_checking_imports_are_told_apart() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from caicach.x import Y\n"
        "def f():\n    from caicach.z import w\n"
    )
    names = set(imported_names(ast.parse(source)))
    assert "caicach.z" in names and "caicach.z.w" in names
    assert "caicach.x" not in names


ROLES = ("services", "queries", "rules", "views", "forms", "urls", "documents", "tasks")


def role_packages(root: Path = ROOT) -> list[str]:
    """Folders named after a role (``core/views/``): the shape DESIGN.md replaced. Each app,
    and each area of a larger app, holds its roles as modules (``core/units/views.py``)."""
    return sorted(
        str(path.relative_to(root))
        for path in (root / PACKAGE).rglob("*")
        if path.is_dir() and path.name in ROLES and (path / "__init__.py").exists()
    )


def test_every_app_and_area_is_laid_out_the_same_way() -> None:
    assert role_packages() == []


def test_the_layout_check_finds_a_role_package(tmp_path: Path) -> None:
    views = tmp_path / PACKAGE / "core" / "views"
    views.mkdir(parents=True)
    (views / "__init__.py").write_text("")
    (tmp_path / PACKAGE / "core" / "units").mkdir()
    (tmp_path / PACKAGE / "core" / "units" / "__init__.py").write_text("")
    assert role_packages(tmp_path) == ["caicach/core/views"]


# --- The demo runs without a PostgreSQL driver ------------------------------------------------

POSTGRES_ONLY = ("django.contrib.postgres", "psycopg", "psycopg2")


def module_level_postgres_imports(root: Path) -> list[str]:
    """Files importing a PostgreSQL-only module at module level (migrations included): they
    break ``make demo``, which installs no PostgreSQL driver. Inside a function, reached only
    on PostgreSQL, such an import is fine."""
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.parse(path.read_text()).body:
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(name == bad or name.startswith(f"{bad}.") for name in names for bad in POSTGRES_ONLY):
                found.append(str(path.relative_to(root.parent)))
    return found


def test_no_module_imports_a_postgresql_only_module_at_load_time(tmp_path: Path) -> None:
    assert module_level_postgres_imports(ROOT / PACKAGE) == []
    package = tmp_path / "app"
    (package / "migrations").mkdir(parents=True)
    (package / "migrations" / "0002_x.py").write_text(
        "from django.contrib.postgres.operations import TrigramExtension\n"
    )
    (package / "search.py").write_text(
        "def f():\n    from django.contrib.postgres.search import SearchQuery\n"
    )
    assert module_level_postgres_imports(package) == ["app/migrations/0002_x.py"]
