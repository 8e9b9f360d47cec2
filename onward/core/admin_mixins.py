"""Admin pages write to the audit trail like services do; evidence tables are read-only."""

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from onward.audit.services import audit_record


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                role="administrator",
                action=f"admin.{obj._meta.model_name}.{'changed' if change else 'added'}",
                target=obj,
                data={"fields": sorted(form.changed_data)},
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit_record(
                actor=request.user, role="administrator", action=f"admin.{obj._meta.model_name}.deleted", target=obj
            )
            super().delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For evidence: it can be read here, never changed."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
