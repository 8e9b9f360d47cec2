"""Zones in metres with accuracy circles, near the edges (Hypothesis), and zones typed wrong."""

import math

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from onward.location.zones import (
    INSIDE_CODE,
    OUTSIDE_CODE,
    UNCERTAIN_CODE,
    circle_feature,
    to_bng_many,
    zone_shape_from_geojson,
)

# Synthetic places: a point in central Leeds and a small square near it (made up for these tests).
LEEDS = (53.7960, -1.5479)


def _square(half_side_degrees: float = 0.003) -> dict:
    lat, lon = LEEDS
    ring = [
        [lon - half_side_degrees, lat - half_side_degrees],
        [lon + half_side_degrees, lat - half_side_degrees],
        [lon + half_side_degrees, lat + half_side_degrees],
        [lon - half_side_degrees, lat + half_side_degrees],
        [lon - half_side_degrees, lat - half_side_degrees],
    ]
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}, "properties": {}}


@settings(max_examples=80, deadline=None)
@given(
    distance=st.floats(0, 400),
    bearing=st.floats(0, 2 * math.pi),
    accuracy=st.floats(1, 150),
    radius=st.floats(20, 300),
)
def test_circle_verdict_counts_the_accuracy_circle(
    distance: float, bearing: float, accuracy: float, radius: float
) -> None:
    shape = zone_shape_from_geojson(circle_feature(*LEEDS, radius))
    x = np.array([shape.geometry.x + distance * math.cos(bearing)])
    y = np.array([shape.geometry.y + distance * math.sin(bearing)])
    code = shape.verdicts(x, y, np.array([accuracy]))[0]
    if distance + accuracy <= radius - 1e-6:
        assert code == INSIDE_CODE
    elif distance - accuracy > radius + 1e-6:
        assert code == OUTSIDE_CODE
    elif abs(distance + accuracy - radius) > 1e-6 and abs(distance - accuracy - radius) > 1e-6:
        assert code == UNCERTAIN_CODE


@settings(max_examples=80, deadline=None)
@given(offset=st.floats(-200, 200), along=st.floats(-0.4, 0.4), accuracy=st.floats(1, 100))
def test_polygon_verdict_near_its_edge(offset: float, along: float, accuracy: float) -> None:
    """A point `offset` metres east of the square's east edge (negative: inside), judged with its accuracy."""
    shape = zone_shape_from_geojson(_square())
    _minx, miny, _maxx, maxy = shape.geometry.bounds
    # The projected square's east edge is nearly straight north-south; stay near its middle.
    y = np.array([(miny + maxy) / 2 + along * (maxy - miny) / 2])
    edge_x = _east_edge_x(shape, float(y[0]))
    x = np.array([edge_x + offset])
    code = shape.verdicts(x, y, np.array([accuracy]))[0]
    to_edge = float(shape.distance_to_edge_m(x, y)[0])
    inside = offset < 0
    if inside and to_edge >= accuracy + 1e-6:
        assert code == INSIDE_CODE
    elif not inside and to_edge > accuracy + 1e-6:
        assert code == OUTSIDE_CODE
    elif abs(to_edge - accuracy) > 1e-6 and abs(offset) > 1e-6:
        assert code == UNCERTAIN_CODE


def _east_edge_x(shape, y: float) -> float:
    coordinates = np.asarray(shape.geometry.exterior.coords)
    east = coordinates[coordinates[:, 0].argsort()][-2:]
    (x1, y1), (x2, y2) = east
    return float(x1 + (x2 - x1) * (y - y1) / (y2 - y1))


def test_a_fix_one_metre_accurate_at_the_door_is_inside_and_a_vague_one_is_uncertain() -> None:
    shape = zone_shape_from_geojson(circle_feature(*LEEDS, 75))
    x, y = to_bng_many(np.array([LEEDS[0], LEEDS[0]]), np.array([LEEDS[1], LEEDS[1]]))
    assert list(shape.verdicts(x, y, np.array([1.0, 500.0]))) == [INSIDE_CODE, UNCERTAIN_CODE]


@pytest.mark.parametrize(
    ("feature", "words"),
    [
        (
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [2.35, 48.85]},
                "properties": {"radius_m": 100},
            },
            "United Kingdom",
        ),
        (circle_feature(*LEEDS, 1), "radius"),
        ({"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[0, 51], [0, 52]]}}, "polygon"),
        (
            {
                "type": "Feature",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[-1.55, 53.79], [-1.54, 53.80], [-1.54, 53.79], [-1.55, 53.80], [-1.55, 53.79]]],
                },
            },
            "crosses itself",
        ),
        ("not a feature", "GeoJSON"),
    ],
)
def test_zones_typed_wrong_are_refused_in_plain_words(feature, words: str) -> None:
    with pytest.raises(ValidationError) as refused:
        zone_shape_from_geojson(feature)
    assert words in " ".join(refused.value.messages)
