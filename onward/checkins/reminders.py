"""Reminders before a check-in window ends: a reminder kind the notifications app sends.

The offset counts back from the end of the window; a reminder that would fall before the window
opens is not planned (the invitation went then); the channel chosen at enrolment is used ("in the
app only" means in the app); at sending time the check-in must still be waiting for the person.
"""

from datetime import datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from onward.checkins.models import OPEN_STATES, CheckIn
from onward.notifications.models import Reminder, ReminderPreference
from onward.notifications.reminders import ReminderKind, ReminderLink, reminder_kind


class CheckInReminders(ReminderKind):
    name = "checkin"
    link_purpose = "checkin"

    def things(self, ids: list[int]) -> dict[int, Any]:
        checkins = CheckIn.objects.filter(pk__in=ids).select_related("enrolment", "person", "person__account")
        return {c.pk: c for c in checkins}

    def moment(self, thing: Any) -> datetime:
        return thing.closes_at

    def offsets(self, thing: Any, preference: ReminderPreference | None) -> list[int]:
        return sorted(set(settings.CHECKIN_REMINDER_OFFSETS_MINUTES), reverse=True)

    def not_before(self, thing: Any) -> datetime | None:
        return thing.opens_at

    def still_due(self, thing: Any, at: datetime) -> bool:
        return thing.state in OPEN_STATES and thing.closes_at > at

    def channel(self, thing: Any) -> str | None:
        return thing.enrolment.contact_preference

    def link(self, thing: Any) -> ReminderLink | None:
        return ReminderLink(next_path=_checkin_path(), expires_at=thing.closes_at)

    def link_base_url(self) -> str:
        return str(settings.PUBLIC_BASE_URL)

    def words(self, thing: Any, channel: str, link: str) -> tuple[str, str]:
        when = formats.date_format(timezone.localtime(thing.closes_at), "l j F, H:i")
        body = _("A reminder: please do your check-in before %(when)s.") % {"when": when}
        return _("Reminder: your check-in"), f"{body} {link}".strip()

    def upcoming_for(self, person_id: int, at: datetime) -> list[Any]:
        return list(CheckIn.objects.filter(person_id=person_id, state__in=OPEN_STATES, closes_at__gt=at))

    def missing(self, at: datetime, after_id: int, batch_size: int) -> list[Any]:
        return list(
            CheckIn.objects.filter(pk__gt=after_id, state__in=OPEN_STATES, closes_at__gt=at)
            .filter(~Exists(Reminder.objects.filter(kind=self.name, object_id=OuterRef("pk"))))
            .order_by("pk")[:batch_size]
        )

    def sent(self, ids: list[int], at: datetime) -> None:
        CheckIn.objects.filter(pk__in=ids).update(reminded_at=at)


@lru_cache(maxsize=1)
def _checkin_path() -> str:
    return reverse("checkins:person_checkin")  # once, not once per reminder


CHECKIN_REMINDERS = reminder_kind(CheckInReminders())
