"""Appointment reminders: a reminder kind the notifications app plans and sends.

Offsets count back from the start: the person's own offsets for the appointment's kind, theirs for
all kinds, the kind's default, then the general default. A reminder carries a link to confirm or ask
to rearrange; by text, a reply (YES or R) does the same (`appointment_reply`).
"""

from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from onward.appointments.models import REMINDABLE_STATES, Appointment, AppointmentState
from onward.notifications.models import Reminder, ReminderPreference
from onward.notifications.reminders import ReminderKind, ReminderLink, reminder_kind

LINK_PURPOSE = "appointment_reminder"
PLACEHOLDER_ID = 987654321


class AppointmentReminders(ReminderKind):
    name = "appointment"
    link_purpose = LINK_PURPOSE

    def things(self, ids: list[int]) -> dict[int, Any]:
        appointments = Appointment.objects.filter(pk__in=ids).select_related("person", "person__account")
        return {a.pk: a for a in appointments}

    def moment(self, thing: Any) -> datetime:
        return thing.starts_at

    def offsets(self, thing: Any, preference: ReminderPreference | None) -> list[int]:
        return reminder_offsets(thing, preference)

    def still_due(self, thing: Any, at: datetime) -> bool:
        return thing.state in REMINDABLE_STATES and thing.starts_at > at

    def link(self, thing: Any) -> ReminderLink | None:
        # Reversed once per process: a reverse() per reminder costs more than the rest of the reminder.
        path = _appointment_path().replace(str(PLACEHOLDER_ID), str(thing.pk))
        return ReminderLink(next_path=path, expires_at=thing.starts_at + timedelta(hours=1))

    def link_base_url(self) -> str:
        return str(settings.PUBLIC_BASE_URL)

    def words(self, thing: Any, channel: str, link: str) -> tuple[str, str]:
        when = _when(
            get_language(), timezone.get_current_timezone_name(), thing.starts_at.replace(second=0, microsecond=0)
        )
        where = _("video call") if thing.is_video else thing.address.replace("\n", ", ")
        body = _("Reminder: %(what)s on %(when)s, %(where)s.") % {
            "what": thing.get_kind_display(),
            "when": when,
            "where": where,
        }
        if link:
            body += " " + _("Confirm or ask to rearrange: %(link)s") % {"link": link}
        if channel == "sms" and settings.APPOINTMENT_SMS_REPLIES:
            body += " " + _("Or reply YES to confirm, or R to ask to rearrange.")
        return _("Appointment reminder"), body

    def upcoming_for(self, person_id: int, at: datetime) -> list[Any]:
        return list(Appointment.objects.filter(person_id=person_id, state__in=REMINDABLE_STATES, starts_at__gt=at))

    def missing(self, at: datetime, after_id: int, batch_size: int) -> list[Any]:
        horizon = at + timedelta(minutes=max(_all_offsets()), days=settings.APPOINTMENT_PLAN_AHEAD_DAYS)
        return list(
            Appointment.objects.filter(
                pk__gt=after_id, state=AppointmentState.BOOKED, starts_at__gt=at, starts_at__lte=horizon
            )
            .filter(~Exists(Reminder.objects.filter(kind=self.name, object_id=OuterRef("pk"))))
            .order_by("pk")[:batch_size]
        )


def reminder_offsets(appointment: Appointment, preference: ReminderPreference | None) -> list[int]:
    """Minutes before the start: the person's offsets for this kind, theirs for all kinds, the kind's, the default."""
    if preference is not None:
        by_kind = preference.offsets_by_kind or {}
        if by_kind.get(appointment.kind):
            return sorted({int(m) for m in by_kind[appointment.kind]}, reverse=True)
        if preference.offsets_minutes:
            return sorted({int(m) for m in preference.offsets_minutes}, reverse=True)
    kinds: dict[str, list[int]] = settings.APPOINTMENT_REMINDER_OFFSETS_MINUTES_BY_KIND
    return sorted(set(kinds.get(appointment.kind, settings.APPOINTMENT_REMINDER_OFFSETS_MINUTES)), reverse=True)


@lru_cache(maxsize=4096)
def _when(language: str | None, zone: str, starts_at: datetime) -> str:
    """The start as the person reads it ("Tuesday 3 March, 14:30"), formatted once per language and minute.

    A national day's reminders share a few hundred start times; formatting each one again cost more than the rest
    of the reminder. The language and time zone are part of the key because the words depend on them.
    """
    return formats.date_format(timezone.localtime(starts_at), "l j F, H:i")


_PATHS: dict[str, str] = {}


def _appointment_path() -> str:
    if "appointment" not in _PATHS:
        _PATHS["appointment"] = reverse("appointments:person_appointment", args=[PLACEHOLDER_ID])
    return _PATHS["appointment"]


def _all_offsets() -> list[int]:
    offsets = list(settings.APPOINTMENT_REMINDER_OFFSETS_MINUTES)
    for values in settings.APPOINTMENT_REMINDER_OFFSETS_MINUTES_BY_KIND.values():
        offsets += list(values)
    return offsets or [0]


APPOINTMENT_REMINDERS = reminder_kind(AppointmentReminders())
