"""Location fixes against an address, in metres on the British National Grid, counting accuracy."""

import pytest

from onward.location.address import AT_ADDRESS, AWAY, UNCERTAIN, Fix, address_check, distance_m, to_bng

HOME = (53.8008, -1.5491)  # Leeds city centre stands in for the fictional Northgate


def test_a_known_point_lands_where_the_ordnance_survey_puts_it():
    # Leeds Town Hall is at about E 429,800 N 433,900 on the National Grid.
    easting, northing = to_bng(53.80005, -1.54905)
    assert easting == pytest.approx(429_850, abs=200)
    assert northing == pytest.approx(433_850, abs=200)


def test_distance_of_about_a_kilometre_north():
    # 0.009 degrees of latitude is about 1,000 m.
    assert distance_m(53.8008, -1.5491, 53.8098, -1.5491) == pytest.approx(1001, abs=5)


def test_distance_west_shrinks_with_latitude():
    # 0.01 degrees of longitude at 53.8° N is about 659 m.
    assert distance_m(53.8008, -1.5491, 53.8008, -1.5591) == pytest.approx(659, abs=5)


def test_fix_at_home_with_a_tight_circle_is_at_address(settings):
    settings.CHECKIN_AT_ADDRESS_RADIUS_M = 100
    result = address_check(Fix(53.80116, -1.5491, 20), *HOME)  # about 40 m north
    assert result.verdict == AT_ADDRESS
    assert result.distance_m == pytest.approx(40, abs=2)
    assert result.line == "About 40 m from home (accuracy 20 m)"


def test_fix_whose_circle_crosses_the_boundary_is_uncertain(settings):
    settings.CHECKIN_AT_ADDRESS_RADIUS_M = 100
    result = address_check(Fix(53.80116, -1.5491, 80), *HOME)  # 40 m away, but ± 80 m
    assert result.verdict == UNCERTAIN


def test_fix_far_away_with_a_tight_circle_is_away(settings):
    settings.CHECKIN_AT_ADDRESS_RADIUS_M = 100
    result = address_check(Fix(53.8098, -1.5491, 30), *HOME)
    assert result.verdict == AWAY
    assert result.line == "About 1.0 km from home (accuracy 30 m)"


def test_far_away_but_just_inside_the_circle_of_doubt_is_uncertain(settings):
    settings.CHECKIN_AT_ADDRESS_RADIUS_M = 100
    result = address_check(Fix(53.8021, -1.5491, 60), *HOME)  # about 145 m away, ± 60 m
    assert result.verdict == UNCERTAIN


def test_poor_accuracy_is_uncertain_even_at_home(settings):
    settings.CHECKIN_LOCATION_MAX_ACCURACY_M = 250
    assert address_check(Fix(*HOME, 400), *HOME, radius_m=1000).verdict == UNCERTAIN


def test_no_address_coordinates_is_uncertain():
    result = address_check(Fix(*HOME, 10), None, None)
    assert result.verdict == UNCERTAIN
    assert result.distance_m is None
    assert "No address location" in result.line
