from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from onward.messaging.models import Audience, ScreeningPolicy, TermKind
from onward.messaging.screening import PATTERN_LABELS
from onward.organisations.models import OrgUnit


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=settings.MESSAGING_MESSAGE_MAX_CHARS,
        error_messages={
            "required": _("Write your message."),
            "max_length": _("Your message must be %(limit_value)s characters or fewer."),
        },
    )


class ContactReplyForm(MessageForm):
    pass


class ReviewForm(forms.Form):
    DECISIONS = [
        ("release", _("Release it")),
        ("release_note", _("Release it with a note")),
        ("block", _("Do not deliver it")),
    ]
    decision = forms.ChoiceField(
        label=_("Decision"), choices=DECISIONS, error_messages={"required": _("Choose what to do with the message.")}
    )
    note = forms.CharField(label=_("Note for the review record"), required=False, max_length=1000)
    reason = forms.CharField(
        label=_("Reason the sender will see"),
        required=False,
        max_length=500,
        help_text=_("Use plain words, like 'Messages cannot include phone numbers.'"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "block" and not data.get("reason", "").strip():
            self.add_error("reason", _("Enter the reason the sender will see."))
        if data.get("decision") == "release_note" and not data.get("note", "").strip():
            self.add_error("note", _("Enter the note."))
        return data


class FlagReviewForm(forms.Form):
    note = forms.CharField(label=_("Note for the review record"), required=False, max_length=1000)


class ContactForm(forms.Form):
    prison_number = forms.CharField(
        label=_("Prison number of the person in custody"),
        max_length=7,
        error_messages={"required": _("Enter the prison number.")},
    )
    name = forms.CharField(
        label=_("Contact's full name"), max_length=200, error_messages={"required": _("Enter the name.")}
    )
    relationship = forms.CharField(
        label=_("Relationship"), max_length=100, error_messages={"required": _("Enter the relationship.")}
    )
    email = forms.EmailField(label=_("Email address"), required=False)
    phone = forms.CharField(label=_("Mobile phone number"), required=False, max_length=20)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("email") and not data.get("phone"):
            self.add_error("email", _("Enter an email address or a phone number."))
        return data


class ContactStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Change to"),
        choices=[("approved", _("Approved")), ("suspended", _("Suspended")), ("barred", _("Barred"))],
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") in ("suspended", "barred") and not data.get("reason", "").strip():
            self.add_error("reason", _("Enter the reason."))
        return data


class BroadcastForm(forms.Form):
    audience = forms.ChoiceField(label=_("Who it is for"), choices=Audience.choices)
    unit = forms.TypedChoiceField(
        label=_("Wing, prison or delivery unit"), required=False, coerce=int, empty_value=None
    )
    title = forms.CharField(label=_("Title"), max_length=120, error_messages={"required": _("Enter a title.")})
    body = forms.CharField(
        label=_("Announcement"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=settings.MESSAGING_MESSAGE_MAX_CHARS,
        error_messages={"required": _("Write the announcement.")},
    )

    def __init__(self, *args: Any, units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field: Any = self.fields["unit"]
        unit_field.choices = [
            ("", _("None (my caseload)")),
            *((u.pk, f"{u.name} ({u.get_kind_display()})") for u in units),
        ]


class WordListForm(forms.Form):
    unit = forms.TypedChoiceField(
        label=_("Prison or probation delivery unit"),
        coerce=int,
        error_messages={"required": _("Choose the prison or delivery unit.")},
    )
    policy = forms.ChoiceField(
        label=_("When a message matches the list"),
        choices=ScreeningPolicy.choices,
        error_messages={"required": _("Choose what happens to a message that matches.")},
    )

    def __init__(self, *args: Any, units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field: Any = self.fields["unit"]
        unit_field.choices = [("", ""), *((u.pk, f"{u.name} ({u.get_kind_display()})") for u in units)]


class PolicyForm(forms.Form):
    policy = forms.ChoiceField(
        label=_("When a message matches the list"),
        choices=ScreeningPolicy.choices,
        error_messages={"required": _("Choose what happens to a message that matches.")},
    )
    reason = forms.CharField(
        label=_("Reason for the change"), max_length=500, error_messages={"required": _("Enter the reason.")}
    )


class TermForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=TermKind.choices, error_messages={"required": _("Choose word, phrase or pattern.")}
    )
    text = forms.CharField(
        label=_("Word or phrase"),
        required=False,
        max_length=100,
        help_text=_(
            "Capital letters, accents, hidden characters, look-alike letters and numbers used as letters do not "
            "matter. Whole words match, and their plurals."
        ),
    )
    pattern = forms.ChoiceField(label=_("Pattern"), required=False)
    category = forms.CharField(label=_("Category (optional)"), required=False, max_length=50)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pattern_field: Any = self.fields["pattern"]
        pattern_field.choices = [("", _("Not a pattern")), *PATTERN_LABELS.items()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == TermKind.PATTERN and not data.get("pattern"):
            self.add_error("pattern", _("Choose the pattern."))
        elif data.get("kind") in (TermKind.WORD, TermKind.PHRASE) and not data.get("text", "").strip():
            self.add_error("text", _("Enter a word or phrase."))
        return data


class TermRemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for removing it"), max_length=500, error_messages={"required": _("Enter the reason.")}
    )


class TermUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File of terms"),
        help_text=_(
            "A text or CSV file with one term on each line. A line can also be: kind, term, category "
            "(kind is word, phrase or pattern)."
        ),
        error_messages={"required": _("Choose a file.")},
    )


class ScreeningTryForm(forms.Form):
    text = forms.CharField(
        label=_("Message to try"),
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        max_length=settings.MESSAGING_MESSAGE_MAX_CHARS,
        help_text=_("It is checked against this list as a message from someone here would be. It is not sent or kept."),
        error_messages={
            "required": _("Enter a message to try."),
            "max_length": _("The message must be %(limit_value)s characters or fewer."),
        },
    )
