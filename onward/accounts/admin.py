from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from onward.accounts.actors import signed_in_user
from onward.accounts.models import SignInAttempt, User
from onward.accounts.services import authenticator_enrolment_issue
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
    actions = ["unlock_sign_in", "issue_authenticator_set_up_code"]
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

    @admin.action(description="Issue a set-up code for their authenticator app (shown once)")
    def issue_authenticator_set_up_code(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """A new account's second factor, or a replacement for a lost phone: only with this code."""
        if queryset.count() != 1:
            messages.error(request, "Choose one account at a time: each set-up code is shown once, to give in person.")
            return
        user = queryset.get()
        code = authenticator_enrolment_issue(actor=signed_in_user(request), user=user)
        hours = settings.AUTHENTICATOR_ENROLMENT_HOURS
        messages.success(
            request,
            f"Set-up code for {user.username}: {code}. Give it to them in person or by phone, not by email. "
            f"It works once, within {hours} hours, after they sign in with their password.",
        )

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
