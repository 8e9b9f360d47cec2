"""Decisions keep their rule version, the HDC case runs to a curfew licence, ROTL absences and late returns."""

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from onward.alerts.models import Alert, AlertKind
from onward.audit.models import AuditEvent
from onward.core.audit_actions import AuditAction
from onward.curfew.models import CurfewTerms
from onward.opportunities import services
from onward.opportunities.engine import ALMOST, ELIGIBLE, NOT_ELIGIBLE
from onward.opportunities.models import Decision, DecisionOutcome, HdcStage, Rule, RuleSet, Scheme, Sentence
from onward.opportunities.rulesets import rulesets_data, rulesets_load
from onward.opportunities.selectors import person_opportunities, unit_opportunities
from onward.opportunities.tests.factories import SentenceFactory
from onward.organisations.models import Role
from onward.people.tests.factories import PersonFactory

TODAY = dt.date(2026, 12, 1)


def verified(user: Any) -> Any:
    user.is_verified = lambda: True
    return user


@pytest.fixture
def pom(org, make_staff):
    return verified(make_staff(Role.POM, org["ngt"]))


def eligible_person(org, **sentence: Any) -> Any:
    person = PersonFactory(unit=org["wing_a"])
    SentenceFactory(person=person, **sentence)
    return person


@pytest.mark.django_db
def test_rules_are_loaded_by_the_migration_and_cannot_be_changed_in_place():
    assert RuleSet.objects.filter(scheme="hdc").count() == 4
    data = rulesets_data()
    assert rulesets_load(RuleSet, Rule, data) == 0  # loading again adds nothing
    data[0]["rules"][0]["value"] = {"days": 999}
    with pytest.raises(ValueError, match="add a new version"):
        rulesets_load(RuleSet, Rule, data)


@pytest.mark.django_db
def test_a_decision_keeps_its_rule_version_after_a_new_version(org, pom):
    person = eligible_person(org)
    decision = services.decision_record(
        actor=pom, person=person, scheme=Scheme.HDC, outcome=DecisionOutcome.PUT_FORWARD, today=TODAY
    )
    assert decision.ruleset.version == 4
    assert decision.assessment["version"] == 4
    hdc_v4 = RuleSet.objects.get(scheme="hdc", version=4)
    newer = [dict(e) for e in rulesets_data() if e["scheme"] == "hdc" and e["version"] == 4]
    newer[0].update(version=5, in_force_from="2026-11-01", title="A later change")
    newer[0]["rules"] = [dict(r, value={"days": 400}) if r["code"] == "max_days" else r for r in newer[0]["rules"]]
    assert rulesets_load(RuleSet, Rule, newer) == 1
    decision.refresh_from_db()
    assert decision.ruleset == hdc_v4
    assert decision.assessment["version"] == 4
    assert person_opportunities(person, TODAY).hdc.version == 5


@pytest.mark.django_db
def test_deciding_is_audited_and_checks_its_reasons(org, pom):
    person = eligible_person(org)
    with pytest.raises(ValidationError):
        services.decision_record(actor=pom, person=person, scheme="hdc", outcome="refused", today=TODAY)
    with pytest.raises(ValidationError):
        services.decision_record(
            actor=pom, person=person, scheme="hdc", outcome="snoozed", snoozed_until=TODAY, today=TODAY
        )
    services.decision_record(actor=pom, person=person, scheme="hdc", outcome="refused", reason="Risk", today=TODAY)
    event = AuditEvent.objects.filter(action=AuditAction.OPPORTUNITY_DECIDED).get()
    assert event.data["outcome"] == "refused"
    assert event.data["rules_version"] == 4


@pytest.mark.django_db
def test_not_eligible_cannot_be_put_forward_and_presumed_unsuitable_needs_a_reason(org, pom):
    excluded = eligible_person(org, sex_offender_registration=True)
    with pytest.raises(ValidationError, match="not eligible"):
        services.decision_record(actor=pom, person=excluded, scheme="hdc", outcome="put_forward", today=TODAY)
    presumed = eligible_person(org, offence_categories=["stalking"])
    with pytest.raises(ValidationError, match="exceptional"):
        services.decision_record(actor=pom, person=presumed, scheme="hdc", outcome="put_forward", today=TODAY)
    decision = services.decision_record(
        actor=pom,
        person=presumed,
        scheme="hdc",
        outcome="put_forward",
        exceptional_reason="Victim has moved abroad; probation support it",
        today=TODAY,
    )
    assert decision.hdc_case.stage == HdcStage.RISK


@pytest.mark.django_db
def test_staff_outside_the_prison_cannot_decide(org, make_staff):
    person = eligible_person(org)
    stranger = verified(make_staff(Role.POM, org["stn"]))
    with pytest.raises(PermissionDenied):
        services.decision_record(actor=stranger, person=person, scheme="hdc", outcome="put_forward", today=TODAY)
    keyworker = verified(make_staff(Role.KEY_WORKER, org["ngt"]))
    with pytest.raises(PermissionDenied):
        services.decision_record(actor=keyworker, person=person, scheme="hdc", outcome="put_forward", today=TODAY)


@pytest.mark.django_db
def test_the_hdc_case_runs_to_a_curfew_licence_through_the_curfew_app(org, pom):
    person = eligible_person(org)
    decision = services.decision_record(actor=pom, person=person, scheme="hdc", outcome="put_forward", today=TODAY)
    case = decision.hdc_case
    with pytest.raises(ValidationError):
        services.hdc_case_move(actor=pom, case=case, target=HdcStage.LICENCE, notes="too soon")
    case = services.hdc_case_move(actor=pom, case=case, target=HdcStage.ADDRESS, notes="Low risk")
    with pytest.raises(ValidationError, match="address"):
        services.hdc_case_move(actor=pom, case=case, target=HdcStage.DECISION, notes="Checked")
    case = services.hdc_case_move(
        actor=pom, case=case, target=HdcStage.DECISION, notes="Checked", address="1 Park Row\nLeeds", postcode="ls14ap"
    )
    assert case.postcode == "LS1 4AP"
    short = services.CurfewHours(start=dt.time(22), end=dt.time(6))  # 8 hours: below the 9 of s.253
    with pytest.raises(ValidationError, match="9"):
        services.hdc_case_move(actor=pom, case=case, target=HdcStage.LICENCE, notes="Granted", hours=short)
    hours = services.CurfewHours(start=dt.time(19), end=dt.time(7))
    case = services.hdc_case_move(actor=pom, case=case, target=HdcStage.LICENCE, notes="Granted", hours=hours)
    terms = CurfewTerms.objects.get(person=person)
    assert case.curfew_terms_id == terms.pk
    assert terms.windows.count() == 7
    assert "LS1 4AP" in terms.address
    assert case.closed_at is not None
    assert [s.to_stage for s in case.steps.all()] == ["risk", "address", "decision", "licence"]


@pytest.mark.django_db
def test_recording_the_sentence_keeps_the_persons_dates_in_step(org, pom):
    person = PersonFactory(unit=org["wing_a"], hdc_eligibility_date=None)
    facts = {
        "sentenced_on": dt.date(2026, 1, 5),
        "term_months": 24,
        "sds40_excluded": True,
        "sex_offender_registration": False,
        "liable_to_removal": False,
        "recalled_from_hdc": False,
        "failed_to_return": False,
    }
    services.sentence_record(actor=pom, person=person, facts=facts, today=TODAY)
    person.refresh_from_db()
    found = person_opportunities(person, TODAY)
    assert person.hdc_eligibility_date == found.hdc.eligible_on
    assert person.conditional_release_date == found.hdc.release_date
    assert person.rotl_eligibility_date == found.rotl.eligible_on
    services.sentence_record(actor=pom, person=person, facts={**facts, "sex_offender_registration": True}, today=TODAY)
    person.refresh_from_db()
    assert person.hdc_eligibility_date is None
    assert AuditEvent.objects.filter(action=AuditAction.OPPORTUNITY_SENTENCE_RECORDED).count() == 2


@pytest.mark.django_db
def test_the_list_puts_eligible_and_not_considered_first_then_by_date(org, pom):
    # Three-year sentences on different days, so their HDC dates differ; none released yet.
    later = eligible_person(org, term_months=36, sentenced_on=dt.date(2026, 3, 1))
    sooner = eligible_person(org, term_months=36, sentenced_on=dt.date(2026, 1, 5))
    considered = eligible_person(org, term_months=36, sentenced_on=dt.date(2025, 12, 1))
    unknown = eligible_person(org, sex_offender_registration=None, term_months=36, sentenced_on=dt.date(2025, 11, 1))
    excluded = eligible_person(org, liable_to_removal=True, term_months=36, sentenced_on=dt.date(2025, 10, 1))
    snoozed_out = eligible_person(org, term_months=36, sentenced_on=dt.date(2026, 2, 1))
    services.decision_record(actor=pom, person=considered, scheme="hdc", outcome="refused", reason="x", today=TODAY)
    snooze = services.decision_record(
        actor=pom,
        person=snoozed_out,
        scheme="hdc",
        outcome="snoozed",
        snoozed_until=TODAY + dt.timedelta(days=3),
        today=TODAY,
    )
    rows = unit_opportunities(pom, org["ngt"], TODAY)
    assert {r.person.pk: r.hdc.status for r in rows}[later.pk] == ELIGIBLE
    assert [r.person.pk for r in rows] == [sooner.pk, later.pk, unknown.pk, considered.pk, snoozed_out.pk, excluded.pk]
    assert rows[2].hdc.status == ALMOST
    assert rows[-1].hdc.status == NOT_ELIGIBLE
    # After the snooze date the person is back among the not yet considered, in date order.
    after = unit_opportunities(pom, org["ngt"], snooze.snoozed_until)
    assert [r.person.pk for r in after][:3] == [sooner.pk, snoozed_out.pk, later.pk]
    only_new = unit_opportunities(pom, org["ngt"], TODAY, status=ELIGIBLE, considered_filter="no")
    assert [r.person.pk for r in only_new] == [sooner.pk, later.pk]


@pytest.mark.django_db
def test_a_prisons_list_costs_a_fixed_number_of_queries(org, pom, django_assert_max_num_queries):
    for day in range(5):
        eligible_person(org, sentenced_on=dt.date(2026, 1, 1) + dt.timedelta(days=day))
    with django_assert_max_num_queries(12) as few:
        unit_opportunities(pom, org["ngt"], TODAY)
    for day in range(20):
        eligible_person(org, sentenced_on=dt.date(2026, 2, 1) + dt.timedelta(days=day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = unit_opportunities(pom, org["ngt"], TODAY)
    assert len(rows) == 25


@pytest.mark.django_db
def test_rotl_grant_absence_and_a_late_return_raises_an_alert(org, pom, clock):
    person = eligible_person(org, sentenced_on=dt.date(2025, 1, 6), security_category="D")
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="not open"):
        services.rotl_grant(
            actor=pom,
            person=person,
            rotl_type="crl",
            risk_assessment="Low",
            conditions="Home by 6",
            valid_from=today,
            valid_until=today + dt.timedelta(days=30),
        )
    grant = services.rotl_grant(
        actor=pom,
        person=person,
        rotl_type="rdr",
        risk_assessment="Low",
        conditions="Work placement only",
        valid_from=today,
        valid_until=today + dt.timedelta(days=30),
    )
    out_at = clock.now
    absence = services.rotl_out(actor=pom, grant=grant, out_at=out_at, due_back_at=out_at + dt.timedelta(hours=8))
    with pytest.raises(ValidationError, match="already out"):
        services.rotl_out(actor=pom, grant=grant, out_at=out_at, due_back_at=out_at + dt.timedelta(hours=8))
    services.rotl_returned(actor=pom, absence=absence, returned_at=out_at + dt.timedelta(hours=7))
    assert not Alert.objects.filter(kind=AlertKind.ROTL_LATE_RETURN).exists()
    second = services.rotl_out(
        actor=pom, grant=grant, out_at=out_at + dt.timedelta(days=1), due_back_at=out_at + dt.timedelta(days=1, hours=8)
    )
    services.rotl_returned(actor=pom, absence=second, returned_at=out_at + dt.timedelta(days=1, hours=9))
    alert = Alert.objects.get(kind=AlertKind.ROTL_LATE_RETURN)
    assert alert.person == person


@pytest.mark.django_db
def test_still_out_after_the_due_time_raises_one_alert(org, pom, clock):
    person = eligible_person(org, sentenced_on=dt.date(2025, 1, 6), security_category="D")
    today = timezone.localdate()
    grant = services.rotl_grant(
        actor=pom,
        person=person,
        rotl_type="rdr",
        risk_assessment="Low",
        conditions="Work",
        valid_from=today,
        valid_until=today + dt.timedelta(days=3),
    )
    services.rotl_out(actor=pom, grant=grant, out_at=clock.now, due_back_at=clock.now + dt.timedelta(hours=2))
    assert services.rotl_overdue_alert(clock.now + dt.timedelta(hours=1)) == {"raised": 0}
    assert services.rotl_overdue_alert(clock.now + dt.timedelta(hours=3)) == {"raised": 1}
    assert services.rotl_overdue_alert(clock.now + dt.timedelta(hours=4)) == {"raised": 0}
    assert Alert.objects.filter(kind=AlertKind.ROTL_LATE_RETURN, person=person).count() == 1


@pytest.mark.django_db
def test_sentence_is_stored_once_per_person(org, pom):
    person = eligible_person(org)
    assert Sentence.objects.filter(person=person).count() == 1
    assert Decision.objects.count() == 0


@pytest.mark.django_db
def test_a_nul_character_in_an_address_is_refused_in_plain_words_on_every_database(org, pom):
    # The API fuzzer sent one to POST /api/v1/me/early-release/address: PostgreSQL refused it with a 500.
    person = eligible_person(org)
    from onward.accounts.services import person_account_ensure

    account = person_account_ensure(person)
    for address, postcode in (("1 Park\x00 Row", "LS1 4AP"), ("1 Park Row", "LS1\x00 4AP")):
        with pytest.raises(ValidationError, match="character we cannot keep"):
            services.address_propose(actor=account, person=person, address=address, postcode=postcode)
    decision = services.decision_record(actor=pom, person=person, scheme="hdc", outcome="put_forward", today=TODAY)
    case = services.hdc_case_move(actor=pom, case=decision.hdc_case, target=HdcStage.ADDRESS, notes="Low risk")
    with pytest.raises(ValidationError, match="character we cannot keep"):
        services.hdc_case_move(
            actor=pom,
            case=case,
            target=HdcStage.DECISION,
            notes="Checked",
            address="1 Park\x00 Row",
            postcode="LS1 4AP",
        )
