"""The person's notices on their home page: unread ones are something to do now; otherwise a link.

Also the link to notifications on their phone, offered only where they have a phone of their own.
"""

from typing import Any

from onward.core.permissions import can
from onward.notifications.selectors import inbox_unread
from onward.people.home import DO_NOW, OTHER, HomeSection, home_section

HOME_INBOX_SHOWN = 3


@home_section("inbox", order=30, group=DO_NOW)
def inbox_section(user: Any, person: Any) -> HomeSection | None:
    """The newest unread notices, when there are any."""
    if not can(user, "notifications.inbox"):
        return None
    unread = list(inbox_unread(user)[: HOME_INBOX_SHOWN + 1])
    if not unread:
        return None
    count = len(unread) if len(unread) <= HOME_INBOX_SHOWN else inbox_unread(user).count()
    return HomeSection("notifications/home_inbox.html", {"notices": unread[:HOME_INBOX_SHOWN], "unread_count": count})


@home_section("inbox_read", order=30, group=OTHER)
def inbox_link_section(user: Any, person: Any) -> HomeSection | None:
    """With nothing unread, only the way to the notices already read."""
    if not can(user, "notifications.inbox") or inbox_unread(user).exists():
        return None
    return HomeSection("notifications/home_inbox.html", {"notices": [], "unread_count": 0})


@home_section("push", order=90, group=OTHER)
def push_section(user: Any, person: Any) -> HomeSection | None:
    if not person.offers.phone_notifications or not can(user, "notifications.push"):
        return None
    return HomeSection("notifications/home_push.html")
