"""Menu items for the two layouts, shown only where the policy allows."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onward.core.permissions import can

STAFF_ITEMS = [
    ("people:caseload", "caseload.view", gettext_lazy("Caseload")),
    ("audit:search", "audit.search", gettext_lazy("Audit trail")),
    ("notifications:sms_log", "admin.site", gettext_lazy("Text message log")),
    ("admin:index", "admin.site", gettext_lazy("Administration")),
]


def staff_navigation(request: HttpRequest) -> list[dict[str, Any]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(user, "kind", None) != "staff":
        return []
    items = []
    for url_name, action, label in STAFF_ITEMS:
        if can(user, action):
            href = reverse(url_name)
            items.append({"href": href, "text": str(label), "active": request.path.startswith(href)})
    return items


def person_navigation(request: HttpRequest) -> list[dict[str, Any]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(user, "kind", None) != "person":
        return []
    href = reverse("people:person_home")
    return [{"href": href, "text": _("Home"), "active": request.path == href}]
