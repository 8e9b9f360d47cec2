"""The unit and month-range picker."""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from onward.organisations.models import OrgUnit
from onward.reports.months import month_add, month_key, month_start, months_between
from onward.reports.services import REPORTS_HISTORY_MONTHS

DEFAULT_MONTHS_SHOWN = 6


def month_choices(today: date | None = None) -> list[tuple[str, str]]:
    """The months the rollup keeps, newest first, as (YYYY-MM, "November 2026")."""
    this_month = month_start(today or timezone.localdate())
    months = months_between(month_add(this_month, 1 - REPORTS_HISTORY_MONTHS), this_month)
    return [(month_key(m), date_format(m, "F Y")) for m in reversed(months)]


class ReportForm(forms.Form):
    unit = forms.ChoiceField(label=_("Unit"), error_messages={"invalid_choice": _("Choose a unit from the list")})
    date_from = forms.ChoiceField(label=_("From"), error_messages={"invalid_choice": _("Choose a month from the list")})
    date_to = forms.ChoiceField(label=_("To"), error_messages={"invalid_choice": _("Choose a month from the list")})

    def __init__(self, data: Any, *, units: list[OrgUnit], today: date | None = None) -> None:
        months = month_choices(today)
        if data is None or not data:
            data = {
                "unit": str(units[0].pk) if units else "",
                "date_from": months[min(DEFAULT_MONTHS_SHOWN, len(months)) - 1][0],
                "date_to": months[0][0],
            }
        super().__init__(data)
        self.units = {str(unit.pk): unit for unit in units}
        choices = {"unit": [(str(u.pk), f"{u.name} ({u.get_kind_display()})") for u in units]}
        choices["date_from"] = choices["date_to"] = months
        for name, found in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The last month must be the same as or after the first month"))
        return data

    def chosen(self) -> tuple[OrgUnit, date, date]:
        """The unit and the first and last months (valid forms only)."""
        data = self.cleaned_data
        first = date.fromisoformat(data["date_from"] + "-01")
        last = date.fromisoformat(data["date_to"] + "-01")
        return self.units[data["unit"]], first, last
