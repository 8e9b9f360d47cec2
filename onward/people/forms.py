from datetime import date
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from onward.organisations.models import OrgUnit, Role, UnitKind
from onward.people.models import ConditionType, Status
from onward.people.services import (
    LICENCE_DETAILS_MAX_CHARS,
    LICENCE_EXPLANATION_MAX_CHARS,
    LICENCE_TEXT_MAX_CHARS,
    ConditionChoice,
)


class CaseloadFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, prison number or CRN"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status")), *Status.choices])
    unit = forms.TypedChoiceField(label=_("Wing, unit or office"), required=False, coerce=int, empty_value=None)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("release", _("Next release date")), ("-release", _("Latest release date")), ("name", _("Name"))],
    )

    def __init__(self, *args: Any, units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field: Any = self.fields["unit"]
        unit_field.choices = [("", _("All")), *((u.pk, u.name) for u in units)]


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class ReleaseForm(forms.Form):
    release_date = forms.DateField(
        label=_("Release date"),
        help_text=_("For example, 27 11 2026 or 2026-11-27"),
        input_formats=["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y"],
        error_messages={"required": _("Enter the release date"), "invalid": _("Enter a real date, like 27 11 2026")},
    )
    status = forms.ChoiceField(
        label=_("Released on"), choices=[(Status.HDC, Status.HDC.label), (Status.LICENCE, Status.LICENCE.label)]
    )
    supervising_unit = forms.ModelChoiceField(
        label=_("Supervised by"),
        queryset=OrgUnit.objects.filter(kind__in=[UnitKind.PDU, UnitKind.OFFICE]),
        error_messages={"required": _("Choose who will supervise them")},
    )
    practitioner = StaffChoiceField(
        label=_("Probation practitioner"),
        queryset=get_user_model().objects.filter(staff_roles__role=Role.PRACTITIONER).distinct().order_by("last_name"),
        required=False,
    )
    address = forms.CharField(
        label=_("Address they are released to"),
        widget=forms.Textarea,
        max_length=500,
        error_messages={"required": _("Enter the address they are released to")},
    )
    reason = forms.CharField(label=_("Notes"), required=False, max_length=1000, widget=forms.Textarea)

    def clean_release_date(self) -> date:
        value: date = self.cleaned_data["release_date"]
        if value.year < 2000:
            raise forms.ValidationError(_("Enter a real date, like 27 11 2026"))
        return value


class SupervisionEndForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is supervision ending?"),
        max_length=1000,
        widget=forms.Textarea,
        help_text=_("For example, the licence expired on 1 March 2027."),
        error_messages={"required": _("Enter why supervision is ending")},
    )


OWN_WORDS_SLOTS = 3


class LicenceIssueForm(forms.Form):
    """A new licence version: catalogue conditions (with their details) and up to 3 in staff's own words."""

    conditions = forms.MultipleChoiceField(
        label=_("Conditions"), required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )

    def __init__(self, *args: Any, types: list[ConditionType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.types = types
        conditions: Any = self.fields["conditions"]
        conditions.choices = [(t.code, t.wording) for t in types]
        for kind in types:
            if kind.details_label:
                self.fields[f"details_{kind.code}"] = forms.CharField(
                    label=kind.details_label, required=False, max_length=LICENCE_DETAILS_MAX_CHARS
                )
        for n in range(1, OWN_WORDS_SLOTS + 1):
            self.fields[f"own_text_{n}"] = forms.CharField(
                label=_("Condition %(n)s in your own words") % {"n": n},
                required=False,
                max_length=LICENCE_TEXT_MAX_CHARS,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"own_meaning_{n}"] = forms.CharField(
                label=_("What condition %(n)s means, in plain words") % {"n": n},
                help_text=_("Short sentences. Say what the person must do or not do."),
                required=False,
                max_length=LICENCE_EXPLANATION_MAX_CHARS,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def details_field(self, code: str) -> Any:
        return self[f"details_{code}"] if f"details_{code}" in self.fields else None

    def own_words_fields(self) -> list[tuple[Any, Any]]:
        return [(self[f"own_text_{n}"], self[f"own_meaning_{n}"]) for n in range(1, OWN_WORDS_SLOTS + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen: list[ConditionChoice] = []
        for code in data.get("conditions", []):
            details = (data.get(f"details_{code}") or "").strip()
            if f"details_{code}" in self.fields and not details:
                self.add_error(f"details_{code}", _("Add the details for this condition."))
            chosen.append(ConditionChoice(code=code, details=details))
        for n in range(1, OWN_WORDS_SLOTS + 1):
            text = (data.get(f"own_text_{n}") or "").strip()
            meaning = (data.get(f"own_meaning_{n}") or "").strip()
            if text and not meaning:
                self.add_error(f"own_meaning_{n}", _("Say what this condition means, in plain words."))
            elif meaning and not text:
                self.add_error(f"own_text_{n}", _("Write the condition, or clear what it means."))
            elif text:
                chosen.append(ConditionChoice(text=text, explanation=meaning))
        if not chosen and not self.errors:
            self.add_error("conditions", _("Choose at least one condition."))
        data["chosen"] = chosen
        return data


class PeopleImportForm(forms.Form):
    file = forms.FileField(
        label=_("File of people"),
        help_text=_(
            "A CSV file saved as UTF-8, with a header row. We check every row and show you what would change "
            "before anything is saved."
        ),
        error_messages={"required": _("Choose a CSV file."), "empty": _("The file is empty.")},
    )
