"""Zones in metres: GeoJSON in, British National Grid geometry out, and fixes judged against it in bulk.

A zone is stored as a GeoJSON Feature in WGS84 (the record staff drew): a Polygon or MultiPolygon, or a
Point with `properties.radius_m` (a circle, e.g. around an address). All the maths runs in metres on the
British National Grid (EPSG:27700). A fix counts with its accuracy circle:

- "inside" only when the whole circle lies inside the zone,
- "outside" only when the whole circle lies outside it,
- "uncertain" otherwise,

so a fix with poor accuracy near an edge never reads as a certainty. Many fixes are transformed and judged
at once with numpy arrays and prepared geometries (`ZoneShape.verdicts`).
"""

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pyproj import Transformer
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

INSIDE = "inside"
OUTSIDE = "outside"
UNCERTAIN = "uncertain"
# Verdicts as small numbers in arrays: the index into this tuple.
VERDICT_CODES = (INSIDE, OUTSIDE, UNCERTAIN)
INSIDE_CODE, OUTSIDE_CODE, UNCERTAIN_CODE = 0, 1, 2

# Great Britain, Northern Ireland and the islands, generously: a zone or fix beyond is a typing slip.
UK_LATITUDE = (49.0, 61.5)
UK_LONGITUDE = (-9.0, 2.5)
ZONE_RADIUS_MIN_M = 10.0
ZONE_RADIUS_MAX_M = 50_000.0
ZONE_AREA_MAX_KM2 = 5_000.0
ZONE_VERTICES_MAX = 2_000
SQUARE_METRES_PER_KM2 = 1_000_000


@dataclass(frozen=True)
class ZoneShape:
    """One zone on the British National Grid: a circle (centre and radius) or a prepared polygon."""

    geometry: BaseGeometry  # the polygon, or the centre point of a circle
    radius_m: float  # 0 for a polygon

    @property
    def is_circle(self) -> bool:
        return self.radius_m > 0

    def verdicts(self, x: np.ndarray, y: np.ndarray, accuracy_m: np.ndarray) -> np.ndarray:
        """The verdict code (INSIDE_CODE, OUTSIDE_CODE, UNCERTAIN_CODE) of each fix, all at once."""
        accuracy = np.maximum(accuracy_m, 0.0)
        if self.is_circle:
            centre = self.geometry
            distance = np.hypot(x - centre.x, y - centre.y)
            inside = distance + accuracy <= self.radius_m
            outside = distance - accuracy > self.radius_m
        else:
            points = shapely.points(x, y)
            contained = shapely.contains_xy(self.geometry, x, y)
            to_edge = shapely.distance(self.geometry.boundary, points)
            inside = contained & (to_edge >= accuracy)
            outside = ~contained & (to_edge > accuracy)
        codes = np.full(len(x), UNCERTAIN_CODE, dtype=np.int8)
        codes[inside] = INSIDE_CODE
        codes[outside] = OUTSIDE_CODE
        return codes

    def distance_to_edge_m(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """How far each point is from the zone's edge in metres (for the evidence)."""
        if self.is_circle:
            return np.abs(np.hypot(x - self.geometry.x, y - self.geometry.y) - self.radius_m)
        return np.asarray(shapely.distance(self.geometry.boundary, shapely.points(x, y)))

    def area_m2(self) -> float:
        return math.pi * self.radius_m**2 if self.is_circle else float(self.geometry.area)

    def width_m(self) -> float:
        """The zone's widest extent, for "about 2 km across" in plain words."""
        if self.is_circle:
            return 2 * self.radius_m
        minx, miny, maxx, maxy = self.geometry.bounds
        return float(max(maxx - minx, maxy - miny))

    def to_wkb(self) -> bytes:
        return bytes(shapely.to_wkb(self.geometry))


def zone_shape_from_geojson(feature: dict[str, Any]) -> ZoneShape:
    """The zone on the British National Grid, or a ValidationError saying in plain words what is wrong."""
    geometry, radius = _feature_parts(feature)
    if geometry["type"] == "Point":
        longitude, latitude = _position(geometry.get("coordinates"))
        easting, northing = to_bng_many(np.array([latitude]), np.array([longitude]))
        if not ZONE_RADIUS_MIN_M <= radius <= ZONE_RADIUS_MAX_M:
            raise ValidationError(
                _("The radius must be between %(low)d m and %(high)d m.")
                % {"low": ZONE_RADIUS_MIN_M, "high": ZONE_RADIUS_MAX_M}
            )
        result = ZoneShape(shapely.Point(float(easting[0]), float(northing[0])), float(radius))
    else:
        try:
            polygon = shape(geometry)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
            raise ValidationError(_("The area's outline could not be read.")) from error
        coordinates = shapely.get_coordinates(polygon)
        if len(coordinates) < 4 or len(coordinates) > ZONE_VERTICES_MAX:
            raise ValidationError(
                _("An area needs at least 3 corners and at most %(n)d.") % {"n": ZONE_VERTICES_MAX - 1}
            )
        for longitude, latitude in coordinates:
            _position([longitude, latitude])
        projected = shapely.transform(polygon, _project_xy)
        if not projected.is_valid or projected.is_empty:
            raise ValidationError(_("The area's outline crosses itself. Draw it again without crossing lines."))
        result = ZoneShape(projected, 0.0)
    if result.area_m2() > ZONE_AREA_MAX_KM2 * SQUARE_METRES_PER_KM2:
        raise ValidationError(_("The area is too big. Keep it under %(n)d square km.") % {"n": ZONE_AREA_MAX_KM2})
    shapely.prepare(result.geometry)
    return result


def zone_shape_from_wkb(wkb: bytes | memoryview, radius_m: float) -> ZoneShape:
    """The stored British National Grid geometry, prepared for many containment tests."""
    return _shape_from_wkb(bytes(wkb), float(radius_m))


@lru_cache(maxsize=100_000)
def _shape_from_wkb(wkb: bytes, radius_m: float) -> ZoneShape:
    geometry = shapely.from_wkb(wkb)
    shapely.prepare(geometry)
    return ZoneShape(geometry, radius_m)


def circle_feature(latitude: float, longitude: float, radius_m: float) -> dict[str, Any]:
    """A GeoJSON Feature for a point and radius (e.g. the curfew address with a radius)."""
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [float(longitude), float(latitude)]},
        "properties": {"radius_m": float(radius_m)},
    }


def to_bng_many(latitudes: np.ndarray, longitudes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Eastings and northings in metres for many WGS84 points, in one call."""
    easting, northing = _to_bng().transform(np.asarray(longitudes, dtype=float), np.asarray(latitudes, dtype=float))
    return np.asarray(easting), np.asarray(northing)


def in_uk(latitude: float, longitude: float) -> bool:
    return UK_LATITUDE[0] <= latitude <= UK_LATITUDE[1] and UK_LONGITUDE[0] <= longitude <= UK_LONGITUDE[1]


def _project_xy(coordinates: np.ndarray) -> np.ndarray:
    easting, northing = _to_bng().transform(coordinates[:, 0], coordinates[:, 1])
    return np.column_stack([easting, northing])


def _feature_parts(feature: Any) -> tuple[dict[str, Any], float]:
    if not isinstance(feature, dict):
        raise ValidationError(_("A zone must be a GeoJSON Feature."))
    geometry = feature.get("geometry") if feature.get("type") == "Feature" else feature
    if not isinstance(geometry, dict) or geometry.get("type") not in {"Point", "Polygon", "MultiPolygon"}:
        raise ValidationError(_("A zone must be an area (a polygon) or a point with a radius."))
    properties = feature.get("properties") or {}
    radius = properties.get("radius_m", 0) if isinstance(properties, dict) else 0
    try:
        radius_m = float(radius)
    except (TypeError, ValueError) as error:
        raise ValidationError(_("The radius must be a number of metres.")) from error
    if geometry["type"] == "Point" and not math.isfinite(radius_m):
        raise ValidationError(_("The radius must be a number of metres."))
    return geometry, radius_m


def _position(value: Any) -> tuple[float, float]:
    try:
        longitude, latitude = float(value[0]), float(value[1])
    except (TypeError, ValueError, IndexError) as error:
        raise ValidationError(_("A point needs a longitude and a latitude.")) from error
    if not (math.isfinite(latitude) and math.isfinite(longitude)) or not in_uk(latitude, longitude):
        raise ValidationError(_("The zone must be in the United Kingdom."))
    return longitude, latitude


@lru_cache(maxsize=1)
def _to_bng() -> Transformer:
    return Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
