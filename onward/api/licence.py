"""Licence conditions in plain words: the person reads and confirms; staff issue versions and chase confirmation.

A person's conditions come in their preferred language where we have a translation, English
otherwise (`language` says which each one is in).
"""

from datetime import datetime
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, P, PathEx, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict, StringConstraints

from onward.api.auth import api_caller
from onward.api.errors import BAD_REQUEST, NOT_FOUND, UNPROCESSABLE, responses
from onward.api.permissions import permission
from onward.api.schemas import DATABASE_ID_MAX, PlainText
from onward.core.audit_actions import AuditAction
from onward.people.models import ConditionKind, ConditionType, LicenceCondition, LicenceVersion, Person
from onward.people.selectors import licence_current, licence_unconfirmed_for, person_get
from onward.people.services import (
    LICENCE_DETAILS_MAX_CHARS,
    LICENCE_EXPLANATION_MAX_CHARS,
    LICENCE_TEXT_MAX_CHARS,
    ConditionChoice,
    licence_confirm,
    licence_version_issue,
)

router = Router(tags=["licence"])

UNCONFIRMED_MAX = 500
Id = PathEx[int, P(ge=1, le=DATABASE_ID_MAX)]


class ConditionOut(Schema):
    kind: ConditionKind
    code: str = Field(description="The catalogue condition, or empty for one in staff's own words.")
    text: str
    explanation: str = Field(description="What the condition means, in plain words.")
    language: Literal["en", "cy"]


class LicenceVersionOut(Schema):
    id: int
    person_id: int
    version: int
    issued_at: datetime
    confirmed_at: datetime | None
    conditions: list[ConditionOut]


class CatalogueEntryOut(Schema):
    code: str
    kind: ConditionKind
    wording: str = Field(description="{details} stands for what staff add for this person.")
    explanation: str
    details_label: str = Field(description="What staff must add; empty when nothing.")


class ConditionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: Annotated[PlainText, StringConstraints(max_length=40)] = ""
    details: Annotated[PlainText, StringConstraints(max_length=LICENCE_DETAILS_MAX_CHARS)] = ""
    text: Annotated[PlainText, StringConstraints(max_length=LICENCE_TEXT_MAX_CHARS)] = ""
    explanation: Annotated[PlainText, StringConstraints(max_length=LICENCE_EXPLANATION_MAX_CHARS)] = ""


class LicenceIssueIn(Schema):
    model_config = ConfigDict(extra="forbid")

    conditions: list[ConditionIn] = Field(min_length=1, max_length=40)


class UnconfirmedOut(Schema):
    person_id: int
    name: str
    reference: str
    version: int
    issued_at: datetime


@router.get(
    "/me/licence",
    response=responses({200: LicenceVersionOut}, NOT_FOUND),
    tags=["person"],
    summary="The person's licence conditions, each with what it means",
)
@permission("person.self")
def my_licence(request: HttpRequest) -> LicenceVersionOut:
    user = api_caller(request)
    person = person_get(user, int(user.person_id), purpose=AuditAction.PERSON_VIEW_OWN_LICENCE)
    version = licence_current(person)
    if version is None:
        raise HttpError(NOT_FOUND, _("You do not have any licence conditions on here yet."))
    return _version_out(version, person.preferred_language)


@router.post(
    "/me/licence/{version_id}/confirm",
    response=responses({200: LicenceVersionOut}, NOT_FOUND, UNPROCESSABLE),
    tags=["person"],
    summary="Say the person has read this version of their licence conditions",
)
@permission("person.self")
def my_licence_confirm(request: HttpRequest, version_id: Id) -> LicenceVersionOut:
    user = api_caller(request)
    version = get_object_or_404(LicenceVersion, pk=version_id, person_id=user.person_id)
    confirmed = licence_confirm(actor=user, version=version)
    return _version_out(confirmed, version.person.preferred_language)


@router.get(
    "/licence/catalogue",
    response=responses({200: list[CatalogueEntryOut]}),
    tags=["staff"],
    summary="The conditions staff can choose from",
)
@permission("caseload.view")
def catalogue(request: HttpRequest) -> list[CatalogueEntryOut]:
    return [
        CatalogueEntryOut(
            code=t.code,
            kind=ConditionKind(t.kind),
            wording=t.wording,
            explanation=t.explanation,
            details_label=t.details_label,
        )
        for t in ConditionType.objects.filter(active=True)
    ]


@router.post(
    "/people/{person_id}/licence",
    response=responses({201: LicenceVersionOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    tags=["staff"],
    summary="Issue a new version of a person's licence conditions",
)
@permission("licence.issue")
def licence_issue(request: HttpRequest, person_id: Id, body: LicenceIssueIn) -> Status[LicenceVersionOut]:
    """From the catalogue (code, with details where it needs them) or in staff's own words (text and explanation)."""
    user = api_caller(request)
    person = _person(user, person_id)
    choices = [ConditionChoice(**condition.dict()) for condition in body.conditions]
    try:
        version = licence_version_issue(actor=user, person=person, conditions=choices)
    except DjangoValidationError as error:
        raise HttpError(BAD_REQUEST, " ".join(error.messages)) from None
    return Status(201, _version_out(version, "en"))


@router.get(
    "/licence/not-confirmed",
    response=responses({200: list[UnconfirmedOut]}),
    tags=["staff"],
    summary="People on the caller's caseload who have not confirmed their newest licence conditions",
)
@permission("caseload.view")
def licence_not_confirmed(request: HttpRequest) -> list[UnconfirmedOut]:
    """Oldest first, at most 500."""
    return [
        UnconfirmedOut(
            person_id=v.person_id,
            name=v.person.full_name,
            reference=v.person.reference,
            version=v.number,
            issued_at=v.issued_at,
        )
        for v in licence_unconfirmed_for(api_caller(request))[:UNCONFIRMED_MAX]
    ]


def _person(user: object, person_id: int) -> Person:
    try:
        return person_get(user, person_id, purpose=AuditAction.PERSON_VIEW_FOR_LICENCE)
    except PermissionDenied:
        raise Http404 from None


def _version_out(version: LicenceVersion, language: str) -> LicenceVersionOut:
    return LicenceVersionOut(
        id=version.pk,
        person_id=version.person_id,
        version=version.number,
        issued_at=version.issued_at,
        confirmed_at=version.confirmed_at,
        conditions=[_condition_out(c, language) for c in version.conditions.select_related("condition_type")],
    )


def _condition_out(condition: LicenceCondition, language: str) -> ConditionOut:
    welsh = language == "cy" and bool(condition.text_cy)
    return ConditionOut(
        kind=ConditionKind(condition.kind),
        code=condition.condition_type.code if condition.condition_type else "",
        text=condition.text_in(language),
        explanation=condition.explanation_in(language),
        language="cy" if welsh else "en",
    )
