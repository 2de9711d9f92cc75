"""Views reach data only through selectors and services (docs/architecture.md).

A view module (``views.py``, ``*_views.py``, a ``views/`` package, ``api.py`` or an
``api/`` package) that writes ``Model.objects``, calls ``restrict()`` or
``get_object_or_404()`` itself, or opens a database cursor has started deciding on its own
which rows a person may see; that decision lives in ``<app>/selectors.py`` (``access_*``
for one object, ``*_visible_to`` for lists), where no view can forget it.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {".venv", "tests", "bench", "node_modules", "migrations", "var"}

# Names whose mere use in a view module means a query or a permission check of its own.
FORBIDDEN_ATTRIBUTES = {"objects", "_default_manager", "raw", "cursor", "extra"}
FORBIDDEN_CALLS = {"restrict", "get_object_or_404", "get_list_or_404"}
FORBIDDEN_IMPORTS = {("django.db", "connection"), ("django.db", "connections")}


def is_view_module(path: Path) -> bool:
    return (
        path.name in {"views.py", "api.py"}
        or path.name.endswith("_views.py")
        or path.parent.name in {"views", "api"}
    )


def view_modules() -> list[Path]:
    found = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if SKIPPED_DIRS & set(relative.parts[:-1]):
            continue
        if is_view_module(relative):
            found.append(path)
    return sorted(found)


def direct_queries(source: str) -> list[str]:
    """Each place in ``source`` that queries or filters by permission on its own."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES:
            found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else None
            if isinstance(node.func, ast.Attribute):
                name = node.func.attr
            if name in FORBIDDEN_CALLS:
                found.append(f"line {node.lineno}: {name}()")
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if (node.module, alias.name) in FORBIDDEN_IMPORTS:
                    found.append(f"line {node.lineno}: import {alias.name}")
    return found


def test_the_scan_finds_view_modules_of_every_kind():
    names = {str(path.relative_to(ROOT)) for path in view_modules()}
    assert {
        "orders/views/problems.py",
        "orders/api/views.py",
        "tickets/api.py",
        "tickets/inbox_views.py",
        "accounts/views.py",
    } <= names


def test_the_scan_catches_each_kind_of_direct_query():
    source = (
        "from django.db import connection\n"
        "from django.shortcuts import get_object_or_404\n"
        "def view(request, pk):\n"
        "    Order.objects.filter(pk=pk)\n"
        "    restrict(qs, request.user, 'orders.view')\n"
        "    get_object_or_404(Order, pk=pk)\n"
        "    Order._default_manager.get(pk=pk)\n"
        "    Order.objects.raw('select 1')\n"
    )
    assert len(direct_queries(source)) == 7
    assert direct_queries("def view(request):\n    return orders_visible_to(request.user)\n") == []


def test_no_view_module_queries_a_model_directly():
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in view_modules()
        if (found := direct_queries(path.read_text()))
    }
    assert offenders == {}, (
        f"views must read through <app>/selectors.py (access_* or *_visible_to): {offenders}"
    )
