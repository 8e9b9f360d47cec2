from django.urls import include, path

from onward.core.admin_site import admin_site

urlpatterns = [
    path("", include(("onward.core.urls", "core"))),
    path("", include(("onward.accounts.urls", "accounts"))),
    path("", include(("onward.people.urls", "people"))),
    path("", include(("onward.alerts.urls", "alerts"))),
    path("", include(("onward.checkins.urls", "checkins"))),
    path("", include(("onward.curfew.urls", "curfew"))),
    path("", include(("onward.messaging.urls", "messaging"))),
    path("", include(("onward.appointments.urls", "appointments"))),
    path("", include(("onward.directory.urls", "directory"))),
    path("", include(("onward.learning.urls", "learning"))),
    path("", include(("onward.library.urls", "library"))),
    path("", include(("onward.resettlement.urls", "resettlement"))),
    path("", include(("onward.opportunities.urls", "opportunities"))),
    path("", include(("onward.reports.urls", "reports"))),
    path("staff/audit/", include(("onward.audit.urls", "audit"))),
    path("", include(("onward.notifications.urls", "notifications"))),
    path("api/v1/", include("onward.api.urls")),
    path("admin/", admin_site.urls),
]

handler400 = "onward.core.views.error_400"
handler403 = "onward.core.views.error_403"
handler404 = "onward.core.views.error_404"
handler500 = "onward.core.views.error_500"
