"""GET /api/v1/people/{id}: one record for staff in scope, audited; one 404 for everything else."""

import pytest
from django.utils import timezone

from onward.audit.models import AuditEvent
from onward.organisations.models import Role
from onward.people.models import AssignmentRole, Person
from onward.people.tests.factories import (
    CommunityPersonFactory,
    LicenceVersionFactory,
    PersonFactory,
    StaffAssignmentFactory,
)

pytestmark = pytest.mark.django_db


def test_staff_see_a_record_in_scope_and_the_read_is_audited(org, make_staff, staff_client) -> None:
    worker = make_staff(Role.KEY_WORKER, org["ngt"])
    person = PersonFactory(unit=org["wing_a"], address="")
    StaffAssignmentFactory(person=person, staff=worker, role=AssignmentRole.KEY_WORKER)

    response = staff_client(worker).get(f"/api/v1/people/{person.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == person.pk
    assert body["prison_number"] == person.prison_number
    assert body["date_of_birth"] == person.date_of_birth.isoformat()
    assert body["unit"]["name"] == "A wing"
    assert body["establishment"] == {"id": org["ngt"].pk, "name": "HMP Northgate", "kind": "prison"}
    assert body["key_dates"]["conditional_release_date"] == person.conditional_release_date.isoformat()
    assert body["assigned_staff"][0]["role"] == "key_worker"
    event = AuditEvent.objects.get(action="person.view", person=person)
    assert event.actor_id == worker.pk
    assert event.actor_role == "key_worker"


def test_a_community_record_has_its_licence_and_no_establishment(org, make_staff, staff_client) -> None:
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    person = CommunityPersonFactory(unit=org["office_n"])
    LicenceVersionFactory(person=person, number=3, confirmed_at=timezone.now())
    body = staff_client(practitioner).get(f"/api/v1/people/{person.pk}").json()
    assert body["establishment"] is None
    assert body["licence"]["version"] == 3
    assert body["licence"]["confirmed"] is True


def test_out_of_scope_and_missing_ids_get_the_same_404(org, make_staff, staff_client) -> None:
    worker = make_staff(Role.KEY_WORKER, org["ngt"])
    other_prison = PersonFactory(unit=org["stn_wing"])
    missing_id = (Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    client = staff_client(worker)

    out_of_scope = client.get(f"/api/v1/people/{other_prison.pk}")
    missing = client.get(f"/api/v1/people/{missing_id}")

    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.content == missing.content
    assert out_of_scope.json() == {"detail": "Not found."}
    assert not AuditEvent.objects.filter(person=other_prison).exists()


def test_practitioner_cannot_open_another_pdus_record(org, make_staff, staff_client) -> None:
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    own = CommunityPersonFactory(unit=org["office_n"])
    other_pdu = CommunityPersonFactory(unit=org["office_s"])
    client = staff_client(practitioner)
    assert client.get(f"/api/v1/people/{own.pk}").status_code == 200
    assert client.get(f"/api/v1/people/{other_pdu.pk}").status_code == 404


def test_staff_without_a_casework_role_are_forbidden(org, make_staff, staff_client) -> None:
    editor = make_staff(Role.CONTENT_EDITOR, org["north"])
    person = PersonFactory(unit=org["wing_a"])
    response = staff_client(editor).get(f"/api/v1/people/{person.pk}")
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(person=person).exists()


@pytest.mark.parametrize("bad_id", ["abc", "0", "-4", str(2**63), "1.5"])
def test_ids_that_are_not_ids_get_422(org, make_staff, staff_client, bad_id: str) -> None:
    worker = make_staff(Role.KEY_WORKER, org["ngt"])
    response = staff_client(worker).get(f"/api/v1/people/{bad_id}")
    assert response.status_code == 422
    assert [(e["location"], e["field"]) for e in response.json()["errors"]] == [("path", "person_id")]
