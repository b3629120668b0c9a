"""The house's layout holds: create_app wires each package's blueprint, views and models by name."""

import ast
import re
from pathlib import Path

from app import schema

APP = Path(__file__).resolve().parents[1] / "app"
FACTORY = APP / "__init__.py"

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
