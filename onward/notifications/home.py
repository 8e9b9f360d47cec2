"""The person's inbox on their home page: their newest unread notices, and a link to read them all."""

from typing import Any

from onward.core.permissions import can
from onward.notifications.selectors import inbox_unread
from onward.people.home import HomeSection, home_section

HOME_INBOX_SHOWN = 3


@home_section("inbox", order=10)
def inbox_section(user: Any, person: Any) -> HomeSection | None:
    if not can(user, "notifications.inbox"):
        return None
    unread = inbox_unread(user)
    return HomeSection(
        "notifications/home_inbox.html",
        {"notices": list(unread[:HOME_INBOX_SHOWN]), "unread_count": unread.count()},
    )
