"""Whether remote check-ins suit a person: the rules as data, and the one pure function that applies them.

The factors are the ones issue 17 names for the national check-in service ("Check in with your
probation practitioner"): a very high risk of serious harm (RoSH, from the OASys assessment), MAPPA
level 2 or 3, domestic abuse, sexual offending, youth cases (under 18) and child protection concerns.
Each factor either limits check-ins to supplementing face-to-face contact ("supplement only") or rules
them out ("not suitable"). We could not find the national service's published criteria in the
sources we can read, so which factor gives which outcome is our own reading, said in
docs/checkin_suitability.md: a change is a new `RULES_VERSION` with new rows below, not new code.
Automated rules inform; a senior practitioner approves the screen before check-ins replace any contact.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from onward.checkins.models import MappaLevel, OfficeVisits, Suitability

RULES_VERSION = "2026-12"

# The order of outcomes, least restrictive first: a screen takes the most restrictive of its factors.
OUTCOME_RANK: dict[str, int] = {Suitability.SUITABLE: 0, Suitability.SUPPLEMENT_ONLY: 1, Suitability.NOT_SUITABLE: 2}


@dataclass(frozen=True)
class SuitabilityRule:
    code: str
    outcome: str
    words: object  # a lazy translation: what staff read as the reason


# One row per answer that limits check-ins. `code` is stored on the screen (`reasons`); never reuse one.
RULES: tuple[SuitabilityRule, ...] = (
    SuitabilityRule(
        "very_high_rosh", Suitability.NOT_SUITABLE, _("Very high risk of serious harm: check-ins are not suitable.")
    ),
    SuitabilityRule(
        "mappa_level_3", Suitability.NOT_SUITABLE, _("Managed at MAPPA level 3: check-ins are not suitable.")
    ),
    SuitabilityRule("youth_case", Suitability.NOT_SUITABLE, _("A youth case (under 18): check-ins are not suitable.")),
    SuitabilityRule(
        "mappa_level_2",
        Suitability.SUPPLEMENT_ONLY,
        _("Managed at MAPPA level 2: check-ins can only be used alongside face-to-face contact."),
    ),
    SuitabilityRule(
        "domestic_abuse",
        Suitability.SUPPLEMENT_ONLY,
        _("Domestic abuse: check-ins can only be used alongside face-to-face contact."),
    ),
    SuitabilityRule(
        "sexual_offending",
        Suitability.SUPPLEMENT_ONLY,
        _("Sexual offending: check-ins can only be used alongside face-to-face contact."),
    ),
    SuitabilityRule(
        "child_protection",
        Suitability.SUPPLEMENT_ONLY,
        _("Child protection concerns: check-ins can only be used alongside face-to-face contact."),
    ),
)
RULES_BY_CODE: dict[str, SuitabilityRule] = {rule.code: rule for rule in RULES}

# What each outcome lets check-ins do (the gate: services.checkin_mode_refusal).
MODES_ALLOWED: dict[str, frozenset[str]] = {
    Suitability.SUITABLE: frozenset({OfficeVisits.SUPPLEMENTS, OfficeVisits.REPLACES}),
    Suitability.SUPPLEMENT_ONLY: frozenset({OfficeVisits.SUPPLEMENTS}),
    Suitability.NOT_SUITABLE: frozenset(),
}


@dataclass(frozen=True)
class ScreenAnswers:
    very_high_rosh: bool
    mappa_level: str
    domestic_abuse: bool
    sexual_offending: bool
    youth_case: bool
    child_protection: bool


@dataclass(frozen=True)
class ScreenOutcome:
    outcome: str
    reasons: tuple[str, ...]  # rule codes, most restrictive first, in the order of RULES


def suitability_outcome(answers: ScreenAnswers) -> ScreenOutcome:
    """The outcome of a screen and the answers that caused it (every limiting answer, worst first)."""
    if answers.mappa_level not in MappaLevel.values:
        raise ValueError(f"Unknown MAPPA level {answers.mappa_level!r}")
    present = {
        "very_high_rosh": answers.very_high_rosh,
        "mappa_level_3": answers.mappa_level == MappaLevel.LEVEL_3,
        "mappa_level_2": answers.mappa_level == MappaLevel.LEVEL_2,
        "youth_case": answers.youth_case,
        "domestic_abuse": answers.domestic_abuse,
        "sexual_offending": answers.sexual_offending,
        "child_protection": answers.child_protection,
    }
    hits = [rule for rule in RULES if present[rule.code]]
    hits.sort(key=lambda rule: -OUTCOME_RANK[rule.outcome])  # stable: keeps the order of RULES within a rank
    outcome = hits[0].outcome if hits else Suitability.SUITABLE
    return ScreenOutcome(outcome=str(outcome), reasons=tuple(rule.code for rule in hits))


def reasons_described(codes: list[str] | tuple[str, ...]) -> list[str]:
    """The reasons in plain words, for pages and the API (an unknown code is shown as it is)."""
    return [str(RULES_BY_CODE[code].words) if code in RULES_BY_CODE else code for code in codes]
