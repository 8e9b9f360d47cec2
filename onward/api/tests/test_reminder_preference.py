"""PUT /api/v1/me/reminder-preference: a device app chooses how and when the person is reminded."""

import json

import pytest
from django.test import Client

from onward.accounts.services import person_account_ensure
from onward.people.tests.factories import CommunityPersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(org):
    person = CommunityPersonFactory(unit=org["office_n"], phone="07700900123", email="ceri@example.org")
    person_account_ensure(person)
    return person


def test_the_api_reads_and_saves_the_preference(person, token_for):
    headers = {"Authorization": f"Bearer {token_for(person)}"}
    client = Client()
    before = client.get("/api/v1/me/reminder-preference", headers=headers).json()
    assert before == {
        "channel": "sms",
        "offsets_minutes": [2880, 120],
        "quiet_start": "21:00:00",
        "quiet_end": "08:00:00",
    }

    wanted = {"channel": "email", "offsets_minutes": [1440], "quiet_start": "22:00", "quiet_end": "07:00"}
    saved = client.put(
        "/api/v1/me/reminder-preference", json.dumps(wanted), content_type="application/json", headers=headers
    )
    assert saved.status_code == 200
    assert saved.json()["offsets_minutes"] == [1440]

    wrong = client.put(
        "/api/v1/me/reminder-preference",
        json.dumps({**wanted, "channel": "push"}),
        content_type="application/json",
        headers=headers,
    )
    assert wrong.status_code == 400
    assert "notifications" in wrong.json()["detail"]


def test_a_time_with_an_offset_is_read_as_a_london_wall_clock_time(person, token_for):
    headers = {"Authorization": f"Bearer {token_for(person)}"}
    wanted = {"channel": "email", "offsets_minutes": [60], "quiet_start": "22:30+01:00", "quiet_end": "06:00Z"}
    saved = Client().put(
        "/api/v1/me/reminder-preference", json.dumps(wanted), content_type="application/json", headers=headers
    )
    assert saved.status_code == 200
    assert (saved.json()["quiet_start"], saved.json()["quiet_end"]) == ("22:30:00", "06:00:00")
