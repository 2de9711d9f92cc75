"""HTML is written in templates: Python marks markup safe only inside template tags.

A view or selector that builds markup and calls ``mark_safe`` (as the KPI pages once did)
decides escaping on its own; template tags are the one place that may, each escaping every
piece it joins (``format_html``, ``urlize``)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {".venv", "tests", "bench", "node_modules", "migrations", "var"}
MARKUP_CALLS = {"mark_safe", "format_html", "format_html_join", "SafeString"}


def markup_calls(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name in MARKUP_CALLS:
                found.append(f"line {node.lineno}: {name}()")
    return found


def test_only_template_tags_build_markup_in_python():
    offenders = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if SKIPPED_DIRS & set(parts[:-1]) or "templatetags" in parts:
            continue
        found = markup_calls(path.read_text(encoding="utf-8"))
        if found:
            offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}


def test_the_scan_sees_markup_built_in_python():
    source = "from django.utils.safestring import mark_safe\nhtml = mark_safe('<b>1</b>')\n"
    assert markup_calls(source) == ["line 2: mark_safe()"]
