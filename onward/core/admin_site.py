"""The Django admin, for administrators only, after their second factor."""

from django.contrib import admin
from django.http import HttpRequest

from onward.core.permissions import can


class OnwardAdminSite(admin.AdminSite):
    site_header = "Onward administration"
    site_title = "Onward administration"
    login_template = None

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and can(request.user, "admin.site"))

    def login(self, request: HttpRequest, extra_context: dict | None = None):  # type: ignore[no-untyped-def]
        from django.shortcuts import redirect

        return redirect(f"/sign-in/?next={request.get_full_path()}")


admin_site = OnwardAdminSite(name="admin")
admin_site.onward_permission = "admin.site"  # type: ignore[attr-defined]
