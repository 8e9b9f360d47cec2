"""The library policy: the items a person's pages list and the single check agree, over generated libraries.

Hypothesis builds small synthetic worlds (prisons with wings, probation offices, people at any of them
in any status, items in any state, live or not, aimed at custody, the community or both, at all prisons
or some) and checks, for every (reader, item) pair, that the item is in `LIBRARY.scope(reader)` exactly
when `LIBRARY.allows(reader, item)`, that the registered rule `library.read` says the same for the
reader's account, and that both match a plain statement of the targeting rule written here.
"""

from dataclasses import dataclass

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onward.accounts.models import User
from onward.core.actors import UserKind
from onward.core.permissions import can
from onward.library.models import COMMUNITY_AUDIENCES, CUSTODY_AUDIENCES, Audience, Item, ItemState, Revision
from onward.library.rules import LIBRARY, item_visible_to, items_visible_to_person
from onward.library.search import Hit, readable_hits
from onward.organisations.models import OrgUnit
from onward.organisations.tests.factories import OfficeFactory, PrisonFactory, RegionFactory, WingFactory
from onward.people.models import Person, Status
from onward.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

PRISONS_MAX = 3


@dataclass(frozen=True)
class LibraryPlan:
    prisons: list[int]  # wings per prison
    people: list[tuple[str, int]]  # (status, unit index among [offices..., prisons..., wings...])
    items: list[tuple[str, bool, str, bool, list[int]]]  # (state, live, audience, all prisons, prisons aimed at)


@st.composite
def library_plans(draw: st.DrawFn) -> LibraryPlan:
    prisons = draw(st.lists(st.integers(0, 2), min_size=1, max_size=PRISONS_MAX))
    unit_count = 1 + len(prisons) + sum(prisons)
    people = draw(
        st.lists(st.tuples(st.sampled_from(list(Status)), st.integers(0, unit_count - 1)), min_size=1, max_size=5)
    )
    prison_index = st.integers(0, len(prisons) - 1)
    items = draw(
        st.lists(
            st.tuples(
                st.sampled_from(list(ItemState)),
                st.booleans(),
                st.sampled_from(list(Audience)),
                st.booleans(),
                st.lists(prison_index, max_size=2, unique=True),
            ),
            min_size=1,
            max_size=6,
        )
    )
    return LibraryPlan(prisons, people, items)


def library_build(plan: LibraryPlan) -> tuple[list[Person], list[Item]]:
    region = RegionFactory()
    prisons = [PrisonFactory(parent=region) for _ in plan.prisons]
    wings = [
        WingFactory(parent=prison) for prison, count in zip(prisons, plan.prisons, strict=True) for _ in range(count)
    ]
    units: list[OrgUnit] = [OfficeFactory(), *prisons, *wings]
    people = [PersonFactory(status=status, unit=units[unit]) for status, unit in plan.people]
    items = []
    for state, live, audience, all_prisons, aimed_at in plan.items:
        item = Item.objects.create(state=state, audience=audience, all_prisons=all_prisons)
        item.prisons.set([prisons[i] for i in aimed_at])
        if live:
            item.live_revision = Revision.objects.create(item=item, number=1, audience=audience)
            item.save(update_fields=["live_revision"])
        items.append(item)
    return people, items


def expected_readable(person: Person, item: Item) -> bool:
    """The targeting rule in plain Python, independently of the policy."""
    if item.live_revision_id is None or item.state == ItemState.WITHDRAWN:
        return False
    if person.status not in (Status.REMAND, Status.SENTENCED):
        return item.audience in COMMUNITY_AUDIENCES
    if item.audience not in CUSTODY_AUDIENCES:
        return False
    unit = person.unit
    prison = unit if unit.kind == "prison" else unit.parent if unit.kind == "wing" else None
    return item.all_prisons or (prison is not None and item.prisons.filter(pk=prison.pk).exists())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=library_plans())
def test_the_list_and_the_single_answer_agree_for_every_reader_and_item(plan: LibraryPlan) -> None:
    with transaction.atomic():
        people, items = library_build(plan)
        for made in people:
            listed = set(items_visible_to_person(Person.objects.get(pk=made.pk)).values_list("pk", flat=True))
            account = User.objects.create(username=f"person-{made.pk}", kind=UserKind.PERSON, person=made)
            for item in items:
                reader = Person.objects.get(pk=made.pk)  # nothing remembered from the list
                single = Item.objects.get(pk=item.pk)
                assert (single.pk in listed) == LIBRARY.allows(reader, single) == item_visible_to(reader, single)
                assert (single.pk in listed) == expected_readable(reader, single)
                assert can(User.objects.get(pk=account.pk), "library.read", single) == (single.pk in listed)
        transaction.set_rollback(True)


def test_search_reads_on_down_the_ranking_until_it_has_enough_readable_hits() -> None:
    """Only the reader's scope decides; hits they may not read are passed over, however well they rank."""
    asked: list[list[int]] = []

    def readable(ids: list[int]) -> set[int]:
        asked.append(ids)
        return {i for i in ids if i % 7 == 0}

    ranked = [Hit(item_id=i, score=100.0 - i, words_matched=1) for i in range(1, 40)]
    assert [hit.item_id for hit in readable_hits(ranked, readable, limit=3)] == [7, 14, 21]
    assert [batch[0] for batch in asked] == [1, 10, 19]  # batches of three times the results wanted
    assert readable_hits(ranked, lambda ids: set(), limit=3) == []
