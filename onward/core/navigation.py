"""Menu items for the two layouts, shown only where the policy allows."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from markupsafe import Markup, escape

from onward.core.addresses import reverse_plain
from onward.core.permissions import can

CountFunction = Callable[[Any], int]
_COUNTS: dict[str, CountFunction] = {}

STAFF_ITEMS = [
    ("people:caseload", "caseload.view", gettext_lazy("Caseload")),
    ("people:person_create", "person.create", gettext_lazy("Add a person")),
    ("alerts:alert_list", "alert.view", gettext_lazy("Alerts")),
    ("resettlement:staff_requests", "requests.handle", gettext_lazy("Requests")),
    ("opportunities:staff_list", "opportunities.view", gettext_lazy("Early release")),
    ("people:licence_unconfirmed", "caseload.view", gettext_lazy("Licences not confirmed")),
    ("appointments:diary", "appointment.view", gettext_lazy("Diary")),
    ("checkins:review_queue", "checkin.review", gettext_lazy("Check-ins to review")),
    ("checkins:statistics", "checkin.statistics", gettext_lazy("Check-in statistics")),
    ("messaging:staff_inbox", "messaging.staff_inbox", gettext_lazy("Messages")),
    ("messaging:review_list", "messaging.review", gettext_lazy("Message review")),
    ("messaging:contact_list", "contact.manage", gettext_lazy("Contacts")),
    ("messaging:word_list_index", "wordlist.manage", gettext_lazy("Word lists")),
    ("messaging:broadcast_new", "broadcast.send", gettext_lazy("Announcements")),
    ("directory:staff_directory", "directory.view", gettext_lazy("Services directory")),
    ("learning:completion_list", "learning.statistics", gettext_lazy("Course completion")),
    ("reports:report_page", "report.view", gettext_lazy("Reports")),
    ("library:editor_list", "library.edit", gettext_lazy("Library")),
    ("learning:editor_courses", "learning.edit", gettext_lazy("Courses")),
    ("audit:search", "audit.search", gettext_lazy("Audit trail")),
    ("people:subject_access", "person.subject_access", gettext_lazy("Subject access")),
    ("people:people_import", "person.import", gettext_lazy("Import people")),
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
            href = reverse_plain(url_name)
            item = {"href": href, "text": str(label), "active": request.path.startswith(href)}
            count = _COUNTS[url_name](user) if url_name in _COUNTS else 0
            if count:
                item["html"] = _with_count(str(label), count)
            items.append(item)
    return items


def navigation_count(url_name: str) -> Callable[[CountFunction], CountFunction]:
    """Register how many things wait on a menu page for a user (an app above core fills it)."""

    def register(function: CountFunction) -> CountFunction:
        _COUNTS[url_name] = function
        return function

    return register


def _with_count(label: str, count: int) -> Markup:
    waiting = _("waiting")
    return Markup(
        '{} <strong class="govuk-tag govuk-tag--red onward-nav-count">{}<span class="govuk-visually-hidden"> {}</span>'
        "</strong>"
    ).format(escape(label), count, waiting)


# Where each kind of work starts: casework on the caseload, editors on the library, administrators
# on the audit trail. Anyone else starts on the first menu page their role may open.
STAFF_LANDINGS = ("people:caseload", "library:editor_list", "audit:search")


def staff_landing(user: Any) -> str:
    """Where a member of staff starts after signing in."""
    menu = {url_name: action for url_name, action, _label in STAFF_ITEMS}
    for url_name in [*STAFF_LANDINGS, *menu]:
        if can(user, menu[url_name]):
            return reverse(url_name)
    return reverse("core:home")


def person_navigation(request: HttpRequest) -> list[dict[str, Any]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(user, "kind", None) != "person":
        return []
    href = reverse("people:person_home")
    messages_href = reverse("messaging:inbox")
    # What the person is offered follows where they are (people's `Person.offers`; core may not import it).
    offers = getattr(getattr(user, "person", None), "offers", None)
    items = [
        {"href": href, "text": _("Home"), "active": request.path == href},
        {
            "href": reverse("appointments:person_appointments"),
            "text": _("Appointments"),
            "active": request.path.startswith(reverse("appointments:person_appointments")),
        },
        {"href": messages_href, "text": _("Messages"), "active": request.path.startswith(messages_href)},
        {"href": reverse("learning:home"), "text": _("Learning"), "active": request.path.startswith("/me/learning/")},
        {
            "href": reverse("directory:person_directory"),
            "text": _("Services near you"),
            "active": request.path.startswith(reverse("directory:person_directory")),
        },
        {
            "href": reverse("library:home"),
            "text": _("Library"),
            "active": request.path.startswith(reverse("library:home")),
        },
    ]
    if offers is None or offers.checkins:
        items.append(
            {
                "href": reverse("checkins:person_checkin"),
                "text": _("Check-in"),
                "active": request.path.startswith(reverse("checkins:person_checkin")),
            }
        )
    return items
