"""The HDC and ROTL rules on their edge dates, with the rule sets as shipped in rulesets.json.

The engine is pure, so these tests build the rules from the file without a database.
"""

import math
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onward.opportunities.engine import (
    ALMOST,
    ELIGIBLE,
    MET,
    NOT_ELIGIBLE,
    NOT_KNOWN,
    NOT_MET,
    PRESUMED_UNSUITABLE,
    WAITING,
    Facts,
    RuleData,
    Rules,
    add_months,
    hdc_assess,
    rotl_assess,
    rules_in_force,
    served_on,
    term_in_days,
)
from onward.opportunities.rulesets import rulesets_data


def _shipped() -> dict[str, list[Rules]]:
    loaded: dict[str, list[Rules]] = {}
    for number, entry in enumerate(rulesets_data(), start=1):
        by_code = {
            r["code"]: RuleData(r["code"], r["kind"], r["label"], r["value"], r["citation"], r["confirmed"])
            for r in entry["rules"]
        }
        loaded.setdefault(entry["scheme"], []).append(
            Rules(number, entry["scheme"], entry["version"], date.fromisoformat(entry["in_force_from"]), by_code)
        )
    return loaded


SHIPPED = _shipped()
HDC = SHIPPED["hdc"]
ROTL = SHIPPED["rotl"]


def hdc_on(day: date) -> Rules:
    rules = rules_in_force(HDC, day)
    assert rules is not None
    return rules


def clean(**changes: object) -> Facts:
    """A sentence that meets every rule: every yes/no answered no, no listed offence."""
    values: dict[str, object] = {
        "in_custody": True,
        "sentenced": True,
        "sentence_type": "sds",
        "sentenced_on": date(2025, 1, 6),
        "term_months": 24,
        "sds40_excluded": True,  # release at half, so the arithmetic is the same in every version
        "sex_offender_registration": False,
        "liable_to_removal": False,
        "recalled_from_hdc": False,
        "failed_to_return": False,
        "security_category": "C",
    }
    values.update(changes)
    return Facts(**values)  # type: ignore[arg-type]


def outcome(assessment, code: str) -> str:
    return next(c.outcome for c in assessment.criteria if c.code == code)


# --- Versions in force --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "max_days"),
    [
        (date(2023, 6, 5), 135),
        (date(2023, 6, 6), 180),
        (date(2025, 6, 2), 180),
        (date(2025, 6, 3), 365),
    ],
)
def test_the_longest_time_on_hdc_is_the_one_in_force_on_the_day(day, max_days):
    assert hdc_on(day).value("max_days", "days") == max_days


def test_no_rules_before_the_first_version():
    assert rules_in_force(HDC, date(2020, 11, 30)) is None
    assert hdc_assess(clean(), None, date(2020, 11, 30)).status == ALMOST


@given(st.integers(min_value=200, max_value=900))
def test_the_rule_change_moves_the_date_by_the_difference(term_days):
    """A long sentence: on 6 June 2023 the earliest day moves 45 days earlier (135 → 180)."""
    facts = clean(sentenced_on=date(2023, 1, 2), term_months=0, term_days=term_days)
    before = hdc_assess(facts, hdc_on(date(2023, 6, 5)), date(2023, 6, 5))
    after = hdc_assess(facts, hdc_on(date(2023, 6, 6)), date(2023, 6, 6))
    assert before.release_date == after.release_date
    rcp = math.ceil(term_days / 2)
    by_share = served_on(facts, max(28, math.ceil(rcp / 2)))
    assert before.eligible_on == max(by_share, before.release_date - timedelta(days=134))
    assert after.eligible_on == max(by_share, after.release_date - timedelta(days=179))
    assert after.eligible_on <= before.eligible_on


# --- The three boundaries of s.246(2) -----------------------------------------------------------


@given(st.integers(min_value=60, max_value=100))
def test_requisite_custodial_period_of_six_weeks(term_days):
    """RCP = half the term, rounded up: 42 days is enough, 41 is not."""
    facts = clean(term_months=0, term_days=term_days)
    assessment = hdc_assess(facts, hdc_on(date(2025, 1, 6)), date(2025, 1, 6))
    rcp = math.ceil(term_days / 2)
    assert outcome(assessment, "min_rcp_days") == (MET if rcp >= 42 else NOT_MET)
    assert (assessment.status == NOT_ELIGIBLE) == (rcp < 42)


@given(st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=30))
def test_four_weeks_served_counting_remand(offset, remand):
    """Short sentence (half the RCP is under 4 weeks): the 28th day served is the boundary."""
    facts = clean(term_months=0, term_days=100, remand_days=remand)  # RCP 50 days, half of it 25 < 28
    rules = hdc_on(date(2025, 1, 6))
    fourth_week = served_on(facts, 28)
    assert fourth_week == facts.sentenced_on + timedelta(days=27 - remand)
    day = fourth_week - timedelta(days=30) + timedelta(days=offset)
    assessment = hdc_assess(facts, rules, day)
    assert outcome(assessment, "min_served_days") == (MET if day >= fourth_week else WAITING)
    assert assessment.eligible_on == max(fourth_week, assessment.release_date - timedelta(days=179))


@given(st.integers(min_value=6, max_value=47), st.integers(min_value=-3, max_value=3))
def test_half_of_the_requisite_custodial_period(months, offset):
    facts = clean(term_months=months)
    rules = hdc_on(date(2025, 1, 6))
    rcp = math.ceil(term_in_days(facts) / 2)
    half = served_on(facts, math.ceil(rcp / 2))
    day = half + timedelta(days=offset)
    assessment = hdc_assess(facts, rules, day)
    assert outcome(assessment, "min_served_fraction") == (MET if offset >= 0 else WAITING)
    assert assessment.eligible_on >= half


@given(st.integers(min_value=0, max_value=400))
def test_the_date_is_never_before_any_of_its_three_limits(term_extra_days):
    facts = clean(term_months=3, term_days=term_extra_days)
    for day in (date(2023, 6, 5), date(2023, 6, 6), date(2025, 6, 3)):
        rules = hdc_on(day)
        assessment = hdc_assess(facts, rules, day)
        if assessment.status == NOT_ELIGIBLE:
            continue
        assert assessment.eligible_on >= served_on(facts, 28)
        assert assessment.eligible_on > assessment.release_date - timedelta(days=rules.value("max_days", "days"))
        assert assessment.eligible_on <= assessment.release_date


# --- Exclusions, unknowns, presumed unsuitable, SDS40 --------------------------------------------


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"sex_offender_registration": True}, "no_sex_offender_registration"),
        ({"liable_to_removal": True}, "not_liable_to_removal"),
        ({"recalled_from_hdc": True}, "no_hdc_recall"),
        ({"failed_to_return": True}, "no_failure_to_return"),
        ({"offence_categories": frozenset({"terrorism"})}, "no_terrorism"),
        ({"sentence_type": "extended"}, "fixed_term_only"),
        ({"term_months": 48}, "term_under_4_years"),
    ],
)
def test_each_statutory_exclusion_makes_a_person_not_eligible(changes, code):
    assessment = hdc_assess(clean(**changes), hdc_on(date(2025, 7, 1)), date(2025, 7, 1))
    assert assessment.status == NOT_ELIGIBLE
    assert [c.code for c in assessment.reasons] == [code]


def test_a_term_just_under_four_years_is_not_excluded():
    assessment = hdc_assess(clean(term_months=47, term_days=30), hdc_on(date(2025, 7, 1)), date(2025, 7, 1))
    assert outcome(assessment, "term_under_4_years") == MET


def test_what_is_not_known_makes_a_person_almost_eligible_and_says_what():
    assessment = hdc_assess(clean(sex_offender_registration=None), hdc_on(date(2026, 1, 1)), date(2026, 1, 1))
    assert assessment.status == ALMOST
    assert [c.code for c in assessment.missing] == ["no_sex_offender_registration"]
    assert assessment.missing[0].outcome == NOT_KNOWN


def test_a_presumed_unsuitable_offence_needs_exceptional_circumstances():
    facts = clean(offence_categories=frozenset({"stalking"}))
    assert outcome(hdc_assess(facts, hdc_on(date(2023, 6, 6)), date(2023, 6, 6)), "presumed_unsuitable") == (
        PRESUMED_UNSUITABLE
    )
    # Stalking joined the list on 6 June 2023.
    assert outcome(hdc_assess(facts, hdc_on(date(2023, 6, 5)), date(2023, 6, 5)), "presumed_unsuitable") == MET


def test_release_at_forty_per_cent_from_10_september_2024():
    facts = clean(sentenced_on=date(2024, 1, 1), term_months=0, term_days=500, sds40_excluded=False)
    before = hdc_assess(facts, hdc_on(date(2024, 9, 9)), date(2024, 9, 9))
    after = hdc_assess(facts, hdc_on(date(2024, 9, 10)), date(2024, 9, 10))
    assert before.release_date == served_on(facts, 250)
    assert after.release_date == served_on(facts, 200)
    unknown = hdc_assess(clean(sds40_excluded=None), hdc_on(date(2024, 9, 10)), date(2024, 9, 10))
    assert outcome(unknown, "release_fraction") == NOT_KNOWN


def test_eligible_from_the_process_lead_time_before_the_date():
    facts = clean()
    rules = hdc_on(date(2025, 7, 1))
    eligible_on = hdc_assess(facts, rules, date(2025, 7, 1)).eligible_on
    lead = rules.value("process_start", "days")
    assert hdc_assess(facts, rules, eligible_on - timedelta(days=lead)).status == ELIGIBLE
    assert hdc_assess(facts, rules, eligible_on - timedelta(days=lead + 1)).status == ALMOST


def test_unconfirmed_rules_are_flagged_for_checking_by_hand():
    assessment = hdc_assess(clean(), hdc_on(date(2026, 1, 1)), date(2026, 1, 1))
    by_hand = {c.code for c in assessment.check_by_hand}
    assert {"presumed_unsuitable", "no_terrorism", "min_served_fraction", "sentencing_act_2026"} <= by_hand
    assert "max_days" not in by_hand


# --- ROTL ---------------------------------------------------------------------------------------


def test_rotl_resettlement_date_is_the_later_of_the_two():
    rotl = rules_in_force(ROTL, date(2026, 1, 1))
    facts = clean(sentenced_on=date(2020, 1, 1), term_months=120, remand_days=100)  # 10 years: 24 months wins
    assessment = rotl_assess(facts, rotl, hdc_on(date(2026, 1, 1)), date(2026, 1, 1))
    assert assessment.eligible_on == add_months(assessment.release_date, -24)
    short = clean(sentenced_on=date(2025, 1, 1), term_months=24, remand_days=10)  # 2 years: half minus half remand
    found = rotl_assess(short, rotl, hdc_on(date(2025, 1, 1)), date(2025, 1, 1))
    rcp = math.ceil(term_in_days(short) / 2)
    assert found.eligible_on == short.sentenced_on + timedelta(days=math.ceil(rcp / 2) - 5 - 1)


def test_rotl_category_a_is_excluded_and_category_b_has_no_resettlement_release():
    rotl = rules_in_force(ROTL, date(2026, 1, 1))
    hdc = hdc_on(date(2026, 1, 1))
    day = date(2040, 1, 1)
    category_a = rotl_assess(clean(security_category="A"), rotl, hdc, day)
    assert category_a.status == NOT_ELIGIBLE
    assert not any(category_a.types.values())
    category_b = rotl_assess(clean(security_category="B", term_months=300), rotl, hdc, day)
    assert category_b.types == {"rdr": False, "ror": False, "crl": False, "spl": True}
    carer = rotl_assess(clean(security_category="D", sole_carer=True, term_months=300), rotl, hdc, day)
    assert carer.types == {"rdr": True, "ror": True, "crl": True, "spl": True}


def test_rotl_on_remand_is_not_eligible():
    rotl = rules_in_force(ROTL, date(2026, 1, 1))
    facts = Facts(in_custody=True, sentenced=False)
    assert rotl_assess(facts, rotl, hdc_on(date(2026, 1, 1)), date(2026, 1, 1)).status == NOT_ELIGIBLE
