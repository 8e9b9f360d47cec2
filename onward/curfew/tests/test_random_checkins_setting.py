"""Staff set the count of random curfew check-ins a night on the person's curfew page and through the API."""

import json
from datetime import time
from typing import Any

import pytest

from onward.audit.models import AuditEvent
from onward.core.audit_actions import AuditAction
from onward.curfew.models import RandomCheckins
from onward.curfew.prompts import random_checkins_fit, random_checkins_set
from onward.curfew.services import CurfewSpec, curfew_terms_set
from onward.curfew.tests.conftest import HOME, every_night

pytestmark = pytest.mark.django_db


def _page(person: Any) -> str:
    return f"/staff/people/{person.pk}/curfew/"


def _api(person: Any) -> str:
    return f"/api/v1/people/{person.pk}/curfew/random-check-ins"


def test_the_count_is_set_on_the_curfew_page_and_audited(case: dict[str, Any], terms: Any, staff_client: Any) -> None:
    client = staff_client(case["practitioner"])
    page = client.get(_page(case["person"])).content.decode()
    assert "Random check-ins during curfew" in page
    assert "Now: none." in page
    response = client.post(f"{_page(case['person'])}random-check-ins/", {"per_night": "3"})
    assert response.status_code == 302
    assert RandomCheckins.objects.get(person=case["person"]).per_night == 3
    event = AuditEvent.objects.get(action=AuditAction.CURFEW_RANDOM_CHECKINS_SET)
    assert event.person_id == case["person"].pk
    assert event.data["per_night"] == {"before": 0, "after": 3}
    assert "Now: 3 a night." in client.get(_page(case["person"])).content.decode()


def test_a_count_the_nights_cannot_hold_is_refused_in_plain_words(
    case: dict[str, Any], staff_client: Any, settings: Any
) -> None:
    settings.CURFEW_CHECKINS_PER_NIGHT_MAX = 12
    curfew_terms_set(
        actor=case["practitioner"],
        person=case["person"],
        curfew=CurfewSpec(
            address="1 Synthetic Street", latitude=HOME[0], longitude=HOME[1], windows=every_night(time(21), time(7))
        ),
        zones=[],
    )
    # 10 hours by the wall clock, 9 on the night the clocks go forward, less the 15-minute answer window:
    # room for 9 prompts an hour apart.
    assert random_checkins_fit(case["person"]) == 9
    client = staff_client(case["practitioner"])
    response = client.post(f"{_page(case['person'])}random-check-ins/", {"per_night": "10"}, follow=True)
    assert "room for 9 at most" in response.content.decode()
    assert not RandomCheckins.objects.exists()
    random_checkins_set(actor=case["practitioner"], person=case["person"], per_night=9)
    assert RandomCheckins.objects.get().per_night == 9


def test_without_curfew_hours_only_zero_can_be_set(case: dict[str, Any], staff_client: Any) -> None:
    client = staff_client(case["practitioner"])
    response = client.post(f"{_page(case['person'])}random-check-ins/", {"per_night": "1"}, follow=True)
    assert "Set the curfew hours first" in response.content.decode()
    assert not RandomCheckins.objects.exists()


def test_the_api_reads_and_sets_the_count(case: dict[str, Any], terms: Any, staff_client: Any) -> None:
    client = staff_client(case["practitioner"])
    before = client.get(_api(case["person"])).json()
    assert before["per_night"] == 0
    assert before["max_per_night"] == 4  # the setting's limit: a 12-hour night holds more
    assert before["min_gap_minutes"] == 60
    response = client.put(_api(case["person"]), json.dumps({"per_night": 2}), content_type="application/json")
    assert response.status_code == 200
    assert response.json()["per_night"] == 2
    assert RandomCheckins.objects.get().per_night == 2
    assert AuditEvent.objects.filter(action=AuditAction.CURFEW_RANDOM_CHECKINS_SET).count() == 1
    too_many = client.put(_api(case["person"]), json.dumps({"per_night": 5}), content_type="application/json")
    assert too_many.status_code == 422
    assert RandomCheckins.objects.get().per_night == 2


def test_staff_outside_the_case_get_the_same_answer_as_for_no_one(
    case: dict[str, Any], terms: Any, staff_client: Any
) -> None:
    client = staff_client(case["stranger"])
    assert client.get(_api(case["person"])).status_code == 404
    put = client.put(_api(case["person"]), json.dumps({"per_night": 2}), content_type="application/json")
    assert put.status_code == 404
    assert client.post(f"{_page(case['person'])}random-check-ins/", {"per_night": "2"}).status_code == 403
    assert not RandomCheckins.objects.exists()
