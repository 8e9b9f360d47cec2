"""Reads for the staff pages: a person's day (fixes, zones, curfew), and the person's own terms in plain words.

`person_day` also draws the day as an SVG on a plain grid in metres (British National Grid), so the outline
of every zone and every fix shows with no map tiles at all; the page adds a tile map on top when a tile
source is set and reachable.
"""

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import shapely
from django.conf import settings
from django.utils.translation import gettext as _

from onward.curfew.evaluation import terms_in_force, variations_between
from onward.curfew.models import CurfewTerms, CurfewVariation, LocationFix, SpoofFlag, VariationState, Violation, Zone
from onward.curfew.windows import LONDON, Interval, Window, intervals
from onward.curfew.words import windows_words
from onward.location.address import metres_in_words
from onward.location.zones import to_bng_many, zone_shape_from_wkb
from onward.people.models import Person

SVG_SIZE = 600
SVG_MARGIN_M = 150.0
GRID_STEPS_M = (50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000)
GRID_LINES_WANTED = 8
DAY_FIXES_MAX = 5000


@dataclass
class DayView:
    person: Person
    day: date
    fixes: list[LocationFix]
    flags: dict[int, list[str]]
    zones: list[Zone]
    curfew: list[Interval]
    violations: list[Violation]
    svg: dict[str, Any] = field(default_factory=dict)
    geojson: str = ""


def person_day(person: Person, day: date) -> DayView:
    """The person's fixes, zones, curfew and violations on one London day, with its drawing."""
    start = datetime.combine(day, datetime.min.time(), tzinfo=LONDON).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=LONDON).astimezone(UTC)
    fixes = list(
        LocationFix.objects.filter(person=person, recorded_at__gte=start, recorded_at__lt=end).order_by("recorded_at")[
            :DAY_FIXES_MAX
        ]
    )
    flags: dict[int, list[str]] = {}
    for flag in SpoofFlag.objects.filter(fix__in=[fix.pk for fix in fixes]).only("fix_id", "kind"):
        flags.setdefault(flag.fix_id, []).append(flag.get_kind_display())
    terms = terms_in_force(person, start, end)
    zone_ids = [info.pk for version in terms[-1:] for info, _shape in version.zones]
    zones = list(Zone.objects.filter(pk__in=zone_ids).order_by("pk"))
    curfew: list[Interval] = []
    if terms and terms[-1].windows:
        curfew = intervals(terms[-1].windows, variations_between(person, start, end), start, end)
    violations = list(
        Violation.objects.filter(person=person, started_at__lt=end).exclude(ended_at__lt=start).select_related("zone")
    )
    view = DayView(person, day, fixes, flags, zones, curfew, violations)
    view.svg = _drawing(fixes, zones)
    view.geojson = json.dumps(_geojson(fixes, zones))
    return view


def curfew_shading(view: DayView) -> list[dict[str, Any]]:
    """The curfew's parts of the day as percentages of a 24-hour bar, for the timeline."""
    start = datetime.combine(view.day, datetime.min.time(), tzinfo=LONDON).astimezone(UTC)
    end = datetime.combine(view.day + timedelta(days=1), datetime.min.time(), tzinfo=LONDON).astimezone(UTC)
    total = (end - start).total_seconds()
    parts: list[dict[str, Any]] = []
    for interval in view.curfew:
        a, b = max(interval.start, start), min(interval.end, end)
        if b > a:
            parts.append(
                {
                    "left": round((a - start).total_seconds() / total * 100, 2),
                    "width": round((b - a).total_seconds() / total * 100, 2),
                    "label": f"{a.astimezone(LONDON):%H:%M}–{b.astimezone(LONDON):%H:%M}",
                }
            )
    return parts


@dataclass(frozen=True)
class OwnTerms:
    """What the person is told: curfew hours and address, and each zone in words (never a point)."""

    curfew_words: str
    address: str
    zones: list[tuple[str, str, str]]  # (kind label, description, size in words)
    variations: list[CurfewVariation]


def own_terms(person: Person, language: str) -> OwnTerms | None:
    terms = (
        CurfewTerms.objects.filter(person=person).order_by("-issued_at").prefetch_related("windows", "zones").first()
    )
    if terms is None:
        return None
    windows = [Window(w.weekday, w.start, w.end) for w in terms.windows.all()]
    zones = []
    for zone in terms.zones.all():
        if zone.is_curfew_address:
            continue
        shape = zone_shape_from_wkb(zone.bng_wkb, zone.radius_m)
        zones.append(
            (
                str(zone.get_kind_display()),
                zone.description_in(language),
                _("about %(width)s across") % {"width": metres_in_words(shape.width_m())},
            )
        )
    variations = list(
        CurfewVariation.objects.filter(person=person, state=VariationState.APPROVED, night__gte=date.today()).order_by(
            "night"
        )
    )
    return OwnTerms(windows_words(windows) if windows else "", terms.address, zones, variations)


def tile_settings() -> dict[str, str]:
    return {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION}


def _geojson(fixes: list[LocationFix], zones: list[Zone]) -> dict[str, Any]:
    features = []
    for zone in zones:
        feature = dict(zone.geojson)
        feature["properties"] = {
            **(feature.get("properties") or {}),
            "kind": zone.kind,
            "label": zone.label,
            "zone_id": zone.pk,
        }
        features.append(feature)
    for fix in fixes:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [fix.longitude, fix.latitude]},
                "properties": {
                    "fix": True,
                    "time": f"{fix.recorded_at.astimezone(LONDON):%H:%M:%S}",
                    "accuracy_m": fix.accuracy_m,
                    "against": fix.against,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _drawing(fixes: list[LocationFix], zones: list[Zone]) -> dict[str, Any]:
    """Zones and fixes in SVG units on a square plain grid in metres, north up."""
    shapes = [(zone, zone_shape_from_wkb(zone.bng_wkb, zone.radius_m)) for zone in zones]
    x, y = (
        to_bng_many(np.array([f.latitude for f in fixes]), np.array([f.longitude for f in fixes]))
        if fixes
        else (np.zeros(0), np.zeros(0))
    )
    bounds = [
        shapely.bounds(shape.geometry.buffer(shape.radius_m) if shape.is_circle else shape.geometry)
        for _z, shape in shapes
    ]
    if len(x):
        bounds.append(np.array([x.min(), y.min(), x.max(), y.max()]))
    if not bounds:
        return {}
    stacked = np.vstack(bounds)
    minx, miny = stacked[:, 0].min() - SVG_MARGIN_M, stacked[:, 1].min() - SVG_MARGIN_M
    maxx, maxy = stacked[:, 2].max() + SVG_MARGIN_M, stacked[:, 3].max() + SVG_MARGIN_M
    span = max(maxx - minx, maxy - miny)
    scale = SVG_SIZE / span

    def sx(value: float) -> float:
        return round((value - minx) * scale, 1)

    def sy(value: float) -> float:
        return round(SVG_SIZE - (value - miny) * scale, 1)

    step = next((s for s in GRID_STEPS_M if span / s <= GRID_LINES_WANTED), GRID_STEPS_M[-1])
    grid = [sx(v) for v in np.arange(np.ceil(minx / step) * step, minx + span, step)]
    grid_y = [sy(v) for v in np.arange(np.ceil(miny / step) * step, miny + span, step)]
    drawn_zones = []
    for zone, shape in shapes:
        if shape.is_circle:
            drawn_zones.append(
                {
                    "zone": zone,
                    "circle": (sx(shape.geometry.x), sy(shape.geometry.y), round(shape.radius_m * scale, 1)),
                }
            )
        else:
            rings = []
            for polygon in getattr(shape.geometry, "geoms", [shape.geometry]):
                coordinates = shapely.get_coordinates(polygon.exterior)
                rings.append(" ".join(f"{sx(px)},{sy(py)}" for px, py in coordinates))
            drawn_zones.append({"zone": zone, "rings": rings})
    drawn_fixes = [
        {
            "fix": fix,
            "x": sx(float(x[i])),
            "y": sy(float(y[i])),
            "r": max(round(fix.accuracy_m * scale, 1), 2.0),
        }
        for i, fix in enumerate(fixes)
    ]
    path = " ".join(f"{item['x']},{item['y']}" for item in drawn_fixes)
    return {
        "size": SVG_SIZE,
        "grid_x": grid,
        "grid_y": grid_y,
        "grid_step": metres_in_words(step),
        "zones": drawn_zones,
        "fixes": drawn_fixes,
        "path": path,
    }
