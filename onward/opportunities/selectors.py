"""Reads: the rules in force, one person's assessment, and a prison's ranked list.

A prison's list costs a fixed number of queries whatever its size: the people with their sentences,
the rule sets with their rules, the decisions and the open HDC cases (one query each).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet

from onward.opportunities.engine import (
    ALMOST,
    ELIGIBLE,
    NOT_ELIGIBLE,
    Assessment,
    Facts,
    RuleData,
    Rules,
    hdc_assess,
    rotl_assess,
    rules_in_force,
)
from onward.opportunities.models import (
    HDC_OPEN_STAGES,
    AddressProposal,
    Decision,
    DecisionOutcome,
    HdcCase,
    RotlAbsence,
    RotlGrant,
    Rule,
    RuleSet,
    Scheme,
    Sentence,
)
from onward.organisations.models import OrgUnit
from onward.organisations.roles import staff_roles
from onward.people.models import CUSTODY_STATUSES, Person, Status
from onward.people.rules import people_visible_to

# What the list shows and the rules read of each person: loading only these keeps a big prison quick.
LIST_PERSON_FIELDS = (
    "pk",
    "first_name",
    "last_name",
    "prison_number",
    "crn",
    "status",
    "unit_id",
    "parole_eligibility_date",
)


def rules_all() -> dict[str, list[Rules]]:
    """Every version of every scheme's rules (two queries)."""
    loaded: dict[str, list[Rules]] = {}
    for ruleset in RuleSet.objects.prefetch_related(Prefetch("rules", queryset=Rule.objects.order_by("pk"))):
        by_code = {
            r.code: RuleData(r.code, r.kind, r.label, dict(r.value or {}), r.citation, r.confirmed, r.note)
            for r in ruleset.rules.all()
        }
        loaded.setdefault(ruleset.scheme, []).append(
            Rules(ruleset.pk, ruleset.scheme, ruleset.version, ruleset.in_force_from, by_code)
        )
    return loaded


def facts_for(person: Person, sentence: Sentence | None) -> Facts:
    in_custody = person.status in CUSTODY_STATUSES
    if sentence is None:
        return Facts(in_custody=in_custody, sentenced=person.status == Status.SENTENCED)
    return Facts(
        in_custody=in_custody,
        sentenced=person.status == Status.SENTENCED,
        sentence_type=sentence.sentence_type,
        sentenced_on=sentence.sentenced_on,
        term_months=sentence.term_months,
        term_days=sentence.term_days,
        remand_days=sentence.remand_days,
        offence_categories=frozenset(sentence.offence_categories or []),
        sds40_excluded=sentence.sds40_excluded,
        sex_offender_registration=sentence.sex_offender_registration,
        liable_to_removal=sentence.liable_to_removal,
        recalled_from_hdc=sentence.recalled_from_hdc,
        failed_to_return=sentence.failed_to_return,
        security_category=sentence.security_category,
        escape_list=sentence.escape_list,
        extradition=sentence.extradition,
        further_charges=sentence.further_charges,
        sole_carer=sentence.sole_carer,
        parole_eligibility_date=person.parole_eligibility_date,
    )


@dataclass(frozen=True)
class PersonOpportunities:
    person: Person
    hdc: Assessment
    rotl: Assessment
    hdc_decision: Decision | None
    rotl_decision: Decision | None
    hdc_case: HdcCase | None
    today: date

    @property
    def hdc_considered(self) -> bool:
        return considered(self.hdc_decision, self.today)

    def rank_key(self) -> tuple[Any, ...]:
        """Eligible and not yet considered first, then almost eligible, then considered, then not eligible."""
        if self.hdc.status == NOT_ELIGIBLE:
            group = 3
        elif self.hdc_considered:
            group = 2
        else:
            group = 0 if self.hdc.status == ELIGIBLE else 1
        when = self.hdc.eligible_on or date.max
        return (group, when, self.person.last_name, self.person.first_name, self.person.pk)


def considered(decision: Decision | None, today: date) -> bool:
    """A decision counts until a snooze runs out: then the person is back in the queue."""
    if decision is None:
        return False
    if decision.outcome == DecisionOutcome.SNOOZED:
        return decision.snoozed_until is not None and decision.snoozed_until > today
    return True


def person_opportunities(
    person: Person, today: date, rules: dict[str, list[Rules]] | None = None
) -> PersonOpportunities:
    """One person's HDC and ROTL assessments, with the latest decisions and the open HDC case."""
    rules = rules if rules is not None else rules_all()
    sentence = Sentence.objects.filter(person=person).first()
    decisions = list(Decision.objects.filter(person=person).select_related("ruleset", "decided_by")[:50])
    case = HdcCase.objects.filter(person=person).first()
    return _build(person, sentence, decisions, case, rules, today)


def unit_opportunities(
    user: Any, unit: OrgUnit, today: date, *, status: str = "", considered_filter: str = ""
) -> list[PersonOpportunities]:
    """Everyone in custody in this prison (and its wings) whom the user may see, ranked; see `rank_key`."""
    people = _custody_in(user, unit)
    rules = rules_all()
    sentences = {s.person_id: s for s in Sentence.objects.filter(person__in=people.values("pk"))}
    decisions: dict[int, list[Decision]] = {}
    found = Decision.objects.filter(person__in=people.values("pk")).select_related("ruleset")
    for decision in found.order_by("-decided_at", "-pk"):
        decisions.setdefault(decision.person_id, []).append(decision)
    cases: dict[int, HdcCase] = {}
    for case in HdcCase.objects.filter(person__in=people.values("pk")).order_by("opened_at", "pk"):
        cases[case.person_id] = case  # the latest wins
    rows = [
        _build(p, sentences.get(p.pk), decisions.get(p.pk, []), cases.get(p.pk), rules, today)
        for p in people.only(*LIST_PERSON_FIELDS)
    ]
    if status in (ELIGIBLE, ALMOST, NOT_ELIGIBLE):
        rows = [r for r in rows if r.hdc.status == status]
    if considered_filter in ("yes", "no"):
        rows = [r for r in rows if r.hdc_considered == (considered_filter == "yes")]
    return sorted(rows, key=lambda r: r.rank_key())


def prisons_for(user: Any) -> list[OrgUnit]:
    """The prisons whose people the user may see: the prisons (and prisons above wings) of their roles."""
    found: dict[int, OrgUnit] = {}
    for held in staff_roles(user):
        unit = held.unit
        candidates = OrgUnit.objects.filter(path__startswith=unit.path, kind="prison")
        for prison in candidates:
            found[prison.pk] = prison
        if unit.kind == "wing" and unit.parent is not None:
            found[unit.parent.pk] = unit.parent
    return sorted(found.values(), key=lambda u: u.name)


def grants_for(person: Person) -> list[RotlGrant]:
    return list(
        RotlGrant.objects.filter(person=person).prefetch_related(
            Prefetch("absences", queryset=RotlAbsence.objects.order_by("-out_at"))
        )
    )


def proposals_for(person: Person) -> list[AddressProposal]:
    return list(AddressProposal.objects.filter(person=person)[:10])


def hdc_cases_open_count(people: Iterable[int]) -> int:
    return HdcCase.objects.filter(person__in=list(people), stage__in=sorted(HDC_OPEN_STAGES)).count()


# --- Helpers ------------------------------------------------------------------------------------


def _custody_in(user: Any, unit: OrgUnit) -> QuerySet[Person]:
    units = OrgUnit.objects.filter(path__startswith=unit.path).values("pk")
    return people_visible_to(user).filter(unit__in=units, status__in=sorted(CUSTODY_STATUSES))


def _build(
    person: Person,
    sentence: Sentence | None,
    decisions: list[Decision],
    case: HdcCase | None,
    rules: dict[str, list[Rules]],
    today: date,
) -> PersonOpportunities:
    facts = facts_for(person, sentence)
    hdc_rules = rules_in_force(rules.get(Scheme.HDC, []), today)
    rotl_rules = rules_in_force(rules.get(Scheme.ROTL, []), today)
    built = PersonOpportunities(
        person=person,
        hdc=hdc_assess(facts, hdc_rules, today),
        rotl=rotl_assess(facts, rotl_rules, hdc_rules, today),
        hdc_decision=next((d for d in decisions if d.scheme == Scheme.HDC), None),
        rotl_decision=next((d for d in decisions if d.scheme == Scheme.ROTL), None),
        hdc_case=case,
        today=today,
    )
    return built
