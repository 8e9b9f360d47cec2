"""Location fixes from a person's phone or a tag's feed: `POST /api/v1/location/fixes`; and for staff, how many
random curfew check-ins a person is asked for each night (`/api/v1/people/{id}/curfew/random-check-ins`).

An open format any vendor can send (see docs/location.md): a device name and a batch of fixes, each with
its time (ISO 8601 with a time zone), WGS84 latitude and longitude, accuracy radius in metres, source and
the signals the device reports (mock location, developer mode). The same device and time twice is kept
once; late and out-of-order fixes are accepted. Each fix is answered: accepted, duplicate, or refused with
the reason. Only the person's own device sends for them (device token, or the person's browser session).
"""

import datetime as dt
from typing import Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from ninja import P, PathEx, Router, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict, Field

from onward.api.auth import DeviceTokenAuth, PersonOrStaffSessionAuth, api_caller, api_user
from onward.api.errors import BAD_REQUEST, NOT_FOUND, UNPROCESSABLE, responses
from onward.api.permissions import permission
from onward.api.schemas import DATABASE_ID_MAX
from onward.core.audit_actions import AuditAction
from onward.core.permissions import can
from onward.curfew.evaluation import FixIn, fixes_ingest
from onward.curfew.models import FixSource, RandomCheckins
from onward.curfew.prompts import random_checkins_count, random_checkins_fit, random_checkins_set
from onward.people.models import Person
from onward.people.selectors import person_get

router = Router(auth=[DeviceTokenAuth(), PersonOrStaffSessionAuth()], tags=["location"])
# Staff only (their session): the default authentication of the API.
staff_router = Router(tags=["curfew"])
PersonId = PathEx[int, P(ge=1, le=DATABASE_ID_MAX)]


class FixInSchema(Schema):
    model_config = ConfigDict(extra="forbid")

    time: dt.datetime = Field(description="When the device took the fix, with its time zone (ISO 8601).")
    latitude: float = Field(ge=-90, le=90, description="WGS84 degrees.")
    longitude: float = Field(ge=-180, le=180, description="WGS84 degrees.")
    accuracy_m: float = Field(gt=0, description="The accuracy radius in metres, as the device reports it.")
    source: Literal["gps", "network", "fused", "checkin", "tag", "other"] = "gps"
    mock_location: bool | None = Field(default=None, description="The device says this position is faked.")
    developer_mode: bool | None = Field(default=None, description="The device is in developer mode.")


class FixBatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    device: str = Field(min_length=1, max_length=64, description="The sending device's own stable name or id.")
    fixes: list[FixInSchema] = Field(min_length=1, max_length=settings.LOCATION_FIX_BATCH_MAX)


class RefusedFixOut(Schema):
    index: int
    reason: str


class FixBatchOut(Schema):
    accepted: int
    duplicates: int
    refused: list[RefusedFixOut]


@router.post(
    "/location/fixes",
    response=responses({200: FixBatchOut}, BAD_REQUEST, UNPROCESSABLE),
    summary="Send a batch of location fixes",
)
@permission("location.send")
def location_fixes(request: HttpRequest, batch: FixBatchIn) -> FixBatchOut:
    """Sending the same batch again is safe: what was kept already counts as duplicates."""
    user = api_user(request)
    if user.person is None:
        raise PermissionDenied("location.send")
    fixes = [
        FixIn(
            recorded_at=fix.time,
            latitude=fix.latitude,
            longitude=fix.longitude,
            accuracy_m=fix.accuracy_m,
            source=FixSource(fix.source),
            mock_location=fix.mock_location,
            developer_mode=fix.developer_mode,
        )
        for fix in batch.fixes
    ]
    result = fixes_ingest(
        actor=user, person=user.person, device=batch.device, fixes=fixes, ip=request.META.get("REMOTE_ADDR")
    )
    return FixBatchOut(
        accepted=result.accepted,
        duplicates=result.duplicates,
        refused=[RefusedFixOut(index=index, reason=reason) for index, reason in result.rejected],
    )


class RandomCheckinsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    per_night: int = Field(
        ge=0,
        le=settings.CURFEW_CHECKINS_PER_NIGHT_MAX,
        description="How many random check-ins each night of curfew; 0 stops them.",
    )


class RandomCheckinsOut(Schema):
    person_id: int
    per_night: int = Field(description="Random check-ins asked for each night of curfew (0: none).")
    max_per_night: int | None = Field(
        description="The most the person's shortest curfew night holds with the gap (null: no curfew hours set)."
    )
    min_gap_minutes: int = Field(description="Two random check-ins are never closer than this.")
    window_minutes: int = Field(description="How long the person has to answer each one.")
    changed_at: dt.datetime | None


@staff_router.get(
    "/people/{person_id}/curfew/random-check-ins",
    response=responses({200: RandomCheckinsOut}, NOT_FOUND, UNPROCESSABLE),
    summary="How many random curfew check-ins a person is asked for each night",
)
@permission("curfew.vary")
def random_checkins_get(request: HttpRequest, person_id: PersonId) -> RandomCheckinsOut:
    """The same 404 whether the person does not exist or is not the caller's to supervise."""
    person = _supervised(request, person_id)
    return _random_out(person, random_checkins_count(person))


@staff_router.put(
    "/people/{person_id}/curfew/random-check-ins",
    response=responses({200: RandomCheckinsOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Set how many random curfew check-ins a person is asked for each night",
)
@permission("curfew.vary")
def random_checkins_put(request: HttpRequest, person_id: PersonId, body: RandomCheckinsIn) -> RandomCheckinsOut:
    """Refused (400) when the shortest curfew night cannot hold that many with the gap, or no curfew is set."""
    person = _supervised(request, person_id)
    try:
        row = random_checkins_set(actor=api_user(request), person=person, per_night=body.per_night)
    except DjangoValidationError as error:
        raise HttpError(BAD_REQUEST, " ".join(error.messages)) from None
    return _random_out(person, row)


def _supervised(request: HttpRequest, person_id: int) -> Person:
    user = api_caller(request)
    try:
        person = person_get(user, person_id, purpose=AuditAction.PERSON_VIEW)
    except PermissionDenied:
        raise Http404 from None
    if not can(user, "curfew.vary", person):
        raise Http404
    return person


def _random_out(person: Person, row: RandomCheckins) -> RandomCheckinsOut:
    return RandomCheckinsOut(
        person_id=person.pk,
        per_night=row.per_night,
        max_per_night=random_checkins_fit(person),
        min_gap_minutes=settings.CURFEW_CHECKIN_MIN_GAP_MINUTES,
        window_minutes=settings.CURFEW_CHECKIN_WINDOW_MINUTES,
        changed_at=row.changed_at if row.pk else None,
    )
