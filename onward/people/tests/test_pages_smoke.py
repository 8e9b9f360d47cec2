import pytest
from markupsafe import escape

from onward.organisations.models import Role
from onward.people.tests.factories import PersonFactory, StaffAssignmentFactory


@pytest.mark.django_db
def test_staff_sign_in_then_caseload_then_record(org, make_staff, staff_client):
    worker = make_staff(Role.KEY_WORKER, org["ngt"])
    person = PersonFactory(unit=org["wing_a"])
    StaffAssignmentFactory(person=person, staff=worker)
    client = staff_client(worker)
    page = client.get("/staff/")
    assert page.status_code == 200
    assert str(escape(person.last_name)) in page.content.decode()
    record = client.get(f"/staff/people/{person.pk}/")
    assert record.status_code == 200
    assert person.prison_number in record.content.decode()


@pytest.mark.django_db
def test_person_home(org, person_client):
    person = PersonFactory(unit=org["wing_a"], first_name="Daniel")
    page = person_client(person).get("/me/")
    assert page.status_code == 200
    assert "Hello, Daniel" in page.content.decode()
