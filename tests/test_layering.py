"""Apps import each other only downwards, as docs/architecture.md lays them out.

Every ``import`` of the product code is read (module level and inside functions): a module
of the domain core (models, services, selectors, states, tasks, jobs, …) may import its own
app and the core of the apps in the layers below it, never above, never a page. Pages and
other entry points (views, API, URL confs, forms, admin, demo data, management commands,
``apps.py``) sit on top of every core: they may import any app's core and the shared page helpers of
``helpdesk``, and only URL confs reach into another app's views. So no two apps import each other, and the house has no
import cycle.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LAYERS: list[list[str]] = [
    ["helpdesk"],
    ["audit"],
    ["accounts"],
    ["live"],
    ["approvals"],
    ["teamwork"],
    ["orders"],
    ["scripts_lib"],
    ["chats"],
    ["catalogue"],
    ["tickets"],
    ["reviews"],
    ["outreach"],
    ["knowledge"],
    ["presence"],
    ["kpi"],
]
"""Bottom first; an app may import the apps of the layers before its own."""

LAYER = {app: number for number, layer in enumerate(LAYERS) for app in layer}
NOT_APPS = {"tests", "bench", "scripts", "static", "templates", "locale", "docs", "var"}

ENTRY_FILES = {
    "views.py",
    "api.py",
    "urls.py",
    "forms.py",
    "admin.py",
    "demo.py",
    "apps.py",
    "workbench.py",
    "settings.py",
    "celery.py",
    "asgi.py",
    "wsgi.py",
}
ENTRY_DIRS = {"views", "api", "management", "templatetags"}
ENTRY_MODULES = {"helpdesk.health", "helpdesk.export_uploads"}
"""Pages that a file name does not give away: the health check and the shared upload page."""
CORE_MODULES = {"helpdesk.demo"}
"""Named like an entry point, but a library: the demo context every app's demo.py fills."""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_entry(path: Path) -> bool:
    relative = path.relative_to(ROOT)
    if module_name(path) in CORE_MODULES:
        return False
    return (
        relative.name in ENTRY_FILES
        or relative.stem.endswith(("_views", "_urls"))
        or bool(ENTRY_DIRS & set(relative.parts[1:-1]))
        or module_name(path) in ENTRY_MODULES
    )


def is_url_conf(path: Path) -> bool:
    return path.name == "urls.py" or path.stem.endswith("_urls")


def source_file(module: str) -> Path | None:
    """The file of ``module`` or of its nearest package (``chats.models.Message`` → chats/models)."""
    parts = module.split(".")
    while parts:
        base = ROOT.joinpath(*parts)
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.exists():
                return candidate
        parts.pop()
    return None


def product_apps() -> list[str]:
    return sorted(
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in NOT_APPS and not path.parent.name.startswith(".")
    )


@dataclass(frozen=True)
class Import:
    line: int
    module: str
    """The imported module, or for ``from x import y`` each of x and x.y that is a module."""


def imports_of(source: str) -> list[Import]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [Import(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(Import(node.lineno, node.module))
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                target = source_file(name)
                if target is not None and module_name(target) == name:
                    found.append(Import(node.lineno, name))
    return found


def violations(path: Path, source: str) -> list[str]:
    app = path.relative_to(ROOT).parts[0]
    entry, url_conf = is_entry(path), is_url_conf(path)
    found = []
    for imported in imports_of(source):
        other = imported.module.split(".")[0]
        if other == app or other not in LAYER:
            continue
        target = source_file(imported.module)
        where = f"{path.relative_to(ROOT)}:{imported.line} imports {imported.module}"
        if target is not None and is_entry(target) and not (url_conf or other == "helpdesk"):
            found.append(f"{where}, a page of another app")
        elif not entry and LAYER[other] >= LAYER[app]:
            found.append(f"{where}, which is not below {app}")
    return found


def product_modules() -> list[Path]:
    return sorted(
        path
        for app in LAYER
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.relative_to(ROOT).parts
    )


def test_every_app_has_its_place_in_the_layering():
    assert set(product_apps()) == set(LAYER)


def test_no_app_imports_against_the_layering():
    found = [v for path in product_modules() for v in violations(path, path.read_text())]
    assert found == []


def test_the_check_catches_an_upward_import_at_module_and_function_level():
    orders_service = ROOT / "orders" / "services" / "problems.py"
    module_level = "from chats.services import buyer_message_send\n"
    function_level = "def f():\n    import kpi.models\n"
    assert len(violations(orders_service, module_level)) == 1
    assert violations(orders_service, function_level) == [
        "orders/services/problems.py:2 imports kpi.models, which is not below orders"
    ]


def test_the_check_catches_a_core_module_importing_a_lower_apps_page():
    chats_selectors = ROOT / "chats" / "selectors.py"
    assert violations(chats_selectors, "from orders.views.problems import work_context\n")
    assert violations(chats_selectors, "from orders import selectors\n") == []


def test_pages_may_read_any_core_but_not_another_apps_pages():
    accounts_view = ROOT / "accounts" / "views.py"
    assert violations(accounts_view, "from kpi.selectors import dashboard\n") == []
    assert violations(accounts_view, "from kpi import views\n")
    assert violations(ROOT / "helpdesk" / "urls.py", "from kpi import views\n") == []
