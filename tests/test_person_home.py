"""The person's home page leads with what they must do now, then what is coming, then the rest (issue 12).

The sections come from the apps (`home.py` in each, registered with a group); the page shows the
groups in that order whatever the order the apps were loaded in.
"""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from onward.appointments.tests.factories import AppointmentFactory
from onward.checkins import services as checkin_services
from onward.checkins.tests.factories import EnrolmentFactory, questionnaire_ensure
from onward.messaging.services import conversation_for_person, message_send
from onward.people.home import COMING_UP, DO_NOW, OTHER, HomeSection
from onward.people.models import AssignmentRole, Person
from onward.people.sections import PageSections
from onward.people.tests.factories import CommunityPersonFactory, PersonFactory, StaffAssignmentFactory

pytestmark = pytest.mark.django_db


def _groups(page: str) -> tuple[str, str, str]:
    """The page's three groups, in the order they appear (a group missing from the page fails here)."""
    _before, rest = page.split('id="do-now"', 1)
    do_now, rest = rest.split('id="coming-up"', 1)
    coming_up, other = rest.split('id="other"', 1) if 'id="other"' in rest else (rest, "")
    return do_now, coming_up, other


def test_sections_are_given_group_by_group_each_in_its_order() -> None:
    page = PageSections(groups=("first", "then"))
    shown = lambda name: lambda user, person: HomeSection(name)  # noqa: E731
    page.section("late", order=1, group="then")(shown("late"))
    page.section("second", order=20, group="first")(shown("second"))
    page.section("first", order=10, group="first")(shown("first"))
    page.section("hidden", order=5, group="first")(lambda user, person: None)
    grouped = page.grouped(None, Person())
    assert {group: [s.template for s in parts] for group, parts in grouped.items()} == {
        "first": ["first", "second"],
        "then": ["late"],
    }
    assert [s.template for s in page.shown(None, Person())] == ["first", "second", "late"]
    with pytest.raises(ValueError, match="not one of"):
        page.section("lost", order=1, group="nowhere")


def test_the_home_page_leads_with_what_to_do_now(org: dict[str, Any], make_staff: Any, person_client: Any) -> None:
    questionnaire_ensure()
    practitioner = make_staff("practitioner", org["office_n"])
    person = CommunityPersonFactory(
        unit=org["office_n"], licence_expiry_date=timezone.localdate() + dt.timedelta(days=200)
    )
    StaffAssignmentFactory(person=person, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    enrolment = EnrolmentFactory(person=person)
    checkin_services.checkin_create(enrolment=enrolment, due_date=timezone.localdate())
    message_send(
        actor=practitioner,
        conversation=conversation_for_person(actor=practitioner, person=person),
        body="Hello, see you on Tuesday.",
    )
    now = timezone.now()
    to_confirm = AppointmentFactory(person=person, starts_at=now + dt.timedelta(days=2))
    confirmed = AppointmentFactory(person=person, starts_at=now + dt.timedelta(days=4), confirmed_at=now)
    next_month = AppointmentFactory(
        person=person, starts_at=now + dt.timedelta(days=30), confirmed_at=now, kind="drug_test"
    )

    page = person_client(person).get("/me/").content.decode()
    do_now, coming_up, other = _groups(page)

    assert 'data-testid="home-checkin-due"' in do_now
    assert 'href="/me/check-in/"' in do_now  # the start button
    assert "Start your check-in" in do_now
    assert "Hello, see you on Tuesday." not in page  # the message itself is read in Messages
    assert "1 new message" in do_now
    assert f'href="/me/appointments/{to_confirm.pk}/"' in do_now
    assert do_now.index("home-checkin-due") < do_now.index("home-messages") < do_now.index("home-appointments")

    assert f'href="/me/appointments/{confirmed.pk}/"' in coming_up  # this week's, already confirmed
    assert f'href="/me/appointments/{to_confirm.pk}/"' not in coming_up  # shown once, where it is to do
    assert f"/me/appointments/{next_month.pk}/" not in page  # not this week
    assert "Your next check-in" not in page  # the one due now is the next

    assert "Your next date" in other  # a key date, such as when the licence ends, is for later
    assert "Who is helping you" in other
    assert "You have nothing to do now." not in page


def test_with_nothing_to_do_the_page_says_so_and_shows_the_next_check_in(
    org: dict[str, Any], person_client: Any
) -> None:
    person = CommunityPersonFactory(unit=org["office_n"])
    EnrolmentFactory(person=person, starts_on=timezone.localdate() + dt.timedelta(days=3))
    page = person_client(person).get("/me/").content.decode()
    do_now, coming_up, _other = _groups(page)
    assert "You have nothing to do now." in do_now
    starts = (timezone.localdate() + dt.timedelta(days=3)).strftime("%-d %B")
    assert "Your next check-in" in coming_up
    assert starts in coming_up


def test_a_person_in_custody_is_never_shown_check_ins(org: dict[str, Any], make_staff: Any, person_client: Any) -> None:
    questionnaire_ensure()
    person = PersonFactory(unit=org["wing_a"])
    EnrolmentFactory(person=person)  # left from before a recall
    assert checkin_services.checkins_create_due() == {"due": 0, "created": 0}  # nor invited to one
    page = person_client(person).get("/me/").content.decode()
    main = page.split("<main", 1)[1].split("</main>", 1)[0]  # the footer's guidance page is for anyone
    assert "check-in" not in main.lower()
    assert 'href="/me/check-in/"' not in page


def test_the_groups_are_in_the_page_order() -> None:
    from onward.people.home import HOME

    assert HOME.groups == (DO_NOW, COMING_UP, OTHER)
