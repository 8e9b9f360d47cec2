"""GET /api/v1/me: a person's own summary, and nothing else a person can reach."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from onward.accounts.services import person_account_ensure
from onward.api.tests.helpers import get_json
from onward.audit.models import AuditEvent
from onward.organisations.models import Role
from onward.people.models import AssignmentRole
from onward.people.tests.factories import (
    CommunityPersonFactory,
    LicenceVersionFactory,
    PersonFactory,
    StaffAssignmentFactory,
)

pytestmark = pytest.mark.django_db


def test_person_sees_their_own_summary(org, make_staff, token_for) -> None:
    today = timezone.localdate()
    person = CommunityPersonFactory(
        unit=org["office_n"],
        first_name="Daniel",
        crn="X654321",
        licence_expiry_date=today + dt.timedelta(days=200),
        sentence_expiry_date=today + dt.timedelta(days=300),
    )
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"], first_name="Asha", last_name="Patel")
    StaffAssignmentFactory(person=person, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    LicenceVersionFactory(person=person, number=1, confirmed_at=timezone.now())
    LicenceVersionFactory(person=person, number=2)

    status, body = get_json(Client(), "/api/v1/me", token_for(person))

    assert status == 200
    assert body["first_name"] == "Daniel"
    assert body["crn"] == "X654321"
    assert body["prison_number"] == person.prison_number
    assert (body["status"], body["status_label"]) == ("licence", "On licence")
    assert body["next_key_date"] == {"label": "Licence ends", "date": (today + dt.timedelta(days=200)).isoformat()}
    assert body["assigned_staff"] == [
        {"role": "practitioner", "role_label": "Probation practitioner", "name": "Asha Patel"}
    ]
    assert body["licence"]["version"] == 2
    assert body["licence"]["confirmed"] is False
    assert body["licence"]["confirmed_at"] is None


def test_person_without_licence_or_staff(org, token_for) -> None:
    person = PersonFactory(unit=org["wing_a"], licence_expiry_date=None, sentence_expiry_date=None)
    status, body = get_json(Client(), "/api/v1/me", token_for(person))
    assert status == 200
    assert body["licence"] is None
    assert body["assigned_staff"] == []
    assert body["next_key_date"]["label"] == "Home detention curfew eligibility"


def test_reading_me_is_audited(org, token_for) -> None:
    person = PersonFactory(unit=org["wing_a"])
    token = token_for(person)
    before = AuditEvent.objects.filter(action="person.view_own").count()
    get_json(Client(), "/api/v1/me", token)
    event = AuditEvent.objects.filter(action="person.view_own").order_by("-seq").first()
    assert AuditEvent.objects.filter(action="person.view_own").count() == before + 1
    assert event is not None
    assert event.person_id == person.pk
    assert event.actor_id == person_account_ensure(person).pk
    assert event.actor_role == "person"


def test_person_cannot_see_the_caseload_or_any_record(org, token_for) -> None:
    person = PersonFactory(unit=org["wing_a"])
    other = PersonFactory(unit=org["wing_a"])
    token = token_for(person)
    assert get_json(Client(), "/api/v1/caseload", token)[0] == 403
    own_status, own_body = get_json(Client(), f"/api/v1/people/{person.pk}", token)
    other_status, other_body = get_json(Client(), f"/api/v1/people/{other.pk}", token)
    assert own_status == other_status == 403
    assert own_body == other_body == {"detail": "You do not have permission to do this."}
    assert not AuditEvent.objects.filter(action="person.view").exists()


def test_staff_have_no_me(org, make_staff, staff_client) -> None:
    worker = make_staff(Role.KEY_WORKER, org["ngt"])
    response = staff_client(worker).get("/api/v1/me")
    assert response.status_code == 403
