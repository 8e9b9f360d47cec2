"""Admin pages follow the one permission policy (not Django's per-model permissions), write to the
audit trail like services do, and show evidence read-only."""

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from onward.core.audit_actions import AuditAction
from onward.core.auditing import audit_write
from onward.core.permissions import can


class PolicyAdmin(admin.ModelAdmin):
    """Whoever the policy lets into the admin site ("admin.site") may use this page."""

    # A web address typed without its scheme is taken as https:// (Django 6's default, set now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can(request.user, "admin.site")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, "admin.site")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return can(request.user, "admin.site")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, "admin.site")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, "admin.site")


class PolicyInline(admin.TabularInline):
    """An inline table on a policy-checked admin page, with the same permission."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, "admin.site")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, "admin.site")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, "admin.site")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, "admin.site")


class AuditedAdmin(PolicyAdmin):
    """Each subclass names its three audit actions; `onward/audit/tests/test_actions.py` checks they are set."""

    audit_added: AuditAction
    audit_changed: AuditAction
    audit_deleted: AuditAction

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_write(
                actor=request.user,
                role="administrator",
                action=self.audit_changed if change else self.audit_added,
                target=obj,
                data={"fields": sorted(form.changed_data)},
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit_write(actor=request.user, role="administrator", action=self.audit_deleted, target=obj)
            super().delete_model(request, obj)


class ReadOnlyAdmin(PolicyAdmin):
    """For evidence and for rows the processes write: it can be read here, never changed."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
