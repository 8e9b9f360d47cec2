"""The layers run one way, and each app writes only its own tables. Read from the code's own imports.

Apps in their layers, lowest first (docs/README.md draws them). An app may import an app in a lower
layer, never one in its own layer or above; a lower app learns of a higher one through the registries
the higher one fills (rules, retention, subject access, reminder kinds, record sections, and lifecycle
events in onward.core.events). Tests and migrations are not part of the running layers and are not read.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "onward"

LAYERS: list[tuple[str, ...]] = [
    ("core",),
    ("organisations",),
    ("audit",),
    ("jobs",),
    ("people",),
    ("accounts",),
    ("notifications",),
    ("location", "biometrics"),
    ("appointments", "checkins", "directory", "learning", "library", "messaging"),
    ("api", "demo"),
]
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}
WRITE_METHODS = frozenset(
    {"create", "bulk_create", "update", "delete", "get_or_create", "update_or_create", "bulk_update"}
)
# Where requests are parsed and answered: they call services, and never write a model themselves.
HANDLER_MODULES = ("views.py",)
HANDLER_APPS = ("api",)


def app_modules() -> Iterator[tuple[str, Path, ast.Module]]:
    """(app, path, tree) of every running module of every app: not tests, not migrations."""
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if "tests" in relative.parts or "migrations" in relative.parts or len(relative.parts) < 2:
            continue
        yield relative.parts[0], relative, ast.parse(path.read_text(), filename=str(path))


def onward_imports(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """(line, module) of every import of an Onward module, at the top or inside a function."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            if name.startswith("onward."):
                yield node.lineno, name


def test_every_app_has_a_layer() -> None:
    apps = {path.name for path in ROOT.iterdir() if path.is_dir() and (path / "__init__.py").exists()}
    assert apps - set(RANK) == set(), "Apps with no layer: put each in LAYERS (and in docs/README.md)"


def test_imports_run_down_the_layers() -> None:
    upward = []
    for app, path, tree in app_modules():
        for line, module in onward_imports(tree):
            target = module.split(".")[1]
            if target == app or target not in RANK:
                continue
            if RANK[target] >= RANK[app]:
                upward.append(f"onward/{path}:{line} imports {module} ({app} may not import {target})")
    assert not upward, "Imports that run up or across the layers:\n" + "\n".join(upward)


def test_an_app_writes_only_its_own_tables() -> None:
    """`Model.objects...create/update/delete(...)` on a model imported from another app's models."""
    foreign_writes = []
    for app, path, tree in app_modules():
        foreign = _models_imported_from_other_apps(app, tree)
        for line, model in _model_writes(tree):
            if model in foreign:
                foreign_writes.append(f"onward/{path}:{line} writes {foreign[model]}.{model}")
    assert not foreign_writes, "Writes to another app's tables (call the owner's service):\n" + "\n".join(
        foreign_writes
    )


def test_views_and_api_handlers_write_no_models() -> None:
    writes = []
    for app, path, tree in app_modules():
        if path.name not in HANDLER_MODULES and app not in HANDLER_APPS:
            continue
        writes += [f"onward/{path}:{line} writes {model}" for line, model in _model_writes(tree)]
        writes += [f"onward/{path}:{line} calls .{method}()" for line, method in _instance_saves(tree)]
    assert not writes, "Views and API handlers that write models (call a service):\n" + "\n".join(writes)


def test_the_checker_finds_what_it_looks_for() -> None:
    """The three checks above would be silent if the walker found nothing: prove it finds real cases."""
    tree = ast.parse(
        "from onward.people.models import Person\n"
        "def f(p):\n"
        "    from onward.api import api\n"
        "    Person.objects.filter(pk=1).update(status='ended')\n"
        "    p.save(update_fields=['x'])\n"
    )
    assert [m for _, m in onward_imports(tree)] == ["onward.people.models", "onward.api"]
    assert _models_imported_from_other_apps("accounts", tree) == {"Person": "people"}
    assert list(_model_writes(tree)) == [(4, "Person")]
    assert list(_instance_saves(tree)) == [(5, "save")]
    assert sum(1 for _ in app_modules()) > 100


# --- helpers ---------------------------------------------------------------------------------


def _models_imported_from_other_apps(app: str, tree: ast.Module) -> dict[str, str]:
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("onward."):
            parts = node.module.split(".")
            if len(parts) == 3 and parts[2] == "models" and parts[1] != app:
                found.update({alias.asname or alias.name: parts[1] for alias in node.names})
    return found


def _model_writes(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """(line, model name) of each `Name.objects....<write>(...)` chain."""
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in WRITE_METHODS:
            continue
        chain = node.func.value
        through_manager = False
        while isinstance(chain, ast.Call | ast.Attribute):
            if isinstance(chain, ast.Attribute) and chain.attr == "objects":
                through_manager = True
            chain = chain.func if isinstance(chain, ast.Call) else chain.value
        if through_manager and isinstance(chain, ast.Name):
            yield node.lineno, chain.id


def _instance_saves(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """(line, method) of each `something.save(...)` or `something.delete()` (not `@router.delete(...)`)."""
    decorators = {
        id(decorator)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for decorator in node.decorator_list
    }
    for node in ast.walk(tree):
        if id(node) in decorators:
            continue
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("save", "delete"):
            target = node.func.value
            if isinstance(target, ast.Attribute) and target.attr == "session":
                continue  # request.session.save(): the session store, not a model
            yield node.lineno, node.func.attr
