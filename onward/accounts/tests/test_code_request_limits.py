"""Sign-in code requests: limited per contact, per address and in all, with a cool-down; the answer is the
same, by the same work, whether or not the number is known. The clock is moved, never waited for."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from onward.accounts.tasks import send_sign_in_code
from onward.accounts.tests.factories import sign_in_codes_send_queued
from onward.notifications.models import OutboxMessage
from onward.people.tests.factories import CommunityPersonFactory

pytestmark = pytest.mark.django_db

KNOWN = "07700900123"  # a synthetic number from the range set aside for drama
UNKNOWN = "07700900999"


@pytest.fixture
def known_person(org):
    return CommunityPersonFactory(unit=org["office_n"], phone=KNOWN)


def _ask(contact, address="192.0.2.10", client=None):
    return (client or Client()).post("/me/sign-in/code/", {"contact": contact}, REMOTE_ADDR=address)


def _queued() -> int:
    return DBTaskResult.objects.filter(task_path=send_sign_in_code.module_path).count()


def _statement(sql: str) -> str:
    """A statement without its values or savepoint names."""
    return re.sub(r"'[^']*'|\d+", "?", sql)


def test_a_known_and_an_unknown_number_get_the_same_answer_by_the_same_work(known_person):
    _ask("07700900555", address="192.0.2.9")  # the first ask of all starts the overall count: not compared
    answers, queries = [], []
    for contact in (KNOWN, UNKNOWN):
        with CaptureQueriesContext(connection) as captured:
            response = _ask(contact, address=f"192.0.2.{11 if contact == KNOWN else 12}")
        answers.append((response.status_code, response["Location"], response.content))
        queries.append([_statement(q["sql"]) for q in captured.captured_queries])
    assert answers[0] == answers[1]
    assert answers[0][:2] == (302, "/me/sign-in/code/enter/")
    assert queries[0] == queries[1]  # the same statements: nothing in the answer depends on the number
    assert _queued() == 3
    # The worker sends only to the number that is someone's.
    assert sign_in_codes_send_queued() == 3
    assert list(OutboxMessage.objects.values_list("recipient", flat=True)) == [KNOWN]


@pytest.mark.parametrize("contact", [KNOWN, UNKNOWN])
def test_the_sixth_code_in_an_hour_to_one_number_is_refused(known_person, clock, settings, contact):
    settings.SIGN_IN_CODE_PER_CONTACT_PER_HOUR = 5
    settings.SIGN_IN_CODE_COOL_DOWN_SECONDS = 60
    clock.now = clock.now.replace(minute=0, second=0)  # the start of an hour, so the six fall in one
    for send in range(5):
        assert _ask(contact, address=f"192.0.2.{20 + send}").status_code == 302
        clock.move(seconds=61)
    refused = _ask(contact, address="192.0.2.30")
    assert refused.status_code == 429
    assert "Too many codes have been asked for" in refused.content.decode()
    assert _queued() == 5
    clock.move(hours=1)
    assert _ask(contact, address="192.0.2.31").status_code == 302


def test_a_second_ask_within_the_cool_down_waits_whether_or_not_the_number_is_known(known_person, clock, settings):
    settings.SIGN_IN_CODE_COOL_DOWN_SECONDS = 60
    answers = []
    for contact in (KNOWN, UNKNOWN):
        assert _ask(contact).status_code == 302
        clock.move(seconds=20)
        refused = _ask(contact)
        page = refused.content.decode().replace(contact, "NUMBER")
        answers.append((refused.status_code, re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)))
        clock.move(seconds=-20)
    assert answers[0] == answers[1]
    assert answers[0][0] == 429
    assert "Wait 40 seconds" in answers[0][1]
    assert _queued() == 2
    clock.move(seconds=61)
    assert _ask(KNOWN).status_code == 302


def test_one_address_asking_for_many_numbers_is_stopped(db, settings):
    settings.SIGN_IN_CODE_PER_ADDRESS_PER_HOUR = 3
    for number in range(3):
        assert _ask(f"0770090020{number}", address="192.0.2.40").status_code == 302
    assert _ask("07700900209", address="192.0.2.40").status_code == 429
    assert _ask("07700900209", address="192.0.2.41").status_code == 302  # another address is not held up
    assert _queued() == 4


def test_a_shared_prison_network_has_the_higher_limit_for_codes(db, settings):
    settings.SIGN_IN_CODE_PER_ADDRESS_PER_HOUR = 2
    settings.SIGN_IN_CODE_SHARED_ADDRESS_PER_HOUR = 4
    settings.SIGN_IN_SHARED_NETWORKS = ["10.20.0.0/16"]
    for number in range(4):
        assert _ask(f"0770090030{number}", address="10.20.3.4").status_code == 302
    assert _ask("07700900309", address="10.20.3.4").status_code == 429


def test_codes_in_all_are_limited(db, settings):
    settings.SIGN_IN_CODE_TOTAL_PER_HOUR = 4
    for number in range(4):
        assert _ask(f"0770090040{number}", address=f"192.0.2.{50 + number}").status_code == 302
    assert _ask("07700900409", address="192.0.2.60").status_code == 429
    assert _queued() == 4
