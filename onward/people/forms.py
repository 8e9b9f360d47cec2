from datetime import date
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from onward.organisations.models import OrgUnit, Role, UnitKind
from onward.people.models import ConditionType, ContactChannel, Language, RiskLevel, Status
from onward.people.services import (
    CONTACT_CHECK_CODE,
    CONTACT_CHECK_IN_PERSON,
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
        choices=[
            ("attention", _("Needs attention first")),
            ("release", _("Next release date")),
            ("-release", _("Latest release date")),
            ("name", _("Name")),
        ],
    )
    needs_attention = forms.BooleanField(label=_("Only people who need attention today"), required=False)

    def __init__(self, *args: Any, units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field: Any = self.fields["unit"]
        unit_field.choices = [("", _("All")), *((u.pk, u.name) for u in units)]


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


DATE_HINT = _("For example, 27 11 2026")


def _text(label: Any, max_length: int = 100, help_text: Any = "", **kwargs: Any) -> forms.CharField:
    """Plain text: the service's check (onward.people.validation) says what is wrong, in one place."""
    return forms.CharField(label=label, required=False, max_length=max_length, help_text=help_text, **kwargs)


class PersonForm(forms.Form):
    """A person's details as staff type them. Every rule is checked by the service, which names the field."""

    first_name = _text(_("First name"))
    last_name = _text(_("Last name"))
    date_of_birth = _text(_("Date of birth"), 10, DATE_HINT)
    prison_number = _text(_("Prison number"), 10, _("For example, A1234BC. Leave empty if they have none."))
    crn = _text(_("Case reference number (CRN)"), 10, _("For example, X123456. Leave empty if they have none."))
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Choose a status")), *Status.choices], required=False)
    unit = forms.TypedChoiceField(label=_("Prison, wing or probation office"), coerce=int, required=False)
    address_line_1 = _text(_("Address line 1"))
    address_line_2 = _text(_("Address line 2 (optional)"))
    town = _text(_("Town or city (optional)"))
    postcode = _text(_("Postcode"), 10, _("We use the postcode to find where the address is."))
    phone = _text(_("Mobile phone number (optional)"), 20, _("It is used only after they show it is theirs."))
    email = _text(_("Email address (optional)"), 254, _("It is used only after they show it is theirs."))
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=Language.choices, required=False)
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices, required=False)
    sentence_date = _text(_("Sentence start date"), 10, DATE_HINT)
    hdc_eligibility_date = _text(_("Home detention curfew (HDC) eligibility date"), 10, DATE_HINT)
    hdc_actual_date = _text(_("HDC actual date"), 10, DATE_HINT)
    rotl_eligibility_date = _text(_("Release on temporary licence (ROTL) eligibility date"), 10, DATE_HINT)
    parole_eligibility_date = _text(_("Parole eligibility date"), 10, DATE_HINT)
    conditional_release_date = _text(_("Conditional release date"), 10, DATE_HINT)
    licence_expiry_date = _text(_("Licence end date"), 10, DATE_HINT)
    sentence_expiry_date = _text(_("Sentence expiry date"), 10, DATE_HINT)
    reason = _text(_("Why are you making this change? (optional)"), 1000, widget=forms.Textarea(attrs={"rows": 2}))

    DATE_FIELDS = (
        "sentence_date",
        "hdc_eligibility_date",
        "hdc_actual_date",
        "rotl_eligibility_date",
        "parole_eligibility_date",
        "conditional_release_date",
        "licence_expiry_date",
        "sentence_expiry_date",
    )

    def __init__(self, *args: Any, units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {unit.pk: unit for unit in units}
        unit_field: Any = self.fields["unit"]
        unit_field.choices = [("", _("Choose where they are")), *((u.pk, _unit_label(u)) for u in units)]

    def values(self) -> dict[str, Any]:
        """The typed values for the service: the unit as a unit, everything else as typed."""
        data = dict(self.cleaned_data)
        data.pop("reason", None)
        unit_id = data.pop("unit", None)
        data["unit"] = self.units.get(unit_id) if unit_id else None
        return data

    def add_field_errors(self, errors: list[Any]) -> None:
        for error in errors:
            self.add_error(error.field if error.field in self.fields else None, error.message)


def person_form_initial(person: Any) -> dict[str, Any]:
    """A person's record as the form shows it: dates as 27 11 2026."""
    initial: dict[str, Any] = {name: getattr(person, name) for name in PersonForm.base_fields if hasattr(person, name)}
    initial["unit"] = person.unit_id
    initial["date_of_birth"] = person.date_of_birth.strftime("%d %m %Y") if person.date_of_birth else ""
    for name in PersonForm.DATE_FIELDS:
        value = getattr(person, name)
        initial[name] = value.strftime("%d %m %Y") if value else ""
    initial["prison_number"] = person.prison_number or ""
    initial["crn"] = person.crn or ""
    initial["reason"] = ""
    return initial


def _unit_label(unit: OrgUnit) -> str:
    parent = unit.parent
    return f"{parent.name}: {unit.name}" if unit.kind == UnitKind.WING and parent is not None else unit.name


class ContactCodeForm(forms.Form):
    channel = forms.ChoiceField(choices=ContactChannel.choices)
    code = forms.CharField(
        label=_("Code"),
        max_length=10,
        required=False,
        help_text=_("The 6 numbers sent to them. They can read it out to you."),
    )


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
    address_line_1 = forms.CharField(
        label=_("Address line 1"),
        max_length=100,
        error_messages={"required": _("Enter the address they are released to")},
    )
    address_line_2 = _text(_("Address line 2 (optional)"))
    town = _text(_("Town or city (optional)"))
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=10,
        help_text=_("We use the postcode to find where the address is."),
        error_messages={"required": _("Enter the postcode of the address they are released to")},
    )
    phone = _text(_("Mobile phone number in the community"), 20, _("For example, 07700 900123."))
    email = _text(_("Email address (optional)"), 254)
    contact_check = forms.ChoiceField(
        label=_("How have you checked the phone number or email is theirs?"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            (CONTACT_CHECK_CODE, _("I sent a code and they read it back to me")),
            (CONTACT_CHECK_IN_PERSON, _("Confirmed in person (for example, I watched a text arrive)")),
            ("", _("Not checked: I will print an activation letter")),
        ],
    )
    phone_code = _text(_("Code sent to their phone"), 10, _("The 6 numbers in the text message."))
    email_code = _text(_("Code sent to their email"), 10, _("The 6 numbers in the email."))
    activation_letter = forms.BooleanField(
        label=_("Print an activation letter now"),
        required=False,
        help_text=_("A code they type to sign in the first time. Give it to them with their release papers."),
    )
    reason = forms.CharField(label=_("Notes"), required=False, max_length=1000, widget=forms.Textarea)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("contact_check") and not data.get("activation_letter") and not self.errors:
            self.add_error(
                "activation_letter",
                _("They need a way to sign in: check their phone or email, or print an activation letter."),
            )
        return data

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
