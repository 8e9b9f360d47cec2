"""Requests ("apps"): a person asks, the prison routes it to a department with a deadline, staff take it
on and answer; a request still waiting at its deadline escalates once to an alert.

Routing is data per prison (`RequestType`: kind → department, working days to answer), edited by
administrators in the admin. A prison with no routing yet gets `DEFAULT_ROUTING` the first time someone
there makes a request. Deadlines count working days (Monday to Friday, 09:00–17:00 London time, not
bank holidays), so a request sent on Friday evening is not late on Monday morning.
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onward.accounts.actors import PersonUser, StaffUser
from onward.alerts.models import AlertKind
from onward.alerts.services import AlertCause, alert_raise
from onward.alerts.working_time import working_deadline
from onward.audit.services import audit_record
from onward.core.actors import SystemActor
from onward.core.audit_actions import AuditAction
from onward.core.permissions import require
from onward.organisations.models import OrgUnit, UnitKind
from onward.people.models import Person
from onward.people.rules import acting_role
from onward.resettlement.models import (
    AWAITING_STATES,
    Department,
    PrisonRequest,
    RequestEvent,
    RequestEventKind,
    RequestKind,
    RequestState,
    RequestType,
    request_transition_allowed,
)

REQUEST_TEXT_MAX_CHARS = 2000
REPLY_MAX_CHARS = 2000
WORKDAY_MINUTES = 8 * 60
ESCALATION_ACTOR = SystemActor("requests_escalate")
ESCALATION_BATCH = 200

# kind → (department, working days to answer): what a prison starts with until its administrators change it.
DEFAULT_ROUTING: dict[str, tuple[str, int]] = {
    RequestKind.VISITS: ("Visits", 3),
    RequestKind.HEALTHCARE: ("Healthcare", 2),
    RequestKind.PROPERTY: ("Reception and property", 10),
    RequestKind.MONEY: ("Finance", 5),
    RequestKind.COMPLAINT: ("Complaints", 5),
    RequestKind.OTHER: ("Wing office", 5),
}


def request_submit(
    *, actor: PersonUser, person: Person, kind: str, text: str, idempotency_key: str = "", now: datetime | None = None
) -> PrisonRequest:
    """The person makes a request at the prison they are in; the same key twice makes one request."""
    require(actor, "resettlement.self", person)
    text = text.strip()
    if kind not in RequestKind.values:
        raise ValidationError(_("Choose what your request is about."))
    if not text:
        raise ValidationError(_("Write what you are asking for."))
    if len(text) > REQUEST_TEXT_MAX_CHARS:
        raise ValidationError(_("Keep it to %(max)s characters or fewer.") % {"max": REQUEST_TEXT_MAX_CHARS})
    if idempotency_key:
        existing = PrisonRequest.objects.filter(person=person, idempotency_key=idempotency_key[:64]).first()
        if existing is not None:
            return existing
    prison = prison_of(person.unit)
    if prison is None:
        raise ValidationError(_("You can make requests like this while you are in prison."))
    at = now or timezone.now()
    routing = request_routing(prison, kind)
    request = PrisonRequest(
        person=person,
        prison=prison,
        kind=kind,
        department_id=routing.department_id,
        text=text,
        created_at=at,
        due_at=working_deadline(at, routing.response_working_days * WORKDAY_MINUTES),
        idempotency_key=idempotency_key[:64],
    )
    try:
        with transaction.atomic():
            request.save()
            RequestEvent.objects.create(request=request, kind=RequestEventKind.SUBMITTED, text=text, actor=actor, at=at)
            audit_record(
                actor=actor,
                role="person",
                action=AuditAction.REQUEST_SUBMITTED,
                person=person,
                target=request,
                data={"kind": kind, "department": routing.department_id, "due_at": request.due_at},
            )
    except IntegrityError:
        if not idempotency_key:
            raise
        return PrisonRequest.objects.get(person=person, idempotency_key=idempotency_key[:64])
    return request


def request_assign(*, actor: StaffUser, request: PrisonRequest, to: Any | None = None) -> PrisonRequest:
    """Take a request on (or give it to a colleague who may also handle it)."""
    require(actor, "requests.handle", request)
    staff = to if to is not None else actor
    if to is not None:
        require(to, "requests.handle", request)
    with transaction.atomic():
        locked = _locked(request)
        if locked.assigned_to_id == staff.pk and locked.state == RequestState.ASSIGNED:
            return locked
        _move(locked, RequestState.ASSIGNED)
        locked.assigned_to = staff
        locked.save(update_fields=["state", "assigned_to"])
        RequestEvent.objects.create(request=locked, kind=RequestEventKind.ASSIGNED, actor=actor)
        _audit(actor, locked, AuditAction.REQUEST_ASSIGNED, {"to": staff.pk})
    return locked


def request_reply(*, actor: StaffUser, request: PrisonRequest, text: str) -> PrisonRequest:
    """Answer the request: the person reads the reply in its history."""
    require(actor, "requests.handle", request)
    text = text.strip()
    if not text:
        raise ValidationError(_("Write a reply."))
    if len(text) > REPLY_MAX_CHARS:
        raise ValidationError(_("Keep it to %(max)s characters or fewer.") % {"max": REPLY_MAX_CHARS})
    with transaction.atomic():
        locked = _locked(request)
        _move(locked, RequestState.ANSWERED)
        locked.answered_at = timezone.now()
        if locked.assigned_to_id is None:
            locked.assigned_to = actor
        locked.save(update_fields=["state", "answered_at", "assigned_to"])
        RequestEvent.objects.create(request=locked, kind=RequestEventKind.REPLIED, text=text, actor=actor)
        _audit(actor, locked, AuditAction.REQUEST_REPLIED, {"chars": len(text)})
    return locked


def request_close(*, actor: StaffUser, request: PrisonRequest, note: str = "") -> PrisonRequest:
    require(actor, "requests.handle", request)
    with transaction.atomic():
        locked = _locked(request)
        _move(locked, RequestState.CLOSED)
        locked.closed_at = timezone.now()
        locked.save(update_fields=["state", "closed_at"])
        RequestEvent.objects.create(request=locked, kind=RequestEventKind.CLOSED, text=note.strip(), actor=actor)
        _audit(actor, locked, AuditAction.REQUEST_CLOSED, {})
    return locked


def request_withdraw(*, actor: PersonUser, request: PrisonRequest) -> PrisonRequest:
    require(actor, "resettlement.self", request.person)
    with transaction.atomic():
        locked = _locked(request)
        _move(locked, RequestState.WITHDRAWN)
        locked.closed_at = timezone.now()
        locked.save(update_fields=["state", "closed_at"])
        RequestEvent.objects.create(request=locked, kind=RequestEventKind.WITHDRAWN, actor=actor)
        _audit(actor, locked, AuditAction.REQUEST_WITHDRAWN, {})
    return locked


def requests_escalate(now: datetime | None = None) -> dict[str, int]:
    """The scheduled job: each request still waiting past its deadline raises one alert, once."""
    at = now or timezone.now()
    due = list(
        PrisonRequest.objects.filter(
            state__in=sorted(AWAITING_STATES), due_at__lte=at, escalated_at__isnull=True
        ).values_list("pk", flat=True)
    )
    escalated = 0
    for start in range(0, len(due), ESCALATION_BATCH):
        with transaction.atomic():
            for request_id in due[start : start + ESCALATION_BATCH]:
                escalated += _escalate(request_id, at)
    return {"escalated": escalated}


def prison_of(unit: OrgUnit) -> OrgUnit | None:
    """The prison a unit is in (itself, or the prison above a wing); None outside prisons."""
    if unit.kind == UnitKind.PRISON:
        return unit
    if unit.kind == UnitKind.WING:  # a wing's parent is always its prison (ALLOWED_PARENT_KINDS)
        return unit.parent
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    return OrgUnit.objects.filter(pk__in=ids, kind=UnitKind.PRISON).first()


def request_routing(prison: OrgUnit, kind: str) -> RequestType:
    """Where a kind of request goes at this prison; a prison with no routing yet starts with the defaults."""
    found = RequestType.objects.filter(prison=prison, kind=kind, active=True).first()
    if found is None and not RequestType.objects.filter(prison=prison).exists():
        request_types_ensure(prison)
        found = RequestType.objects.filter(prison=prison, kind=kind, active=True).first()
    if found is None:  # the administrators turned this kind off: it goes where "something else" goes
        found = RequestType.objects.filter(prison=prison, kind=RequestKind.OTHER).first()
    if found is None:
        raise ValidationError(_("Requests cannot be made here yet. Ask a member of staff."))
    return found


def request_types_ensure(prison: OrgUnit) -> list[RequestType]:
    """Give a prison the default departments and routing (kept as they are where they exist)."""
    with transaction.atomic():
        types = []
        for kind, (name, days) in DEFAULT_ROUTING.items():
            department, _created = Department.objects.get_or_create(prison=prison, name=name)
            found, _created = RequestType.objects.get_or_create(
                prison=prison, kind=kind, defaults={"department": department, "response_working_days": days}
            )
            types.append(found)
    return types


def kinds_offered(person: Person) -> list[tuple[str, str]]:
    """The kinds of request the person can make where they are (all of them: the routing decides where)."""
    return [(str(kind.value), str(kind.label)) for kind in RequestKind]


# --- helpers ---------------------------------------------------------------------------------


def _escalate(request_id: int, at: datetime) -> bool:
    moved = PrisonRequest.objects.filter(
        pk=request_id, state__in=sorted(AWAITING_STATES), escalated_at__isnull=True
    ).update(escalated_at=at)
    if not moved:
        return False
    request = PrisonRequest.objects.select_related("person__unit", "department", "assigned_to").get(pk=request_id)
    alert_raise(
        kind=AlertKind.REQUEST_LATE,
        person=request.person,
        key=f"request-late:{request.pk}",
        summary=f"{request.get_kind_display()} request to {request.department.name} not answered in time.",
        cause=AlertCause("resettlement:staff_request", "Request", [request.pk]),
        assign_to=request.assigned_to,
        actor=ESCALATION_ACTOR,
    )
    RequestEvent.objects.create(request=request, kind=RequestEventKind.ESCALATED, at=at)
    audit_record(
        actor=ESCALATION_ACTOR,
        action=AuditAction.REQUEST_ESCALATED,
        person=request.person,
        target=request,
        data={"due_at": request.due_at, "department": request.department_id},
    )
    return True


def _locked(request: PrisonRequest) -> PrisonRequest:
    return PrisonRequest.objects.select_for_update(of=("self",)).select_related("person", "prison").get(pk=request.pk)


def _move(request: PrisonRequest, target: str) -> None:
    if not request_transition_allowed(request.state, target):
        raise ValidationError(
            _("This request is already %(state)s.") % {"state": request.get_state_display().lower()}, code="state"
        )
    request.state = target


def _audit(actor: Any, request: PrisonRequest, action: AuditAction, data: dict[str, Any]) -> None:
    role = "person" if getattr(actor, "person_id", None) == request.person_id else acting_role(actor, request.person)
    audit_record(
        actor=actor,
        role=role or "request_handler",
        action=action,
        person=request.person,
        target=request,
        data={"state": request.state, **data},
    )
