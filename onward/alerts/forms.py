from django import forms
from django.utils.translation import gettext_lazy as _

from onward.alerts.models import AlertKind, AlertState, Decision, Severity
from onward.alerts.services import NOTE_MAX_CHARS, REASON_MAX_CHARS

STATE_FILTERS = [("", _("Open or acknowledged")), *AlertState.choices, ("all", _("All"))]


class AlertFilterForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Whose alerts"), choices=[("mine", _("Mine")), ("team", _("My team's"))], required=False
    )
    state = forms.ChoiceField(label=_("State"), choices=STATE_FILTERS, required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=[("", _("Any")), *Severity.choices], required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Any")), *AlertKind.choices], required=False)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Add a note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_CHARS,
        error_messages={"required": _("Write a note."), "max_length": _("A note must be 2000 characters or fewer.")},
    )


class CloseForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"), choices=Decision.choices, error_messages={"required": _("Choose a decision.")}
    )
    reason = forms.CharField(
        label=_("Reason for your decision"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_CHARS,
        error_messages={
            "required": _("Give a reason for your decision."),
            "max_length": _("The reason must be 1000 characters or fewer."),
        },
    )
