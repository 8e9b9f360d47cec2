"""The person's home page (/me/): what they must do now, then what is coming, then everything else.

An app registers a section in its own `home.py` with `@home_section(name, order=..., group=...)`; see
`onward/people/sections.py`. The group says where it goes: `DO_NOW` (something the person must do:
a check-in due, unread messages, an appointment to confirm), `COMING_UP` (appointments this week, the
next check-in) or `OTHER` (the rest: their next key date, such as when their licence ends, who is
helping them, their licence rules). The people app's own sections are at the end of this module.
"""

from typing import Any

from onward.people.models import Person
from onward.people.sections import PageSection, PageSections
from onward.people.selectors import licence_current

DO_NOW = "do_now"
COMING_UP = "coming_up"
OTHER = "other"

HomeSection = PageSection
HOME = PageSections(groups=(DO_NOW, COMING_UP, OTHER))
home_section = HOME.section
home_sections = HOME.shown
home_sections_grouped = HOME.grouped


# --- The people app's own sections -------------------------------------------------------------


@home_section("licence_to_confirm", order=50, group=DO_NOW)
def licence_to_confirm(user: Any, person: Person) -> HomeSection | None:
    licence = licence_current(person)
    if licence is None or licence.confirmed_at is not None:
        return None
    return HomeSection("people/home_licence.html", {"licence": licence, "to_confirm": True})


@home_section("contact_to_check", order=60, group=DO_NOW)
def contact_to_check(user: Any, person: Person) -> HomeSection | None:
    if (person.phone and not person.phone_verified) or (person.email and not person.email_verified):
        return HomeSection("people/home_contact.html")
    return None


@home_section("next_date", order=5, group=OTHER)
def next_date(user: Any, person: Person) -> HomeSection | None:
    return HomeSection("people/home_next_date.html", {"next_date": person.next_key_date()})


@home_section("workers", order=10, group=OTHER)
def workers(user: Any, person: Person) -> HomeSection | None:
    return HomeSection("people/home_workers.html", {"workers": list(person.active_assignments)})  # type: ignore[attr-defined]


@home_section("licence", order=20, group=OTHER)
def licence(user: Any, person: Person) -> HomeSection | None:
    current = licence_current(person)
    if current is None or current.confirmed_at is None:
        return None
    return HomeSection("people/home_licence.html", {"licence": current, "to_confirm": False})
