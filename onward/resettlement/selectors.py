"""Reads of a resettlement plan: the staff view (by pathway, with history) and the person's to-do list."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils import timezone

from onward.audit.services import audit_record
from onward.core.audit_actions import AuditAction
from onward.core.permissions import require
from onward.library.selectors import ItemView, items_in_topic_slugs
from onward.people.models import Person
from onward.people.rules import acting_role
from onward.resettlement.models import (
    APPLICATION_TRANSITIONS,
    AWAITING_STATES,
    OPEN_NEED_STATUSES,
    Application,
    ApplicationStatus,
    Assessment,
    AssessmentKind,
    Department,
    Need,
    PlanAction,
    PlanEvent,
    PrisonRequest,
    RequestEvent,
)
from onward.resettlement.needs import NEEDS_BY_CODE, Owner, Pathway, library_topics_for
from onward.resettlement.rules import requests_scope

PRE_RELEASE_WEEKS = 12
HISTORY_SHOWN = 50
SUGGESTED_ITEMS_MAX = 6


@dataclass(frozen=True)
class PathwayPlan:
    code: str
    name: str
    needs: list[Need]


@dataclass(frozen=True)
class StaffPlan:
    person: Person
    pathways: list[PathwayPlan]
    own_todos: list[PlanAction]
    assessments: list[Assessment]
    history: list[PlanEvent]
    pre_release_due_on: date | None
    pre_release_done: bool


@dataclass(frozen=True)
class PersonPlan:
    """The plan as the person reads it: things to do (theirs first), the rest, and what to read."""

    mine: list[PlanAction]
    others: list[PlanAction]
    done: list[PlanAction]
    needs: list[Need]
    reading: list[ItemView] = field(default_factory=list)


def plan_for_staff(user: Any, person: Person) -> StaffPlan:
    require(user, "resettlement.view", person)
    needs = list(
        Need.objects.filter(person=person).prefetch_related(
            Prefetch("actions", queryset=PlanAction.objects.order_by("done_at", "due_on", "pk"))
        )
    )
    pathways = [
        PathwayPlan(p.value, str(p.label), [need for need in needs if need.pathway == p.value]) for p in Pathway
    ]
    assessments = list(Assessment.objects.filter(person=person).select_related("assessed_by").order_by("-number"))
    due_on = pre_release_due_on(person)
    return StaffPlan(
        person=person,
        pathways=pathways,
        own_todos=list(PlanAction.objects.filter(person=person, need__isnull=True)),
        assessments=assessments,
        history=list(PlanEvent.objects.filter(person=person).select_related("need", "action", "actor")[:HISTORY_SHOWN]),
        pre_release_due_on=due_on,
        pre_release_done=any(
            a.kind == AssessmentKind.PRE_RELEASE and (due_on is None or a.assessed_at.date() >= due_on)
            for a in assessments
        ),
    )


def plan_for_person(user: Any, person: Person, language: str) -> PersonPlan:
    require(user, "resettlement.self", person)
    actions = list(PlanAction.objects.filter(person=person).select_related("need"))
    needs = list(Need.objects.filter(person=person))
    open_codes = [need.code for need in needs if need.status in OPEN_NEED_STATUSES]
    reading = items_in_topic_slugs(person, library_topics_for(open_codes), language, limit=SUGGESTED_ITEMS_MAX)
    open_actions = [a for a in actions if a.done_at is None]
    return PersonPlan(
        mine=[a for a in open_actions if a.owner == Owner.PERSON],
        others=[a for a in open_actions if a.owner != Owner.PERSON],
        done=sorted(
            (a for a in actions if a.done_at is not None), key=lambda a: a.done_at or a.created_at, reverse=True
        ),
        needs=needs,
        reading=reading,
    )


def need_in_plan(person: Person, need_id: int) -> Need:
    return Need.objects.select_related("person").get(person=person, pk=need_id)


def action_in_plan(person: Person, action_id: int) -> PlanAction:
    return PlanAction.objects.select_related("person").get(person=person, pk=action_id)


def pre_release_due_on(person: Person) -> date | None:
    """When the pre-release assessment falls due: 12 weeks before the (expected) release date."""
    release = person.release_date or person.conditional_release_date
    if release is None or not person.in_custody:
        return None
    return release - timedelta(weeks=PRE_RELEASE_WEEKS)


def todos_open_count(person: Person) -> int:
    return PlanAction.objects.filter(person=person, done_at__isnull=True, owner=Owner.PERSON).count()


def plain_words(need: Need) -> str:
    kind = NEEDS_BY_CODE.get(need.code)
    return str(kind.plain_words) if kind else need.code


def staff_words(need: Need) -> str:
    kind = NEEDS_BY_CODE.get(need.code)
    return kind.staff_words if kind else need.code


def today() -> date:
    return timezone.localdate()


def open_need_codes(person: Person) -> list[str]:
    return list(
        Need.objects.filter(person=person, status__in=sorted(OPEN_NEED_STATUSES)).values_list("code", flat=True)
    )


def has_assessment(person: Person) -> bool:
    return Assessment.objects.filter(person=person).exists()


# --- Requests ---------------------------------------------------------------------------------

REQUEST_QUEUE_MAX = 200


def requests_for_person(user: Any, person: Person) -> list[PrisonRequest]:
    require(user, "resettlement.self", person)
    return list(PrisonRequest.objects.filter(person=person).select_related("department").order_by("-created_at"))


def request_for_person(user: Any, person: Person, request_id: int) -> PrisonRequest:
    require(user, "resettlement.self", person)
    return PrisonRequest.objects.select_related("department", "person", "prison").get(person=person, pk=request_id)


def request_queue(user: Any, *, department_id: int | None = None, waiting: bool = True) -> list[PrisonRequest]:
    """Requests at the user's prisons: waiting ones, the nearest deadline (so the late ones) first."""
    require(user, "requests.handle")
    found = PrisonRequest.objects.filter(requests_scope(user))
    if waiting:
        found = found.filter(state__in=sorted(AWAITING_STATES))
    if department_id:
        found = found.filter(department_id=department_id)
    return list(
        found.select_related("person", "department", "assigned_to").order_by("due_at", "pk")[:REQUEST_QUEUE_MAX]
    )


def request_for_staff(user: Any, request_id: int) -> PrisonRequest:
    """One request for staff who may handle it; a request outside their prisons is refused like a missing one."""
    found = (
        PrisonRequest.objects.filter(requests_scope(user), pk=request_id)
        .select_related("person", "department", "prison", "assigned_to")
        .first()
    )
    if found is None:
        raise PermissionDenied("requests.handle")
    audit_record(
        actor=user,
        role=acting_role(user, found.person) or "request_handler",
        action=AuditAction.REQUEST_VIEWED,
        person=found.person,
        target=found,
    )
    return found


def request_history(request: PrisonRequest) -> list[RequestEvent]:
    return list(request.events.select_related("actor").order_by("at", "pk"))


def departments_for(user: Any) -> list[Department]:
    prisons = PrisonRequest.objects.filter(requests_scope(user)).values("prison_id")
    return list(Department.objects.filter(prison_id__in=prisons, active=True).select_related("prison").order_by("name"))


# --- ID and bank account applications -----------------------------------------------------------


def applications_for(person: Person) -> list[Application]:
    """The person's applications, the ones still going first (the caller has checked who may look)."""
    found = list(Application.objects.filter(person=person).select_related("need").order_by("created_at", "pk"))
    return sorted(found, key=lambda a: (not a.is_open, a.created_at))


def application_in_plan(person: Person, application_id: int) -> Application:
    return Application.objects.select_related("person").get(pk=application_id, person=person)


def application_next_statuses(application: Application) -> list[tuple[str, str]]:
    """The statuses this application may move to, in the order of `ApplicationStatus`."""
    allowed = APPLICATION_TRANSITIONS.get(application.status, frozenset())
    return [(value, str(label)) for value, label in ApplicationStatus.choices if value in allowed]
