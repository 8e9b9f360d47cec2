"""person_fields_clean: one check of a person's details for the pages, the API and the import."""

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onward.people.models import Language, RiskLevel, Status
from onward.people.tests.factories import CommunityPersonFactory, PersonFactory
from onward.people.validation import (
    PERSON_FIELDS,
    POSTCODE_CENTRE_PRECISION_M,
    TakenIdentifiers,
    identifiers_taken,
    person_fields_clean,
    units_by_code,
)

TODAY = date(2026, 12, 5)


def _row(**overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "first_name": " Synthetic ",
        "last_name": "Person-Example",
        "date_of_birth": "1990-04-01",
        "prison_number": "a1234bc",
        "crn": "",
        "status": "sentenced",
        "unit_code": "ngt-a",
    }
    row.update(overrides)
    return row


def _errors(check: Any) -> dict[str, str]:
    return {e.field: e.message for e in check.errors}


def test_a_good_row_comes_back_tidied(org: dict[str, Any]) -> None:
    check = person_fields_clean(
        _row(
            phone="+44 7700 900-123",
            email="Someone@EXAMPLE.org",
            preferred_language="Welsh",
            address_line_1=" 21  Quarry Street ",
            town="Leeds",
            postcode="ls13ed",
            sentence_date="01 02 2025",
        ),
        today=TODAY,
    )
    assert check.ok, check.errors
    values = check.values
    assert values["first_name"] == "Synthetic"
    assert values["prison_number"] == "A1234BC"
    assert values["crn"] is None
    assert values["unit"] == org["wing_a"]
    assert values["phone"] == "07700900123"
    assert values["email"] == "Someone@example.org"
    assert values["preferred_language"] == Language.WELSH
    assert values["risk_level"] == RiskLevel.LOW
    assert values["sentence_date"] == date(2025, 2, 1)
    assert values["postcode"] == "LS1 3ED"
    assert values["address"] == "21 Quarry Street\nLeeds\nLS1 3ED"
    assert values["address_latitude"] == pytest.approx(53.8006, abs=0.001)
    assert values["address_longitude"] == pytest.approx(-1.5487, abs=0.001)
    assert values["address_precision_m"] == POSTCODE_CENTRE_PRECISION_M


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"first_name": ""}, "first_name", "Enter the first name"),
        ({"last_name": "R2D2"}, "last_name", "only have letters"),
        ({"date_of_birth": "2030-01-01"}, "date_of_birth", "in the past"),
        ({"date_of_birth": "2020-01-01"}, "date_of_birth", "under 10"),
        ({"date_of_birth": "31 02 1990"}, "date_of_birth", "real date"),
        ({"prison_number": "12345"}, "prison_number", "like A1234BC"),
        ({"prison_number": "", "crn": ""}, "prison_number", "prison number or a case reference"),
        ({"crn": "X12"}, "crn", "like X123456"),
        ({"status": "escaped"}, "status", "sentenced"),
        ({"unit_code": "ZZZ"}, "unit", "no prison or office with the code ZZZ"),
        ({"unit_code": "OFF-N"}, "unit", "in custody must be held at a prison"),
        ({"status": "licence"}, "unit", "probation delivery unit or office"),
        ({"phone": "01132 496000"}, "phone", "UK mobile"),
        ({"email": "not-an-email"}, "email", "right format"),
        ({"preferred_language": "French"}, "preferred_language", "English or Welsh"),
        ({"risk_level": "extreme"}, "risk_level", "very_high"),
        ({"address_line_1": "1 Street"}, "postcode", "Enter the postcode"),
        ({"postcode": "LS1 3ED"}, "address_line_1", "first line"),
        ({"address_line_1": "1 Street", "postcode": "LS6"}, "postcode", "full postcode"),
        ({"address_line_1": "1 Street", "postcode": "ZZ9 9ZZ"}, "postcode", "could not find"),
        ({"address_line_1": "1 Street", "postcode": "BT1 1AA"}, "postcode", "England, Scotland and Wales"),
        ({"sentence_date": "2025-06-01", "hdc_eligibility_date": "2025-05-01"}, "hdc_eligibility_date", "after"),
        (
            {"hdc_eligibility_date": "2026-06-01", "hdc_actual_date": "2026-05-01"},
            "hdc_actual_date",
            "home detention curfew eligibility date",
        ),
        (
            {"conditional_release_date": "2027-06-01", "licence_expiry_date": "2027-01-01"},
            "licence_expiry_date",
            "conditional release date",
        ),
        (
            {"licence_expiry_date": "2028-06-01", "sentence_expiry_date": "2028-01-01"},
            "sentence_expiry_date",
            "licence end date",
        ),
        ({"parole_eligibility_date": "1980-01-01"}, "parole_eligibility_date", "after the date of birth"),
    ],
)
def test_each_bad_value_is_named_in_plain_words(
    org: dict[str, Any], overrides: dict[str, Any], field: str, words: str
) -> None:
    check = person_fields_clean(_row(**overrides), today=TODAY)
    assert not check.ok
    assert words in _errors(check).get(field, ""), check.errors
    assert check.values == {}


def test_a_duplicate_names_the_person_who_has_it(org: dict[str, Any]) -> None:
    existing = CommunityPersonFactory(prison_number="A1234BC", crn="X654321", unit=org["office_n"])
    check = person_fields_clean(_row(crn="x654321"), today=TODAY)
    assert {(e.field, e.existing_person_id) for e in check.errors} == {
        ("prison_number", existing.pk),
        ("crn", existing.pk),
    }


def test_an_update_keeps_the_record_and_may_keep_its_own_identifiers(org: dict[str, Any]) -> None:
    person = PersonFactory(prison_number="A1234BC", unit=org["wing_a"], phone="07700900001")
    check = person_fields_clean({"prison_number": "A1234BC", "risk_level": "high"}, current=person, today=TODAY)
    assert check.ok, check.errors
    assert check.values["risk_level"] == RiskLevel.HIGH
    assert check.values["first_name"] == person.first_name
    assert check.values["phone"] == "07700900001"
    assert check.values["unit"] == person.unit


def test_an_update_is_checked_against_the_dates_already_on_record(org: dict[str, Any]) -> None:
    person = PersonFactory(unit=org["wing_a"], conditional_release_date=date(2027, 3, 1))
    check = person_fields_clean({"licence_expiry_date": "2027-01-01"}, current=person, today=TODAY)
    assert "conditional release date" in _errors(check)["licence_expiry_date"]


def test_an_update_to_the_community_needs_an_office(org: dict[str, Any]) -> None:
    person = PersonFactory(unit=org["wing_a"])
    check = person_fields_clean({"status": Status.LICENCE}, current=person, today=TODAY)
    assert "unit" in _errors(check)


def test_many_rows_are_checked_with_preloaded_sets_and_no_queries(
    org: dict[str, Any], django_assert_num_queries: Any
) -> None:
    existing = PersonFactory(prison_number="B2345CD", unit=org["wing_a"])
    rows = [_row(prison_number=f"A{n:04d}BC") for n in range(20)] + [_row(prison_number="B2345CD")]
    with django_assert_num_queries(2):
        taken = identifiers_taken(prison_numbers=[r["prison_number"] for r in rows])
        units = units_by_code()
    with django_assert_num_queries(0):
        checks = [person_fields_clean(row, taken=taken, units=units, today=TODAY) for row in rows]
    assert [c.ok for c in checks] == [True] * 20 + [False]
    assert checks[-1].errors[0].existing_person_id == existing.pk
    assert taken == TakenIdentifiers({"B2345CD": existing.pk}, {})


@given(
    row=st.dictionaries(
        st.sampled_from([*PERSON_FIELDS, "unit_code"]),
        st.one_of(st.text(max_size=30), st.none(), st.dates().map(str)),
        max_size=12,
    )
)
@settings(max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_any_text_gets_an_answer_never_an_exception(org: dict[str, Any], row: dict[str, Any]) -> None:
    check = person_fields_clean(row, today=TODAY)
    assert check.ok or all(e.message for e in check.errors)


def test_a_unit_code_with_a_nul_character_is_a_plain_error_on_every_database(org: dict[str, Any]) -> None:
    check = person_fields_clean({"unit_code": "NG\x00T"}, today=TODAY)
    assert any(e.field == "unit" and "code" in e.message for e in check.errors)
