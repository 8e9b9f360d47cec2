from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onward.checkins.models import (
    ContactPreference,
    HelpedManageRisk,
    MappaLevel,
    OfficeVisits,
    ReviewDecision,
    Schedule,
)

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
    helped_manage_risk = forms.ChoiceField(
        label=_("Did this check-in help you manage their risk?"), choices=HelpedManageRisk.choices, required=False
    )
    sensitive = forms.BooleanField(
        label=_("This check-in has sensitive information: keep it out of what the person can see"), required=False
    )


class ReviewFollowUpForm(forms.Form):
    helped_manage_risk = forms.ChoiceField(
        label=_("Did this check-in help you manage their risk?"), choices=HelpedManageRisk.choices
    )
    sensitive = forms.BooleanField(
        label=_("This check-in has sensitive information: keep it out of what the person can see"), required=False
    )


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class SuitabilityScreenForm(forms.Form):
    """The screen's questions, each answered yes or no (MAPPA: its level), and why."""

    very_high_rosh = forms.ChoiceField(label=_("Is their risk of serious harm (RoSH) very high?"), choices=YES_NO)
    mappa_level = forms.ChoiceField(label=_("What is their MAPPA level?"), choices=MappaLevel.choices)
    domestic_abuse = forms.ChoiceField(label=_("Is there domestic abuse in their case?"), choices=YES_NO)
    sexual_offending = forms.ChoiceField(label=_("Is there sexual offending in their case?"), choices=YES_NO)
    youth_case = forms.ChoiceField(label=_("Are they under 18 (a youth case)?"), choices=YES_NO)
    child_protection = forms.ChoiceField(label=_("Are there child protection concerns?"), choices=YES_NO)
    rationale = forms.CharField(label=_("Why you gave these answers"), widget=forms.Textarea, max_length=5000)

    YES_NO_FIELDS = ("very_high_rosh", "domestic_abuse", "sexual_offending", "youth_case", "child_protection")


class SuitabilityApprovalForm(forms.Form):
    rationale = forms.CharField(label=_("Why you approve this screen"), widget=forms.Textarea, max_length=5000)


class LocationForm(forms.Form):
    latitude = forms.FloatField(min_value=-90, max_value=90)
    longitude = forms.FloatField(min_value=-180, max_value=180)
    accuracy = forms.FloatField(min_value=0, max_value=100000)
    consent = forms.BooleanField(required=False)


def weekday_numbers(values: list[Any]) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()]
