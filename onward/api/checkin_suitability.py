"""Suitability for remote check-ins, for staff: a person's screens, a new screen, a senior's approval, whether
check-ins supplement or replace office visits (the same gate as the pages), and the follow-up after a review.

Staff only (their signed-in browser session). A person outside the caller's scope gets the same 404 as one
that does not exist, as on the other person routes. The services in onward.checkins.services make every
change and every refusal; this module only translates (a refusal is 400 with the services' plain words).
"""

import datetime as dt
from collections.abc import Callable
from typing import Annotated, TypeVar

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, P, PathEx, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict, StringConstraints

from onward.api.auth import api_caller
from onward.api.errors import BAD_REQUEST, NOT_FOUND, UNPROCESSABLE, responses
from onward.api.permissions import permission
from onward.api.schemas import DATABASE_ID_MAX, PlainText
from onward.checkins import selectors, services
from onward.checkins.models import (
    Enrolment,
    HelpedManageRisk,
    MappaLevel,
    OfficeVisits,
    Suitability,
    SuitabilityScreen,
)
from onward.checkins.suitability import ScreenAnswers, reasons_described
from onward.core.audit_actions import AuditAction
from onward.core.permissions import can
from onward.people.models import Person
from onward.people.selectors import person_get

router = Router(tags=["check-in suitability"])

PersonId = PathEx[int, P(ge=1, le=DATABASE_ID_MAX)]
ScreenId = PathEx[int, P(ge=1, le=DATABASE_ID_MAX)]
CheckInId = PathEx[int, P(ge=1, le=DATABASE_ID_MAX)]
Rationale = Annotated[PlainText, StringConstraints(min_length=1, max_length=services.RATIONALE_MAX_CHARS)]
T = TypeVar("T")


class ScreenIn(Schema):
    model_config = ConfigDict(extra="forbid")

    very_high_rosh: bool = Field(description="Their risk of serious harm is very high.")
    mappa_level: MappaLevel
    domestic_abuse: bool
    sexual_offending: bool
    youth_case: bool = Field(description="They are under 18.")
    child_protection: bool = Field(description="There are child protection concerns.")
    rationale: Rationale = Field(description="Why these answers.")


class ScreenOut(Schema):
    id: int
    outcome: Suitability = Field(
        description="suitable, supplement_only (alongside face-to-face contact) or not_suitable."
    )
    reasons: list[str] = Field(description="The rule codes that limited the outcome, most restrictive first.")
    reasons_text: list[str] = Field(description="The same reasons in plain words.")
    very_high_rosh: bool
    mappa_level: MappaLevel
    domestic_abuse: bool
    sexual_offending: bool
    youth_case: bool
    child_protection: bool
    rationale: str
    rules_version: str
    screened_by_id: int | None
    screened_at: dt.datetime
    approved: bool
    approved_by_id: int | None
    approved_at: dt.datetime | None
    approval_rationale: str


class SuitabilityOut(Schema):
    current: ScreenOut | None = Field(description="The newest screen: the one that decides. Null when none.")
    history: list[ScreenOut] = Field(description="Earlier screens, newest first.")
    modes_allowed: list[OfficeVisits] = Field(
        description="What check-ins may do now: supplements, replaces, both or none."
    )
    replaces_refused_because: str = Field(
        description="Why check-ins may not replace office visits now; empty when they may."
    )


class ApprovalIn(Schema):
    model_config = ConfigDict(extra="forbid")

    rationale: Rationale


class ModeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    office_visits: OfficeVisits = Field(
        description="replaces: check-ins replace some office visits; supplements: alongside."
    )
    reason: Annotated[PlainText, StringConstraints(min_length=1, max_length=2000)]


class ModeOut(Schema):
    person_id: int
    office_visits: OfficeVisits
    office_visits_reason: str
    active: bool


class FollowUpIn(Schema):
    model_config = ConfigDict(extra="forbid")

    helped_manage_risk: HelpedManageRisk = Field(description="Did this check-in help manage their risk?")
    sensitive: bool = Field(description="Keep the review's notes out of the person's own export.")


class FollowUpOut(Schema):
    checkin_id: int
    helped_manage_risk: HelpedManageRisk
    sensitive: bool


@router.get(
    "/people/{person_id}/check-in-suitability",
    response=responses({200: SuitabilityOut}, NOT_FOUND, UNPROCESSABLE),
    summary="A person's suitability screens for remote check-ins",
)
@permission("checkin.suitability_screen")
def suitability_get(request: HttpRequest, person_id: PersonId) -> SuitabilityOut:
    user = api_caller(request)
    person = _person(user, person_id, "checkin.suitability_screen")
    return _suitability(person)


@router.post(
    "/people/{person_id}/check-in-suitability",
    response=responses({201: SuitabilityOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Record a new suitability screen",
)
@permission("checkin.suitability_screen")
def suitability_screen(request: HttpRequest, person_id: PersonId, body: ScreenIn) -> Status[SuitabilityOut]:
    """It replaces the newest screen at once. Check-ins that replaced office visits go back to supplementing
    them until a senior approves a "suitable" screen; a "not suitable" screen stops check-ins."""
    user = api_caller(request)
    person = _person(user, person_id, "checkin.suitability_screen")
    answers = ScreenAnswers(
        very_high_rosh=body.very_high_rosh,
        mappa_level=str(body.mappa_level),
        domestic_abuse=body.domestic_abuse,
        sexual_offending=body.sexual_offending,
        youth_case=body.youth_case,
        child_protection=body.child_protection,
    )
    _service(
        lambda: services.suitability_screen_record(actor=user, person=person, answers=answers, rationale=body.rationale)
    )
    return Status(201, _suitability(person))


@router.post(
    "/people/{person_id}/check-in-suitability/{screen_id}/approve",
    response=responses({200: SuitabilityOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Approve the newest suitability screen (a senior practitioner who did not make it)",
)
@permission("checkin.suitability_approve")
def suitability_approve(
    request: HttpRequest, person_id: PersonId, screen_id: ScreenId, body: ApprovalIn
) -> SuitabilityOut:
    """400 when the caller made the screen, it is already approved, or a newer screen replaced it."""
    user = api_caller(request)
    person = _person(user, person_id, "checkin.suitability_approve")
    screen = SuitabilityScreen.objects.filter(person=person, pk=screen_id).first()
    if screen is None:
        raise HttpError(NOT_FOUND, _("There is no such screen for this person."))
    _service(lambda: services.suitability_screen_approve(actor=user, screen=screen, rationale=body.rationale))
    return _suitability(person)


@router.put(
    "/people/{person_id}/check-ins/office-visits",
    response=responses({200: ModeOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Whether check-ins supplement or replace office visits",
)
@permission("checkin.enrol")
def enrolment_mode_put(request: HttpRequest, person_id: PersonId, body: ModeIn) -> ModeOut:
    """The suitability gate applies: 400 says what to do when the screen does not allow the choice."""
    user = api_caller(request)
    person = _person(user, person_id, "checkin.enrol")
    enrolment = Enrolment.objects.filter(person=person).first()
    if enrolment is None:
        raise HttpError(NOT_FOUND, _("They are not set up for check-ins. Set them up on their check-ins page first."))
    changed = _service(
        lambda: services.enrolment_mode_change(
            actor=user, enrolment=enrolment, office_visits=str(body.office_visits), reason=body.reason
        )
    )
    return ModeOut(
        person_id=person.pk,
        office_visits=OfficeVisits(changed.office_visits),
        office_visits_reason=changed.office_visits_reason,
        active=changed.active,
    )


@router.put(
    "/check-ins/{checkin_id}/follow-up",
    response=responses({200: FollowUpOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="After a review: whether the check-in helped manage risk, and whether it is sensitive",
)
@permission("checkin.review")
def review_follow_up_put(request: HttpRequest, checkin_id: CheckInId, body: FollowUpIn) -> FollowUpOut:
    """400 until the check-in has a review."""
    user = api_caller(request)
    checkin = selectors.checkin_get(user, checkin_id, purpose=AuditAction.CHECKIN_VIEW_FOR_REVIEW)
    review = getattr(checkin, "review", None)
    if review is None:
        raise HttpError(BAD_REQUEST, _("Record your decision on this check-in first."))
    saved = _service(
        lambda: services.review_follow_up_record(
            actor=user, review=review, sensitive=body.sensitive, helped_manage_risk=str(body.helped_manage_risk)
        )
    )
    return FollowUpOut(
        checkin_id=checkin.pk, helped_manage_risk=HelpedManageRisk(saved.helped_manage_risk), sensitive=saved.sensitive
    )


def _person(user: object, person_id: int, action: str) -> Person:
    try:
        person = person_get(user, person_id, purpose=AuditAction.PERSON_VIEW_FOR_CHECKIN_SUITABILITY)
    except PermissionDenied:
        raise Http404 from None  # the same answer as for no such person, so ids cannot be probed
    if not can(user, action, person):
        raise PermissionDenied(action)
    return person


def _service(call: Callable[[], T]) -> T:
    try:
        return call()
    except DjangoValidationError as error:
        raise HttpError(BAD_REQUEST, " ".join(error.messages)) from None


def _suitability(person: Person) -> SuitabilityOut:
    screens = selectors.suitability_screens(person)
    refusal = services.checkin_mode_refusal(person, OfficeVisits.REPLACES)
    return SuitabilityOut(
        current=_screen_out(screens[0]) if screens else None,
        history=[_screen_out(s) for s in screens[1:]],
        modes_allowed=[OfficeVisits(m) for m in services.checkin_modes_allowed(person)],
        replaces_refused_because=refusal or "",
    )


def _screen_out(screen: SuitabilityScreen) -> ScreenOut:
    return ScreenOut(
        id=screen.pk,
        outcome=Suitability(screen.outcome),
        reasons=list(screen.reasons),
        reasons_text=reasons_described(screen.reasons),
        very_high_rosh=screen.very_high_rosh,
        mappa_level=MappaLevel(screen.mappa_level),
        domestic_abuse=screen.domestic_abuse,
        sexual_offending=screen.sexual_offending,
        youth_case=screen.youth_case,
        child_protection=screen.child_protection,
        rationale=screen.rationale,
        rules_version=screen.rules_version,
        screened_by_id=screen.screened_by_id,
        screened_at=screen.screened_at,
        approved=screen.approved,
        approved_by_id=screen.approved_by_id,
        approved_at=screen.approved_at,
        approval_rationale=screen.approval_rationale,
    )
