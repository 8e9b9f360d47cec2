"""Who may open the early release pages and API, as each role and as people; and a person sees only their own dates.

As in test_authorisation_matrix: pages answer 403 for anyone not allowed; the API answers 403 to a role
that never has the permission and 404 to one that has it for other people, so ids cannot be probed.
"""

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from onward.accounts.services import device_token_create, person_account_ensure
from onward.api.tests.helpers import bearer
from onward.opportunities.selectors import person_opportunities
from onward.opportunities.tests.factories import SentenceFactory
from onward.organisations.models import Role
from onward.people.models import AssignmentRole
from onward.people.tests.factories import CommunityPersonFactory, PersonFactory, StaffAssignmentFactory

STAFF_ROLES = [
    Role.KEY_WORKER,
    Role.POM,
    Role.PRACTITIONER,
    Role.SENIOR,
    Role.SECURITY,
    Role.CONTENT_EDITOR,
    Role.ADMINISTRATOR,
]
ROLE_UNIT = {
    Role.KEY_WORKER: "ngt",
    Role.POM: "ngt",
    Role.SECURITY: "ngt",
    Role.PRACTITIONER: "office_n",
    Role.SENIOR: "pdu_n",
    Role.CONTENT_EDITOR: "north",
    Role.ADMINISTRATOR: "north",
}
SUBJECTS = ["in_my_prison", "other_prison", "my_case", "same_pdu_other_team", "guessed_id"]
VIEW_ROLES = {Role.KEY_WORKER, Role.POM, Role.PRACTITIONER, Role.SENIOR}
DECIDE_ROLES = {Role.POM, Role.PRACTITIONER, Role.SENIOR}
MAY_VIEW = {
    Role.KEY_WORKER: {"in_my_prison"},
    Role.POM: {"in_my_prison"},
    Role.PRACTITIONER: {"my_case"},
    Role.SENIOR: {"my_case", "same_pdu_other_team"},
}
MAY_DECIDE = {role: subjects for role, subjects in MAY_VIEW.items() if role in DECIDE_ROLES}
SNOOZE = {"scheme": "hdc", "outcome": "snoozed", "snoozed_until": "2099-01-01"}

# (method, path, who may, the roles that hold the permission at all, the answer when allowed)
PERSON_ENDPOINTS = [
    ("GET", "/staff/people/{id}/early-release/", MAY_VIEW, VIEW_ROLES, 200),
    ("GET", "/staff/people/{id}/early-release/sentence/", MAY_DECIDE, DECIDE_ROLES, 200),
    ("POST", "/staff/people/{id}/early-release/decide/", MAY_DECIDE, DECIDE_ROLES, 400),  # empty form: refused
    ("GET", "/api/v1/people/{id}/early-release", MAY_VIEW, VIEW_ROLES, 200),
    ("POST", "/api/v1/people/{id}/early-release/decisions", MAY_DECIDE, DECIDE_ROLES, 200),
]
GENERAL = [("/staff/early-release/", VIEW_ROLES), ("/api/v1/early-release", VIEW_ROLES)]


@pytest.fixture
def world(org, make_staff) -> dict[str, Any]:
    staff = {role: make_staff(role, org[ROLE_UNIT[role]]) for role in STAFF_ROLES}
    other_practitioner = make_staff(Role.PRACTITIONER, org["office_n2"])
    subjects = {
        "in_my_prison": PersonFactory(unit=org["wing_b"]),
        "other_prison": PersonFactory(unit=org["stn_wing"]),
        "my_case": CommunityPersonFactory(unit=org["office_n"]),
        "same_pdu_other_team": CommunityPersonFactory(unit=org["office_n2"]),
    }
    StaffAssignmentFactory(person=subjects["my_case"], staff=staff[Role.PRACTITIONER], role=AssignmentRole.PRACTITIONER)
    StaffAssignmentFactory(
        person=subjects["same_pdu_other_team"], staff=other_practitioner, role=AssignmentRole.PRACTITIONER
    )
    ids = {name: person.pk for name, person in subjects.items()}
    ids["guessed_id"] = max(ids.values()) + 1000
    return {"staff": staff, "subjects": subjects, "ids": ids}


def _expected(role: str, path: str, may: dict[str, set[str]], holders: set[str], subject: str, allowed: int) -> int:
    if subject in may.get(role, set()):
        return allowed
    if path.startswith("/api/") and role in holders:
        return 404
    return 403


CASES = [
    (role, method, path, subject, _expected(role, path, may, holders, subject, allowed))
    for role in STAFF_ROLES
    for method, path, may, holders, allowed in PERSON_ENDPOINTS
    for subject in SUBJECTS
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "method", "path", "subject", "expected"), CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}-{c[3]}" for c in CASES]
)
def test_staff_matrix(world, staff_client, role, method, path, subject, expected):
    client = staff_client(world["staff"][role])
    url = path.format(id=world["ids"][subject])
    if method == "POST" and url.startswith("/api/"):
        response = client.post(url, json.dumps(SNOOZE), content_type="application/json")
    elif method == "POST":
        response = client.post(url, {})
    else:
        response = client.get(url)
    assert response.status_code == expected, f"{role} {method} {url}: {response.content[:300]}"
    if subject in world["subjects"]:
        shown = _mentions(response.content.decode(), world["subjects"][subject].last_name)
        if expected in (403, 404):
            assert not shown
        elif not (method == "POST" and url.startswith("/api/")):
            assert shown


def _mentions(body: str, text: str) -> bool:
    """As a whole word (HTML-escaped too), so a surname such as "Cook" is not found in "Cookies"."""
    forms = {text, escape(text)}
    return any(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", body) for form in forms)


GENERAL_CASES = [(role, path, 200 if role in roles else 403) for role in STAFF_ROLES for path, roles in GENERAL]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "path", "expected"), GENERAL_CASES, ids=[f"{c[0]}-{c[1]}" for c in GENERAL_CASES])
def test_staff_list_pages(world, staff_client, role, path, expected):
    response = staff_client(world["staff"][role]).get(path)
    assert response.status_code == expected


@pytest.mark.django_db
def test_the_prison_list_shows_only_the_callers_prison(world, staff_client):
    response = staff_client(world["staff"][Role.POM]).get("/api/v1/early-release")
    ids = {row["person_id"] for row in response.json()}
    assert ids == {world["ids"]["in_my_prison"]}


PERSON_PATHS = [
    ("/me/early-release/", 200),
    ("/staff/early-release/", 403),
    *[
        (path.format(id="{" + s + "}"), 403)  # the API takes a person's session too, and refuses
        for method, path, *_rest in PERSON_ENDPOINTS
        if method == "GET"
        for s in SUBJECTS[:4]
    ],
]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "expected"), PERSON_PATHS, ids=[p for p, _ in PERSON_PATHS])
def test_people_open_only_their_own_page(world, person_client, path, expected):
    client = person_client(world["subjects"]["in_my_prison"])
    assert client.get(path.format(**world["ids"])).status_code == expected


@pytest.mark.django_db
def test_a_person_sees_their_own_dates_and_no_one_elses(org, person_client):
    today = timezone.localdate()
    mine = PersonFactory(unit=org["wing_a"])
    theirs = PersonFactory(unit=org["wing_a"])
    SentenceFactory(person=mine, sentenced_on=today - dt.timedelta(days=100), term_months=30)
    SentenceFactory(person=theirs, sentenced_on=today - dt.timedelta(days=200), term_months=20)
    page = person_client(mine).get("/me/early-release/")
    assert page.status_code == 200
    body = page.content.decode()
    my_date = person_opportunities(mine, today).hdc.eligible_on
    their_date = person_opportunities(theirs, today).hdc.eligible_on
    assert my_date != their_date
    assert my_date.strftime("%-d %B %Y") in body
    assert their_date.strftime("%-d %B %Y") not in body
    assert theirs.last_name not in body
    token = device_token_create(actor=person_account_ensure(mine), name="Test tablet").token
    answer = Client().get("/api/v1/me/early-release", headers=bearer(token))
    assert answer.status_code == 200
    assert answer.json()["hdc_eligible_on"] == my_date.isoformat()
    refused = Client().get(f"/api/v1/people/{theirs.pk}/early-release", headers=bearer(token))
    assert refused.status_code == 403
