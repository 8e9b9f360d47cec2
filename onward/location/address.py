"""Is a phone's location fix at the person's address? Computed in metres in British National Grid.

The fix's accuracy radius counts: "at_address" only when the whole accuracy circle lies within the
at-address radius, "away" only when the whole circle lies outside it, otherwise "uncertain".
"""

import math
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils.translation import gettext as _
from pyproj import Transformer

AT_ADDRESS = "at_address"
AWAY = "away"
UNCERTAIN = "uncertain"
VERDICTS = (AT_ADDRESS, AWAY, UNCERTAIN)

METRES_PER_KILOMETRE = 1000
ROUND_TO_M = 10


@dataclass(frozen=True)
class Fix:
    latitude: float
    longitude: float
    accuracy_m: float


@dataclass(frozen=True)
class AddressCheck:
    verdict: str
    distance_m: float | None
    accuracy_m: float
    line: str


def address_check(
    fix: Fix,
    address_latitude: float | None,
    address_longitude: float | None,
    *,
    radius_m: float | None = None,
    max_accuracy_m: float | None = None,
) -> AddressCheck:
    """Where the fix is relative to the address, with a plain-words line for the reviewer."""
    radius = float(radius_m if radius_m is not None else settings.CHECKIN_AT_ADDRESS_RADIUS_M)
    worst_accuracy = float(max_accuracy_m if max_accuracy_m is not None else settings.CHECKIN_LOCATION_MAX_ACCURACY_M)
    accuracy = max(float(fix.accuracy_m), 0.0)
    if address_latitude is None or address_longitude is None:
        return AddressCheck(UNCERTAIN, None, accuracy, _("No address location on record to compare with"))
    distance = distance_m(fix.latitude, fix.longitude, float(address_latitude), float(address_longitude))
    line = _("About %(distance)s from home (accuracy %(accuracy)s)") % {
        "distance": _metres_in_words(distance),
        "accuracy": _metres_in_words(accuracy),
    }
    if accuracy > worst_accuracy:
        verdict = UNCERTAIN
    elif distance + accuracy <= radius:
        verdict = AT_ADDRESS
    elif distance - accuracy > radius:
        verdict = AWAY
    else:
        verdict = UNCERTAIN
    return AddressCheck(verdict, distance, accuracy, line)


def distance_m(lat_a: float, lon_a: float, lat_b: float, lon_b: float) -> float:
    """Straight-line distance in metres between two WGS84 points, on the British National Grid."""
    transformer = _to_bng()
    xa, ya = transformer.transform(lon_a, lat_a)
    xb, yb = transformer.transform(lon_b, lat_b)
    return math.hypot(xb - xa, yb - ya)


def to_bng(latitude: float, longitude: float) -> tuple[float, float]:
    """Easting and northing in metres for a WGS84 point."""
    easting, northing = _to_bng().transform(longitude, latitude)
    return float(easting), float(northing)


def from_bng(easting: float, northing: float) -> tuple[float, float]:
    """Latitude and longitude (WGS84) for a British National Grid point."""
    longitude, latitude = _from_bng().transform(easting, northing)
    return float(latitude), float(longitude)


def from_bng_many(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Latitude and longitude for many (easting, northing) points, converted in one call."""
    if not points:
        return []
    eastings, northings = zip(*points, strict=True)
    longitudes, latitudes = _from_bng().transform(list(eastings), list(northings))
    return [(float(lat), float(lon)) for lat, lon in zip(latitudes, longitudes, strict=True)]


@lru_cache(maxsize=1)
def _from_bng() -> Transformer:
    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


@lru_cache(maxsize=1)
def _to_bng() -> Transformer:
    return Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)


def metres_in_words(metres: float) -> str:
    """ "350 m", "1.2 km": a distance as a person reads it."""
    return _metres_in_words(metres)


def _metres_in_words(metres: float) -> str:
    if metres >= METRES_PER_KILOMETRE:
        return _("%(km).1f km") % {"km": metres / METRES_PER_KILOMETRE}
    rounded = round(metres / ROUND_TO_M) * ROUND_TO_M if metres >= ROUND_TO_M else round(metres)
    return _("%(m)d m") % {"m": rounded}
