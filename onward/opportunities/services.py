"""Every change to early release: the sentence facts, decisions, the HDC case's steps, temporary release.

Each service checks its actor, writes in one transaction and audits. A decision keeps the rule set in
force when it was made and the assessment staff saw, so a new version of the rules never rewrites it.
A curfew licence is created through the curfew app's `curfew_terms_set`, never by writing its tables.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onward.alerts.models import AlertKind
from onward.alerts.services import AlertCause, alert_raise
from onward.audit.services import audit_record
from onward.core.actors import SystemActor
from onward.core.audit_actions import AuditAction
from onward.core.permissions import require
from onward.curfew.services import CurfewSpec, curfew_terms_set
from onward.curfew.windows import WEEKDAYS, Window
from onward.location.postcodes import PostcodeError, postcode_locate, postcode_tidy
from onward.opportunities.engine import NOT_ELIGIBLE, PRESUMED_UNSUITABLE
from onward.opportunities.models import (
    AddressProposal,
    Decision,
    DecisionOutcome,
    HdcCase,
    HdcStage,
    HdcStep,
    OffenceCategory,
    RotlAbsence,
    RotlGrant,
    RotlType,
    RuleSet,
    Scheme,
    SecurityCategory,
    Sentence,
    SentenceType,
    hdc_transition_allowed,
)
from onward.opportunities.selectors import person_opportunities
from onward.people.models import Person
from onward.people.rules import acting_role
from onward.people.services import person_update

OVERDUE_ACTOR = SystemActor("rotl_overdue_alert")
TEXT_MAX_CHARS = 2000
TERM_MONTHS_MAX = 12 * 100
REMAND_DAYS_MAX = 365 * 20
SENTENCE_FIELDS = (
    "sentence_type",
    "sentenced_on",
    "term_months",
    "term_days",
    "remand_days",
    "offence_categories",
    "sds40_excluded",
    "sex_offender_registration",
    "liable_to_removal",
    "recalled_from_hdc",
    "failed_to_return",
    "security_category",
    "escape_list",
    "extradition",
    "further_charges",
    "sole_carer",
)


def sentence_record(*, actor: Any, person: Person, facts: dict[str, Any], today: date | None = None) -> Sentence:
    """Record or change the sentence facts, and keep the person's HDC, ROTL and release dates in step."""
    require(actor, "opportunities.decide", person)
    today = today or timezone.localdate()
    values = _sentence_clean(facts)
    with transaction.atomic():
        sentence = Sentence.objects.select_for_update().filter(person=person).first()
        before = {name: _plain(getattr(sentence, name)) for name in SENTENCE_FIELDS} if sentence else {}
        if sentence is None:
            sentence = Sentence(person=person, **values)
        else:
            for name, value in values.items():
                setattr(sentence, name, value)
        after = {name: _plain(getattr(sentence, name)) for name in SENTENCE_FIELDS}
        if before == after:
            return sentence
        sentence.updated_at = timezone.now()
        sentence.updated_by = actor
        sentence.save()
        changed = sorted(name for name in after if before.get(name) != after[name])
        audit_record(
            actor=actor,
            role=acting_role(actor, person),
            action=AuditAction.OPPORTUNITY_SENTENCE_RECORDED,
            person=person,
            target=sentence,
            data={"before": {n: before.get(n) for n in changed}, "after": {n: after[n] for n in changed}},
        )
        person_dates_sync(actor=actor, person=person, today=today)
    return sentence


def person_dates_sync(*, actor: Any, person: Person, today: date | None = None) -> None:
    """Write the dates worked out from the sentence to the person's record (the people app's service)."""
    today = today or timezone.localdate()
    found = person_opportunities(person, today)
    sentence = Sentence.objects.filter(person=person).first()
    fields: dict[str, Any] = {
        "hdc_eligibility_date": found.hdc.eligible_on if found.hdc.status != NOT_ELIGIBLE else None,
        "rotl_eligibility_date": found.rotl.eligible_on if found.rotl.status != NOT_ELIGIBLE else None,
    }
    if found.hdc.release_date is not None:
        fields["conditional_release_date"] = found.hdc.release_date
    if sentence is not None:
        fields["sentence_date"] = sentence.sentenced_on
    person_update(actor=actor, person=person, fields=fields, reason=_("Dates worked out from the sentence"))


def decision_record(
    *,
    actor: Any,
    person: Person,
    scheme: str,
    outcome: str,
    reason: str = "",
    snoozed_until: date | None = None,
    exceptional_reason: str = "",
    today: date | None = None,
) -> Decision:
    """Put forward, refuse (with a reason) or look again on a date. Keeps the rules and assessment it used.

    Putting someone forward for HDC opens their case at the risk assessment. A person presumed
    unsuitable goes forward only with the exceptional circumstances written down.
    """
    require(actor, "opportunities.decide", person)
    today = today or timezone.localdate()
    if scheme not in Scheme.values:
        raise ValidationError(_("Choose home detention curfew or temporary release."))
    if outcome not in DecisionOutcome.values:
        raise ValidationError(_("Choose put forward, refused or look again later."))
    reason, exceptional_reason = _text(reason), _text(exceptional_reason)
    found = person_opportunities(person, today)
    assessment = found.hdc if scheme == Scheme.HDC else found.rotl
    if assessment.ruleset_id is None:
        raise ValidationError(_("No rules are in force for this date."))
    if outcome == DecisionOutcome.REFUSED and not reason:
        raise ValidationError(_("Write why it was refused."))
    if outcome == DecisionOutcome.SNOOZED and (snoozed_until is None or snoozed_until <= today):
        raise ValidationError(_("Choose a date after today to look again."))
    if outcome == DecisionOutcome.PUT_FORWARD:
        if assessment.status == NOT_ELIGIBLE:
            raise ValidationError(_("This person is not eligible, so they cannot be put forward."))
        if scheme == Scheme.HDC:
            if any(c.outcome == PRESUMED_UNSUITABLE for c in assessment.criteria) and not exceptional_reason:
                raise ValidationError(_("They are presumed unsuitable: write the exceptional circumstances."))
            if found.hdc_case is not None and found.hdc_case.closed_at is None:
                raise ValidationError(_("Their home detention curfew case is already open."))
    with transaction.atomic():
        decision = Decision.objects.create(
            person=person,
            scheme=scheme,
            outcome=outcome,
            reason=reason,
            snoozed_until=snoozed_until if outcome == DecisionOutcome.SNOOZED else None,
            exceptional_reason=exceptional_reason,
            ruleset=RuleSet.objects.get(pk=assessment.ruleset_id),
            assessment=assessment.snapshot(),
            decided_by=actor,
        )
        if scheme == Scheme.HDC and outcome == DecisionOutcome.PUT_FORWARD:
            case = HdcCase.objects.create(person=person, decision=decision, ruleset=decision.ruleset)
            HdcStep.objects.create(case=case, to_stage=HdcStage.RISK, notes=reason, actor=actor)
        audit_record(
            actor=actor,
            role=acting_role(actor, person),
            action=AuditAction.OPPORTUNITY_DECIDED,
            person=person,
            target=decision,
            reason=reason,
            data={
                "scheme": scheme,
                "outcome": outcome,
                "rules_version": assessment.version,
                "status": assessment.status,
                "snoozed_until": decision.snoozed_until.isoformat() if decision.snoozed_until else None,
                "exceptional": bool(exceptional_reason),
            },
        )
    return decision


@dataclass(frozen=True)
class CurfewHours:
    """The curfew every night of the licence, London time (the policy's usual is 19:00 to 07:00)."""

    start: time
    end: time


def hdc_case_move(
    *,
    actor: Any,
    case: HdcCase,
    target: str,
    notes: str,
    address: str = "",
    postcode: str = "",
    hours: CurfewHours | None = None,
) -> HdcCase:
    """Move the case on one step (`HDC_TRANSITIONS`), with the notes each step needs.

    Risk assessment → home circumstances: the risk assessment's summary. Home circumstances → decision:
    the address checked (and its postcode). Decision → curfew licence: the reasons and the curfew hours,
    which become the person's curfew through the curfew app. Any step → refused: the reason.
    """
    person = case.person
    require(actor, "opportunities.decide", person)
    notes = _text(notes)
    if not notes:
        raise ValidationError(_("Write the notes for this step."))
    with transaction.atomic():
        locked = HdcCase.objects.select_for_update().get(pk=case.pk)
        if not hdc_transition_allowed(locked.stage, target):
            raise ValidationError(_("This case cannot move to that step now."))
        if target == HdcStage.ADDRESS:
            locked.risk_notes = notes
        elif target == HdcStage.DECISION:
            address, postcode = _text(address), _text(postcode)
            if not address or not postcode:
                raise ValidationError(_("Write the address that was checked, with its postcode."))
            locked.address, locked.postcode, locked.address_notes = address, postcode_tidy(postcode)[:8], notes
        elif target == HdcStage.LICENCE:
            locked.decision_reasons = notes
            terms = _curfew_grant(actor, person, locked, hours)
            locked.curfew_terms_id = terms.pk
        elif target == HdcStage.REFUSED:
            locked.decision_reasons = notes
        if target in (HdcStage.LICENCE, HdcStage.REFUSED):
            locked.closed_at = timezone.now()
        step = HdcStep.objects.create(case=locked, from_stage=locked.stage, to_stage=target, notes=notes, actor=actor)
        locked.stage = target
        locked.save()
        audit_record(
            actor=actor,
            role=acting_role(actor, person),
            action=AuditAction.OPPORTUNITY_HDC_CASE_MOVED,
            person=person,
            target=locked,
            reason=notes,
            data={"from": step.from_stage, "to": target, "curfew_terms": locked.curfew_terms_id},
        )
    return locked


def address_propose(
    *, actor: Any, person: Person, address: str, postcode: str, living_there: str = ""
) -> AddressProposal:
    """The person gives an address they could live at on HDC; staff check it in the home circumstances check."""
    require(actor, "opportunities.self", person)
    address, living_there = _text(address), _text(living_there)
    if not address:
        raise ValidationError(_("Write the address."))
    tidy = postcode_tidy(_text(postcode))
    if not tidy or len(tidy) > 8:
        raise ValidationError(_("Write the postcode, like LS1 4AP."))
    with transaction.atomic():
        proposal = AddressProposal.objects.create(
            person=person, address=address, postcode=tidy, living_there=living_there
        )
        audit_record(
            actor=actor,
            action=AuditAction.OPPORTUNITY_ADDRESS_PROPOSED,
            person=person,
            target=proposal,
            data={"postcode": tidy},
        )
    return proposal


def rotl_grant(
    *,
    actor: Any,
    person: Person,
    rotl_type: str,
    risk_assessment: str,
    conditions: str,
    valid_from: date,
    valid_until: date,
    today: date | None = None,
) -> RotlGrant:
    """Grant one type of temporary release for a period, after a risk assessment, on written conditions."""
    require(actor, "opportunities.decide", person)
    today = today or timezone.localdate()
    if rotl_type not in RotlType.values:
        raise ValidationError(_("Choose the type of temporary release."))
    risk_assessment, conditions = _text(risk_assessment), _text(conditions)
    if not risk_assessment or not conditions:
        raise ValidationError(_("Write the risk assessment and the conditions."))
    if valid_until < valid_from:
        raise ValidationError(_("The last day must be on or after the first day."))
    found = person_opportunities(person, today)
    if not found.rotl.types.get(rotl_type, False) and not (
        rotl_type == RotlType.SPL and found.rotl.status != NOT_ELIGIBLE
    ):
        raise ValidationError(_("This type of temporary release is not open to this person now."))
    assert found.rotl.ruleset_id is not None
    with transaction.atomic():
        grant = RotlGrant.objects.create(
            person=person,
            rotl_type=rotl_type,
            ruleset_id=found.rotl.ruleset_id,
            risk_assessment=risk_assessment,
            conditions=conditions,
            valid_from=valid_from,
            valid_until=valid_until,
            granted_by=actor,
        )
        audit_record(
            actor=actor,
            role=acting_role(actor, person),
            action=AuditAction.OPPORTUNITY_ROTL_GRANTED,
            person=person,
            target=grant,
            data={
                "type": rotl_type,
                "from": valid_from.isoformat(),
                "until": valid_until.isoformat(),
                "rules_version": found.rotl.version,
            },
        )
    return grant


def rotl_out(*, actor: Any, grant: RotlGrant, out_at: datetime, due_back_at: datetime) -> RotlAbsence:
    """Record the person going out on a grant, and when they are due back."""
    person = grant.person
    require(actor, "opportunities.decide", person)
    if due_back_at <= out_at:
        raise ValidationError(_("They must be due back after they go out."))
    if not grant.valid_from <= timezone.localtime(out_at).date() <= grant.valid_until:
        raise ValidationError(_("The grant does not cover that day."))
    with transaction.atomic():
        if RotlAbsence.objects.filter(person=person, returned_at__isnull=True).exists():
            raise ValidationError(_("They are already out: record their return first."))
        absence = RotlAbsence.objects.create(grant=grant, person=person, out_at=out_at, due_back_at=due_back_at)
        audit_record(
            actor=actor,
            role=acting_role(actor, person),
            action=AuditAction.OPPORTUNITY_ROTL_OUT,
            person=person,
            target=absence,
            data={"out_at": out_at.isoformat(), "due_back_at": due_back_at.isoformat()},
        )
    return absence


def rotl_returned(*, actor: Any, absence: RotlAbsence, returned_at: datetime) -> RotlAbsence:
    """Record the person back. Back after the time they were due raises an alert for staff."""
    person = absence.person
    require(actor, "opportunities.decide", person)
    if returned_at < absence.out_at:
        raise ValidationError(_("They cannot be back before they went out."))
    with transaction.atomic():
        locked = RotlAbsence.objects.select_for_update().get(pk=absence.pk)
        if locked.returned_at is not None:
            raise ValidationError(_("Their return is already recorded."))
        locked.returned_at = returned_at
        late = returned_at > locked.due_back_at
        if late:
            _late_alert(locked, actor)
        locked.save()
        audit_record(
            actor=actor,
            role=acting_role(actor, person),
            action=AuditAction.OPPORTUNITY_ROTL_RETURNED,
            person=person,
            target=locked,
            data={"returned_at": returned_at.isoformat(), "late": late},
        )
    return locked


def rotl_overdue_alert(now: datetime | None = None) -> dict[str, int]:
    """Raise an alert for everyone still out after they were due back (the periodic job `rotl_overdue_alert`)."""
    now = now or timezone.now()
    actor = OVERDUE_ACTOR
    raised = 0
    overdue = RotlAbsence.objects.filter(returned_at__isnull=True, due_back_at__lt=now, late_alert_raised=False)
    for absence in overdue.select_related("person"):
        with transaction.atomic():
            _late_alert(absence, actor)
            absence.save(update_fields=["late_alert_raised"])
        raised += 1
    return {"raised": raised}


# --- Helpers ------------------------------------------------------------------------------------


def _late_alert(absence: RotlAbsence, actor: Any | None) -> None:
    alert_raise(
        kind=AlertKind.ROTL_LATE_RETURN,
        person=absence.person,
        key=f"rotl-late:{absence.pk}",
        summary=_("Not back from temporary release by %(due)s")
        % {"due": timezone.localtime(absence.due_back_at).strftime("%d %b %Y %H:%M")},
        cause=AlertCause("opportunities:person", _("Early release"), [absence.person_id]),
        actor=actor,
    )
    absence.late_alert_raised = True


def _curfew_grant(actor: Any, person: Person, case: HdcCase, hours: CurfewHours | None) -> Any:
    if hours is None:
        raise ValidationError(_("Choose the curfew hours."))
    minimum = _rule_value(case, "curfew_min_hours", "hours", 9)
    window = Window(weekday=0, start=hours.start, end=hours.end)
    if window.wall_hours() < minimum:
        raise ValidationError(_("The curfew must be at least %(hours)s hours a day.") % {"hours": minimum})
    try:
        place = postcode_locate(case.postcode)
    except PostcodeError as problem:
        raise ValidationError(str(problem)) from problem
    spec = CurfewSpec(
        address=f"{case.address}\n{case.postcode}",
        latitude=place.latitude,
        longitude=place.longitude,
        windows=[Window(weekday=day, start=hours.start, end=hours.end) for day in WEEKDAYS],
    )
    return curfew_terms_set(actor=actor, person=person, curfew=spec, zones=[])


def _rule_value(case: HdcCase, code: str, key: str, default: Any) -> Any:
    rule = case.ruleset.rules.filter(code=code).first()
    return (rule.value or {}).get(key, default) if rule else default


def _sentence_clean(facts: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    kind = facts.get("sentence_type", SentenceType.STANDARD)
    if kind not in SentenceType.values:
        raise ValidationError(_("Choose the type of sentence."))
    values["sentence_type"] = kind
    sentenced_on = facts.get("sentenced_on")
    if not isinstance(sentenced_on, date):
        raise ValidationError(_("Enter the date of sentence."))
    values["sentenced_on"] = sentenced_on
    for name, top in (("term_months", TERM_MONTHS_MAX), ("term_days", 366), ("remand_days", REMAND_DAYS_MAX)):
        number = facts.get(name, 0) or 0
        if not isinstance(number, int) or not 0 <= number <= top:
            raise ValidationError(_("Enter a whole number from 0 to %(top)s.") % {"top": top})
        values[name] = number
    if values["term_months"] == 0 and values["term_days"] == 0:
        raise ValidationError(_("Enter the length of the sentence."))
    categories = sorted(set(facts.get("offence_categories") or []))
    if any(c not in OffenceCategory.values for c in categories):
        raise ValidationError(_("Choose offence categories from the list."))
    values["offence_categories"] = categories
    for name in (
        "sds40_excluded",
        "sex_offender_registration",
        "liable_to_removal",
        "recalled_from_hdc",
        "failed_to_return",
    ):
        value = facts.get(name)
        if value not in (True, False, None):
            raise ValidationError(_("Answer yes, no or not known."))
        values[name] = value
    category = facts.get("security_category", "") or ""
    if category not in SecurityCategory.values:
        raise ValidationError(_("Choose the security category."))
    values["security_category"] = category
    for name in ("escape_list", "extradition", "further_charges", "sole_carer"):
        values[name] = bool(facts.get(name, False))
    return values


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _text(value: str) -> str:
    """Typed text, trimmed. A NUL character (never typed, and PostgreSQL cannot keep it) is refused."""
    if "\x00" in (value or ""):
        raise ValidationError(_("Some of what you wrote has a character we cannot keep. Type it again."))
    return (value or "").strip()[:TEXT_MAX_CHARS]
