"""Who may see and act on which person: `PEOPLE` (lists use its scope, single checks `person_in_scope`)."""

from functools import partial
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from onward.core.actors import UserKind, is_staff_user
from onward.core.permissions import rule
from onward.core.policy import Grant, Policy
from onward.organisations.models import OrgUnit, Role
from onward.organisations.roles import CASEWORK_ROLES, has_role, staff_roles
from onward.people.models import COMMUNITY_STATUSES, Person, StaffAssignment

CUSTODY_PIN_ROLES = (Role.KEY_WORKER, Role.POM)
RELEASE_ROLES = (Role.POM, Role.PRACTITIONER, Role.SENIOR)
ACTIVATION_ROLES = (Role.KEY_WORKER, Role.POM, Role.PRACTITIONER, Role.SENIOR)
# Who keeps a person's details: casework that owns the case, and administrators. Key workers and security do not.
EDIT_ROLES = (Role.POM, Role.PRACTITIONER, Role.SENIOR, Role.ADMINISTRATOR)


class PeoplePolicy(Policy[Person]):
    """Who reaches which person, and as what: the one definition behind lists and single checks.

    A person reaches their own record. Staff (past their second factor) reach the people assigned to
    them, acting in the assignment's role, then everyone at or below a unit where they hold a casework
    role, acting in that role.
    """

    model = Person
    name = "person"

    def grants(self, actor: Any) -> list[Grant]:
        if not getattr(actor, "is_authenticated", False):
            return []
        if actor.kind == UserKind.PERSON:
            return [Grant(Q(pk=actor.person_id), "person")]
        if not is_staff_user(actor):
            return []
        assigned = StaffAssignment.objects.filter(staff=actor, ended_at__isnull=True)
        grants = [Grant(Q(pk__in=assigned.values("person_id")), partial(_assignment_role, assigned))]
        for held in staff_roles(actor):
            if held.role in CASEWORK_ROLES:
                # A list of unit ids, not a join on the unit's path: with the assignments' list of person
                # ids, the database reaches the scope through two indexes instead of reading every person.
                units = OrgUnit.objects.filter(path__startswith=held.unit.path).values("pk")
                grants.append(Grant(Q(unit__in=units), str(held.role)))
        return grants


PEOPLE = PeoplePolicy()


def people_visible_to(user: Any) -> QuerySet[Person]:
    """Every person this user may see (the policy's scope)."""
    return PEOPLE.scope(user)


def person_in_scope(user: Any, person: Person) -> bool:
    return PEOPLE.allows(user, person)


def person_of(obj: Any) -> Person | None:
    """The person a rule's object is about: the person, a row with a `person`, or None for "any"."""
    if obj is None or isinstance(obj, Person):
        return obj
    return getattr(obj, "person", None)


def staff_reaching(user: Any, obj: Any, roles: tuple[str, ...]) -> bool:
    """Staff past their second factor holding one of `roles`, and reaching the person `obj` is about."""
    if not (is_staff_user(user) and has_role(user, *roles)):
        return False
    person = person_of(obj)
    return person is None or person_in_scope(user, person)


def acting_role(user: Any, person: Person) -> str:
    """The role through which this user reaches this person ("" when they do not)."""
    return PEOPLE.role_for(user, person) or ""


@rule("person.view")
def can_view_person(user: Any, person: Person | None) -> bool:
    if person is None:
        return is_staff_user(user) and has_role(user, *CASEWORK_ROLES)
    return user.kind == UserKind.STAFF and person_in_scope(user, person)


@rule("person.reset_pin")
def can_reset_pin(user: Any, person: Person | None) -> bool:
    if not has_role(user, *CUSTODY_PIN_ROLES):
        return False
    return person is None or (person.in_custody and person_in_scope(user, person))


@rule("person.issue_activation_code")
def can_issue_activation_code(user: Any, person: Person | None) -> bool:
    if not has_role(user, *ACTIVATION_ROLES):
        return False
    return person is None or person_in_scope(user, person)


@rule("person.release")
def can_release(user: Any, person: Person | None) -> bool:
    if not has_role(user, *RELEASE_ROLES):
        return False
    return person is None or (person.in_custody and person_in_scope(user, person))


@rule("person.manage_devices")
def can_manage_devices(user: Any, person: Person | None) -> bool:
    if person is None:
        return is_staff_user(user) and has_role(user, *CASEWORK_ROLES)
    return (user.kind == UserKind.STAFF and person_in_scope(user, person)) or (
        user.kind == UserKind.PERSON and user.person_id == person.pk
    )


@rule("licence.issue")
def can_issue_licence(user: Any, person: Person | None) -> bool:
    if not has_role(user, *RELEASE_ROLES):
        return False
    return person is None or person_in_scope(user, person)


@rule("person.end_supervision")
def can_end_supervision(user: Any, person: Person | None) -> bool:
    if not has_role(user, Role.PRACTITIONER, Role.SENIOR):
        return False
    return person is None or (person.status in COMMUNITY_STATUSES and person_in_scope(user, person))


@rule("person.subject_access")
def can_export_subject_access(user: Any, person: Person | None) -> bool:
    """Administrators (data protection work), for people in the units their role covers."""
    if not is_staff_user(user):
        return False
    held = [r for r in staff_roles(user) if r.role == Role.ADMINISTRATOR]
    if not held:
        return False
    return person is None or any(person.unit.path.startswith(r.unit.path) for r in held)


@rule("person.create")
def can_create_person(user: Any, unit: OrgUnit | None) -> bool:
    """POMs, practitioners, seniors and administrators, for a unit their role covers."""
    return is_staff_user(user) and ((unit is None and has_role(user, *EDIT_ROLES)) or _edit_role_covers(user, unit))


@rule("person.edit")
def can_edit_person(user: Any, person: Person | None) -> bool:
    """The same roles, for someone in a unit their role covers or on their own caseload."""
    if not is_staff_user(user) or not has_role(user, *EDIT_ROLES):
        return False
    if person is None:
        return True
    return _edit_role_covers(user, person.unit) or PEOPLE.role_for(user, person) in (Role.POM, Role.PRACTITIONER)


@rule("person.verify_contact")
def can_verify_contact(user: Any, person: Person | None) -> bool:
    """Staff who may edit the person, or the person for their own phone and email."""
    if user.kind == UserKind.PERSON:
        return person is None or user.person_id == person.pk
    return can_edit_person(user, person)


def _edit_role_covers(user: Any, unit: OrgUnit | None) -> bool:
    if unit is None:
        return False
    return any(held.role in EDIT_ROLES and unit.path.startswith(held.unit.path) for held in staff_roles(user))


def _assignment_role(assigned: QuerySet[StaffAssignment]) -> Subquery:
    """The role of the actor's (first) current assignment to the person on the row."""
    return Subquery(assigned.filter(person=OuterRef("pk")).order_by("pk").values("role")[:1])


# Who may import people in bulk, for the units their role covers.
IMPORT_ROLES = (Role.ADMINISTRATOR, Role.SENIOR)


@rule("person.import")
def can_import_people(user: Any, unit: Any | None) -> bool:
    """Administrators and senior practitioners; with a unit, only one their role covers."""
    if not is_staff_user(user):
        return False
    paths = import_unit_paths(user)
    return bool(paths) and (unit is None or any(unit.path.startswith(path) for path in paths))


def import_unit_paths(user: Any) -> list[str]:
    """The paths of the units where this user's administrator or senior role lets them import people."""
    return [held.unit.path for held in staff_roles(user) if held.role in IMPORT_ROLES]


def import_role(user: Any) -> str:
    """The role an import is recorded under: administrator before senior."""
    held = {held.role for held in staff_roles(user)}
    return next((str(role) for role in IMPORT_ROLES if role in held), "")
