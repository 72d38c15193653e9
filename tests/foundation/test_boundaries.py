"""Domains plug into shared registries; they never import each other (DESIGN.md rule 3).

Every .py file is read with `ast` (not imported): an `import`, a `from … import` and an
`importlib.import_module("…")` of a literal name count. The shared project (civil_affairs/)
knows the registries, not the domains: it imports none of them and names none of their
tables in its SQL.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_APPS = list(settings.DOMAIN_APPS)


def _python_files(folder: Path) -> Iterator[Path]:
    yield from sorted(p for p in folder.rglob("*.py") if ".venv" not in p.parts)


def _imported(path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) of every absolute import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value


def _app_of(module: str) -> str:
    return module.split(".")[0]


def _where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT)}:{line}"


def test_the_walk_finds_every_kind_of_import(tmp_path):
    """The checks below are only as good as the walk: it sees all three forms."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import relief.models\n"
        "from eldercare import services\n"
        "def f():\n"
        "    from children.models import Child\n"
        "    importlib.import_module('funeral.demo')\n"
        "from . import sibling\n"
    )
    assert [_app_of(m) for _line, m in _imported(sample)] == [
        "relief",
        "eldercare",
        "children",
        "funeral",
    ]


def test_no_domain_app_imports_another():
    """Issue 11, shared item 1: every .py under relief/, eldercare/, children/, governance/,
    social_orgs/ and funeral/."""
    found = []
    for app in DOMAIN_APPS:
        folder = ROOT / app
        assert folder.is_dir(), app
        for path in _python_files(folder):
            for line, module in _imported(path):
                other = _app_of(module)
                if other in DOMAIN_APPS and other != app:
                    found.append(f"{_where(path, line)} imports {module}")
    assert found == []


def _domain_tables() -> set[str]:
    """The database tables of the domain apps' models (history and many-to-many tables
    included), as the app registry knows them."""
    tables = set()
    for app in DOMAIN_APPS:
        for model in apps.get_app_config(app.rpartition(".")[2]).get_models(
            include_auto_created=True
        ):
            tables.add(model._meta.db_table)
    return tables


def test_the_shared_project_imports_no_domain_app_and_names_none_of_their_tables():
    tables = _domain_tables()
    assert "relief_entitlement" in tables  # the list is the registry's, not a copy
    named = re.compile(r"\b(" + "|".join(sorted(map(re.escape, tables))) + r")\b")
    found = []
    for path in _python_files(ROOT / "civil_affairs"):
        for line, module in _imported(path):
            if _app_of(module) in DOMAIN_APPS:
                found.append(f"{_where(path, line)} imports {module}")
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for table in named.findall(text):
                found.append(f"{_where(path, number)} names the table {table}")
    assert found == []
