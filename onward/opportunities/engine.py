"""The rules engine: a person's sentence facts and one version of the rules in, an assessment out.

Pure functions over plain values (no queries), so a whole prison is assessed in a fixed number of
queries (`selectors.py` loads the people, their sentences, the rule sets and the decisions at once).

Dates, as this module reads s.246 (see docs/opportunities.md; the off-by-one reading is ours):
- the term runs from the day of sentence for `term_months` months and `term_days` days;
- the requisite custodial period (RCP) is the release fraction of the term in days, rounded up;
- the day of sentence is day 1 served, and each remand day counts as a day served;
- HDC may start on the later of: the first day of the `max_days`-day period that ends on the day the
  RCP is served, the day 4 weeks are served, and the day the minimum share of the RCP is served.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, NamedTuple

ELIGIBLE = "eligible"
ALMOST = "almost"
NOT_ELIGIBLE = "not_eligible"
STATUS_ORDER = {ELIGIBLE: 0, ALMOST: 1, NOT_ELIGIBLE: 2}

MET = "met"
NOT_MET = "not_met"
NOT_KNOWN = "not_known"
WAITING = "waiting"
PRESUMED_UNSUITABLE = "presumed_unsuitable"
INFO = "info"

DAYS_PER_YEAR_MONTHS = 12


@dataclass(frozen=True)
class RuleData:
    code: str
    kind: str
    label: str
    value: dict[str, Any]
    citation: str
    confirmed: bool
    note: str = ""


@dataclass(frozen=True)
class Rules:
    """One version of one scheme's rules, by code."""

    ruleset_id: int
    scheme: str
    version: int
    in_force_from: date
    by_code: dict[str, RuleData]

    def get(self, code: str) -> RuleData | None:
        return self.by_code.get(code)

    def value(self, code: str, key: str, default: Any = None) -> Any:
        rule = self.by_code.get(code)
        return rule.value.get(key, default) if rule else default


@dataclass(slots=True)
class Facts:
    """What the rules read about one person and their sentence (None: not known)."""

    in_custody: bool
    sentenced: bool
    sentence_type: str | None = None
    sentenced_on: date | None = None
    term_months: int = 0
    term_days: int = 0
    remand_days: int = 0
    offence_categories: frozenset[str] = frozenset()
    sds40_excluded: bool | None = None
    sex_offender_registration: bool | None = None
    liable_to_removal: bool | None = None
    recalled_from_hdc: bool | None = None
    failed_to_return: bool | None = None
    security_category: str = ""
    escape_list: bool = False
    extradition: bool = False
    further_charges: bool = False
    sole_carer: bool = False
    parole_eligibility_date: date | None = None


class Criterion(NamedTuple):
    """One rule's result for one person (a tuple: a prison's list makes tens of thousands)."""

    code: str
    label: str
    citation: str
    confirmed: bool
    outcome: str
    detail: str = ""


@dataclass(frozen=True)
class Assessment:
    scheme: str
    status: str
    ruleset_id: int | None
    version: int | None
    criteria: list[Criterion] = field(default_factory=list)
    eligible_on: date | None = None
    release_date: date | None = None
    types: dict[str, bool] = field(default_factory=dict)  # ROTL: which types are open to the person

    @property
    def missing(self) -> list[Criterion]:
        return [c for c in self.criteria if c.outcome in (NOT_KNOWN, WAITING, PRESUMED_UNSUITABLE)]

    @property
    def reasons(self) -> list[Criterion]:
        return [c for c in self.criteria if c.outcome == NOT_MET]

    @property
    def check_by_hand(self) -> list[Criterion]:
        return [c for c in self.criteria if not c.confirmed]

    def snapshot(self) -> dict[str, Any]:
        """What a decision keeps of what staff saw."""
        return {
            "status": self.status,
            "version": self.version,
            "eligible_on": self.eligible_on.isoformat() if self.eligible_on else None,
            "release_date": self.release_date.isoformat() if self.release_date else None,
            "criteria": [
                {"code": c.code, "outcome": c.outcome, "confirmed": c.confirmed, "detail": c.detail}
                for c in self.criteria
            ],
            "types": dict(self.types),
        }


# --- Rules in force -----------------------------------------------------------------------------


def rules_in_force(versions: Iterable[Rules], on: date) -> Rules | None:
    """The version in force on a date: the latest to start on or before it (a later number wins a tie)."""
    started = [r for r in versions if r.in_force_from <= on]
    return max(started, key=lambda r: (r.in_force_from, r.version)) if started else None


# --- Sentence arithmetic ------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, or the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // DAYS_PER_YEAR_MONTHS, month_index % DAYS_PER_YEAR_MONTHS + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - February always has a 28th


def term_in_days(facts: Facts) -> int:
    assert facts.sentenced_on is not None
    end = add_months(facts.sentenced_on, facts.term_months) + timedelta(days=facts.term_days)
    return (end - facts.sentenced_on).days


def served_on(facts: Facts, days: int) -> date:
    """The day on which `days` days will have been served (the day of sentence is day 1; remand counts)."""
    assert facts.sentenced_on is not None
    return facts.sentenced_on + timedelta(days=days - 1 - facts.remand_days)


def release_fraction(facts: Facts, hdc: Rules) -> tuple[tuple[int, int], str]:
    """The share of the term served in custody, and the outcome of the SDS40 question."""
    sds40, standard = hdc.value("release_fraction", "sds40"), hdc.value("release_fraction", "standard", [1, 2])
    if sds40 is None or facts.sentence_type != "sds":
        return (standard[0], standard[1]), MET
    if facts.sds40_excluded is None:
        return (standard[0], standard[1]), NOT_KNOWN  # the later date until someone says
    chosen = standard if facts.sds40_excluded else sds40
    return (chosen[0], chosen[1]), MET


def requisite_days(facts: Facts, fraction: tuple[int, int]) -> int:
    return math.ceil(term_in_days(facts) * fraction[0] / fraction[1])


# --- HDC ----------------------------------------------------------------------------------------


def hdc_assess(facts: Facts, hdc: Rules | None, today: date) -> Assessment:
    """Eligible, almost eligible (what is missing) or not eligible (why) for HDC, every rule shown."""
    if hdc is None:
        return Assessment("hdc", ALMOST, None, None, [])
    out: list[Criterion] = []

    def add(code: str, outcome: str, detail: str = "") -> None:
        rule = hdc.get(code)
        if rule is not None:
            out.append(Criterion(code, rule.label, rule.citation, rule.confirmed, outcome, detail))

    if not facts.in_custody or not facts.sentenced or facts.sentenced_on is None:
        add("fixed_term_only", NOT_KNOWN if facts.in_custody else NOT_MET, "No sentence recorded")
        _info(add, hdc)
        return _status("hdc", hdc, out, None, None, today)
    add("fixed_term_only", MET if facts.sentence_type in hdc.value("fixed_term_only", "types", ["sds"]) else NOT_MET)
    years = hdc.value("term_under_4_years", "years", 4)
    term_end = add_months(facts.sentenced_on, facts.term_months) + timedelta(days=facts.term_days)
    add("term_under_4_years", MET if term_end < add_months(facts.sentenced_on, 12 * years) else NOT_MET)
    add("no_sex_offender_registration", _flag(facts.sex_offender_registration))
    add("no_failure_to_return", _flag(facts.failed_to_return))
    add("no_hdc_recall", _flag(facts.recalled_from_hdc))
    add("not_liable_to_removal", _flag(facts.liable_to_removal))
    add("no_terrorism", NOT_MET if "terrorism" in facts.offence_categories else MET)
    fraction, fraction_outcome = release_fraction(facts, hdc)
    rcp = requisite_days(facts, fraction)
    crd = served_on(facts, rcp)
    add("release_fraction", fraction_outcome, f"{fraction[0]}/{fraction[1]}; release date {crd.isoformat()}")
    min_rcp = hdc.value("min_rcp_days", "days", 42)
    add("min_rcp_days", MET if rcp >= min_rcp else NOT_MET, f"{rcp} days")
    served_days = hdc.value("min_served_days", "days", 28)
    by_weeks = served_on(facts, served_days)
    add("min_served_days", MET if today >= by_weeks else WAITING, by_weeks.isoformat())
    num, den = hdc.value("min_served_fraction", "numerator", 1), hdc.value("min_served_fraction", "denominator", 2)
    by_share = served_on(facts, math.ceil(rcp * num / den))
    add("min_served_fraction", MET if today >= by_share else WAITING, by_share.isoformat())
    max_days = hdc.value("max_days", "days", 0)
    by_period = crd - timedelta(days=max_days - 1)
    hdced = max(by_weeks, by_share, by_period)
    add("max_days", MET if today >= by_period else WAITING, by_period.isoformat())
    unsuitable = sorted(facts.offence_categories & set(hdc.value("presumed_unsuitable", "categories", [])))
    add("presumed_unsuitable", PRESUMED_UNSUITABLE if unsuitable else MET, ", ".join(unsuitable))
    _info(add, hdc)
    if today > crd:
        out.append(Criterion("release_passed", "The release date has passed", "", True, NOT_MET, crd.isoformat()))
    return _status("hdc", hdc, out, hdced, crd, today)


def _info(add: Any, rules: Rules) -> None:
    for rule in rules.by_code.values():
        if rule.kind == "process" or rule.code == "curfew_min_hours":
            add(rule.code, INFO)


def _flag(value: bool | None) -> str:
    """A yes/no fact that excludes when true."""
    if value is None:
        return NOT_KNOWN
    return NOT_MET if value else MET


def _status(
    scheme: str, rules: Rules, criteria: list[Criterion], eligible_on: date | None, release: date | None, today: date
) -> Assessment:
    outcomes = {c.outcome for c in criteria}
    lead = rules.value("process_start", "days", 0)
    if NOT_MET in outcomes:
        status = NOT_ELIGIBLE
    elif NOT_KNOWN in outcomes or PRESUMED_UNSUITABLE in outcomes or eligible_on is None:
        status = ALMOST
    elif today >= eligible_on - timedelta(days=lead):
        status = ELIGIBLE
    else:
        status = ALMOST
    return Assessment(scheme, status, rules.ruleset_id, rules.version, criteria, eligible_on, release)


# --- ROTL ---------------------------------------------------------------------------------------


def rotl_assess(facts: Facts, rotl: Rules | None, hdc: Rules | None, today: date) -> Assessment:
    """Which types of temporary release are open to the person, and from when (resettlement types)."""
    if rotl is None or hdc is None:
        return Assessment("rotl", ALMOST, None, None, [])
    out: list[Criterion] = []

    def add(code: str, outcome: str, detail: str = "") -> None:
        rule = rotl.get(code)
        if rule is not None:
            out.append(Criterion(code, rule.label, rule.citation, rule.confirmed, outcome, detail))

    sentenced = facts.in_custody and facts.sentenced and facts.sentenced_on is not None
    add("sentenced_only", MET if sentenced else NOT_MET)
    add("not_category_a", NOT_MET if facts.security_category == "A" else MET)
    add("not_escape_list", NOT_MET if facts.escape_list else MET)
    add("no_extradition", NOT_MET if facts.extradition else MET)
    add("no_further_charges", NOT_MET if facts.further_charges else MET)
    types = dict.fromkeys(rotl.value("types", "types", []), True)
    resettlement = rotl.value("resettlement_not_category_b", "types", [])
    if facts.security_category in ("A", "B"):
        types.update(dict.fromkeys(resettlement, False))
    add("resettlement_not_category_b", MET if facts.security_category not in ("A", "B") else NOT_MET)
    crl = rotl.value("crl_sole_carer", "types", [])
    types.update({t: types.get(t, False) and facts.sole_carer for t in crl})
    add("crl_sole_carer", MET if facts.sole_carer else NOT_MET, "" if facts.sole_carer else "Applies only to this type")
    eligible_on: date | None = None
    release: date | None = None
    if sentenced:
        fraction, _outcome = release_fraction(facts, hdc)
        rcp = requisite_days(facts, fraction)
        release = served_on(facts, rcp)
        anchor = facts.parole_eligibility_date or release
        before = add_months(anchor, -rotl.value("resettlement_date", "months_before", 24))
        num, den = rotl.value("resettlement_date", "numerator", 1), rotl.value("resettlement_date", "denominator", 2)
        assert facts.sentenced_on is not None
        by_half = facts.sentenced_on + timedelta(
            days=math.ceil(rcp * num / den) - math.floor(facts.remand_days * num / den) - 1
        )
        eligible_on = max(before, by_half)
        add("resettlement_date", MET if today >= eligible_on else WAITING, eligible_on.isoformat())
    add("spl_any_time", INFO)
    blocking = [
        c for c in out if c.outcome == NOT_MET and c.code not in ("resettlement_not_category_b", "crl_sole_carer")
    ]
    if blocking:
        types = dict.fromkeys(types, False)
        status = NOT_ELIGIBLE
    elif eligible_on is None:
        status = ALMOST
    elif today >= eligible_on:
        status = ELIGIBLE
    else:
        status = ALMOST
    if sentenced and not blocking and eligible_on is not None and today < eligible_on:
        types.update(dict.fromkeys(rotl.value("resettlement_date", "types", []), False))
    return Assessment("rotl", status, rotl.ruleset_id, rotl.version, out, eligible_on, release, types)
