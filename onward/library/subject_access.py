"""Library items the person saved, and what they said about items (helped or not)."""

from onward.core.subject_access import Section, rows, subject_access_section
from onward.library.models import Rating, SavedItem
from onward.people.models import Person


@subject_access_section("library", covers=[SavedItem, Rating])
def library_section(person: Person) -> Section:
    return Section(
        {
            "saved": rows(SavedItem.objects.filter(person=person).order_by("saved_at"), "item_id", "saved_at"),
            "ratings": rows(
                Rating.objects.filter(person=person).order_by("rated_at"), "item_id", "helped", "reason", "rated_at"
            ),
        }
    )
