"""The resettlement plan: assessments by version, the need state machine, actions and the person's to-dos."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from onward.audit.models import AuditEvent
from onward.core.audit_actions import AuditAction
from onward.resettlement import selectors, services
from onward.resettlement.models import (
    NEED_TRANSITIONS,
    AssessmentKind,
    Need,
    NeedStatus,
    PlanEvent,
    PlanEventKind,
    need_transition_allowed,
)
from onward.resettlement.needs import NEEDS, Owner, library_topics_for

pytestmark = pytest.mark.django_db


def _assess(world: dict[str, Any], codes: list[str], kind: str = AssessmentKind.RECEPTION) -> Any:
    return services.assessment_record(actor=world["pom"], person=world["person"], kind=kind, need_codes=codes)


def test_an_assessment_adds_its_needs_with_their_pathway_and_usual_owner(plan_world):
    assessment = _assess(plan_world, ["no_bank_account", "no_cv"])
    assert assessment.number == 1
    needs = {n.code: n for n in Need.objects.filter(person=plan_world["person"])}
    assert set(needs) == {"no_bank_account", "no_cv"}
    assert needs["no_bank_account"].pathway == "finance_id"
    assert needs["no_bank_account"].owner == Owner.PRISON
    assert needs["no_cv"].owner == Owner.PERSON
    assert all(n.status == NeedStatus.NOT_STARTED for n in needs.values())
    event = AuditEvent.objects.get(action=AuditAction.RESETTLEMENT_ASSESSED)
    assert event.data["added"] == ["no_bank_account", "no_cv"]


def test_a_second_assessment_is_a_new_version_and_keeps_the_status_of_needs_already_in_the_plan(plan_world):
    _assess(plan_world, ["no_bank_account"])
    need = Need.objects.get(code="no_bank_account")
    services.need_status_change(actor=plan_world["pom"], need=need, status=NeedStatus.IN_PROGRESS)
    second = _assess(plan_world, ["no_bank_account", "gp_registration"], AssessmentKind.PRE_RELEASE)
    assert second.number == 2
    assert second.need_codes == ["no_bank_account", "gp_registration"]
    need.refresh_from_db()
    assert need.status == NeedStatus.IN_PROGRESS
    assert Need.objects.filter(person=plan_world["person"]).count() == 2


def test_a_declined_need_found_again_is_opened_again(plan_world):
    _assess(plan_world, ["alcohol_support"])
    need = Need.objects.get(code="alcohol_support")
    services.need_status_change(actor=plan_world["pom"], need=need, status=NeedStatus.DECLINED, note="Says no for now")
    _assess(plan_world, ["alcohol_support"], AssessmentKind.PRE_RELEASE)
    need.refresh_from_db()
    assert need.status == NeedStatus.NOT_STARTED


def test_an_unknown_need_or_kind_is_refused(plan_world):
    with pytest.raises(ValidationError):
        _assess(plan_world, ["no_unicorn"])
    with pytest.raises(ValidationError):
        _assess(plan_world, ["no_cv"], kind="weekly")


@pytest.mark.parametrize("start", NeedStatus.values)
@pytest.mark.parametrize("target", NeedStatus.values)
def test_the_need_state_machine_moves_only_as_its_table_allows(plan_world, start, target):
    _assess(plan_world, ["debts"])
    need = Need.objects.get(code="debts")
    Need.objects.filter(pk=need.pk).update(status=start)
    need.refresh_from_db()
    note = "Not wanted now" if target == NeedStatus.DECLINED else ""
    if start == target:
        assert services.need_status_change(actor=plan_world["pom"], need=need, status=target, note=note).status == start
        return
    if need_transition_allowed(start, target):
        moved = services.need_status_change(actor=plan_world["pom"], need=need, status=target, note=note)
        assert moved.status == target
        event = PlanEvent.objects.get(need=need, kind=PlanEventKind.NEED_STATUS)
        assert event.data == {"from": start, "to": target}
    else:
        with pytest.raises(ValidationError):
            services.need_status_change(actor=plan_world["pom"], need=need, status=target, note=note)
        need.refresh_from_db()
        assert need.status == start


def test_every_status_can_be_left_and_met_is_reachable_from_the_start():
    assert all(NEED_TRANSITIONS[status] for status in NeedStatus.values)
    assert need_transition_allowed(NeedStatus.NOT_STARTED, NeedStatus.MET)


def test_declining_needs_a_reason(plan_world):
    _assess(plan_world, ["debts"])
    need = Need.objects.get(code="debts")
    with pytest.raises(ValidationError, match="why"):
        services.need_status_change(actor=plan_world["pom"], need=need, status=NeedStatus.DECLINED)


def test_owner_change_is_kept_in_the_history_and_audited(plan_world):
    _assess(plan_world, ["debts"])
    need = services.need_owner_change(
        actor=plan_world["pom"], need=Need.objects.get(code="debts"), owner=Owner.PROBATION
    )
    assert need.owner == Owner.PROBATION
    assert PlanEvent.objects.get(kind=PlanEventKind.NEED_OWNER).data == {"from": Owner.PARTNER, "to": Owner.PROBATION}
    assert AuditEvent.objects.filter(action=AuditAction.RESETTLEMENT_NEED_CHANGED, person=plan_world["person"]).exists()


def test_the_person_ticks_off_their_own_actions_but_not_staff_ones(plan_world):
    _assess(plan_world, ["no_cv", "no_bank_account"])
    cv = services.action_add(
        actor=plan_world["pom"], person=plan_world["person"], need=Need.objects.get(code="no_cv"), text="Write a CV"
    )
    bank = services.action_add(
        actor=plan_world["pom"],
        person=plan_world["person"],
        need=Need.objects.get(code="no_bank_account"),
        text="Book the bank's prison visit",
    )
    assert cv.owner == Owner.PERSON
    assert bank.owner == Owner.PRISON
    done = services.action_mark(actor=plan_world["user"], action=cv, done=True)
    assert done.done_at is not None
    assert done.done_by_id == plan_world["user"].pk
    again = services.action_mark(actor=plan_world["user"], action=cv, done=True)
    assert again.done_at == done.done_at
    assert PlanEvent.objects.filter(kind=PlanEventKind.ACTION_DONE).count() == 1
    with pytest.raises(ValidationError):
        services.action_mark(actor=plan_world["user"], action=bank, done=True)


def test_the_person_adds_their_own_to_do_but_not_to_another_plan(plan_world):
    todo = services.action_add(actor=plan_world["user"], person=plan_world["person"], text="  Ask about   the gym ")
    assert todo.text == "Ask about the gym"
    assert todo.owner == Owner.PERSON
    assert todo.need is None
    with pytest.raises(PermissionDenied):
        services.action_add(actor=plan_world["other_user"], person=plan_world["person"], text="Not mine")
    with pytest.raises(ValidationError):
        services.action_add(actor=plan_world["user"], person=plan_world["person"], text="   ")
    with pytest.raises(ValidationError):
        services.action_add(
            actor=plan_world["user"],
            person=plan_world["person"],
            text="Yesterday",
            due_on=timezone.localdate() - timedelta(days=1),
        )


def test_only_caseworkers_who_reach_the_person_change_the_plan(plan_world):
    for who in ("keyworker", "pom"):
        _assess_by = services.assessment_record(
            actor=plan_world[who], person=plan_world["person"], kind=AssessmentKind.REVIEW, need_codes=[]
        )
        assert _assess_by.pk
    for who in ("security", "outsider", "practitioner"):
        with pytest.raises(PermissionDenied):
            services.assessment_record(
                actor=plan_world[who], person=plan_world["person"], kind=AssessmentKind.REVIEW, need_codes=[]
            )


def test_the_persons_plan_splits_their_to_dos_from_others_and_suggests_reading_for_open_needs(plan_world, make_staff):
    from onward.library.models import Audience
    from onward.library.tests.factories import TopicFactory, published_item
    from onward.organisations.models import Role

    editor = make_staff(Role.CONTENT_EDITOR, plan_world["org"]["north"])
    approver = make_staff(Role.CONTENT_EDITOR, plan_world["org"]["north"])
    money = TopicFactory(slug="bank-account", name="Bank accounts")
    other = TopicFactory(slug="gardening", name="Gardening")
    bank_item = published_item(editor, approver, "Opening a bank account", topics=(money,), audience=Audience.BOTH)
    published_item(editor, approver, "Growing beans", topics=(other,), audience=Audience.BOTH)
    _assess(plan_world, ["no_bank_account", "no_cv"])
    services.action_add(
        actor=plan_world["pom"], person=plan_world["person"], need=Need.objects.get(code="no_cv"), text="CV"
    )
    services.action_add(
        actor=plan_world["pom"], person=plan_world["person"], need=Need.objects.get(code="no_bank_account"), text="Bank"
    )
    plan = selectors.plan_for_person(plan_world["user"], plan_world["person"], "en-gb")
    assert [a.text for a in plan.mine] == ["CV"]
    assert [a.text for a in plan.others] == ["Bank"]
    assert [v.item.pk for v in plan.reading] == [bank_item.pk]
    with pytest.raises(PermissionDenied):
        selectors.plan_for_person(plan_world["other_user"], plan_world["person"], "en-gb")


def test_every_need_names_library_topics_and_the_mapping_keeps_order():
    assert all(need.library_topics for need in NEEDS)
    assert library_topics_for(["no_bank_account", "debts", "no_id"]) == ["money", "bank-account", "id"]


def test_the_pre_release_assessment_falls_due_twelve_weeks_before_release(plan_world):
    person = plan_world["person"]
    person.conditional_release_date = timezone.localdate() + timedelta(weeks=20)
    person.release_date = None
    assert selectors.pre_release_due_on(person) == person.conditional_release_date - timedelta(weeks=12)
