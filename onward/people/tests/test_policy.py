"""The people policy: its list and its single answers agree, over generated organisations and staff.

Hypothesis builds small synthetic worlds (an organisation tree, staff holding roles at units, some of
them past their second factor, assignments current and ended, people at any unit, some with accounts)
and checks, for every (user, person) pair, that the person is in `PEOPLE.scope(user)` exactly when
`PEOPLE.allows(user, person)`, that the role annotation and `acting_role` name the same role, and that
both match a plain statement of the rule written here (an assignment first, then a casework role held
at or above the person's unit). The registered rules agree with the policy too.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onward.accounts.models import User
from onward.accounts.tests.factories import StaffFactory
from onward.core.actors import UserKind
from onward.core.permissions import can
from onward.core.policy import ROLE_ANNOTATION
from onward.organisations.models import OrgUnit, Role, StaffRole, UnitKind
from onward.organisations.roles import CASEWORK_ROLES
from onward.organisations.tests.factories import OfficeFactory, PduFactory, PrisonFactory, RegionFactory, WingFactory
from onward.people.models import AssignmentRole, Person, StaffAssignment, Status
from onward.people.rules import PEOPLE, acting_role, person_in_scope
from onward.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

UNITS_MAX = 12
STAFF_MAX = 4
PEOPLE_MAX = 6


@dataclass(frozen=True)
class WorldPlan:
    """What to build: each unit names its parent's index; people and roles name units by index."""

    region_count: int
    units: list[tuple[str, int]]  # (kind, parent index among earlier units)
    staff: list[tuple[bool, list[tuple[str, int]]]]  # (second factor done, [(role, unit)])
    people: list[tuple[str, int, bool]]  # (status, unit, has an account)
    assignments: list[tuple[int, int, str, bool]]  # (staff, person, role, ended)


CHILD_KINDS = {
    UnitKind.REGION: [UnitKind.PRISON, UnitKind.PDU],
    UnitKind.PRISON: [UnitKind.WING],
    UnitKind.PDU: [UnitKind.OFFICE],
}


@st.composite
def world_plans(draw: st.DrawFn) -> WorldPlan:
    region_count = draw(st.integers(1, 2))
    kinds: list[str] = [UnitKind.REGION] * region_count
    units: list[tuple[str, int]] = []
    for _ in range(draw(st.integers(0, UNITS_MAX - region_count))):
        parents = [i for i, kind in enumerate(kinds) if kind in CHILD_KINDS]
        parent = draw(st.sampled_from(parents))
        kind = draw(st.sampled_from(CHILD_KINDS[kinds[parent]]))
        kinds.append(kind)
        units.append((kind, parent))
    unit_index = st.integers(0, len(kinds) - 1)
    role = st.sampled_from(list(Role))
    staff = draw(
        st.lists(st.tuples(st.booleans(), st.lists(st.tuples(role, unit_index), max_size=3)), max_size=STAFF_MAX)
    )
    people = draw(
        st.lists(st.tuples(st.sampled_from(list(Status)), unit_index, st.booleans()), min_size=1, max_size=PEOPLE_MAX)
    )
    assignments = []
    if staff:
        assignments = draw(
            st.lists(
                st.tuples(
                    st.integers(0, len(staff) - 1),
                    st.integers(0, len(people) - 1),
                    st.sampled_from(list(AssignmentRole)),
                    st.booleans(),
                ),
                max_size=8,
            )
        )
    return WorldPlan(region_count, units, staff, people, assignments)


FACTORY_FOR_KIND = {
    UnitKind.PRISON: PrisonFactory,
    UnitKind.WING: WingFactory,
    UnitKind.PDU: PduFactory,
    UnitKind.OFFICE: OfficeFactory,
}


@dataclass
class World:
    users: list[Any]  # anonymous, people with accounts, staff
    people: list[Person]
    verified: dict[int, bool]  # staff user id: past their second factor
    units: list[OrgUnit]

    def fresh(self, user: Any) -> Any:
        """The same user loaded anew (nothing kept from earlier answers), with their second factor as planned."""
        if not isinstance(user, User):
            return AnonymousUser()
        loaded = User.objects.get(pk=user.pk)
        if loaded.kind == UserKind.STAFF:
            done = self.verified[loaded.pk]
            loaded.is_verified = lambda: done  # what django-otp sets on a request's user
        return loaded


def world_build(plan: WorldPlan) -> World:
    """Make the plan's rows."""
    units: list[OrgUnit] = [RegionFactory() for _ in range(plan.region_count)]
    for kind, parent in plan.units:
        units.append(FACTORY_FOR_KIND[kind](parent=units[parent]))
    staff: list[User] = []
    verified: dict[int, bool] = {}
    for done, roles in plan.staff:
        member = StaffFactory()
        for role, unit in dict.fromkeys(roles):
            StaffRole.objects.create(user=member, role=role, unit=units[unit])
        staff.append(member)
        verified[member.pk] = done
    people = [PersonFactory(status=status, unit=units[unit]) for status, unit, _account in plan.people]
    active: set[tuple[int, str]] = set()
    for member, person, role, ended in plan.assignments:
        if not ended and (person, role) in active:
            continue  # one current assignment per role per person
        if not ended:
            active.add((person, role))
        StaffAssignment.objects.create(
            staff=staff[member],
            person=people[person],
            role=role,
            ended_at=people[person].created_at if ended else None,
        )
    users: list[Any] = [AnonymousUser()]
    for person, (_status, _unit, account) in zip(people, plan.people, strict=True):
        if account:
            users.append(User.objects.create(username=f"person-{person.pk}", kind=UserKind.PERSON, person=person))
    return World(users + staff, people, verified, units)


def expected_role(user: Any, person: Person) -> str:
    """The rule in plain Python, independently of the policy: "" when the user does not reach the person."""
    if not user.is_authenticated:
        return ""
    if user.kind == UserKind.PERSON:
        return "person" if user.person_id == person.pk else ""
    if not user.is_verified():
        return ""
    assigned = StaffAssignment.objects.filter(staff=user, person=person, ended_at__isnull=True).order_by("pk")
    if assigned:
        return assigned[0].role
    for held in StaffRole.objects.filter(user=user).select_related("unit").order_by("pk"):
        if held.role in CASEWORK_ROLES and person.unit.path.startswith(held.unit.path):
            return held.role
    return ""


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=world_plans())
def test_the_list_and_the_single_answer_agree_for_every_user_and_person(plan: WorldPlan) -> None:
    with transaction.atomic():
        world = world_build(plan)
        for made in world.users:
            user = world.fresh(made)
            listed = set(PEOPLE.scope(user).values_list("pk", flat=True))
            annotated = dict(PEOPLE.scope_with_role(user).values_list("pk", ROLE_ANNOTATION))
            assert set(annotated) == listed
            for person in world.people:
                single = world.fresh(made)  # a single check with nothing remembered from the list
                role = acting_role(single, person)
                assert (person.pk in listed) == PEOPLE.allows(single, person) == person_in_scope(single, person)
                assert role == annotated.get(person.pk, "") == expected_role(single, person)
                staff = getattr(single, "kind", None) == UserKind.STAFF
                assert can(single, "person.view", person) == (staff and person.pk in listed)
                assert can(single, "person.manage_devices", person) == (person.pk in listed)
        transaction.set_rollback(True)


def test_a_record_loaded_for_a_page_answers_the_pages_checks_without_a_query(
    org: dict[str, Any], make_staff: Any, django_assert_num_queries: Any
) -> None:
    from onward.people.selectors import person_get

    senior = make_staff(Role.SENIOR, org["pdu_n"])
    person = PersonFactory(status=Status.LICENCE, unit=org["office_n"], crn="X900001")
    loaded = person_get(senior, person.pk)
    with django_assert_num_queries(0):
        assert acting_role(senior, loaded) == Role.SENIOR
        assert can(senior, "licence.issue", loaded)


def test_an_assignment_names_the_role_before_the_job_held_at_the_unit(org: dict[str, Any], make_staff: Any) -> None:
    pom = make_staff(Role.POM, org["ngt"])
    assigned = PersonFactory(unit=org["wing_a"])
    StaffAssignment.objects.create(staff=pom, person=assigned, role=AssignmentRole.KEY_WORKER)
    other = PersonFactory(unit=org["wing_b"])
    elsewhere = PersonFactory(unit=org["stn_wing"])
    assert acting_role(pom, assigned) == AssignmentRole.KEY_WORKER
    assert acting_role(pom, other) == Role.POM
    assert acting_role(pom, elsewhere) == ""
    assert not PEOPLE.allows(pom, PersonFactory.build(unit=org["wing_a"]))  # never saved: no one reaches it
