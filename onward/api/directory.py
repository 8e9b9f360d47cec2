"""The services directory: search, "near me" and entries for a person's phone (device token) and staff
(session); adding, changing, checking, withdrawing and publishing entries for content editors.

"Near me" is measured from a postcode (full, or the first half), a position (latitude and longitude,
rounded to about 100 m before use), or, for a person, their home address on record. Opening status
is worked out in London time at the moment of the call.
"""

import datetime as dt
from collections.abc import Callable
from typing import Annotated

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, P, PathEx, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict, StringConstraints, model_validator

from onward.api.auth import api_caller
from onward.api.errors import BAD_REQUEST, NOT_FOUND, UNPROCESSABLE, responses
from onward.api.permissions import permission
from onward.api.schemas import DATABASE_ID_MAX, PlainText
from onward.core.audit_actions import AuditAction
from onward.directory import selectors, services
from onward.directory.models import Category, Service, ServiceState
from onward.directory.opening import Hours, opening_status, status_words
from onward.directory.selectors import Origin
from onward.location.address import to_bng
from onward.location.postcodes import PostcodeError, postcode_locate
from onward.people.selectors import person_get

router = Router(tags=["directory"])

ServiceId = PathEx[int, P(ge=1, le=DATABASE_ID_MAX)]
LongText = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=2000, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$")
]


# --- Schemas ------------------------------------------------------------------------------------


class SearchQuery(Schema):
    model_config = ConfigDict(extra="forbid")

    q: Annotated[PlainText, StringConstraints(max_length=100)] = Field("", description="Words to look for.")
    category: Category | None = Field(None, description="Only this type of service.")
    postcode: Annotated[PlainText, StringConstraints(max_length=10)] = Field(
        "", description='Nearest first from this postcode ("LS6 1AA") or district ("LS6").'
    )
    latitude: float | None = Field(None, ge=-90, le=90, description="Nearest first from this position (WGS84).")
    longitude: float | None = Field(None, ge=-180, le=180)
    open_now: bool = Field(False, description="Only services open at this moment (London time).")


class MySearchQuery(SearchQuery):
    near_home: bool = Field(False, description="Nearest first from the person's home address on record.")


class StaffSearchQuery(SearchQuery):
    include_withdrawn: bool = Field(False, description="Editors only: withdrawn entries too.")


class OpeningPeriodIO(Schema):
    model_config = ConfigDict(extra="forbid")

    weekday: int = Field(..., ge=0, le=6, description="0 is Monday.")
    opens: dt.time
    closes: dt.time = Field(..., description="At or before `opens`: the period runs past midnight.")


class OpeningExceptionIO(Schema):
    model_config = ConfigDict(extra="forbid")

    date: dt.date
    closed: bool = True
    opens: dt.time | None = None
    closes: dt.time | None = None
    note: Annotated[PlainText, StringConstraints(max_length=100)] = ""

    @model_validator(mode="after")
    def hours_or_closed(self) -> "OpeningExceptionIO":
        if self.closed != (self.opens is None and self.closes is None):
            raise ValueError("A closed day has no hours; an open day has both opens and closes.")
        if not self.closed and self.opens == self.closes and self.opens != dt.time(0):
            raise ValueError("Opening and closing times must differ.")
        return self


class ServiceOut(Schema):
    id: int
    name: str
    category: Category
    category_label: str
    description: str = Field(..., description="In the caller's language where there is a translation.")
    what_to_bring: str
    address: str
    postcode: str
    phone: str
    website: str
    email: str
    areas_served: str
    latitude: float | None
    longitude: float | None
    distance_m: float | None = Field(None, description="From the search's origin, when there was one.")
    open_now: bool
    opening_status: str = Field(..., description='Plain words: "Open now. Closes at 5pm".')
    closes_at: dt.datetime | None
    opens_at: dt.datetime | None
    opening_periods: list[OpeningPeriodIO]
    opening_exceptions: list[OpeningExceptionIO]
    last_checked_on: dt.date | None
    state: ServiceState


class ServiceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[PlainText, StringConstraints(min_length=1, max_length=200)]
    category: Category
    description: Annotated[LongText, StringConstraints(min_length=1)]
    description_cy: LongText = ""
    what_to_bring: LongText = ""
    what_to_bring_cy: LongText = ""
    address: Annotated[LongText, StringConstraints(min_length=1, max_length=500)]
    postcode: Annotated[PlainText, StringConstraints(max_length=8)] = ""
    phone: Annotated[PlainText, StringConstraints(max_length=20)] = ""
    website: Annotated[PlainText, StringConstraints(max_length=200, pattern=r"^(https?://\S+)?$")] = ""
    email: Annotated[PlainText, StringConstraints(max_length=254, pattern=r"^([^@\s]+@[^@\s]+\.[^@\s]+)?$")] = ""
    areas_served: Annotated[PlainText, StringConstraints(max_length=300)] = ""
    latitude: float | None = Field(None, ge=49, le=61, description="With longitude; otherwise the postcode is used.")
    longitude: float | None = Field(None, ge=-9, le=2.5)
    opening_periods: list[OpeningPeriodIO] = Field(default_factory=list, max_length=50)
    opening_exceptions: list[OpeningExceptionIO] = Field(default_factory=list, max_length=100)


class ReasonIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[PlainText, StringConstraints(min_length=1, max_length=500)]


# --- The person ---------------------------------------------------------------------------------


@router.get(
    "/me/services",
    response=responses({200: list[ServiceOut]}, BAD_REQUEST, UNPROCESSABLE),
    summary="Services for the signed-in person: by words and type, nearest first",
)
@permission("directory.self")
def my_services(request: HttpRequest, query: Query[MySearchQuery]) -> list[ServiceOut]:
    user = api_caller(request)
    origin = None
    if query.near_home:
        person = person_get(user, int(user.person_id), purpose=AuditAction.PERSON_VIEW_OWN_FOR_DIRECTORY)
        if person.address_latitude is None or person.address_longitude is None:
            raise HttpError(BAD_REQUEST, _("We do not have your home on record. Use a postcode instead."))
        origin = Origin(*to_bng(person.address_latitude, person.address_longitude))
    return _search(user, query, origin, include_withdrawn=False)


@router.get(
    "/me/services/{service_id}",
    response=responses({200: ServiceOut}, NOT_FOUND, UNPROCESSABLE),
    summary="One service",
)
@permission("directory.self")
def my_service(request: HttpRequest, service_id: ServiceId) -> ServiceOut:
    return _out(_get(api_caller(request), service_id), None)


# --- Staff --------------------------------------------------------------------------------------


@router.get(
    "/directory",
    response=responses({200: list[ServiceOut]}, BAD_REQUEST, UNPROCESSABLE),
    summary="Search the services directory",
)
@permission("directory.view")
def directory_search(request: HttpRequest, query: Query[StaffSearchQuery]) -> list[ServiceOut]:
    user = api_caller(request)
    return _search(user, query, None, include_withdrawn=query.include_withdrawn)


@router.get(
    "/directory/{service_id}",
    response=responses({200: ServiceOut}, NOT_FOUND, UNPROCESSABLE),
    summary="One directory entry",
)
@permission("directory.view")
def directory_entry(request: HttpRequest, service_id: ServiceId) -> ServiceOut:
    return _out(_get(api_caller(request), service_id), None)


@router.post(
    "/directory",
    response=responses({201: ServiceOut}, BAD_REQUEST, UNPROCESSABLE),
    summary="Add a directory entry (content editors)",
)
@permission("directory.edit")
def directory_add(request: HttpRequest, body: ServiceIn) -> Status[ServiceOut]:
    """Its position comes from latitude and longitude, or else from the postcode."""
    user = api_caller(request)
    service = _service(lambda: services.service_create(actor=user, details=_details(body)))
    return Status(201, _out(_get(user, service.pk), None))


@router.put(
    "/directory/{service_id}",
    response=responses({200: ServiceOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Change a directory entry (content editors); it counts as checked today",
)
@permission("directory.edit")
def directory_change(request: HttpRequest, service_id: ServiceId, body: ServiceIn) -> ServiceOut:
    user = api_caller(request)
    service = _get(user, service_id)
    _service(lambda: services.service_update(actor=user, service=service, details=_details(body)))
    return _out(_get(user, service_id), None)


@router.post(
    "/directory/{service_id}/checked",
    response=responses({200: ServiceOut}, NOT_FOUND, UNPROCESSABLE),
    summary="Mark a directory entry as checked today (content editors)",
)
@permission("directory.edit")
def directory_checked(request: HttpRequest, service_id: ServiceId) -> ServiceOut:
    user = api_caller(request)
    service = _get(user, service_id)
    services.service_mark_checked(actor=user, service=service)
    return _out(_get(user, service_id), None)


@router.post(
    "/directory/{service_id}/withdraw",
    response=responses({200: ServiceOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Withdraw a directory entry, with a reason (content editors)",
)
@permission("directory.edit")
def directory_withdraw(request: HttpRequest, service_id: ServiceId, body: ReasonIn) -> ServiceOut:
    user = api_caller(request)
    service = _get(user, service_id)
    _service(lambda: services.service_withdraw(actor=user, service=service, reason=body.reason))
    return _out(_get(user, service_id), None)


@router.post(
    "/directory/{service_id}/publish",
    response=responses({200: ServiceOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Publish a withdrawn directory entry again (content editors)",
)
@permission("directory.edit")
def directory_publish(request: HttpRequest, service_id: ServiceId) -> ServiceOut:
    user = api_caller(request)
    service = _get(user, service_id)
    _service(lambda: services.service_publish(actor=user, service=service))
    return _out(_get(user, service_id), None)


# --- helpers ------------------------------------------------------------------------------------


def _search(user: object, query: SearchQuery, origin: Origin | None, *, include_withdrawn: bool) -> list[ServiceOut]:
    if origin is None and (query.latitude is None) != (query.longitude is None):
        raise HttpError(BAD_REQUEST, _("Give both latitude and longitude, or neither."))
    if origin is None and query.latitude is not None and query.longitude is not None:
        decimals = settings.DIRECTORY_POSITION_DECIMALS
        origin = Origin(*to_bng(round(query.latitude, decimals), round(query.longitude, decimals)))
    elif origin is None and query.postcode:
        try:
            place = postcode_locate(query.postcode)
        except PostcodeError as error:
            raise HttpError(BAD_REQUEST, str(error)) from None
        origin = Origin(place.easting, place.northing)
    rows = selectors.service_search(
        user,
        words=query.q,
        category=query.category or "",
        origin=origin,
        open_now=query.open_now,
        include_withdrawn=include_withdrawn,
    )
    return [_out(r.service, r.distance_m, r.hours) for r in rows]


def _get(user: object, service_id: int) -> Service:
    try:
        return selectors.service_get(user, service_id)
    except PermissionDenied:
        raise Http404 from None


def _service(call: Callable[[], Service]) -> Service:
    try:
        return call()
    except DjangoValidationError as error:
        raise HttpError(BAD_REQUEST, " ".join(error.messages)) from None


def _details(body: ServiceIn) -> services.ServiceDetails:
    weekly: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for p in body.opening_periods:
        weekly.setdefault(p.weekday, []).append((p.opens, p.closes))
    exceptions: dict[dt.date, tuple[list[tuple[dt.time, dt.time]], str]] = {}
    for e in body.opening_exceptions:
        periods, note = exceptions.get(e.date, ([], e.note))
        if not e.closed and e.opens is not None and e.closes is not None:
            periods.append((e.opens, e.closes))
        exceptions[e.date] = (periods, note or e.note)
    return services.ServiceDetails(
        name=body.name,
        category=body.category,
        description=body.description,
        description_cy=body.description_cy,
        what_to_bring=body.what_to_bring,
        what_to_bring_cy=body.what_to_bring_cy,
        address=body.address,
        postcode=body.postcode,
        phone=body.phone,
        website=body.website,
        email=body.email,
        areas_served=body.areas_served,
        latitude=body.latitude,
        longitude=body.longitude,
        weekly=weekly,
        exceptions=exceptions,
    )


def _out(service: Service, distance_m: float | None, hours: Hours | None = None) -> ServiceOut:
    """An entry as the API gives it; `hours` when a list already has them, else from the prefetched rows."""
    now = timezone.now()
    hours = hours or Hours.of(service)
    status = opening_status(hours, now)
    today = timezone.localdate(now)
    language = get_language() or "en-gb"
    return ServiceOut(
        id=service.pk,
        name=service.name,
        category=Category(service.category),
        category_label=str(service.get_category_display()),
        description=service.text_in(language, "description"),
        what_to_bring=service.text_in(language, "what_to_bring"),
        address=service.address,
        postcode=service.postcode,
        phone=service.phone,
        website=service.website,
        email=service.email,
        areas_served=service.areas_served,
        latitude=service.latitude,
        longitude=service.longitude,
        distance_m=round(distance_m, 1) if distance_m is not None else None,
        open_now=status.is_open,
        opening_status=status_words(status, now),
        closes_at=status.closes_at,
        opens_at=status.opens_at,
        opening_periods=[
            OpeningPeriodIO(weekday=day, opens=opens, closes=closes)
            for day, periods in sorted(hours.weekly.items())
            for opens, closes in periods
        ],
        opening_exceptions=[
            item
            for day, periods in sorted(hours.exceptions.items())
            if day >= today
            for item in (
                [
                    OpeningExceptionIO(date=day, opens=o, closes=c, closed=False, note=hours.notes.get(day, ""))
                    for o, c in periods
                ]
                or [OpeningExceptionIO(date=day, closed=True, note=hours.notes.get(day, ""))]
            )
        ],
        last_checked_on=service.last_checked_on,
        state=ServiceState(service.state),
    )
