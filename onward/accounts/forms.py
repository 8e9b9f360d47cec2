from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onward.people.models import prison_number_validator


class StaffSignInForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the right format, like name@example.com"),
        },
    )
    password = forms.CharField(
        label=_("Password"), max_length=200, strip=False, error_messages={"required": _("Enter your password")}
    )


class StaffUnlockForm(StaffSignInForm):
    code = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        help_text=_("This is the 6-digit code shown in your authenticator app."),
        error_messages={"required": _("Enter the 6-digit code"), "invalid": _("The code is 6 numbers")},
    )

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip()


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        help_text=_("This is the 6-digit code shown in your authenticator app."),
        error_messages={"required": _("Enter the 6-digit code"), "invalid": _("The code is 6 numbers")},
    )

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip()


class EnrolmentCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Set-up code from your administrator"),
        regex=r"^[A-Za-z0-9\- ]{10,14}$",
        max_length=14,
        help_text=_("10 letters and numbers, like ABCDE-FGH23. Ask an administrator if you do not have one."),
        error_messages={
            "required": _("Enter the set-up code from your administrator"),
            "invalid": _("A set-up code is 10 letters and numbers, like ABCDE-FGH23"),
        },
    )


class PinSignInForm(forms.Form):
    prison_number = forms.CharField(
        label=_("Prison number"),
        max_length=10,
        help_text=_("For example, A1234BC"),
        error_messages={"required": _("Enter your prison number")},
    )
    pin = forms.RegexField(
        label=_("PIN"),
        regex=r"^\d{4,6}$",
        max_length=6,
        strip=True,
        error_messages={"required": _("Enter your PIN"), "invalid": _("Your PIN is 4 to 6 numbers")},
    )

    def clean_prison_number(self) -> str:
        value = str(self.cleaned_data["prison_number"]).strip().upper().replace(" ", "")
        prison_number_validator(value)
        return value


class ContactForm(forms.Form):
    contact = forms.CharField(
        label=_("Mobile phone number or email address"),
        max_length=254,
        help_text=_("Use the one you gave your probation practitioner."),
        error_messages={"required": _("Enter your mobile phone number or email address")},
    )

    def clean_contact(self) -> str:
        value = str(self.cleaned_data["contact"]).strip()
        digits = sum(ch.isdigit() for ch in value)
        if "@" not in value and digits < 10:
            raise forms.ValidationError(_("Enter a mobile phone number, like 07700 900123, or an email address"))
        return value


class OneTimeCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        help_text=_("The 6 numbers we sent you."),
        error_messages={"required": _("Enter the code we sent you"), "invalid": _("The code is 6 numbers")},
    )


class ActivationForm(forms.Form):
    code = forms.RegexField(
        label=_("Activation code"),
        regex=r"^[A-Za-z0-9\- ]{10,14}$",
        max_length=14,
        help_text=_("It is on the letter you were given. For example, ABCDE-FGH23"),
        error_messages={
            "required": _("Enter your activation code"),
            "invalid": _("An activation code is 10 letters and numbers, like ABCDE-FGH23"),
        },
    )


class PinResetForm(forms.Form):
    pin = forms.RegexField(
        label=_("New PIN"),
        regex=r"^\d{4,6}$",
        max_length=6,
        help_text=_("4 to 6 numbers. Give it to the person privately."),
        error_messages={"required": _("Enter a new PIN"), "invalid": _("A PIN is 4 to 6 numbers")},
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class DateOfBirthForm(forms.Form):
    """Day, month and year in three boxes, as the GOV.UK date input asks for them."""

    day = forms.IntegerField(label=_("Day"), min_value=1, max_value=31)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12)
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            self.errors.clear()
            raise forms.ValidationError(_("Enter your date of birth as numbers, like 27 3 1990"))
        try:
            data["date_of_birth"] = date(data["year"], data["month"], data["day"])
        except (KeyError, TypeError, ValueError):
            raise forms.ValidationError(_("Enter a real date of birth, like 27 3 1990")) from None
        return data
