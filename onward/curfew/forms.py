"""The staff forms for curfew hours, zones and one night's variation. Every zone can be typed, not only drawn."""

import json
from datetime import time
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from onward.curfew.models import ZoneApplies, ZoneKind
from onward.curfew.services import REASON_MAX_CHARS, CurfewSpec, ZoneSpec
from onward.curfew.windows import Window
from onward.location.zones import circle_feature

TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M"]


class TermsForm(forms.Form):
    """Curfew address and hours (a start and end for each night, both empty for none)."""

    address = forms.CharField(label=_("Curfew address"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    latitude = forms.FloatField(label=_("Latitude of the address"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude of the address"), required=False, min_value=-180, max_value=180)
    radius_m = forms.FloatField(
        label=_("How far from that point counts as home (metres)"), required=False, min_value=10, max_value=1000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day in range(7):
            self.fields[f"start_{day}"] = forms.TimeField(
                label=_("%(day)s: from") % {"day": WEEKDAYS[day]}, required=False, input_formats=TIME_FORMATS
            )
            self.fields[f"end_{day}"] = forms.TimeField(
                label=_("%(day)s: until") % {"day": WEEKDAYS[day]}, required=False, input_formats=TIME_FORMATS
            )

    def night_fields(self) -> list[tuple[str, Any, Any]]:
        return [(str(WEEKDAYS[day]), self[f"start_{day}"], self[f"end_{day}"]) for day in range(7)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        windows = []
        for day in range(7):
            start, end = data.get(f"start_{day}"), data.get(f"end_{day}")
            if (start is None) != (end is None):
                raise ValidationError(_("Give both times for %(day)s, or leave both empty.") % {"day": WEEKDAYS[day]})
            if start is not None and end is not None:
                if start == end:
                    raise ValidationError(
                        _("%(day)s: the curfew cannot start and end at the same time.") % {"day": WEEKDAYS[day]}
                    )
                windows.append(Window(day, start, end))
        data["windows"] = windows
        if windows and (data.get("latitude") is None or data.get("longitude") is None or not data.get("address")):
            raise ValidationError(_("A curfew needs its address and where it is (latitude and longitude)."))
        return data

    def curfew(self) -> CurfewSpec | None:
        data = self.cleaned_data
        if not data["windows"]:
            return None
        return CurfewSpec(
            address=data["address"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            windows=data["windows"],
            radius_m=data.get("radius_m"),
        )


class ZoneForm(forms.Form):
    """A new zone: drawn on the map (GeoJSON), or typed as a centre and radius, or as corners."""

    kind = forms.ChoiceField(label=_("Kind of zone"), choices=ZoneKind.choices)
    applies = forms.ChoiceField(label=_("When it applies"), choices=ZoneApplies.choices, initial=ZoneApplies.ALWAYS)
    label = forms.CharField(label=_("Name for staff"), max_length=200)
    description = forms.CharField(
        label=_("What the person is told (plain words, never a victim's address)"), max_length=300
    )
    description_cy = forms.CharField(label=_("What the person is told, in Welsh"), max_length=300, required=False)
    centre = forms.CharField(
        label=_("Centre as latitude, longitude (for a circle)"),
        required=False,
        help_text=_("For example 53.7960, -1.5479"),
    )
    radius_m = forms.FloatField(label=_("Radius in metres (for a circle)"), required=False, min_value=10)
    corners = forms.CharField(
        label=_("Or corners, one latitude, longitude a line (for an area)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    geojson = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["feature"] = self._feature(data)
        return data

    def zone(self) -> ZoneSpec:
        data = self.cleaned_data
        return ZoneSpec(
            kind=data["kind"],
            applies=data["applies"],
            geojson=data["feature"],
            label=data["label"],
            description=data["description"],
            description_cy=data.get("description_cy", ""),
        )

    def _feature(self, data: dict[str, Any]) -> dict[str, Any]:
        if data.get("geojson"):
            try:
                feature = json.loads(data["geojson"])
            except ValueError as error:
                raise ValidationError(_("The drawn zone could not be read. Draw it again or type it.")) from error
            if not isinstance(feature, dict):
                raise ValidationError(_("The drawn zone could not be read. Draw it again or type it."))
            return feature
        if data.get("centre"):
            latitude, longitude = _pair(data["centre"])
            if not data.get("radius_m"):
                raise ValidationError(_("Give the circle's radius in metres."))
            return circle_feature(latitude, longitude, data["radius_m"])
        if data.get("corners"):
            points = [_pair(line) for line in data["corners"].splitlines() if line.strip()]
            if len(points) < 3:
                raise ValidationError(_("An area needs at least 3 corners."))
            ring = [[lon, lat] for lat, lon in points]
            ring.append(ring[0])
            return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}, "properties": {}}
        raise ValidationError(_("Draw the zone on the map, or type a centre and radius, or its corners."))


class RandomCheckinsForm(forms.Form):
    per_night = forms.IntegerField(
        label=_("Random check-ins each night"),
        min_value=0,
        help_text=_("0 stops them. They come at random times during curfew, never two within an hour."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The limit is a setting, read when the form is made (not when the module is imported).
        self.fields["per_night"].validators.append(MaxValueValidator(settings.CURFEW_CHECKINS_PER_NIGHT_MAX))


class VariationForm(forms.Form):
    night = forms.DateField(label=_("Night (the date the curfew starts)"))
    start = forms.TimeField(label=_("From"), required=False, input_formats=TIME_FORMATS)
    end = forms.TimeField(label=_("Until"), required=False, input_formats=TIME_FORMATS)
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}), max_length=REASON_MAX_CHARS)


def _pair(text: str) -> tuple[float, float]:
    parts = [part.strip() for part in text.replace(";", ",").split(",")]
    try:
        latitude, longitude = float(parts[0]), float(parts[1])
    except (ValueError, IndexError) as error:
        raise ValidationError(_("Write each point as latitude, longitude, for example 53.7960, -1.5479.")) from error
    return latitude, longitude


def clock(value: time | None) -> str:
    return f"{value:%H:%M}" if value else ""
