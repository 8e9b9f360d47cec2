"""What a person is shown follows where they are (issue 12, point 11): one function, `Person.offers`.

A person in custody has no phone of their own, so no page offers them "use where your phone is now",
a check-in tab, "add to your phone's calendar" or notifications on their phone; a person in the
community is offered all of them. Each place is checked over both kinds of person.
"""

from typing import Any

import pytest
from django.test import Client

from onward.people.models import Offers, Person, Status
from onward.people.tests.factories import CommunityPersonFactory, PersonFactory

pytestmark = pytest.mark.django_db

CHECKIN_TAB = 'href="/me/check-in/"'
CALENDAR_LINK = 'href="/me/appointments/calendar/"'
PUSH_LINK = 'href="/me/notifications/"'
NEAR_ME = 'data-module="onward-near-me"'


@pytest.mark.parametrize(
    ("status", "own_phone", "checkins"),
    [
        (Status.REMAND, False, False),
        (Status.SENTENCED, False, False),
        (Status.HDC, True, True),
        (Status.LICENCE, True, True),
        (Status.COMMUNITY_ORDER, True, True),
        (Status.ENDED, True, False),
    ],
)
def test_what_a_person_is_offered_follows_their_status(status: str, own_phone: bool, checkins: bool) -> None:
    offers = Person(status=status).offers
    assert offers == Offers.for_status(status)
    assert offers.phone_location is own_phone
    assert offers.phone_calendar is own_phone
    assert offers.phone_notifications is own_phone
    assert offers.outside_links is own_phone
    assert offers.checkins is checkins


@pytest.fixture(params=["custody", "community"])
def where(request: pytest.FixtureRequest, org: dict[str, Any], person_client: Any) -> tuple[bool, Client]:
    """(in custody?, a client signed in as that person)."""
    if request.param == "custody":
        person = PersonFactory(unit=org["wing_a"], status=Status.SENTENCED)
    else:
        person = CommunityPersonFactory(unit=org["office_n"])
    return person.in_custody, person_client(person)


def _page(client: Client, path: str, **query: str) -> str:
    answer = client.get(path, query)
    assert answer.status_code == 200, (path, answer.status_code)
    return answer.content.decode()


def test_the_check_in_tab_is_only_offered_in_the_community(where: tuple[bool, Client]) -> None:
    in_custody, client = where
    for path in ("/me/", "/me/appointments/", "/me/services/"):
        assert (CHECKIN_TAB in _page(client, path)) is not in_custody, path


def test_the_home_page_offers_phone_notifications_only_in_the_community(where: tuple[bool, Client]) -> None:
    in_custody, client = where
    assert (PUSH_LINK in _page(client, "/me/")) is not in_custody


def test_the_phone_calendar_is_only_offered_in_the_community(where: tuple[bool, Client]) -> None:
    in_custody, client = where
    assert (CALENDAR_LINK in _page(client, "/me/appointments/")) is not in_custody
    assert client.get("/me/appointments/calendar/").status_code == (403 if in_custody else 200)


def test_reminders_by_notification_on_a_phone_are_only_offered_in_the_community(where: tuple[bool, Client]) -> None:
    in_custody, client = where
    page = _page(client, "/me/appointments/reminders/")
    assert 'value="sms"' in page
    assert ('value="push"' in page) is not in_custody


def test_where_your_phone_is_now_is_only_offered_in_the_community(where: tuple[bool, Client]) -> None:
    in_custody, client = where
    page = _page(client, "/me/services/")
    assert (NEAR_ME in page) is not in_custody
    assert ("Or use where your phone is now" in page) is not in_custody
    # Nor is a position used when the address bar sends one anyway.
    searched = _page(client, "/me/services/", near="here", lat="53.8008", lon="-1.5491")
    assert ("where you are now" in searched) is not in_custody


def test_a_person_recalled_to_custody_loses_the_phone_offers_at_once(org: dict[str, Any], person_client: Any) -> None:
    person = CommunityPersonFactory(unit=org["office_n"])
    client = person_client(person)
    assert CHECKIN_TAB in _page(client, "/me/")
    Person.objects.filter(pk=person.pk).update(status=Status.SENTENCED, unit=org["wing_a"])
    page = _page(client, "/me/")
    assert CHECKIN_TAB not in page
    assert PUSH_LINK not in page
    assert client.get("/me/appointments/calendar/").status_code == 403
