from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onward.checkins.models import ContactPreference, OfficeVisits, ReviewDecision, Schedule

WEEKDAY_CHOICES = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]


class EnrolmentForm(forms.Form):
    photo = forms.FileField(
        label=_("Reference photo"),
        required=False,
        help_text=_("A clear, recent photo of their face, looking at the camera. JPEG or PNG."),
    )
    schedule = forms.ChoiceField(label=_("How often"), choices=Schedule.choices)
    weekdays = forms.MultipleChoiceField(
        label=_("Days (for chosen days)"), choices=WEEKDAY_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    window_hours = forms.IntegerField(label=_("Hours they have to respond"), min_value=1, max_value=336, initial=72)
    contact_preference = forms.ChoiceField(label=_("How we tell them"), choices=ContactPreference.choices)
    office_visits = forms.ChoiceField(label=_("Office visits"), choices=OfficeVisits.choices)
    office_visits_reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, max_length=2000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, max_length=2000)


class VoiceEnrolmentForm(forms.Form):
    """The person's three phrases, each recorded on a phone or the office computer (not kept after enrolment)."""

    phrase_1 = forms.FileField(label=_("Recording of phrase 1"))
    phrase_2 = forms.FileField(label=_("Recording of phrase 2"))
    phrase_3 = forms.FileField(label=_("Recording of phrase 3"))


class ExtraQuestionForm(forms.Form):
    text = forms.CharField(label=_("Your question for their next check-in"), max_length=300)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Your decision"), choices=ReviewDecision.choices)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False, max_length=5000)


class LocationForm(forms.Form):
    latitude = forms.FloatField(min_value=-90, max_value=90)
    longitude = forms.FloatField(min_value=-180, max_value=180)
    accuracy = forms.FloatField(min_value=0, max_value=100000)
    consent = forms.BooleanField(required=False)


def weekday_numbers(values: list[Any]) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()]
