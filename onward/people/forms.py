from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onward.accounts.models import Role, User
from onward.organisations.models import OrgUnit, UnitKind
from onward.people.models import Status


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
        queryset=User.objects.filter(staff_roles__role=Role.PRACTITIONER).distinct().order_by("last_name"),
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
