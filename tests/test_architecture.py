"""Tests that guard the architecture itself."""

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
    "accounts:staff_sign_in",
    "accounts:staff_code",
    "accounts:staff_code_setup",
    "accounts:person_sign_in",
    "accounts:person_code_request",
    "accounts:person_code_enter",
    "accounts:person_activate",
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
