"""Reads of people, always scoped by the permission policy."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from onward.audit.services import audit_record
from onward.core.audit_actions import AuditAction
from onward.core.permissions import can
from onward.organisations.models import OrgUnit, UnitKind
from onward.organisations.roles import staff_roles
from onward.organisations.selectors import units_under
from onward.people.attention import (
    SCORE_ANNOTATION,
    AttentionMoment,
    attention_annotate,
    attention_load,
    attention_moment,
    attention_needed,
)
from onward.people.models import LicenceVersion, Person, StaffAssignment, Status
from onward.people.rules import EDIT_ROLES, PEOPLE, acting_role, people_visible_to

CASELOAD_SORTS: dict[str, list[Any]] = {
    # Who needs attention most first (onward/people/attention.py says the order), then by release date.
    "attention": [
        F(SCORE_ANNOTATION).desc(),
        F("conditional_release_date").asc(nulls_last=True),
        "last_name",
        "first_name",
    ],
    "release": [F("conditional_release_date").asc(nulls_last=True), "last_name"],
    "name": ["last_name", "first_name"],
    "-release": [F("conditional_release_date").desc(nulls_last=True), "last_name"],
}


@dataclass(frozen=True)
class CaseloadFilter:
    search: str = ""
    status: str = ""
    unit_id: int | None = None
    needs_attention: bool = False
    sort: str = "attention"


def caseload_for(
    user: Any, filters: CaseloadFilter | None = None, *, moment: AttentionMoment | None = None
) -> QuerySet[Person]:
    """The people a staff member may see, searched, filtered and sorted, in a fixed number of queries.

    Each person carries the reasons they need attention today (`attention_reasons(person)`), worked
    out in the same query on the policy's scope only when they filter or order it; otherwise call
    `attention_load` on the page (one more query, whatever its size).
    """
    filters = filters or CaseloadFilter()
    people: QuerySet[Person] = _caseload_rows(people_visible_to(user))
    term = filters.search.strip()
    if term:
        upper = term.upper().replace(" ", "")
        name_q = Q()
        for word in term.split():
            name_q &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        people = people.filter(name_q | Q(prison_number=upper) | Q(crn=upper))
    if filters.status:
        people = people.filter(status=filters.status)
    if filters.unit_id:
        unit = OrgUnit.objects.filter(pk=filters.unit_id).first()
        people = people.filter(unit__path__startswith=unit.path) if unit else people.none()
    sort = filters.sort if filters.sort in CASELOAD_SORTS else "attention"
    if filters.needs_attention or sort == "attention":
        # Only when the reasons choose or order the rows; otherwise `attention_load` adds them to the page.
        people = attention_annotate(people, moment or attention_moment(user))
    if filters.needs_attention:
        people = attention_needed(people)
    return people.order_by(*CASELOAD_SORTS[sort], "pk")


def caseload_page(people: QuerySet[Person], moment: AttentionMoment, number: Any, size: int) -> Page:
    """One page of `people` (from `caseload_for`), each person with their reasons, in a fixed number of queries.

    When the attention score is part of the query (it chooses or orders the rows), one query reads every
    matching id with its score and a second the page's people by id, so the score's SQL (an EXISTS for each
    reason) is built and run once, not again for the paginator's count. Otherwise the count, the page, and
    `attention_load` for the page's scores. An out-of-range `number` gives the nearest page.
    """
    if SCORE_ANNOTATION not in people.query.annotations:
        page = Paginator(people, size).get_page(number)
        page.object_list = list(page.object_list)
        attention_load(page.object_list, moment)
        return page
    ranked = list(people.values_list("pk", SCORE_ANNOTATION))
    page = Paginator(ranked, size).get_page(number)
    scores = dict(page.object_list)
    # Ids read from the scoped query just now: reading them again by id reaches no one else.
    rows = {person.pk: person for person in _caseload_rows(Person.objects.filter(pk__in=list(scores)))}
    chosen = [rows[pk] for pk in scores if pk in rows]  # one removed in between is left out
    for person in chosen:
        setattr(person, SCORE_ANNOTATION, scores[person.pk])
    page.object_list = chosen
    return page


def _caseload_rows(people: QuerySet[Person]) -> QuerySet[Person]:
    """What a caseload row shows besides the person: their unit and its parent, their current assignments."""
    return people.select_related("unit", "unit__parent").prefetch_related(
        Prefetch(
            "assignments",
            queryset=StaffAssignment.objects.filter(ended_at__isnull=True).select_related("staff"),
            to_attr="active_assignments",
        )
    )


def person_get(user: Any, person_id: int, *, purpose: AuditAction = AuditAction.PERSON_VIEW) -> Person:
    """One person's record for a staff member or the person themself. The read is audited."""
    person = (
        PEOPLE.scope_with_role(user)
        .select_related("unit", "unit__parent")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=StaffAssignment.objects.filter(ended_at__isnull=True).select_related("staff"),
                to_attr="active_assignments",
            )
        )
        .filter(pk=person_id)
        .first()
    )
    if person is None:
        # Same answer whether the person does not exist or is not theirs to see.
        raise PermissionDenied("person.view")
    PEOPLE.remember(user, [person])  # the page's rules then ask about this person without a query
    audit_record(actor=user, role=acting_role(user, person), action=purpose, person=person, target=person)
    return person


def licence_current(person: Person) -> LicenceVersion | None:
    return person.licence_versions.prefetch_related("conditions").order_by("-number").first()


def licence_unconfirmed_for(user: Any) -> QuerySet[LicenceVersion]:
    """The newest licence version of each person this user may see, where the person has not confirmed it.

    Oldest first: whoever has waited longest is the one to chase. One query, whatever the caseload.
    """
    newer = LicenceVersion.objects.filter(person=OuterRef("person"), number__gt=OuterRef("number"))
    return (
        LicenceVersion.objects.filter(person__in=people_visible_to(user), confirmed_at__isnull=True)
        .filter(~Exists(newer))
        .exclude(person__status=Status.ENDED)
        .select_related("person", "person__unit", "issued_by")
        .order_by("issued_at", "pk")
    )


def recent_activity(person: Person, limit: int = 10) -> list[Any]:
    return list(person.audit_events.select_related("actor").order_by("-seq")[:limit])


def person_for_subject_access(user: Any, reference: str) -> Person:
    """The person with this prison number or CRN, for an administrator whose area covers them. Audited.

    Someone outside their area and a reference that matches no one get the same refusal.
    """

    wanted = reference.strip().upper().replace(" ", "")
    person = (
        Person.objects.select_related("unit").filter(Q(prison_number=wanted) | Q(crn=wanted)).first()
        if wanted
        else None
    )
    if person is None or not can(user, "person.subject_access", person):
        raise PermissionDenied("person.subject_access")
    audit_record(
        actor=user,
        role="administrator",
        action=AuditAction.PERSON_VIEW_FOR_SUBJECT_ACCESS,
        person=person,
        target=person,
    )
    return person


# Units a person can be held at or supervised from (not regions).
PERSON_UNIT_KINDS = (UnitKind.PRISON, UnitKind.WING, UnitKind.PDU, UnitKind.OFFICE)


def units_for_editing(user: Any, also: OrgUnit | None = None) -> list[OrgUnit]:
    """The prisons, wings, PDUs and offices this user may put a person in (plus `also`, the current one)."""
    paths = [held.unit.path for held in staff_roles(user) if held.role in EDIT_ROLES]
    units = list(units_under(paths, PERSON_UNIT_KINDS).select_related("parent").order_by("path"))
    if also is not None and all(unit.pk != also.pk for unit in units):
        units.insert(0, also)
    return units


def person_for_edit(user: Any, person_id: int, *, purpose: AuditAction = AuditAction.PERSON_VIEW_FOR_EDIT) -> Person:
    """A person this user may edit (administrators included, who do not see caseloads). The read is audited.

    Someone outside their area and an id that does not exist get the same refusal.
    """
    person = (
        Person.objects.select_related("unit", "unit__parent")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=StaffAssignment.objects.filter(ended_at__isnull=True).select_related("staff"),
                to_attr="active_assignments",
            )
        )
        .filter(pk=person_id)
        .first()
    )
    if person is None or not can(user, "person.edit", person):
        raise PermissionDenied("person.edit")
    audit_record(actor=user, role=acting_role(user, person), action=purpose, person=person, target=person)
    return person


def person_by_identifier_visible(user: Any, person_id: int | None) -> Person | None:
    """The person with this id if the user may see their record (to link a duplicate to it), else None."""
    if person_id is None:
        return None
    return people_visible_to(user).filter(pk=person_id).first()
