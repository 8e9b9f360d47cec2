"""Unread messages on the person's home page: each conversation with new messages, and new announcements."""

from typing import Any

from onward.core.permissions import can
from onward.messaging.selectors import announcements_for, conversations_for
from onward.people.home import DO_NOW, HomeSection, home_section


@home_section("messages", order=20, group=DO_NOW)
def unread_messages_section(user: Any, person: Any) -> HomeSection | None:
    if not can(user, "person.self"):
        return None
    waiting = [entry for entry in conversations_for(user) if entry.unread]
    announcements = announcements_for(user).filter(read_at__isnull=True).count()
    if not waiting and not announcements:
        return None
    return HomeSection("messaging/home_unread.html", {"entries": waiting, "announcements": announcements})
