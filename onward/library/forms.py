from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onward.library.models import Audience, ItemKind, Series, Topic
from onward.library.services import BODY_MAX_CHARS, REASON_MAX_CHARS, SUMMARY_MAX_CHARS, TITLE_MAX_CHARS
from onward.organisations.models import OrgUnit

SEARCH_MAX_CHARS = 100
WELSH = "cy"


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the library"), max_length=SEARCH_MAX_CHARS, required=False)


class RateForm(forms.Form):
    helped = forms.TypedChoiceField(
        label=_("Did this help?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        error_messages={"required": _("Choose yes or no.")},
    )
    reason = forms.CharField(
        label=_("What would have helped? (optional)"),
        required=False,
        max_length=REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("What kind of item is it?"), choices=ItemKind.choices)
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_CHARS)
    summary = forms.CharField(
        label=_("Summary"), max_length=SUMMARY_MAX_CHARS, required=False, help_text=_("One or two sentences.")
    )
    body = forms.CharField(
        label=_("Words"),
        max_length=BODY_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Markdown: ## for a heading, - for a list, **bold**, [link words](https://…). HTML is not shown."),
    )
    transcript = forms.CharField(
        label=_("Transcript (audio and video)"),
        max_length=BODY_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    title_cy = forms.CharField(label=_("Title in Welsh"), max_length=TITLE_MAX_CHARS, required=False)
    summary_cy = forms.CharField(label=_("Summary in Welsh"), max_length=SUMMARY_MAX_CHARS, required=False)
    body_cy = forms.CharField(
        label=_("Words in Welsh"), max_length=BODY_MAX_CHARS, required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    transcript_cy = forms.CharField(
        label=_("Transcript in Welsh"),
        max_length=BODY_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    upload = forms.FileField(
        label=_("File (audio, video or PDF)"),
        required=False,
        help_text=_("MP3, MP4 or PDF. Leave empty to keep the file you added before."),
    )
    topics = forms.ModelMultipleChoiceField(label=_("Topics"), queryset=Topic.objects.all(), required=False)
    series = forms.ModelChoiceField(label=_("Series"), queryset=Series.objects.all(), required=False)
    series_position = forms.IntegerField(label=_("Place in the series"), min_value=0, max_value=999, required=False)
    audience = forms.ChoiceField(
        label=_("Who is it for?"),
        choices=Audience.choices,
        help_text=_("Anything for people in custody needs another editor to approve it."),
    )
    where = forms.ChoiceField(
        label=_("Which prisons?"),
        choices=[("all", _("All prisons")), ("chosen", _("Only the prisons I choose"))],
        initial="all",
    )
    prisons = forms.ModelMultipleChoiceField(label=_("Prisons"), queryset=OrgUnit.objects.none(), required=False)

    def __init__(self, *args: Any, prisons: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prisons"].queryset = prisons  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("where") == "chosen" and data.get("audience") != Audience.COMMUNITY and not data.get("prisons"):
            self.add_error("prisons", _("Choose at least one prison, or choose all prisons."))
        if data.get("title_cy", "").strip() == "" and any(
            data.get(f"{name}_cy", "").strip() for name in ("summary", "body", "transcript")
        ):
            self.add_error("title_cy", _("Enter the title in Welsh, or leave all the Welsh boxes empty."))
        return data


class PublishForm(forms.Form):
    when = forms.ChoiceField(
        label=_("When should it be published?"),
        choices=[("now", _("Now")), ("later", _("At a time I choose"))],
        initial="now",
    )
    publish_at = forms.DateTimeField(
        label=_("Date and time"),
        required=False,
        help_text=_("For example, 2027-01-31 09:00"),
        error_messages={"invalid": _("Enter a date and time like 2027-01-31 09:00")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("when") == "later":
            at: datetime | None = data.get("publish_at")
            if at is None:
                self.add_error("publish_at", _("Enter the date and time to publish it."))
            elif at <= timezone.now():
                self.add_error("publish_at", _("The time must be in the future."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why.")},
    )
