"""Signs in as each role and as people, and checks what each may and may not open.

Each case is (who, what, whose record) -> the answer expected. People outside a staff member's
scope and ids that do not exist get the same answer (403), so ids cannot be probed.
"""

import io
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape
from markupsafe import escape as markup_escape

from onward.accounts.services import person_account_ensure
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
SUBJECTS = ["in_my_prison", "other_prison", "my_case", "same_pdu_other_team", "other_pdu", "guessed_id"]

# Which subjects each role may open, per person page. Everything not listed must be refused.
MAY_VIEW = {
    Role.KEY_WORKER: {"in_my_prison"},
    Role.POM: {"in_my_prison"},
    Role.SECURITY: {"in_my_prison"},
    Role.PRACTITIONER: {"my_case"},
    Role.SENIOR: {"my_case", "same_pdu_other_team"},
}
MAY_RESET_PIN = {Role.KEY_WORKER: {"in_my_prison"}, Role.POM: {"in_my_prison"}}
MAY_RELEASE = {Role.POM: {"in_my_prison"}}
MAY_ISSUE_CODE = {
    Role.KEY_WORKER: {"in_my_prison"},
    Role.POM: {"in_my_prison"},
    Role.PRACTITIONER: {"my_case"},
    Role.SENIOR: {"my_case", "same_pdu_other_team"},
}
MAY_ISSUE_LICENCE = {
    Role.POM: {"in_my_prison"},
    Role.PRACTITIONER: {"my_case"},
    Role.SENIOR: {"my_case", "same_pdu_other_team"},
}
# Who keeps a person's details: POMs, practitioners, seniors and administrators, in their area or caseload.
MAY_EDIT = {
    Role.POM: {"in_my_prison"},
    Role.PRACTITIONER: {"my_case"},
    Role.SENIOR: {"my_case", "same_pdu_other_team"},
    Role.ADMINISTRATOR: {"in_my_prison", "my_case", "same_pdu_other_team"},
}
EDIT_ROLES = set(MAY_EDIT)
CASEWORK = {Role.KEY_WORKER, Role.POM, Role.PRACTITIONER, Role.SENIOR, Role.SECURITY}
PERSON_PAGES = [
    ("GET", "/staff/people/{id}/licence/new/", MAY_ISSUE_LICENCE),
    ("GET", "/staff/people/{id}/", MAY_VIEW),
    ("GET", "/staff/people/{id}/pin/", MAY_RESET_PIN),
    ("GET", "/staff/people/{id}/release/", MAY_RELEASE),
    ("GET", "/staff/people/{id}/edit/", MAY_EDIT),
    ("GET", "/staff/people/{id}/contact/", MAY_EDIT),
    ("POST", "/staff/people/{id}/activation-code/", MAY_ISSUE_CODE),
    ("GET", "/api/v1/people/{id}", MAY_VIEW),
    # Curfew and zones: set by those who issue licences; the day on the map for those who supervise.
    ("GET", "/staff/people/{id}/curfew/", MAY_ISSUE_LICENCE),
    (
        "GET",
        "/staff/people/{id}/location/2026-06-10/",
        {Role.PRACTITIONER: {"my_case"}, Role.SENIOR: {"my_case", "same_pdu_other_team"}},
    ),
    (
        "GET",
        "/staff/people/{id}/check-ins/",
        {Role.PRACTITIONER: {"my_case"}, Role.SENIOR: {"my_case", "same_pdu_other_team"}},
    ),
    # Suitability for remote check-ins: screened by those who supervise (approval: see the test below).
    (
        "GET",
        "/staff/people/{id}/check-ins/suitability/",
        {Role.PRACTITIONER: {"my_case"}, Role.SENIOR: {"my_case", "same_pdu_other_team"}},
    ),
]
MAY_SCREEN = {Role.PRACTITIONER: {"my_case"}, Role.SENIOR: {"my_case", "same_pdu_other_team"}}


def _denied(role: str, template: str) -> int:
    """Pages say 403; the API says 404 for a record outside a caseworker's scope, so ids cannot be probed."""
    return 404 if template.startswith("/api/") and role in CASEWORK else 403


# Pages with no person in them: which roles may open them; "denied" is what others get.
GENERAL_PAGES = [
    ("/staff/", {Role.KEY_WORKER, Role.POM, Role.PRACTITIONER, Role.SENIOR, Role.SECURITY}, 403),
    ("/staff/audit/", {Role.SECURITY, Role.ADMINISTRATOR}, 403),
    ("/staff/notifications/sms-log/", {Role.ADMINISTRATOR}, 403),
    ("/admin/", {Role.ADMINISTRATOR}, 302),
    ("/me/", set(), 403),
    ("/api/v1/caseload", CASEWORK, 403),
    ("/staff/?needs_attention=on&sort=attention", CASEWORK, 403),
    ("/api/v1/caseload?needs_attention=true", CASEWORK, 403),
    ("/api/v1/me", set(), 403),
    ("/staff/check-ins/", {Role.PRACTITIONER, Role.SENIOR}, 403),
    ("/staff/check-ins/statistics/", {Role.SENIOR}, 403),
    ("/staff/reports/", {Role.SENIOR, Role.ADMINISTRATOR}, 403),
    ("/staff/reports/sign_ins.csv", {Role.SENIOR, Role.ADMINISTRATOR}, 403),
    ("/me/check-in/", set(), 403),
    ("/me/curfew/", set(), 403),
    ("/api/v1/me/check-ins/current", set(), 403),
    ("/staff/licence/not-confirmed/", CASEWORK, 403),
    ("/staff/subject-access/", {Role.ADMINISTRATOR}, 403),
    ("/staff/people/new/", EDIT_ROLES, 403),
    ("/staff/people/import/", {Role.SENIOR, Role.ADMINISTRATOR}, 403),
    ("/me/licence/", set(), 403),
    ("/me/notifications/", set(), 403),
    ("/me/inbox/", set(), 403),
    ("/api/v1/push-subscriptions", set(), 403),
    ("/staff/library/", {Role.CONTENT_EDITOR}, 403),
    ("/staff/library/new/", {Role.CONTENT_EDITOR}, 403),
    ("/me/library/", set(), 403),
    ("/me/library/search/?q=bank", set(), 403),
]


@pytest.fixture
def world(org, make_staff) -> dict[str, Any]:
    staff = {role: make_staff(role, org[ROLE_UNIT[role]]) for role in STAFF_ROLES}
    other_practitioner = make_staff(Role.PRACTITIONER, org["office_n2"])
    # Surnames of their own: tests look for one subject's name on a page and not another's, and two
    # random surnames can be the same.
    subjects = {
        "in_my_prison": PersonFactory(unit=org["wing_b"], last_name="Ashdown"),
        "other_prison": PersonFactory(unit=org["stn_wing"], last_name="Brierley"),
        "my_case": CommunityPersonFactory(unit=org["office_n"], last_name="Cotterill"),
        "same_pdu_other_team": CommunityPersonFactory(unit=org["office_n2"], last_name="Dunmore"),
        "other_pdu": CommunityPersonFactory(unit=org["office_s"], last_name="Elsworth"),
    }
    StaffAssignmentFactory(person=subjects["my_case"], staff=staff[Role.PRACTITIONER], role=AssignmentRole.PRACTITIONER)
    StaffAssignmentFactory(
        person=subjects["same_pdu_other_team"], staff=other_practitioner, role=AssignmentRole.PRACTITIONER
    )
    ids = {name: person.pk for name, person in subjects.items()}
    ids["guessed_id"] = max(ids.values()) + 1000
    return {"staff": staff, "subjects": subjects, "ids": ids}


def _cases() -> list[tuple[str, str, str, str, int]]:
    cases = []
    for role in STAFF_ROLES:
        for method, template, allowed in PERSON_PAGES:
            for subject in SUBJECTS:
                expected = 200 if subject in allowed.get(role, set()) else _denied(role, template)
                cases.append((role, method, template, subject, expected))
        for path, roles, denied in GENERAL_PAGES:
            cases.append((role, "GET", path, "", 200 if role in roles else denied))
    return cases


CASES = _cases()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "method", "template", "subject", "expected"),
    CASES,
    ids=[f"{c[0]}-{c[1]}-{c[2]}-{c[3] or 'page'}" for c in CASES],
)
def test_staff_matrix(world, staff_client, role, method, template, subject, expected):
    client = staff_client(world["staff"][role])
    path = template.format(id=world["ids"][subject]) if subject else template
    response = client.post(path) if method == "POST" else client.get(path)
    assert response.status_code == expected, f"{role} {method} {path}"
    if expected == 200 and subject:
        person = world["subjects"][subject]
        assert _mentions(response.content.decode(), person.last_name)
    if expected != 200 and subject:
        assert world["subjects"].get(subject, None) is None or (
            not _mentions(response.content.decode(), world["subjects"][subject].last_name)
        )


PATCH_CASES = [(role, subject) for role in STAFF_ROLES for subject in SUBJECTS]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "subject"), PATCH_CASES, ids=[f"{r}-PATCH-{s}" for r, s in PATCH_CASES])
def test_staff_change_a_person_through_the_api_only_in_their_area(world, staff_client, role, subject):
    """200 in scope; 404 for an editing role outside it (ids cannot be probed); 403 for roles that never edit."""
    client = staff_client(world["staff"][role])
    response = client.patch(
        f"/api/v1/people/{world['ids'][subject]}", '{"risk_level": "very_high"}', content_type="application/json"
    )
    expected = 200 if subject in MAY_EDIT.get(role, set()) else 404 if role in EDIT_ROLES else 403
    assert response.status_code == expected
    if subject in world["subjects"]:
        world["subjects"][subject].refresh_from_db()
        assert (world["subjects"][subject].risk_level == "very_high") == (expected == 200)


@pytest.mark.django_db
@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_add_a_person_through_the_api_only_in_their_area(org, world, staff_client, role):
    """Each role adds someone to a probation office in the north: only those whose role covers it may."""
    body = (
        '{"first_name": "Synthetic", "last_name": "Matrix", "date_of_birth": "1990-01-01", "crn": "X900001",'
        ' "status": "licence", "unit_code": "OFF-N"}'
    )
    response = staff_client(world["staff"][role]).post("/api/v1/people", body, content_type="application/json")
    may = role in (Role.PRACTITIONER, Role.SENIOR, Role.ADMINISTRATOR)
    assert response.status_code == (201 if may else 403)


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "subject"), PATCH_CASES, ids=[f"{r}-suitability-{s}" for r, s in PATCH_CASES])
def test_staff_screen_and_approve_check_in_suitability_only_in_their_area(world, staff_client, role, subject):
    """Screens through the API: 200 or 201 in scope; 404 for a supervising role outside it; 403 for roles
    that never supervise check-ins. Approving: a senior in scope only (404 outside it); anyone else 403."""
    from onward.checkins.models import SuitabilityScreen

    client = staff_client(world["staff"][role])
    path = f"/api/v1/people/{world['ids'][subject]}/check-in-suitability"
    in_scope = subject in MAY_SCREEN.get(role, set())
    refused = 404 if role in MAY_SCREEN else 403
    assert client.get(path).status_code == (200 if in_scope else refused)
    body = (
        '{"very_high_rosh": false, "mappa_level": "none", "domestic_abuse": false, "sexual_offending": false,'
        ' "youth_case": false, "child_protection": false, "rationale": "Matrix test"}'
    )
    assert client.post(path, body, content_type="application/json").status_code == (201 if in_scope else refused)
    person = world["subjects"].get(subject)
    if person is None:
        return
    screen = SuitabilityScreen.objects.create(
        person=person,
        very_high_rosh=False,
        mappa_level="none",
        domestic_abuse=False,
        sexual_offending=False,
        youth_case=False,
        child_protection=False,
        rationale="Made by someone else",
        outcome="suitable",
        rules_version="test",
    )
    response = client.post(f"{path}/{screen.pk}/approve", '{"rationale": "Agreed"}', content_type="application/json")
    may_approve = role == Role.SENIOR and in_scope
    assert response.status_code == (200 if may_approve else 404 if role == Role.SENIOR else 403)
    screen.refresh_from_db()
    assert screen.approved == may_approve


MAY_SUPERVISE = {Role.PRACTITIONER: {"my_case"}, Role.SENIOR: {"my_case", "same_pdu_other_team"}}
RANDOM_CHECKIN_CASES = [(role, subject) for role in STAFF_ROLES for subject in SUBJECTS]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "subject"), RANDOM_CHECKIN_CASES, ids=[f"{r}-random-{s}" for r, s in RANDOM_CHECKIN_CASES]
)
def test_staff_set_random_curfew_check_ins_only_for_people_they_supervise(world, staff_client, role, subject):
    """Those who supervise, on their case or team: the page saves (0 needs no curfew); the API reads and sets.

    Roles that never vary a curfew are refused before any record is read (403); a supervisor outside their
    scope, or a guessed id, gets the API's 404 and the page's 403, the same for everyone.
    """
    from onward.curfew.models import RandomCheckins

    client = staff_client(world["staff"][role])
    allowed = subject in MAY_SUPERVISE.get(role, set())
    person_id = world["ids"][subject]
    api = f"/api/v1/people/{person_id}/curfew/random-check-ins"
    refused_api = 404 if role in MAY_SUPERVISE else 403
    read = client.get(api)
    assert read.status_code == (200 if allowed else refused_api)
    if allowed:
        assert read.json()["person_id"] == person_id
    put = client.put(api, '{"per_night": 0}', content_type="application/json")
    assert put.status_code == (200 if allowed else refused_api)
    page = client.post(f"/staff/people/{person_id}/curfew/random-check-ins/", {"per_night": "0"})
    assert page.status_code == (302 if allowed else 403)
    assert RandomCheckins.objects.filter(person_id=person_id).exists() == allowed


def _mentions(body: str, text: str) -> bool:
    """Whether a page (escaped HTML) or an API answer (JSON) shows this text, as a whole word.

    Whole words, so a generated surname such as "Cook" is not found in the footer's "Cookies".
    """
    forms = {text, escape(text), str(markup_escape(text))}
    return any(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", body) for form in forms)


PERSON_CASES = [
    ("/me/", 200),
    ("/me/licence/", 200),
    ("/me/appointments/reminders/", 200),
    ("/me/curfew/", 200),
    ("/staff/licence/not-confirmed/", 403),
    ("/staff/subject-access/", 403),
    ("/staff/people/import/", 403),
    ("/staff/", 403),
    ("/staff/library/", 403),
    ("/staff/audit/", 403),
    ("/staff/notifications/sms-log/", 403),
    ("/admin/", 302),
    # The API takes a person's device token, not their browser session (except to add a device).
    ("/api/v1/caseload", 401),
    ("/staff/?needs_attention=on", 403),  # a person never sees the caseload, nor who needs attention
    ("/api/v1/caseload?needs_attention=true", 401),
    ("/api/v1/me/check-ins/current", 404),  # the check-in page's own calls take the session; none is open
    *[
        (template.format(id="{" + s + "}"), 401 if template.startswith("/api/") else 403)
        for method, template, _ in PERSON_PAGES
        if method == "GET"
        for s in SUBJECTS
    ],
]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "expected"), PERSON_CASES, ids=[c[0] for c in PERSON_CASES])
@pytest.mark.parametrize("who", ["in_my_prison", "my_case"])
def test_people_see_only_their_own_pages(world, person_client, who, path, expected):
    person = world["subjects"][who]
    client = person_client(person)
    response = client.get(path.format(**world["ids"]))
    assert response.status_code == expected
    if expected == 200:
        body = response.content.decode()
        assert _mentions(body, person.first_name)
        for other_name, other in world["subjects"].items():
            if other_name != who:
                assert other.reference not in body


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "expected"), [("in_my_prison", 403), ("my_case", 200)])
def test_a_phone_calendar_is_only_for_a_person_in_the_community(world, person_client, who, expected):
    """In custody there is no phone to add appointments to (Person.offers)."""
    client = person_client(world["subjects"][who])
    assert client.get("/me/appointments/calendar/").status_code == expected


ANON_PATHS = [
    "/staff/",
    "/staff/people/1/",
    "/staff/audit/",
    "/me/",
    "/staff/notifications/sms-log/",
    "/me/notifications/",
    "/me/inbox/",
    "/staff/alerts/",
    "/me/library/",
    "/staff/library/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ANON_PATHS)
def test_anonymous_visitors_are_sent_to_sign_in(path):
    response = Client().get(path)
    assert response.status_code == 302
    assert "sign-in" in response["Location"]


@pytest.mark.django_db
def test_staff_signed_in_with_password_only_see_nothing(world):
    from onward.accounts.tests.factories import TEST_PASSWORD

    client = Client()
    user = world["staff"][Role.PRACTITIONER]
    client.post("/sign-in/", {"email": user.username, "password": TEST_PASSWORD})
    assert client.get("/staff/").status_code in (302, 403)
    person_id = world["ids"]["my_case"]
    assert client.get(f"/staff/people/{person_id}/").status_code in (302, 403)


@pytest.mark.django_db
def test_caseload_lists_exactly_the_people_in_scope(world, staff_client):
    expectations = {
        Role.KEY_WORKER: {"in_my_prison"},
        Role.PRACTITIONER: {"my_case"},
        Role.SENIOR: {"my_case", "same_pdu_other_team"},
    }
    for role, visible in expectations.items():
        body = staff_client(world["staff"][role]).get("/staff/").content.decode()
        for name, person in world["subjects"].items():
            assert (person.reference in body) == (name in visible), f"{role} / {name}"


@pytest.mark.django_db
def test_a_released_person_keeps_one_account(world):
    person = world["subjects"]["in_my_prison"]
    before = person_account_ensure(person)
    assert person_account_ensure(person).pk == before.pk


def test_matrix_size():
    # Recorded in the closing note; a change here means the matrix changed.
    assert len(CASES) + 2 * len(PERSON_CASES) + len(ANON_PATHS) > 200


# --- People in bulk: who may import, and only for the units their role covers ----------------------

MAY_IMPORT = {Role.SENIOR, Role.ADMINISTRATOR}
IMPORT_HEADER = "prison_number,crn,first_name,last_name,date_of_birth,status,unit_code"
# A new (synthetic) person at the north PDU's office, which both the north senior and administrator cover;
# and a change to the person supervised in the south, whom neither covers.
IMPORT_ROWS = {
    "mine": ",X300001,Test,Matrix-New,1980-01-01,licence,OFF-N",
    "other_pdu": ",{crn},Test,Matrix-Moved,1980-01-01,licence,OFF-N",
}
IMPORT_CASES = [
    (role, rows, (200 if rows == "mine" else 422) if role in MAY_IMPORT else 403)
    for role in STAFF_ROLES
    for rows in IMPORT_ROWS
]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "rows", "expected"), IMPORT_CASES, ids=[f"{c[0]}-{c[1]}" for c in IMPORT_CASES])
def test_import_matrix(world, staff_client, role, rows, expected):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from onward.people.models import Person

    client = staff_client(world["staff"][role])
    other = world["subjects"]["other_pdu"]
    text = IMPORT_HEADER + "\n" + IMPORT_ROWS[rows].format(crn=other.crn) + "\n"
    response = client.post("/api/v1/people/import", {"file": SimpleUploadedFile("people.csv", text.encode())})
    assert response.status_code == expected, f"{role} {rows}"
    page = client.post("/staff/people/import/", {"file": SimpleUploadedFile("people.csv", text.encode())})
    assert page.status_code == {200: 302, 422: 400, 403: 403}[expected], f"{role} {rows} page"
    other.refresh_from_db()
    assert other.last_name != "Matrix-Moved"
    assert Person.objects.filter(last_name="Matrix-New").exists() == (expected == 200)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["in_my_prison", "my_case"])
def test_people_may_not_import(world, person_client, who):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from onward.accounts.services import device_token_create
    from onward.api.tests.helpers import bearer

    person = world["subjects"][who]
    token = device_token_create(actor=person_account_ensure(person), name="Test phone").token

    text = (IMPORT_HEADER + "\n" + IMPORT_ROWS["mine"] + "\n").encode()
    response = Client().post(
        "/api/v1/people/import",
        {"file": SimpleUploadedFile("people.csv", text)},
        headers=bearer(token),
    )
    assert response.status_code == 403
    page = person_client(world["subjects"][who]).post(
        "/staff/people/import/", {"file": SimpleUploadedFile("people.csv", text)}
    )
    assert page.status_code == 403


# --- Messaging: who may open which conversation, queue and form ---------------------------------

MESSAGING_STAFF = {Role.KEY_WORKER, Role.POM, Role.PRACTITIONER, Role.SENIOR}
MESSAGING_GENERAL_PAGES = [
    ("/staff/messages/", MESSAGING_STAFF, 403),
    ("/staff/message-review/", {Role.SECURITY}, 403),
    ("/staff/contacts/", {Role.SECURITY}, 403),
    ("/staff/announcements/new/", MESSAGING_STAFF | {Role.CONTENT_EDITOR}, 403),
    ("/me/messages/", set(), 403),
    ("/me/messages/staff/", set(), 403),
    ("/api/v1/conversations", MESSAGING_STAFF, 403),
]
# Security see contact conversations and the review queue, never a person's conversation with their staff.
MAY_READ_CONVERSATION = {role: subjects for role, subjects in MAY_VIEW.items() if role != Role.SECURITY}
MESSAGING_CASES = [
    (role, path, "", 200 if role in roles else denied)
    for role in STAFF_ROLES
    for path, roles, denied in MESSAGING_GENERAL_PAGES
] + [
    (role, template, subject, 200 if subject in MAY_READ_CONVERSATION.get(role, set()) else denied)
    for role in STAFF_ROLES
    for subject in SUBJECTS
    for template, denied in [
        ("/staff/messages/{conversation}/", 403),
        ("/api/v1/conversations/{conversation}/messages", 404 if role in CASEWORK else 403),
    ]
]


def _conversations(world: dict[str, Any]) -> dict[str, int]:
    from onward.messaging.tests.factories import ConversationFactory, MessageFactory

    ids = {}
    for name, person in world["subjects"].items():
        conversation = ConversationFactory(person=person)
        MessageFactory(conversation=conversation, body=f"Private note for {person.last_name}")
        ids[name] = conversation.pk
    ids["guessed_id"] = max(ids.values()) + 1000
    return ids


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "template", "subject", "expected"),
    MESSAGING_CASES,
    ids=[f"{c[0]}-{c[1]}-{c[2] or 'page'}" for c in MESSAGING_CASES],
)
def test_messaging_matrix(world, staff_client, role, template, subject, expected):
    conversations = _conversations(world)
    client = staff_client(world["staff"][role])
    path = template.format(conversation=conversations[subject]) if subject else template
    response = client.get(path)
    assert response.status_code == expected, f"{role} GET {path}"
    if subject and subject in world["subjects"]:
        private = f"Private note for {world['subjects'][subject].last_name}"
        assert _mentions(response.content.decode(), private) == (expected == 200)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["in_my_prison", "my_case"])
def test_people_read_only_their_own_conversations(world, person_client, who):
    conversations = _conversations(world)
    client = person_client(world["subjects"][who])
    assert client.get("/me/messages/").status_code == 200
    for name, conversation_id in conversations.items():
        response = client.get(f"/me/messages/{conversation_id}/")
        assert response.status_code == (200 if name == who else 403), name
    assert client.get("/me/messages/staff/").status_code in (200, 302)  # their own, started or not
    for path in ("/staff/messages/", "/staff/message-review/", "/staff/contacts/", "/staff/announcements/new/"):
        assert client.get(path).status_code == 403, path
    assert client.get(f"/staff/messages/{conversations[who]}/").status_code == 403


# --- Appointments (issue 5) ---

MAY_BOOK = {
    Role.KEY_WORKER: {"in_my_prison"},
    Role.POM: {"in_my_prison"},
    Role.PRACTITIONER: {"my_case"},
    Role.SENIOR: {"my_case", "same_pdu_other_team"},
}
APPOINTMENT_PAGES = [
    ("/staff/people/{id}/appointments/new/", MAY_BOOK, "person"),
    ("/staff/appointments/{id}/", MAY_VIEW, "appointment"),
    ("/api/v1/people/{id}/appointments", MAY_VIEW, "person"),
]
BOOKING = set(MAY_BOOK)
APPOINTMENT_GENERAL = [
    ("/staff/appointments/", CASEWORK, 403),
    ("/me/appointments/", set(), 403),
    ("/staff/appointments/slots/", BOOKING, 403),
    ("/staff/appointments/slots/new/", BOOKING, 403),
    ("/api/v1/appointment-slots", BOOKING, 403),
    ("/me/appointments/book/", set(), 403),
    ("/me/appointments/calendar/", set(), 403),
]


def _appointment_cases() -> list[tuple[str, str, str, int]]:
    cases = []
    for role in STAFF_ROLES:
        for template, allowed, _kind in APPOINTMENT_PAGES:
            for subject in SUBJECTS:
                expected = 200 if subject in allowed.get(role, set()) else _denied(role, template)
                cases.append((role, template, subject, expected))
        for path, roles, denied in APPOINTMENT_GENERAL:
            cases.append((role, path, "", 200 if role in roles else denied))
    return cases


APPOINTMENT_CASES = _appointment_cases()


@pytest.fixture
def appointment_ids(world) -> dict[str, int]:
    from onward.appointments.tests.factories import AppointmentFactory

    ids = {name: AppointmentFactory(person=person).pk for name, person in world["subjects"].items()}
    ids["guessed_id"] = max(ids.values()) + 1000
    return ids


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "template", "subject", "expected"),
    APPOINTMENT_CASES,
    ids=[f"{c[0]}-{c[1]}-{c[2] or 'page'}" for c in APPOINTMENT_CASES],
)
def test_staff_appointment_matrix(world, appointment_ids, staff_client, role, template, subject, expected):
    client = staff_client(world["staff"][role])
    ids = appointment_ids if "/staff/appointments/" in template else world["ids"]
    path = template.format(id=ids[subject]) if subject else template
    assert client.get(path).status_code == expected, f"{role} {path}"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["in_my_prison", "my_case"])
def test_people_see_only_their_own_appointments(world, appointment_ids, person_client, who):
    client = person_client(world["subjects"][who])
    assert client.get("/me/appointments/").status_code == 200
    assert client.get("/staff/appointments/").status_code == 403
    for subject, appointment_id in appointment_ids.items():
        expected = 200 if subject == who else 403
        assert client.get(f"/me/appointments/{appointment_id}/").status_code == expected, subject


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/staff/appointments/", "/me/appointments/", "/staff/appointments/1/"])
def test_anonymous_visitors_are_sent_to_sign_in_from_appointments(path):
    response = Client().get(path)
    assert response.status_code == 302
    assert "sign-in" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", STAFF_ROLES)
def test_only_the_owner_may_withdraw_a_slot(world, staff_client, person_client, role):
    from onward.appointments.tests.factories import SlotFactory

    slot = SlotFactory(staff=world["staff"][Role.PRACTITIONER])
    client = staff_client(world["staff"][role])
    expected = 200 if role == Role.PRACTITIONER else 403
    assert client.get(f"/staff/appointments/slots/{slot.pk}/withdraw/").status_code == expected
    assert client.get(f"/me/appointments/book/{slot.pk}/").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["in_my_prison", "my_case", "same_pdu_other_team", "other_pdu"])
def test_people_see_only_slots_their_own_worker_opened_for_them(world, person_client, who):
    from onward.appointments.tests.factories import SlotFactory

    practitioner = world["staff"][Role.PRACTITIONER]
    open_to_caseload = SlotFactory(staff=practitioner)
    kept_for_my_case = SlotFactory(
        staff=practitioner, for_person=world["subjects"]["my_case"], starts_at=open_to_caseload.ends_at
    )
    client = person_client(world["subjects"][who])
    listing = client.get("/me/appointments/book/")
    assert listing.status_code == 200
    for slot in (open_to_caseload, kept_for_my_case):
        expected = 200 if who == "my_case" else 403
        assert client.get(f"/me/appointments/book/{slot.pk}/").status_code == expected, slot
        assert (f"/me/appointments/book/{slot.pk}/" in listing.content.decode()) == (who == "my_case")
    assert client.get(f"/staff/appointments/slots/{open_to_caseload.pk}/withdraw/").status_code == 403
    assert client.get("/staff/appointments/slots/").status_code == 403


# --- Word lists (issue 4): security keep their prison's, senior staff their delivery unit's risk words ---

WORD_LIST_KEEPERS = {Role.SECURITY, Role.SENIOR, Role.ADMINISTRATOR}
WORD_LIST_GENERAL = ["/staff/word-lists/", "/staff/word-lists/new/"]
WORD_LIST_SUBJECTS = ["ngt", "stn", "pdu_n", "pdu_s", "guessed_id"]
MAY_KEEP_LIST = {Role.SECURITY: {"ngt"}, Role.SENIOR: {"pdu_n"}, Role.ADMINISTRATOR: {"ngt", "pdu_n"}}
WORD_LIST_PAGES = [
    "/staff/word-lists/{list}/",
    "/staff/word-lists/{list}/policy/",
    "/staff/word-lists/{list}/try/",
    "/staff/word-lists/{list}/terms/new/",
    "/staff/word-lists/{list}/terms/upload/",
    "/staff/word-lists/{list}/terms/{term}/remove/",
]
WORD_LIST_CASES = [
    (role, path, "", 200 if role in WORD_LIST_KEEPERS else 403) for role in STAFF_ROLES for path in WORD_LIST_GENERAL
] + [
    (role, template, subject, 200 if subject in MAY_KEEP_LIST.get(role, set()) else 403)
    for role in STAFF_ROLES
    for subject in WORD_LIST_SUBJECTS
    for template in WORD_LIST_PAGES
]


def _word_lists(org: dict[str, Any]) -> dict[str, tuple[int, int]]:
    from onward.messaging.tests.factories import TermFactory, WordListFactory

    ids = {}
    for name in ("ngt", "stn", "pdu_n", "pdu_s"):
        word_list = WordListFactory(unit=org[name])
        term = TermFactory(word_list=word_list, text=f"secretterm{name}")
        ids[name] = (word_list.pk, term.pk)
    ids["guessed_id"] = (max(i for i, _ in ids.values()) + 1000, max(t for _, t in ids.values()) + 1000)
    return ids


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "template", "subject", "expected"),
    WORD_LIST_CASES,
    ids=[f"{c[0]}-{c[1]}-{c[2] or 'page'}" for c in WORD_LIST_CASES],
)
def test_word_list_matrix(world, org, staff_client, role, template, subject, expected):
    lists = _word_lists(org)
    client = staff_client(world["staff"][role])
    path = template.format(list=lists[subject][0], term=lists[subject][1]) if subject else template
    response = client.get(path)
    assert response.status_code == expected, f"{role} GET {path}"
    if template == "/staff/word-lists/{list}/" and subject in org:
        assert (f"secretterm{subject}" in response.content.decode()) == (expected == 200)
    if path == "/staff/word-lists/" and expected == 200:
        body = response.content.decode()
        for name, unit_name in (("ngt", org["ngt"].name), ("stn", org["stn"].name), ("pdu_s", org["pdu_s"].name)):
            assert (unit_name in body) == (name in MAY_KEEP_LIST[role]), f"{role} sees {unit_name}"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["in_my_prison", "my_case"])
def test_people_cannot_open_word_lists(world, org, person_client, who):
    lists = _word_lists(org)
    client = person_client(world["subjects"][who])
    for path in ("/staff/word-lists/", f"/staff/word-lists/{lists['ngt'][0]}/"):
        assert client.get(path).status_code == 403, path


# --- Services directory (issue 6): everyone signed in reads published entries; editors keep them ---

EDITORS = {Role.CONTENT_EDITOR, Role.ADMINISTRATOR}
ALL_STAFF = set(STAFF_ROLES)
DIRECTORY_STAFF_PAGES = [
    ("/staff/directory/", ALL_STAFF),
    ("/staff/directory/new/", EDITORS),
    ("/staff/directory/{published}/", ALL_STAFF),
    ("/staff/directory/{published}/edit/", EDITORS),
    ("/staff/directory/{withdrawn}/", EDITORS),
    ("/staff/directory/{withdrawn}/edit/", EDITORS),
    ("/staff/directory/{guessed}/", set()),
    ("/me/services/", set()),
    ("/api/v1/directory", ALL_STAFF),
]
DIRECTORY_CASES = [
    (role, path, 200 if role in allowed else 403) for role in STAFF_ROLES for path, allowed in DIRECTORY_STAFF_PAGES
]


@pytest.fixture
def directory_ids(db) -> dict[str, int]:
    from onward.directory.tests.factories import ServiceFactory

    published = ServiceFactory(name="Published Pantry")
    withdrawn = ServiceFactory(name="Withdrawn Pantry", state="withdrawn", withdrawn_reason="Closed")
    return {"published": published.pk, "withdrawn": withdrawn.pk, "guessed": withdrawn.pk + 1000}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "template", "expected"), DIRECTORY_CASES, ids=[f"{c[0]}-{c[1]}" for c in DIRECTORY_CASES]
)
def test_staff_directory_matrix(world, directory_ids, staff_client, role, template, expected):
    client = staff_client(world["staff"][role])
    path = template.format(**directory_ids)
    response = client.get(path)
    assert response.status_code == expected, f"{role} {path}"
    if "{withdrawn}" in template:
        assert _mentions(response.content.decode(), "Withdrawn Pantry") == (expected == 200)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["in_my_prison", "my_case"])
def test_people_read_published_directory_entries_only(world, directory_ids, person_client, who):
    client = person_client(world["subjects"][who])
    expectations = {
        "/me/services/": 200,
        "/me/services/{published}/": 200,
        "/me/services/{withdrawn}/": 403,
        "/me/services/{guessed}/": 403,
        "/staff/directory/": 403,
        "/staff/directory/new/": 403,
        "/staff/directory/{published}/": 403,
        "/staff/directory/{published}/edit/": 403,
    }
    for template, expected in expectations.items():
        response = client.get(template.format(**directory_ids))
        assert response.status_code == expected, template
    for action in ("checked", "withdraw", "publish"):
        assert client.post(f"/staff/directory/{directory_ids['published']}/{action}/").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/me/services/", "/me/services/1/", "/staff/directory/", "/staff/directory/new/"])
def test_anonymous_visitors_are_sent_to_sign_in_from_the_directory(path):
    response = Client().get(path)
    assert response.status_code == 302
    assert "sign-in" in response["Location"]


# --- Learning (issue 6): a person's learning, completion rates, content editing, the public check ---

LEARNING_PERSON_PAGES = [
    ("/staff/people/{id}/learning/", MAY_VIEW),
    ("/api/v1/people/{id}/learning", MAY_VIEW),
]
LEARNING_STATISTICS = {
    Role.KEY_WORKER,
    Role.POM,
    Role.PRACTITIONER,
    Role.SENIOR,
    Role.CONTENT_EDITOR,
    Role.ADMINISTRATOR,
}
COURSE_WRITERS = {Role.CONTENT_EDITOR, Role.ADMINISTRATOR}
LEARNING_GENERAL = [
    ("/staff/learning/", LEARNING_STATISTICS, 403),
    ("/me/learning/", set(), 403),
    ("/certificates/verify/", set(STAFF_ROLES), 403),
    # Editors write courses on Onward's own pages (issue 12): the Django admin stays for administrators.
    ("/staff/courses/", COURSE_WRITERS, 403),
    ("/staff/courses/new/", COURSE_WRITERS, 403),
    ("/admin/learning/course/", {Role.ADMINISTRATOR}, 302),
]
LEARNING_CASES = [
    (role, template, subject, 200 if subject in allowed.get(role, set()) else _denied(role, template))
    for role in STAFF_ROLES
    for template, allowed in LEARNING_PERSON_PAGES
    for subject in SUBJECTS
] + [
    (role, path, "", 200 if role in roles else denied)
    for role in STAFF_ROLES
    for path, roles, denied in LEARNING_GENERAL
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "template", "subject", "expected"),
    LEARNING_CASES,
    ids=[f"{c[0]}-{c[1]}-{c[2] or 'page'}" for c in LEARNING_CASES],
)
def test_staff_learning_matrix(world, staff_client, role, template, subject, expected):
    client = staff_client(world["staff"][role])
    path = template.format(id=world["ids"][subject]) if subject else template
    response = client.get(path)
    assert response.status_code == expected, f"{role} GET {path}"
    if subject in world["subjects"] and not template.startswith("/api/"):  # the API answers with ids, not names
        assert _mentions(response.content.decode(), world["subjects"][subject].last_name) == (expected == 200)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["in_my_prison", "my_case"])
def test_people_see_only_their_own_learning(world, person_client, who):
    from onward.learning import services
    from onward.learning.models import Lesson
    from onward.learning.tests.factories import demo_like_course, right_answers

    course = demo_like_course()
    lessons = list(Lesson.objects.filter(module__course=course))
    for person in world["subjects"].values():
        user = person_account_ensure(person)
        services.enrolment_create(actor=user, person=person, course=course)
        for lesson in lessons:
            services.lesson_complete(actor=user, lesson=lesson, answers=right_answers(lesson))
    client = person_client(world["subjects"][who])
    assert client.get("/me/learning/").status_code == 200
    assert client.get(f"/me/learning/courses/{course.pk}/certificate/").status_code == 200  # their own
    assert client.get(f"/me/learning/lessons/{lessons[0].pk}/").status_code == 200
    for path in ("/staff/learning/", f"/staff/learning/courses/{course.pk}/", "/staff/courses/", "/admin/"):
        assert client.get(path).status_code in (302, 403), path
    for name, person_id in world["ids"].items():
        assert client.get(f"/staff/people/{person_id}/learning/").status_code == 403, name


COURSE_PAGES = [
    "/staff/courses/{course}/",
    "/staff/courses/{course}/edit/",
    "/staff/courses/{course}/parts/new/",
    "/staff/courses/parts/{module}/edit/",
    "/staff/courses/{course}/lessons/new/",
    "/staff/courses/lessons/{lesson}/",
    "/staff/courses/lessons/{lesson}/edit/",
    "/staff/courses/lessons/{lesson}/questions/new/",
    "/staff/courses/questions/{question}/edit/",
    "/staff/self-assessments/new/",
    "/staff/self-assessments/{assessment}/",
    "/staff/self-assessments/{assessment}/edit/",
    "/staff/self-assessments/{assessment}/questions/new/",
    "/staff/self-assessments/questions/{assessment_question}/edit/",
]
COURSE_ACTIONS = [
    "/staff/courses/{course}/submit/",
    "/staff/courses/{course}/publish/",
    "/staff/courses/move/lesson/{lesson}/down/",
    "/staff/courses/questions/{question}/delete/",
    "/staff/self-assessments/{assessment}/approve/",
    "/staff/self-assessments/{assessment}/unpublish/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", STAFF_ROLES)
def test_only_editors_and_administrators_open_the_course_writing_pages(world, staff_client, role):
    from onward.learning.models import Lesson, Question
    from onward.learning.tests.factories import assessment_build, demo_like_course

    course = demo_like_course()
    assessment = assessment_build("Synthetic matrix check", ["How are you?"], [("Fine", 1), ("Not fine", 0)])
    lesson = Lesson.objects.filter(module__course=course, questions__isnull=False).first()
    ids = {
        "course": course.pk,
        "module": lesson.module_id,
        "lesson": lesson.pk,
        "question": lesson.questions.first().pk,
        "assessment": assessment.pk,
        "assessment_question": assessment.questions.first().pk,
    }
    client = staff_client(world["staff"][role])
    for template in COURSE_PAGES:
        path = template.format(**ids)
        assert client.get(path).status_code == (200 if role in COURSE_WRITERS else 403), f"{role} GET {path}"
    if role in COURSE_WRITERS:
        return
    for template in COURSE_ACTIONS:
        path = template.format(**ids)
        assert client.post(path).status_code == 403, f"{role} POST {path}"
    assert Question.objects.filter(pk=ids["question"]).exists()
    assert Lesson.objects.filter(module__course=course).values_list("pk", flat=True).first() == lesson.pk
    assessment.refresh_from_db()
    assert assessment.published


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["in_my_prison", "my_case"])
def test_people_cannot_open_the_course_writing_pages(world, person_client, who):
    from onward.learning.tests.factories import demo_like_course

    course = demo_like_course()
    client = person_client(world["subjects"][who])
    for path in ("/staff/courses/", "/staff/courses/new/", f"/staff/courses/{course.pk}/"):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/staff/courses/{course.pk}/publish/").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/me/learning/", "/staff/learning/", "/staff/people/1/learning/"])
def test_anonymous_visitors_are_sent_to_sign_in_from_learning(path):
    response = Client().get(path)
    assert response.status_code == 302
    assert "sign-in" in response["Location"]


@pytest.mark.django_db
def test_anyone_may_open_the_certificate_check():
    assert Client().get("/certificates/verify/").status_code == 200


# --- Check-ins through the API: only the person, and only their own --------------------------------

CHECKIN_STEPS = [
    ("GET", "status", None),
    ("PUT", "answers", {"answers": {"mood": "well", "help": ["none"], "call_back": "no"}}),
    ("POST", "challenge", {}),
    ("POST", "location", {"latitude": 53.8, "longitude": -1.55, "accuracy_m": 20, "consent": True}),
    ("POST", "submit", {"idempotency_key": "matrix-key-0001"}),
]


@pytest.fixture
def checkin_ids(world) -> dict[str, int]:
    """An open check-in for each person on licence or an order."""
    from onward.checkins.tests.factories import CheckInFactory, EnrolmentFactory, questionnaire_ensure

    questionnaire_ensure()
    community = ("my_case", "same_pdu_other_team", "other_pdu")
    ids = {who: CheckInFactory(enrolment=EnrolmentFactory(person=world["subjects"][who])).pk for who in community}
    ids["guessed_id"] = max(ids.values()) + 1000
    return ids


def _checkin_call(client: Client, method: str, checkin_id: int, step: str, body: Any) -> Any:
    path = f"/api/v1/me/check-ins/{checkin_id}/{step}"
    if method == "GET":
        return client.get(path)
    return client.generic(method, path, json.dumps(body), content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_cannot_answer_or_send_anyones_checkin(world, checkin_ids, staff_client, role):
    """Not even the person's own practitioner: they review check-ins, they do not do them."""
    from onward.checkins.models import CheckIn, State

    client = staff_client(world["staff"][role])
    assert client.get("/api/v1/me/check-ins/current").status_code == 403
    for subject, checkin_id in checkin_ids.items():
        for method, step, body in CHECKIN_STEPS:
            response = _checkin_call(client, method, checkin_id, step, body)
            assert response.status_code == 403, f"{role} {method} {step} {subject}"
            assert response.json() == {"detail": "You do not have permission to do this."}
    assert set(CheckIn.objects.values_list("state", flat=True)) == {State.CREATED}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["in_my_prison", "my_case", "same_pdu_other_team"])
def test_people_reach_only_their_own_checkin(world, checkin_ids, person_client, who):
    """Someone else's check-in and one that does not exist get the same 404, whatever the step."""
    from onward.checkins.models import CheckIn, State

    client = person_client(world["subjects"][who])
    current = client.get("/api/v1/me/check-ins/current")
    assert current.status_code == (200 if who in checkin_ids else 404)
    for subject, checkin_id in checkin_ids.items():
        for method, step, body in CHECKIN_STEPS:
            response = _checkin_call(client, method, checkin_id, step, body)
            if subject == who:
                assert response.status_code == 200, f"{who} {method} {step}: {response.content[:200]!r}"
            else:
                assert response.status_code == 404, f"{who} {method} {step} {subject}"
                assert response.json() == {"detail": "Not found."}
    states = dict(CheckIn.objects.values_list("person_id", "state"))
    for subject in checkin_ids:
        if subject != "guessed_id":
            expected = State.SUBMITTED if subject == who else State.CREATED
            assert states[world["subjects"][subject].pk] == expected, subject


# --- Alerts: staff who work with the person see them; people never see staff alerts ---------------

ALERT_VIEWERS = {Role.KEY_WORKER, Role.POM, Role.PRACTITIONER, Role.SENIOR}
MAY_SEE_ALERT = {
    Role.KEY_WORKER: {"in_my_prison"},
    Role.POM: {"in_my_prison"},
    Role.PRACTITIONER: {"my_case"},
    Role.SENIOR: {"my_case", "same_pdu_other_team"},
}
ALERT_PAGES = ["/staff/alerts/{id}/", "/api/v1/alerts/{id}"]
ALERT_GENERAL = ["/staff/alerts/", "/staff/alerts/?scope=team&state=all", "/api/v1/alerts", "/api/v1/alerts?scope=team"]
ALERT_CASES = [
    *[
        (
            role,
            template,
            subject,
            200 if subject in MAY_SEE_ALERT.get(role, set()) else (404 if role in ALERT_VIEWERS else 403),
        )
        for role in STAFF_ROLES
        for template in ALERT_PAGES
        for subject in SUBJECTS
    ],
    *[(role, path, "", 200 if role in ALERT_VIEWERS else 403) for role in STAFF_ROLES for path in ALERT_GENERAL],
]


@pytest.fixture
def alert_ids(world) -> dict[str, int]:
    from onward.alerts.services import alert_raise

    ids = {
        name: alert_raise(kind="checkin_missed", person=person, key=f"matrix:{name}", summary="Synthetic alert").pk
        for name, person in world["subjects"].items()
    }
    ids["guessed_id"] = max(ids.values()) + 1000
    return ids


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "template", "subject", "expected"),
    ALERT_CASES,
    ids=[f"{c[0]}-{c[1]}-{c[2] or 'list'}" for c in ALERT_CASES],
)
def test_staff_alert_matrix(world, alert_ids, staff_client, role, template, subject, expected):
    client = staff_client(world["staff"][role])
    response = client.get(template.format(id=alert_ids[subject]) if subject else template)
    assert response.status_code == expected
    body = response.content.decode()
    for name, person in world["subjects"].items():
        if subject:
            assert _mentions(body, person.reference) == (expected == 200 and name == subject)
        else:  # a list shows exactly the alerts the role's member may see: theirs, or their team's
            mine = {"my_case"} if role == Role.PRACTITIONER else set()  # assigned to the case's practitioner
            shown = MAY_SEE_ALERT.get(role, set()) if "scope=team" in template else mine
            assert _mentions(body, person.reference) == (name in shown), f"{role} {template} {name}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.KEY_WORKER, Role.POM, Role.PRACTITIONER, Role.SENIOR, Role.SECURITY])
def test_who_needs_attention_stays_inside_the_caseload_scope(world, alert_ids, staff_client, role):
    """Everyone has an open alert, so all need attention: each role still sees only the people in its scope."""
    client = staff_client(world["staff"][role])
    visible = MAY_VIEW.get(role, set())
    page = client.get("/staff/", {"needs_attention": "on"}).content.decode()
    api = client.get("/api/v1/caseload", {"needs_attention": "true"}).json()
    assert {item["id"] for item in api["items"]} == {world["ids"][name] for name in visible}
    assert all([reason["code"] for reason in item["attention"]] == ["alert_urgent"] for item in api["items"])
    for name, person in world["subjects"].items():
        assert _mentions(page, person.reference) == (name in visible), f"{role} {name}"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["in_my_prison", "my_case"])
def test_people_never_see_staff_alerts(world, alert_ids, person_client, who):
    client = person_client(world["subjects"][who])
    assert client.get("/staff/alerts/").status_code == 403
    for subject in SUBJECTS:
        assert client.get(f"/staff/alerts/{alert_ids[subject]}/").status_code == 403
        assert client.get(f"/api/v1/alerts/{alert_ids[subject]}").status_code == 401  # staff sessions only
    assert client.get("/api/v1/alerts").status_code == 401
    assert client.get("/me/inbox/").status_code == 200


# --- Sign-in safety (issue 15): self-unlock is public; only administrators issue authenticator set-up codes ---


@pytest.mark.django_db
def test_anyone_may_open_the_staff_unlock_page():
    assert Client().get("/sign-in/unlock/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", STAFF_ROLES)
def test_only_administrators_issue_authenticator_set_up_codes(world, staff_client, role):
    from onward.accounts.models import AuthenticatorEnrolment
    from onward.accounts.tests.factories import StaffFactory

    newcomer = StaffFactory()
    response = staff_client(world["staff"][role]).post(
        "/admin/accounts/user/", {"action": "issue_authenticator_set_up_code", "_selected_action": [newcomer.pk]}
    )
    issued = AuthenticatorEnrolment.objects.filter(user=newcomer).exists()
    assert issued == (role == Role.ADMINISTRATOR)
    if role != Role.ADMINISTRATOR:
        assert response.status_code in (302, 403)


# --- Resettlement (issue 16): the plan, seen by staff who reach the person, changed by caseworkers ---

MAY_MANAGE_PLAN = {
    Role.KEY_WORKER: {"in_my_prison"},
    Role.POM: {"in_my_prison"},
    Role.PRACTITIONER: {"my_case"},
    Role.SENIOR: {"my_case", "same_pdu_other_team"},
}
RESETTLEMENT_PERSON_PAGES = [
    ("/staff/people/{id}/plan/", MAY_VIEW),
    ("/staff/people/{id}/plan/handover.pdf", MAY_VIEW),
    ("/staff/people/{id}/plan/release-pack.pdf", MAY_VIEW),
    ("/staff/people/{id}/plan/assess/", MAY_MANAGE_PLAN),
    ("/staff/people/{id}/documents/", MAY_MANAGE_PLAN),  # papers: the plan's caseworkers, not security
]
RESETTLEMENT_GENERAL = [
    ("/me/plan/", set(), 403),
    ("/me/requests/", set(), 403),
    ("/me/documents/", set(), 403),
    ("/staff/requests/", {Role.KEY_WORKER, Role.POM, Role.SENIOR}, 403),
    ("/api/v1/me/plan", set(), 403),
    ("/api/v1/me/requests", set(), 403),
    ("/api/v1/requests", {Role.KEY_WORKER, Role.POM, Role.SENIOR}, 403),
]
RESETTLEMENT_CASES = [
    (role, template, subject, 200 if subject in allowed.get(role, set()) else _denied(role, template))
    for role in STAFF_ROLES
    for template, allowed in RESETTLEMENT_PERSON_PAGES
    for subject in SUBJECTS
] + [
    (role, path, "", 200 if role in roles else denied)
    for role in STAFF_ROLES
    for path, roles, denied in RESETTLEMENT_GENERAL
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "template", "subject", "expected"),
    RESETTLEMENT_CASES,
    ids=[f"{c[0]}-{c[1]}-{c[2] or 'page'}" for c in RESETTLEMENT_CASES],
)
def test_staff_resettlement_matrix(world, staff_client, role, template, subject, expected):
    client = staff_client(world["staff"][role])
    path = template.format(id=world["ids"][subject]) if subject else template
    response = client.get(path)
    assert response.status_code == expected, f"{role} GET {path}"
    if subject in world["subjects"] and not template.endswith(".pdf") and not template.startswith("/api/"):
        assert _mentions(response.content.decode(), world["subjects"][subject].last_name) == (expected == 200)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["in_my_prison", "my_case"])
def test_people_see_and_change_only_their_own_plan(world, person_client, who):
    from onward.resettlement.models import PlanAction
    from onward.resettlement.services import action_add

    todos = {
        name: action_add(actor=person_account_ensure(person), person=person, text=f"To-do of {person.last_name}")
        for name, person in world["subjects"].items()
    }
    client = person_client(world["subjects"][who])
    page = client.get("/me/plan/").content.decode()
    assert f"To-do of {world['subjects'][who].last_name}" in page
    for name, todo in todos.items():
        if name != who:
            assert todo.text not in page
            assert client.post(f"/me/plan/actions/{todo.pk}/", {"done": "yes"}).status_code == 404
    assert not PlanAction.objects.exclude(pk=todos[who].pk).filter(done_at__isnull=False).exists()
    assert client.get("/me/plan/release-pack.pdf").status_code == 200
    for person_id in world["ids"].values():
        assert client.get(f"/staff/people/{person_id}/plan/").status_code == 403
        assert client.get(f"/staff/people/{person_id}/plan/handover.pdf").status_code == 403


@pytest.fixture
def documents_everywhere(world, settings, tmp_path):
    """A document for every subject, in a private store of the test's own."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from pypdf import PdfWriter

    from onward.resettlement.documents import document_upload

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    out = io.BytesIO()
    writer.write(out)
    return {
        name: document_upload(
            actor=person_account_ensure(person),
            person=person,
            upload=SimpleUploadedFile("letter.pdf", out.getvalue()),
            kind="letter",
            title=f"Letter of {person.last_name}",
        )
        for name, person in world["subjects"].items()
    }


DOCUMENT_CASES = [(role, subject) for role in STAFF_ROLES for subject in SUBJECTS if subject != "guessed_id"]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "subject"), DOCUMENT_CASES, ids=[f"{r}-{s}" for r, s in DOCUMENT_CASES])
def test_staff_download_documents_only_of_people_they_reach(world, staff_client, documents_everywhere, role, subject):
    from onward.audit.models import AuditEvent
    from onward.core.audit_actions import AuditAction

    document = documents_everywhere[subject]
    allowed = subject in MAY_MANAGE_PLAN.get(role, set())
    response = staff_client(world["staff"][role]).get(f"/staff/people/{document.person_id}/documents/{document.pk}/")
    assert response.status_code == (200 if allowed else 403), f"{role} {subject}"
    assert AuditEvent.objects.filter(action=AuditAction.DOCUMENT_DOWNLOADED).exists() == allowed


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["in_my_prison", "my_case"])
def test_people_see_and_download_only_their_own_documents(world, person_client, documents_everywhere, who):
    client = person_client(world["subjects"][who])
    page = client.get("/me/documents/").content.decode()
    assert f"Letter of {world['subjects'][who].last_name}" in page
    assert client.get(f"/me/documents/{documents_everywhere[who].pk}/").status_code == 200
    for name, document in documents_everywhere.items():
        if name != who:
            assert document.title not in page
            assert client.get(f"/me/documents/{document.pk}/").status_code == 404
            assert client.post(f"/me/documents/{document.pk}/remove/").status_code == 404
            assert client.get(f"/staff/people/{document.person_id}/documents/{document.pk}/").status_code == 403


@pytest.mark.django_db
def test_people_see_only_their_own_requests_and_prison_staff_only_their_prisons(world, person_client, staff_client):
    from onward.resettlement.prison_requests import request_submit

    made = {
        name: request_submit(
            actor=person_account_ensure(person), person=person, kind="visits", text=f"Visit for {person.last_name}"
        )
        for name, person in world["subjects"].items()
        if person.in_custody
    }
    client = person_client(world["subjects"]["in_my_prison"])
    page = client.get("/me/requests/").content.decode()
    assert f"Visit for {world['subjects']['in_my_prison'].last_name}" in page
    assert f"Visit for {world['subjects']['other_prison'].last_name}" not in page
    assert client.get(f"/me/requests/{made['other_prison'].pk}/").status_code == 404
    assert client.get(f"/staff/requests/{made['in_my_prison'].pk}/").status_code == 403
    for role in STAFF_ROLES:
        staff = staff_client(world["staff"][role])
        mine = staff.get(f"/staff/requests/{made['in_my_prison'].pk}/").status_code
        assert mine == (200 if role in (Role.KEY_WORKER, Role.POM) else 403), role
        assert staff.get(f"/staff/requests/{made['other_prison'].pk}/").status_code == 403, role
