from typing import Any

from axes.utils import reset as axes_reset
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from onward.accounts.models import SignInAttempt, User
from onward.audit.services import audit_record
from onward.core.admin_mixins import AuditedAdmin, PolicyInline, ReadOnlyAdmin
from onward.core.admin_site import admin_site
from onward.core.audit_actions import AuditAction
from onward.organisations.models import StaffRole


class StaffRoleInline(PolicyInline):
    model = StaffRole
    extra = 1
    fields = ["role", "unit", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["unit"]


@admin.register(User, site=admin_site)
class UserAdmin(AuditedAdmin):
    list_display = ["username", "first_name", "last_name", "kind", "is_active", "last_login"]
    list_filter = ["kind", "is_active", "staff_roles__role"]
    search_fields = ["username", "first_name", "last_name"]
    fields = ["username", "email", "first_name", "last_name", "kind", "is_active", "last_login", "date_joined"]
    readonly_fields = ["kind", "last_login", "date_joined"]
    inlines = [StaffRoleInline]
    actions = ["unlock_sign_in"]
    audit_added = AuditAction.ADMIN_USER_ADDED
    audit_changed = AuditAction.ADMIN_USER_CHANGED
    audit_deleted = AuditAction.ADMIN_USER_DELETED

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        # People's accounts are managed from their record, not here.
        return super().get_queryset(request).filter(kind="staff")

    @admin.action(description="Unlock sign-in after too many wrong passwords")
    def unlock_sign_in(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            axes_reset(username=user.username)
            audit_record(
                actor=request.user, role="administrator", action=AuditAction.ACCOUNT_STAFF_UNLOCKED, target=user
            )
        messages.success(request, f"Unlocked {queryset.count()} account(s).")

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        if formset.has_changed():
            audit_record(
                actor=request.user,
                role="administrator",
                action=AuditAction.ACCOUNT_STAFF_ROLES_CHANGED,
                target=form.instance,
                data={"roles": [str(r) for r in form.instance.staff_roles.all()]},
            )


@admin.register(SignInAttempt, site=admin_site)
class SignInAttemptAdmin(ReadOnlyAdmin):
    list_display = ["at", "method", "identifier", "succeeded", "reason", "ip_address"]
    list_filter = ["method", "succeeded", "reason"]
    search_fields = ["identifier"]
    date_hierarchy = "at"
