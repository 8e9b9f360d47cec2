"""Early release: a prison's ranked list and one person's criteria for staff (session); a decision;
the person's own dates (device token or session).

A person outside the caller's scope is a 404, like one that does not exist.
"""

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import P, PathEx, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict, Field, StringConstraints

from onward.api.auth import DeviceTokenAuth, PersonOrStaffSessionAuth, api_user
from onward.api.errors import BAD_REQUEST, NOT_FOUND, UNPROCESSABLE, responses
from onward.api.permissions import permission
from onward.api.schemas import DATABASE_ID_MAX, DatabaseId
from onward.core.audit_actions import AuditAction
from onward.core.permissions import can
from onward.opportunities import selectors, services
from onward.opportunities.engine import Assessment
from onward.opportunities.models import Decision
from onward.people.models import Person
from onward.people.selectors import person_get

router = Router(auth=[DeviceTokenAuth(), PersonOrStaffSessionAuth()], tags=["early release"])
Id = PathEx[int, P(ge=1, le=DATABASE_ID_MAX)]
T = TypeVar("T")


# --- Schemas ------------------------------------------------------------------------------------


class CriterionOut(Schema):
    code: str
    label: str
    outcome: str
    citation: str
    confirmed: bool
    detail: str


class AssessmentOut(Schema):
    status: str
    rules_version: int | None
    eligible_on: dt.date | None
    release_date: dt.date | None
    criteria: list[CriterionOut]
    types: dict[str, bool]


class DecisionOut(Schema):
    id: int
    scheme: str
    outcome: str
    reason: str
    snoozed_until: dt.date | None
    rules_version: int
    decided_at: dt.datetime


class PersonOpportunitiesOut(Schema):
    person_id: int
    name: str
    reference: str
    hdc: AssessmentOut
    rotl: AssessmentOut
    hdc_considered: bool
    hdc_decision: DecisionOut | None
    hdc_case_stage: str | None


class ListFilters(Schema):
    model_config = ConfigDict(extra="forbid")

    prison: DatabaseId | None = Field(None, description="The prison; the first of the caller's prisons if not given.")
    status: Literal["", "eligible", "almost", "not_eligible"] = Field("", description="Only this HDC status.")
    considered: Literal["", "yes", "no"] = Field(
        "", description="Only people whose HDC was (yes) or was not considered."
    )


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    scheme: Annotated[str, StringConstraints(max_length=10)]
    outcome: Annotated[str, StringConstraints(max_length=20)]
    reason: Annotated[str, StringConstraints(max_length=2000)] = ""
    snoozed_until: dt.date | None = None
    exceptional_reason: Annotated[str, StringConstraints(max_length=2000)] = ""


class MyDatesOut(Schema):
    hdc_status: str
    hdc_eligible_on: dt.date | None
    release_date: dt.date | None
    rotl_status: str
    rotl_eligible_on: dt.date | None
    hdc_case_stage: str | None
    can_give_address: bool


class AddressIn(Schema):
    model_config = ConfigDict(extra="forbid")

    address: Annotated[str, StringConstraints(max_length=2000)]
    postcode: Annotated[str, StringConstraints(max_length=10)]
    living_there: Annotated[str, StringConstraints(max_length=2000)] = ""


# --- Staff --------------------------------------------------------------------------------------


@router.get(
    "/early-release",
    response=responses({200: list[PersonOpportunitiesOut]}, UNPROCESSABLE),
    summary="A prison's people in custody, eligible for HDC and not yet considered first",
)
@permission("opportunities.view")
def prison_list(request: HttpRequest, filters: Query[ListFilters]) -> list[PersonOpportunitiesOut]:
    user = api_user(request)
    prisons = selectors.prisons_for(user)
    prison = next((p for p in prisons if p.pk == filters.prison), prisons[0] if prisons else None)
    if prison is None:
        return []
    today = timezone.localdate()
    rows = selectors.unit_opportunities(
        user, prison, today, status=filters.status, considered_filter=filters.considered
    )
    return [_person_out(row) for row in rows]


@router.get(
    "/people/{person_id}/early-release",
    response=responses({200: PersonOpportunitiesOut}, NOT_FOUND, UNPROCESSABLE),
    summary="One person's HDC and ROTL criteria, each with its source",
)
@permission("opportunities.view")
def person_criteria(request: HttpRequest, person_id: Id) -> PersonOpportunitiesOut:
    user = api_user(request)
    person = _person(user, person_id, AuditAction.PERSON_VIEW_OPPORTUNITIES, "opportunities.view")
    return _person_out(selectors.person_opportunities(person, timezone.localdate()))


@router.post(
    "/people/{person_id}/early-release/decisions",
    response=responses({200: DecisionOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Put forward, refuse with a reason, or look again on a date",
)
@permission("opportunities.decide")
def person_decide(request: HttpRequest, person_id: Id, body: DecisionIn) -> DecisionOut:
    user = api_user(request)
    person = _person(user, person_id, AuditAction.PERSON_VIEW_FOR_OPPORTUNITY_DECISION, "opportunities.decide")
    decision = _service(
        lambda: services.decision_record(
            actor=user,
            person=person,
            scheme=body.scheme,
            outcome=body.outcome,
            reason=body.reason,
            snoozed_until=body.snoozed_until,
            exceptional_reason=body.exceptional_reason,
        )
    )
    return _decision_out(decision)


# --- The person ---------------------------------------------------------------------------------


@router.get("/me/early-release", response=responses({200: MyDatesOut}), summary="The person's own early release dates")
@permission("opportunities.self")
def my_dates(request: HttpRequest) -> MyDatesOut:
    return _my_dates_out(api_user(request))


def _my_dates_out(user: Any) -> MyDatesOut:
    person = person_get(user, _me(user).pk, purpose=AuditAction.PERSON_VIEW_OWN_OPPORTUNITIES)
    found = selectors.person_opportunities(person, timezone.localdate())
    return MyDatesOut(
        hdc_status=found.hdc.status,
        hdc_eligible_on=found.hdc.eligible_on if found.hdc.status != "not_eligible" else None,
        release_date=found.hdc.release_date,
        rotl_status=found.rotl.status,
        rotl_eligible_on=found.rotl.eligible_on if found.rotl.status != "not_eligible" else None,
        hdc_case_stage=found.hdc_case.stage if found.hdc_case else None,
        can_give_address=found.hdc.status != "not_eligible",
    )


@router.post(
    "/me/early-release/address",
    response=responses({200: MyDatesOut}, BAD_REQUEST, UNPROCESSABLE),
    summary="Give an address the person could live at on HDC",
)
@permission("opportunities.self")
def my_address(request: HttpRequest, body: AddressIn) -> MyDatesOut:
    user = api_user(request)
    person = _me(user)
    _service(
        lambda: services.address_propose(
            actor=user, person=person, address=body.address, postcode=body.postcode, living_there=body.living_there
        )
    )
    return _my_dates_out(user)


# --- Helpers ------------------------------------------------------------------------------------


def _me(user: Any) -> Person:
    person = getattr(user, "person", None)
    if person is None:
        raise PermissionDenied("opportunities.self")
    return person


def _person(user: Any, person_id: int, purpose: AuditAction, action: str) -> Person:
    try:
        person = person_get(user, person_id, purpose=purpose)
    except PermissionDenied:
        raise Http404 from None
    if not can(user, action, person):
        raise Http404
    return person


def _service(call: Callable[[], T]) -> T:
    try:
        return call()
    except DjangoValidationError as error:
        raise HttpError(BAD_REQUEST, " ".join(error.messages)) from None


def _assessment_out(assessment: Assessment) -> AssessmentOut:
    return AssessmentOut(
        status=assessment.status,
        rules_version=assessment.version,
        eligible_on=assessment.eligible_on,
        release_date=assessment.release_date,
        criteria=[
            CriterionOut(
                code=c.code,
                label=c.label,
                outcome=c.outcome,
                citation=c.citation,
                confirmed=c.confirmed,
                detail=c.detail,
            )
            for c in assessment.criteria
        ],
        types=dict(assessment.types),
    )


def _decision_out(decision: Decision) -> DecisionOut:
    return DecisionOut(
        id=decision.pk,
        scheme=decision.scheme,
        outcome=decision.outcome,
        reason=decision.reason,
        snoozed_until=decision.snoozed_until,
        rules_version=decision.ruleset.version,
        decided_at=decision.decided_at,
    )


def _person_out(found: selectors.PersonOpportunities) -> PersonOpportunitiesOut:
    return PersonOpportunitiesOut(
        person_id=found.person.pk,
        name=found.person.full_name,
        reference=found.person.reference,
        hdc=_assessment_out(found.hdc),
        rotl=_assessment_out(found.rotl),
        hdc_considered=found.hdc_considered,
        hdc_decision=_decision_out(found.hdc_decision) if found.hdc_decision else None,
        hdc_case_stage=found.hdc_case.stage if found.hdc_case else None,
    )
