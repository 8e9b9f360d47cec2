"""Wrong PINs and staff passwords are limited per network address, with a higher limit for shared networks.

The clock is moved (the `clock` fixture), never waited for.
"""

import pytest
from django.test import Client

from onward.accounts.models import SignInAttempt
from onward.accounts.services import person_pin_set
from onward.accounts.tests.factories import TEST_PASSWORD
from onward.organisations.models import Role
from onward.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

PRISON_ADDRESS = "10.20.1.5"  # a documentation-style private address standing for a prison's network
HOME_ADDRESS = "192.0.2.7"  # TEST-NET-1: reserved for examples


@pytest.fixture
def people_with_pins(org, make_staff):
    worker = make_staff(Role.KEY_WORKER, org["ngt"])
    people = [PersonFactory(unit=org["wing_a"]) for _ in range(4)]
    for person in people:
        person_pin_set(actor=worker, person=person, pin="4321")
    return people


def _pin(client, person, pin, address):
    return client.post("/me/sign-in/", {"prison_number": person.prison_number, "pin": pin}, REMOTE_ADDR=address)


def test_wrong_pins_over_many_prison_numbers_stop_the_address(people_with_pins, settings, clock):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 8
    settings.SIGN_IN_ADDRESS_WINDOW_MINUTES = 15
    client = Client()
    for attempt in range(8):  # two wrong PINs each for four people: no one's own limit is reached
        response = _pin(client, people_with_pins[attempt % 4], "0000", HOME_ADDRESS)
        assert "not right" in response.content.decode()
    refused = _pin(client, people_with_pins[0], "4321", HOME_ADDRESS)  # even the right PIN
    assert refused.status_code == 400
    assert "too many wrong tries from this place" in refused.content.decode()
    assert SignInAttempt.objects.filter(reason="address_limit").count() == 1
    # Another address is not held up by this one.
    assert _pin(Client(), people_with_pins[1], "4321", "192.0.2.8").status_code == 302
    # After the window, the address may try again.
    clock.move(minutes=15)
    assert _pin(client, people_with_pins[0], "4321", HOME_ADDRESS).status_code == 302


def test_a_shared_prison_network_has_the_higher_limit(people_with_pins, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 3
    settings.SIGN_IN_SHARED_ADDRESS_FAILURE_LIMIT = 6
    settings.SIGN_IN_SHARED_NETWORKS = ["10.20.0.0/16"]
    client = Client()
    for attempt in range(6):
        response = _pin(client, people_with_pins[attempt % 4], "0000", PRISON_ADDRESS)
        assert "not right" in response.content.decode(), attempt
    assert (
        "too many wrong tries from this place"
        in _pin(client, people_with_pins[0], "4321", PRISON_ADDRESS).content.decode()
    )
    for attempt in range(3):
        _pin(client, people_with_pins[attempt], "0000", HOME_ADDRESS)
    assert (
        "too many wrong tries from this place"
        in _pin(client, people_with_pins[3], "4321", HOME_ADDRESS).content.decode()
    )


def test_wrong_staff_passwords_over_many_accounts_stop_the_address(org, make_staff, settings, clock):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 6
    staff = [make_staff(Role.PRACTITIONER, org["office_n"]) for _ in range(3)]
    client = Client()
    for attempt in range(6):  # two wrong passwords each: no account reaches its own limit
        response = client.post(
            "/sign-in/", {"email": staff[attempt % 3].username, "password": "wrong password"}, REMOTE_ADDR=HOME_ADDRESS
        )
        assert "not right" in response.content.decode()
    refused = client.post(
        "/sign-in/", {"email": staff[0].username, "password": TEST_PASSWORD}, REMOTE_ADDR=HOME_ADDRESS
    )
    assert refused.status_code == 400
    assert "too many wrong tries from this place" in refused.content.decode()
    clock.move(minutes=settings.SIGN_IN_ADDRESS_WINDOW_MINUTES)
    signed_in = client.post(
        "/sign-in/", {"email": staff[0].username, "password": TEST_PASSWORD}, REMOTE_ADDR=HOME_ADDRESS
    )
    assert signed_in.status_code == 302


def test_wrong_sign_in_codes_count_against_the_address_too(org, settings):
    from onward.people.tests.factories import CommunityPersonFactory

    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 3
    CommunityPersonFactory(unit=org["office_n"], phone="07700900123")
    client = Client()
    client.post("/me/sign-in/code/", {"contact": "07700900123"}, REMOTE_ADDR=HOME_ADDRESS)
    for _ in range(3):
        wrong = client.post("/me/sign-in/code/enter/", {"code": "000000"}, REMOTE_ADDR=HOME_ADDRESS)
        assert "not right or has run out" in wrong.content.decode()
    stopped = client.post("/me/sign-in/code/enter/", {"code": "000000"}, REMOTE_ADDR=HOME_ADDRESS)
    assert "too many wrong tries from this place" in stopped.content.decode()
