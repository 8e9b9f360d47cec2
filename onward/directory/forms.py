import datetime as dt
import re
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from onward.directory.models import Category, Service, Weekday
from onward.directory.opening import OpeningTextError, Period, periods_parse, periods_text
from onward.directory.services import ServiceDetails

HOURS_HELP = _("24-hour clock, like 09:00-17:00. Two periods: 09:00-12:00, 13:00-17:00. Past midnight: 20:00-02:00.")
EXCEPTION_LINE = re.compile(
    r"^(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})\s+(closed\b|[\d:.\s,–-]+(?:to[\d:.\s]+)*)\s*(.*)$"
)


class SearchForm(forms.Form):
    """The person's search: words, a category, and where "near me" is (postcode, phone or home)."""

    q = forms.CharField(label=_("Search by words"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("Type of service"), required=False, choices=[])
    postcode = forms.CharField(
        label=_("Your postcode"),
        help_text=_("For example, LS6 1AA, or the first half, like LS6"),
        required=False,
        max_length=10,
    )
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    near = forms.ChoiceField(required=False, choices=[("", ""), ("home", "home"), ("here", "here")])
    open_now = forms.BooleanField(label=_("Only show places open now"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All types")), *Category.choices]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decimals = settings.DIRECTORY_POSITION_DECIMALS
        for name in ("lat", "lon"):
            if data.get(name) is not None:
                data[name] = round(data[name], decimals)
        return data


class ServiceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    category = forms.ChoiceField(label=_("Type of service"), choices=Category.choices)
    description = forms.CharField(label=_("What they do"), widget=forms.Textarea, max_length=2000)
    description_cy = forms.CharField(
        label=_("What they do, in Welsh (optional)"), widget=forms.Textarea, max_length=2000, required=False
    )
    what_to_bring = forms.CharField(label=_("What to bring"), widget=forms.Textarea, max_length=1000, required=False)
    what_to_bring_cy = forms.CharField(
        label=_("What to bring, in Welsh (optional)"), widget=forms.Textarea, max_length=1000, required=False
    )
    address = forms.CharField(label=_("Address"), widget=forms.Textarea, max_length=500)
    postcode = forms.CharField(label=_("Postcode"), max_length=8, required=False)
    latitude = forms.FloatField(
        label=_("Latitude (optional)"),
        help_text=_("Leave empty to use the postcode"),
        required=False,
        min_value=49.0,
        max_value=61.0,
    )
    longitude = forms.FloatField(label=_("Longitude (optional)"), required=False, min_value=-9.0, max_value=2.5)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    website = forms.URLField(label=_("Website"), max_length=200, required=False, assume_scheme="https")
    email = forms.EmailField(label=_("Email"), required=False)
    areas_served = forms.CharField(label=_("Who it is for or areas served (optional)"), max_length=300, required=False)
    exceptions = forms.CharField(
        label=_("Days with different hours (optional)"),
        help_text=_(
            "One a line: the date, then closed or the hours, then a note. For example: 2026-12-25 closed Christmas Day"
        ),
        widget=forms.Textarea,
        required=False,
        max_length=2000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day in Weekday:
            self.fields[f"hours_{day.value}"] = forms.CharField(
                label=day.label, help_text=HOURS_HELP if day.value == 0 else "", required=False, max_length=100
            )

    @property
    def hours_fields(self) -> list[Any]:
        return [self[f"hours_{day.value}"] for day in Weekday]

    @property
    def detail_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if not name.startswith("hours_")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        weekly: dict[int, list[Period]] = {}
        for day in Weekday:
            try:
                weekly[day.value] = periods_parse(data.get(f"hours_{day.value}", ""))
            except OpeningTextError:
                self.add_error(f"hours_{day.value}", _("Write hours like 09:00-17:00, or write closed"))
        data["weekly"] = {d: p for d, p in weekly.items() if p}
        data["exceptions_parsed"] = self._exceptions(data.get("exceptions", ""))
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("Enter both latitude and longitude, or neither"))
        if not (data.get("postcode") or "").strip() and data.get("latitude") is None:
            self.add_error("postcode", _("Enter the postcode"))
        return data

    def _exceptions(self, text: str) -> dict[dt.date, tuple[list[Period], str]]:
        found: dict[dt.date, tuple[list[Period], str]] = {}
        for line in (text or "").splitlines():
            if not line.strip():
                continue
            match = EXCEPTION_LINE.match(line.strip())
            try:
                if not match:
                    raise OpeningTextError(line)
                day = _date(match.group(1))
                periods = [] if match.group(2).strip().lower() == "closed" else periods_parse(match.group(2))
            except (OpeningTextError, ValueError):
                self.add_error("exceptions", _("Could not read: %(line)s") % {"line": line.strip()})
                continue
            found[day] = (periods, match.group(3).strip()[:100])
        return found

    def details(self) -> ServiceDetails:
        data = self.cleaned_data
        names = [
            "name", "category", "description", "description_cy", "what_to_bring", "what_to_bring_cy", "address",
            "postcode", "phone", "website", "email", "areas_served",
        ]  # fmt: skip
        return ServiceDetails(
            **{n: data.get(n) or "" for n in names},
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            weekly=data["weekly"],
            exceptions=data["exceptions_parsed"],
        )


def service_initial(service: Service) -> dict[str, Any]:
    """The form's starting values for an existing entry (the postcode, not the stored position)."""
    initial: dict[str, Any] = {
        name: getattr(service, name)
        for name in [
            "name", "category", "description", "description_cy", "what_to_bring", "what_to_bring_cy", "address",
            "postcode", "phone", "website", "email", "areas_served",
        ]
    }  # fmt: skip
    if not service.postcode:
        initial["latitude"], initial["longitude"] = service.latitude, service.longitude
    by_day: dict[int, list[Period]] = {}
    for p in service.opening_periods.all():
        by_day.setdefault(p.weekday, []).append((p.opens, p.closes))
    for day in Weekday:
        initial[f"hours_{day.value}"] = periods_text(sorted(by_day.get(day.value, [])))
    lines: dict[dt.date, list[str]] = {}
    notes: dict[dt.date, str] = {}
    for e in service.opening_exceptions.all():
        notes[e.date] = e.note
        lines.setdefault(e.date, [])
        if not e.closed:
            lines[e.date].append(f"{e.opens:%H:%M}-{e.closes:%H:%M}")
    initial["exceptions"] = "\n".join(
        f"{day.isoformat()} {', '.join(periods) or 'closed'} {notes[day]}".strip()
        for day, periods in sorted(lines.items())
    )
    return initial


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why is it being withdrawn?"), max_length=500, widget=forms.Textarea)


def _date(text: str) -> dt.date:
    if "/" in text:
        day, month, year = (int(x) for x in text.split("/"))
        return dt.date(year, month, day)
    return dt.date.fromisoformat(text)
