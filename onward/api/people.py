"""A person's own summary, and the staff caseload and person record. Reads of a record are audited."""

from math import ceil
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import P, PathEx, Query, Router
from ninja import Status as HttpStatus
from ninja.errors import ValidationError as NinjaValidationError

from onward.api.auth import api_caller
from onward.api.errors import NOT_FOUND, UNPROCESSABLE, responses
from onward.api.permissions import permission
from onward.api.schemas import (
    DATABASE_ID_MAX,
    AddressOut,
    AssignedStaffOut,
    AttentionReasonOut,
    CaseloadEntryOut,
    CaseloadPageOut,
    CaseloadQuery,
    ContactOut,
    KeyDateOut,
    KeyDatesOut,
    LicenceOut,
    MeOut,
    PersonIn,
    PersonPatchIn,
    PersonRecordOut,
    UnitOut,
)
from onward.core.audit_actions import AuditAction
from onward.organisations.models import OrgUnit, UnitKind
from onward.people.attention import attention_moment, attention_reasons
from onward.people.models import AssignmentRole, Person, RiskLevel, Status
from onward.people.selectors import (
    CaseloadFilter,
    caseload_for,
    caseload_page,
    licence_current,
    person_for_edit,
    person_get,
)
from onward.people.services import PersonDetailsInvalid, person_create, person_update
from onward.people.validation import address_precision_words

router = Router()


@router.get("/me", response=responses({200: MeOut}), tags=["person"], summary="The signed-in person's own summary")
@permission("person.self")
def me(request: HttpRequest) -> MeOut:
    """Name, reference numbers, status, the next date that matters, who is working with them, and their licence."""
    user = api_caller(request)
    person = person_get(user, int(user.person_id), purpose=AuditAction.PERSON_VIEW_OWN)
    return MeOut(
        id=person.pk,
        first_name=person.first_name,
        last_name=person.last_name,
        prison_number=person.prison_number,
        crn=person.crn,
        status=Status(person.status),
        status_label=person.get_status_display(),
        next_key_date=_next_key_date(person),
        assigned_staff=_assigned_staff(person),
        licence=_licence(person),
    )


@router.get(
    "/caseload",
    response=responses({200: CaseloadPageOut}, UNPROCESSABLE),
    tags=["staff"],
    summary="The people a member of staff may see",
)
@permission("caseload.view")
def caseload(request: HttpRequest, filters: Query[CaseloadQuery]) -> CaseloadPageOut:
    """Searched, filtered, sorted and paged, each person with the reasons they need attention today.

    By default who needs attention most comes first; `needs_attention=true` keeps only them. The number of
    queries does not grow with the page.
    """
    user = api_caller(request)
    moment = attention_moment(user)
    people = caseload_for(
        user,
        CaseloadFilter(
            search=filters.q,
            status=filters.status or "",
            unit_id=filters.unit,
            needs_attention=filters.needs_attention,
            sort=filters.sort,
        ),
        moment=moment,
    )
    page = caseload_page(people, moment, filters.page, filters.page_size)
    count = page.paginator.count
    # A page past the end is empty here (the staff page shows the last one instead).
    shown = page.object_list if page.number == filters.page else []
    return CaseloadPageOut(
        count=count,
        page=filters.page,
        page_size=filters.page_size,
        pages=ceil(count / filters.page_size),
        items=[_caseload_entry(person) for person in shown],
    )


@router.get(
    "/people/{person_id}",
    response=responses({200: PersonRecordOut}, NOT_FOUND, UNPROCESSABLE),
    tags=["staff"],
    summary="One person's record",
)
@permission("person.view")
def person_record(request: HttpRequest, person_id: PathEx[int, P(ge=1, le=DATABASE_ID_MAX)]) -> PersonRecordOut:
    """The same 404 whether the person does not exist or is not the caller's to see, so ids cannot be probed."""
    try:
        person = person_get(api_caller(request), person_id)
    except PermissionDenied:
        raise Http404 from None
    return _record(person)


@router.post(
    "/people",
    response=responses({201: PersonRecordOut}, UNPROCESSABLE),
    tags=["staff"],
    summary="Add a person",
)
@permission("person.create")
def person_add(request: HttpRequest, body: PersonIn) -> HttpStatus[PersonRecordOut]:
    """In a unit the caller's role covers (403 otherwise). A duplicate prison number or CRN answers 422."""
    user = api_caller(request)
    person = _checked(lambda: person_create(actor=user, fields=body.dict()))
    return HttpStatus(201, _record(person_for_edit(user, person.pk, purpose=AuditAction.PERSON_VIEW_AFTER_CREATE)))


@router.patch(
    "/people/{person_id}",
    response=responses({200: PersonRecordOut}, NOT_FOUND, UNPROCESSABLE),
    tags=["staff"],
    summary="Change a person's details",
)
@permission("person.edit")
def person_change(
    request: HttpRequest, person_id: PathEx[int, P(ge=1, le=DATABASE_ID_MAX)], body: PersonPatchIn
) -> PersonRecordOut:
    """Only the fields sent; only what changed is saved and audited. Outside the caller's area: 404."""
    user = api_caller(request)
    try:
        person = person_for_edit(user, person_id)
    except PermissionDenied:
        raise Http404 from None
    fields = body.dict(exclude_unset=True)
    reason = fields.pop("reason", "")
    change = _checked(lambda: person_update(actor=user, person=person, fields=fields, reason=reason))
    return _record(person_for_edit(user, change.person.pk, purpose=AuditAction.PERSON_VIEW_AFTER_EDIT))


def _checked(action: Any) -> Any:
    """The service's field errors as the API's 422, each naming its field."""
    try:
        return action()
    except PersonDetailsInvalid as invalid:
        field_names = {"unit": "unit_code"}
        raise NinjaValidationError(
            [
                {"loc": ("body", "body", field_names.get(e.field, e.field)), "msg": e.message}
                for e in invalid.field_errors
            ]
        ) from None


def _record(person: Person) -> PersonRecordOut:
    unit = person.unit
    return PersonRecordOut(
        **_person_fields(person),
        date_of_birth=person.date_of_birth,
        risk_level_label=person.get_risk_level_display(),
        preferred_language=person.preferred_language,
        unit=_unit(unit),
        establishment=_unit(unit.parent) if person.in_custody and unit.parent is not None else None,
        address=person.address,
        address_parts=AddressOut(
            line_1=person.address_line_1,
            line_2=person.address_line_2,
            town=person.town,
            postcode=person.postcode,
            latitude=person.address_latitude,
            longitude=person.address_longitude,
            precision_m=person.address_precision_m,
            precision=address_precision_words(person.address_precision_m) if person.address_latitude else "",
        ),
        contact=ContactOut(
            phone=person.phone,
            phone_verified=person.phone_verified,
            email=person.email,
            email_verified=person.email_verified,
        ),
        key_dates=KeyDatesOut(
            sentence_date=person.sentence_date,
            hdc_eligibility_date=person.hdc_eligibility_date,
            hdc_actual_date=person.hdc_actual_date,
            rotl_eligibility_date=person.rotl_eligibility_date,
            parole_eligibility_date=person.parole_eligibility_date,
            conditional_release_date=person.conditional_release_date,
            release_date=person.release_date,
            licence_expiry_date=person.licence_expiry_date,
            sentence_expiry_date=person.sentence_expiry_date,
        ),
        licence=_licence(person),
    )


def _caseload_entry(person: Person) -> CaseloadEntryOut:
    return CaseloadEntryOut(
        **_person_fields(person),
        unit=_unit(person.unit),
        conditional_release_date=person.conditional_release_date,
        attention=[
            AttentionReasonOut(code=reason.code, label=str(reason.label), rank=reason.rank)
            for reason in attention_reasons(person)
        ],
    )


def _person_fields(person: Person) -> dict[str, Any]:
    """What a caseload line and a full record both say about a person."""
    return {
        "id": person.pk,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "prison_number": person.prison_number,
        "crn": person.crn,
        "status": Status(person.status),
        "status_label": person.get_status_display(),
        "risk_level": RiskLevel(person.risk_level),
        "next_key_date": _next_key_date(person),
        "assigned_staff": _assigned_staff(person),
    }


def _next_key_date(person: Person) -> KeyDateOut | None:
    found = person.next_key_date()
    return KeyDateOut(label=found[0], date=found[1]) if found else None


def _assigned_staff(person: Person) -> list[AssignedStaffOut]:
    # `active_assignments` is prefetched, with each staff member, by the selectors.
    return [
        AssignedStaffOut(role=AssignmentRole(a.role), role_label=a.get_role_display(), name=a.staff.display_name)
        for a in person.active_assignments  # type: ignore[attr-defined]
    ]


def _licence(person: Person) -> LicenceOut | None:
    version = licence_current(person)
    if version is None:
        return None
    return LicenceOut(
        version=version.number,
        issued_at=version.issued_at,
        confirmed=version.confirmed_at is not None,
        confirmed_at=version.confirmed_at,
    )


def _unit(unit: OrgUnit) -> UnitOut:
    return UnitOut(id=unit.pk, name=unit.name, kind=UnitKind(unit.kind))
