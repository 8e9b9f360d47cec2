from datetime import datetime, time
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onward.appointments.models import AppointmentKind, AppointmentState
from onward.notifications.models import ReminderChannel
from onward.notifications.reminders import REMINDER_OFFSET_CHOICES_MINUTES

DATE_FORMATS = ["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y"]


def _day_field() -> forms.DateField:
    return forms.DateField(
        label=_("Date"),
        help_text=_("For example, 27 11 2026 or 2026-11-27"),
        input_formats=DATE_FORMATS,
        error_messages={"required": _("Enter the date"), "invalid": _("Enter a real date, like 27 11 2026")},
    )


def _time_field(label: Any, hint: Any, required: Any, invalid: Any) -> forms.TimeField:
    return forms.TimeField(label=label, help_text=hint, error_messages={"required": required, "invalid": invalid})


class AppointmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type of appointment"), choices=AppointmentKind.choices)
    day = _day_field()
    start = _time_field(
        _("Start time"), _("24-hour clock, for example 14:30"), _("Enter the start time"), _("Enter a time like 14:30")
    )
    end = _time_field(
        _("End time"), _("24-hour clock, for example 15:00"), _("Enter the end time"), _("Enter a time like 15:00")
    )
    with_name = forms.CharField(
        label=_("Who with (if not you)"),
        help_text=_("For example, Northgate Housing Advice"),
        required=False,
        max_length=200,
    )
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea, max_length=500)
    video_url = forms.URLField(label=_("Or a video link"), required=False, max_length=200, assume_scheme="https")
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea, max_length=1000)
    compulsory = forms.ChoiceField(
        label=_("Is attendance compulsory?"), choices=[("yes", _("Yes")), ("no", _("No"))], initial="yes"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("day") and data.get("start") and data.get("end"):
            data["starts_at"] = _london(data["day"], data["start"])
            data["ends_at"] = _london(data["day"], data["end"])
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end", _("The end time must be after the start time"))
        if not (data.get("address") or "").strip() and not data.get("video_url"):
            self.add_error("address", _("Enter an address or a video link"))
        return data


class RearrangeForm(AppointmentForm):
    reason = forms.CharField(
        label=_("Why is it being rearranged?"),
        max_length=500,
        error_messages={"required": _("Give a reason for rearranging")},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea, error_messages={"required": _("Give a reason")}
    )


class AttendanceForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What happened?"),
        choices=[
            (AppointmentState.ATTENDED, AppointmentState.ATTENDED.label),
            (AppointmentState.FAILED_TO_ATTEND, AppointmentState.FAILED_TO_ATTEND.label),
            (AppointmentState.ACCEPTABLE_ABSENCE, AppointmentState.ACCEPTABLE_ABSENCE.label),
        ],
    )
    reason = forms.CharField(
        label=_("Reason or notes"),
        help_text=_("Needed for an acceptable absence"),
        required=False,
        max_length=500,
        widget=forms.Textarea,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == AppointmentState.ACCEPTABLE_ABSENCE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason the absence was acceptable"))
        return data


class RearrangeRequestForm(forms.Form):
    note = forms.CharField(
        label=_("When would suit you better? (optional)"),
        required=False,
        max_length=settings.APPOINTMENT_NOTE_MAX_CHARS,
        widget=forms.Textarea,
    )


class SlotOpenForm(forms.Form):
    """Open a time range as bookable slots, for anyone on the caseload or kept for one person."""

    kind = forms.ChoiceField(label=_("Type of appointment"), choices=AppointmentKind.choices)
    for_person = forms.ChoiceField(label=_("Who can book"), required=False)
    day = _day_field()
    start = _time_field(
        _("From"), _("24-hour clock, for example 10:00"), _("Enter the start time"), _("Enter a time like 10:00")
    )
    end = _time_field(
        _("Until"), _("24-hour clock, for example 12:00"), _("Enter the end time"), _("Enter a time like 12:00")
    )
    length = forms.TypedChoiceField(label=_("Length of each slot"), coerce=int, initial=30)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea, max_length=500)
    video_url = forms.URLField(label=_("Or a video link"), required=False, max_length=200, assume_scheme="https")

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in people}
        people_field = self.fields["for_person"]
        length_field = self.fields["length"]
        assert isinstance(people_field, forms.ChoiceField)
        assert isinstance(length_field, forms.ChoiceField)
        people_field.choices = [("", _("Anyone on my caseload"))] + [
            (str(p.pk), f"{p.full_name} ({p.reference})") for p in people
        ]
        length_field.choices = [
            (m, _("%(minutes)s minutes") % {"minutes": m}) for m in settings.APPOINTMENT_SLOT_LENGTHS_MINUTES
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["person"] = self.people.get(data.get("for_person") or "")
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The end time must be after the start time"))
        if not (data.get("address") or "").strip() and not data.get("video_url"):
            self.add_error("address", _("Enter an address or a video link"))
        return data


def _london(day: Any, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at), timezone.get_default_timezone())


OFFSET_LABELS = {
    7 * 24 * 60: _("1 week before"),
    2 * 24 * 60: _("2 days before"),
    24 * 60: _("1 day before"),
    2 * 60: _("2 hours before"),
    60: _("1 hour before"),
}


class ReminderPreferenceForm(forms.Form):
    """How a person wants to be reminded: the way, when, and the hours we keep quiet."""

    channel = forms.ChoiceField(label=_("How should we remind you?"), choices=ReminderChannel.choices)
    offsets = forms.TypedMultipleChoiceField(
        label=_("When should we remind you?"),
        coerce=int,
        choices=[(m, OFFSET_LABELS[m]) for m in REMINDER_OFFSET_CHOICES_MINUTES],
        error_messages={"required": _("Choose at least one time to be reminded.")},
    )
    quiet_start = forms.TypedChoiceField(
        label=_("Quiet from"), coerce=int, choices=[(h, f"{h:02d}:00") for h in range(24)]
    )
    quiet_end = forms.TypedChoiceField(
        label=_("Quiet until"), coerce=int, choices=[(h, f"{h:02d}:00") for h in range(24)]
    )
