"""Tests that guard the architecture itself."""

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from onward.core.permissions import PUBLIC, declared_permission, registered_actions

# Only these views may be opened without signing in.
PUBLIC_ALLOWED = {
    "core:home",
    "core:set_language",
    "core:healthz",
    "core:readyz",
    # The installed web app's manifest and service worker: the same for everyone, nothing personal.
    "core:web_app_manifest",
    "core:service_worker",
    "accounts:staff_sign_in",
    "accounts:staff_code",
    "accounts:staff_code_setup",
    "accounts:staff_unlock",  # a locked-out member of staff: password and authenticator code together
    "accounts:person_sign_in",
    "accounts:person_code_request",
    "accounts:person_code_enter",
    "accounts:person_activate",
    "accounts:person_link",
    "learning:certificate_verify",  # anyone checks a certificate's code (rate-limited, no personal data)
    # The pages a public service must have, linked from every footer: the same for everyone.
    "core:privacy",
    "core:accessibility",
    "core:cookies",
    "core:help",
    "core:checkin_guidance",
}


def _walk(resolvers: list[Any], prefix: str = "", namespace: str = "") -> list[tuple[str, str, Any, Any]]:
    found = []
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}".strip(":") if ns else namespace
            owner = (
                getattr(entry.urlconf_module, "onward_permission", None)
                if not isinstance(entry.urlconf_module, list)
                else None
            )
            found += [
                (p, n, v, owner or o) for p, n, v, o in _walk(entry.url_patterns, prefix + str(entry.pattern), full_ns)
            ]
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            found.append((prefix + str(entry.pattern), name, entry.callback, None))
    return found


def all_views() -> list[tuple[str, str, Any, Any]]:
    return _walk(get_resolver().url_patterns)


def test_every_url_declares_its_permission() -> None:
    undeclared = []
    for route, name, view, _owner in all_views():
        if route.startswith("admin/"):
            continue  # the admin site checks admin.site itself; see test_admin_site_uses_the_policy
        if route.startswith("api/"):
            continue  # API operations are walked one by one in onward/api/tests
        if declared_permission(view) is None:
            undeclared.append(f"{route} ({name})")
    assert not undeclared, "Views without a permission declaration: " + ", ".join(undeclared)


def test_only_sign_in_and_health_pages_are_public() -> None:
    public = {name for route, name, view, _ in all_views() if declared_permission(view) == PUBLIC}
    assert public <= PUBLIC_ALLOWED, f"Unexpected public views: {public - PUBLIC_ALLOWED}"


def test_declared_actions_have_rules() -> None:
    actions = {declared_permission(view) for route, _, view, _ in all_views() if declared_permission(view)}
    unknown = actions - registered_actions() - {PUBLIC}
    assert not unknown, f"Views declare actions with no rule: {unknown}"


def test_admin_site_uses_the_policy() -> None:
    from onward.core.admin_site import admin_site

    assert admin_site.onward_permission == "admin.site"
    assert "admin.site" in registered_actions()


@pytest.mark.django_db
def test_migrations_are_complete() -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)


# --- The JSON API: every operation declares its action, signs its caller in, and takes strict input ---


# Only these API operations may be called without signing in.
PUBLIC_API_ALLOWED = {"GET /certificates/verify"}  # anyone checks a certificate's code (rate-limited)


def api_operations() -> list[tuple[str, Any]]:
    """Every operation the API serves, as ("METHOD /path", operation), from the routers bound to it."""
    from onward.api.api import api

    found = []
    for bound in api._get_bound_routers():  # what serves requests: auth inherited, decorators applied
        for path, path_view in bound.path_operations.items():
            for operation in path_view.operations:
                found += [(f"{method} {bound.prefix}{path}", operation) for method in operation.methods]
    return found


def test_the_api_walker_finds_the_operations() -> None:
    routes = {route for route, _ in api_operations()}
    expected = {
        "GET /me",
        "GET /caseload",
        "GET /people/{person_id}",
        "POST /devices",
        "DELETE /devices/{device_id}",
        "GET /me/check-ins/current",
        "GET /me/check-ins/{checkin_id}/status",
        "PUT /me/check-ins/{checkin_id}/answers",
        "POST /me/check-ins/{checkin_id}/challenge",
        "POST /me/check-ins/{checkin_id}/media",
        "POST /me/check-ins/{checkin_id}/location",
        "POST /me/check-ins/{checkin_id}/submit",
    }
    assert expected <= routes


def test_every_api_operation_declares_a_registered_permission() -> None:
    undeclared, unknown, public = [], [], []
    for route, operation in api_operations():
        action = declared_permission(operation.view_func)
        if action is None:
            undeclared.append(route)
        elif action == PUBLIC:
            if route not in PUBLIC_API_ALLOWED:
                public.append(route)
        elif action not in registered_actions():
            unknown.append(f"{route} ({action})")
    assert not undeclared, "API operations without @permission from onward.api.permissions: " + ", ".join(undeclared)
    assert not public, "API operations must not be public: " + ", ".join(public)
    assert not unknown, "API operations declare actions with no rule: " + ", ".join(unknown)


def test_every_api_operation_signs_its_caller_in() -> None:
    anonymous = [
        route
        for route, operation in api_operations()
        if not operation.auth_callbacks and route not in PUBLIC_API_ALLOWED
    ]
    assert not anonymous, "API operations with no authentication: " + ", ".join(anonymous)


def test_every_api_operation_declares_its_error_answers() -> None:
    from onward.api.errors import ErrorOut, ValidationErrorOut

    missing = []
    for route, operation in api_operations():
        declared = {status: model for status, model in operation.response_models.items() if isinstance(status, int)}
        if not {401, 403} <= set(declared):
            missing.append(f"{route} (401/403)")
        if operation.signature.params and 422 not in declared:
            missing.append(f"{route} (422 for its input)")
        for status, model in declared.items():
            if status >= 400:
                expected = ValidationErrorOut if status == 422 else ErrorOut
                # A 422 may say more than the usual fields (an import names the line), never less.
                annotation = model.model_fields["response"].annotation
                if not (isinstance(annotation, type) and issubclass(annotation, expected)):
                    missing.append(f"{route} ({status} not {expected.__name__})")
    assert not missing, "API operations with undeclared or odd error answers: " + ", ".join(missing)


def test_api_input_schemas_refuse_unknown_fields() -> None:
    from pydantic import BaseModel

    lax = []
    for route, operation in api_operations():
        for param in operation.signature.params:
            schema = param.annotation
            is_schema = isinstance(schema, type) and issubclass(schema, BaseModel)
            if is_schema and schema.model_config.get("extra") != "forbid":
                lax.append(f"{route} ({schema.__name__})")
    assert not lax, 'API input schemas without model_config = ConfigDict(extra="forbid"): ' + ", ".join(lax)


def test_every_api_url_is_a_walked_operation_or_declares_its_permission() -> None:
    from onward.api.api import api

    operation_paths = {route.split(" ", 1)[1].lstrip("/") for route, _ in api_operations()}
    strays = []
    for route, name, view, _owner in all_views():
        if not route.startswith("api/"):
            continue
        path = route.removeprefix("api/v1/").replace("<", "{").replace(">", "}")
        if name == f"{api.urls_namespace}:api-root":
            continue  # ninja's root answers 404 to everyone
        if path in operation_paths:
            continue
        action = declared_permission(view)
        if action is None or (action != PUBLIC and action not in registered_actions()):
            strays.append(f"{route} ({name})")
    assert not strays, "API URLs that are not walked operations and declare no permission: " + ", ".join(strays)


# --- Layers: every app imports only downward, and writes only its own tables ----------------------
#
# Apps in their layers, lowest first (docs/README.md draws them). An app may import an app in a lower
# layer, never one in its own layer or above; a lower app learns of a higher one through the registries
# the higher one fills (rules, retention, subject access, reminder kinds, record sections, and lifecycle
# events in onward.core.events). Read from the code's own imports; tests and migrations are not read.

ROOT = Path(__file__).resolve().parent.parent / "onward"

LAYERS: list[tuple[str, ...]] = [
    ("core",),
    ("organisations",),
    ("audit",),
    ("jobs",),
    ("location",),
    ("people",),
    ("accounts",),
    ("notifications",),
    ("biometrics",),
    ("alerts",),  # the domain apps raise alerts through its services; it imports none of them
    ("appointments", "checkins", "directory", "learning", "library", "messaging"),
    ("curfew",),  # curfew check-ins reuse checkins; violations raise alerts
    ("resettlement",),  # the plan, requests and handover: it reads the library and appointments, raises alerts
    ("opportunities",),  # early release (HDC, ROTL): a granted curfew licence goes through curfew's services
    ("reports",),  # figures by unit and month: aggregate reads of every domain app, its own rollup tables
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


# Apps that may write other apps' tables, with the reason.
WRITES_ANY_TABLE = {
    "demo": "demo data for `make run` is built like the tests' fixtures, with their factories (STYLE.md)",
}


def test_an_app_writes_only_its_own_tables() -> None:
    """`Model.objects...create/update/delete(...)` on a model imported from another app's models."""
    foreign_writes = []
    for app, path, tree in app_modules():
        if app in WRITES_ANY_TABLE:
            continue
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


# --- helpers of the layer checks --------------------------------------------------------------


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
