"""The house's layout holds: imports go one way between domains (STYLE.md), and create_app
wires each package's blueprint, views and models by name."""

import ast
import re
from pathlib import Path

from app import schema

APP = Path(__file__).resolve().parents[1] / "app"
FACTORY = APP / "__init__.py"

# STYLE.md, "Domains": which domains each may use. Every domain may use `centres`; booking
# may use zones and intake; visits may use booking (and what booking uses); stats reads
# visits, booking, zones and intake. STYLE.md does not name intake -> zones, but a need and
# an institution belong to a zone (intake.models), and zones import no intake.
MAY_USE = {
    "centres": set(),
    "zones": {"centres"},
    "intake": {"centres", "zones"},
    "booking": {"centres", "zones", "intake"},
    "visits": {"centres", "zones", "intake", "booking"},
    "stats": {"centres", "zones", "intake", "booking", "visits"},
}
TOP = {"admin", "api", "demo"}  # they may read everything, and nothing imports them
DOMAINS = {*MAY_USE, *TOP, "notify", "auth"}  # notify imports no domain


def imported_modules(path: Path) -> set[str]:
    """The app modules a file imports (`from app import inputs` is app.inputs)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "app":
                found.update(f"app.{alias.name}" for alias in node.names)
            else:
                found.add(node.module)
    return {name for name in found if name == "app" or name.startswith("app.")}


def package_of(module: str) -> str | None:
    """`app.stats.rollup` -> "stats"; a top-level module (app.types) is no domain."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and (APP / parts[1]).is_dir() else None


def import_graph() -> dict[Path, set[str]]:
    """Each file under app/ (the factory aside) and the packages it imports, its own aside."""
    graph = {}
    for path in sorted(APP.rglob("*.py")):
        if path == FACTORY:
            continue  # the factory assembles everything: it imports each package by name
        own = path.relative_to(APP).parts[0] if path.parent != APP else None
        graph[path] = {package for module in imported_modules(path)
                       if (package := package_of(module)) and package != own}
    return graph


def violations(graph: dict[Path, set[str]]) -> list[str]:
    """The imports STYLE.md's one-way rule forbids, as 'file -> package' lines."""
    found = []
    for path, packages in graph.items():
        own = path.relative_to(APP).parts[0] if path.parent != APP else None
        for package in sorted(packages):
            if package in TOP:
                allowed = False  # nothing imports admin, api or demo
            elif own == "notify":
                allowed = package not in DOMAINS
            elif own in MAY_USE and package in MAY_USE:
                allowed = package in MAY_USE[own]
            else:
                allowed = True
            if not allowed:
                found.append(f"{path.relative_to(APP.parent)} -> {package}")
    return found


def test_imports_go_one_way_between_domains():
    assert violations(import_graph()) == []


def test_the_rule_catches_imports_the_wrong_way():
    graph = {APP / "booking" / "x.py": {"visits", "admin", "zones", "notify"},
             APP / "stats" / "x.py": {"admin", "visits", "auth"},
             APP / "zones" / "x.py": {"intake"},
             APP / "notify" / "x.py": {"booking"},
             APP / "admin" / "x.py": {"stats", "booking"},
             APP / "inputs.py": {"api"}}
    assert violations(graph) == ["app/booking/x.py -> admin", "app/booking/x.py -> visits",
                                 "app/stats/x.py -> admin", "app/zones/x.py -> intake",
                                 "app/notify/x.py -> booking", "app/inputs.py -> api"]


def test_the_graph_sees_the_imports_that_are_there():
    graph = import_graph()
    assert {"booking", "visits", "intake"} <= graph[APP / "stats" / "rollup.py"] | graph[
        APP / "stats" / "figures.py"]
    assert "stats" in graph[APP / "api" / "stats.py"]


def test_only_wsgi_and_the_tests_import_the_app_package_itself():
    for path in APP.rglob("*.py"):
        if path != FACTORY:
            assert "app" not in imported_modules(path), path
            assert "app.create_app" not in imported_modules(path), path


def route_modules() -> dict[str, set[str]]:
    """Package -> the modules in it that declare routes on its blueprint (`@bp.`)."""
    found: dict[str, set[str]] = {}
    for path in APP.glob("*/*.py"):
        if re.search(r"^@bp\.", path.read_text(encoding="utf-8"), re.MULTILINE):
            found.setdefault(path.parent.name, set()).add(f"app.{path.parent.name}.{path.stem}")
    return found


def test_each_package_imports_every_module_of_its_views(app):
    import importlib

    for package, modules in route_modules().items():
        listed = importlib.import_module(f"app.{package}").VIEWS
        assert {module.__name__ for module in listed} == modules, package


def test_create_app_registers_each_package_blueprint(app):
    import importlib

    for package in route_modules():
        bp = importlib.import_module(f"app.{package}").bp
        assert bp.name == package  # blueprint name = package name
        assert app.blueprints[package] is bp
    assert set(app.blueprints) == set(route_modules())


def test_the_factory_makes_no_import_only_for_its_side_effects():
    source = FACTORY.read_text(encoding="utf-8")
    assert "noqa: F401" not in source
    assert not re.search(r"import \w+ as _\w+", source)


def test_the_schema_names_every_models_module():
    declared = {f"app.{path.parent.name}.models" for path in APP.glob("*/models.py")}
    assert {module.__name__ for module in schema.MODULES} == declared
