"""GET /api/v1/caseload: scoped by the policy, filtered, paged, strict about its query, in fixed queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from onward.organisations.models import Role
from onward.people.models import AssignmentRole, Status
from onward.people.tests.factories import CommunityPersonFactory, PersonFactory, StaffAssignmentFactory

pytestmark = pytest.mark.django_db


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def test_key_worker_sees_their_prison_and_not_another(org, make_staff, staff_client) -> None:
    worker = make_staff(Role.KEY_WORKER, org["ngt"])
    wing_a = PersonFactory(unit=org["wing_a"])
    wing_b = PersonFactory(unit=org["wing_b"])
    elsewhere = PersonFactory(unit=org["stn_wing"])
    response = staff_client(worker).get("/api/v1/caseload")
    assert _ids(response) == {wing_a.pk, wing_b.pk}
    assert elsewhere.pk not in _ids(response)
    assert response.json()["count"] == 2


def test_practitioner_sees_their_office_and_not_another_pdus(org, make_staff, staff_client) -> None:
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    own_office = CommunityPersonFactory(unit=org["office_n"])
    other_pdu = CommunityPersonFactory(unit=org["office_s"])
    assert _ids(staff_client(practitioner).get("/api/v1/caseload")) == {own_office.pk}
    assert other_pdu.pk != own_office.pk


def test_an_assignment_brings_a_person_into_the_caseload(org, make_staff, staff_client) -> None:
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    moved_away = CommunityPersonFactory(unit=org["office_s"])
    StaffAssignmentFactory(person=moved_away, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    assert _ids(staff_client(practitioner).get("/api/v1/caseload")) == {moved_away.pk}


def test_search_filter_and_sort(org, make_staff, staff_client) -> None:
    today = timezone.localdate()
    worker = make_staff(Role.KEY_WORKER, org["ngt"])
    early = PersonFactory(
        unit=org["wing_a"], last_name="Abbott", conditional_release_date=today + dt.timedelta(days=10)
    )
    late = PersonFactory(unit=org["wing_b"], last_name="Young", conditional_release_date=today + dt.timedelta(days=90))
    remand = PersonFactory(
        unit=org["wing_b"],
        last_name="Murray",
        status=Status.REMAND,
        conditional_release_date=None,
        hdc_eligibility_date=None,
        licence_expiry_date=None,
    )
    client = staff_client(worker)

    def listed(**params) -> list[int]:
        response = client.get("/api/v1/caseload", params)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    assert listed() == [early.pk, late.pk, remand.pk]  # soonest release first, no date last
    assert listed(sort="-release") == [late.pk, early.pk, remand.pk]
    assert listed(sort="name") == [early.pk, remand.pk, late.pk]
    assert listed(q="young") == [late.pk]
    assert listed(q=early.prison_number.lower()) == [early.pk]
    assert listed(status="remand") == [remand.pk]
    assert listed(unit=org["wing_b"].pk) == [late.pk, remand.pk]
    assert listed(unit=org["stn_wing"].pk) == []  # another prison's unit narrows to nothing, never widens


def test_entries_carry_unit_and_assigned_staff(org, make_staff, staff_client) -> None:
    worker = make_staff(Role.KEY_WORKER, org["ngt"], first_name="Sam", last_name="Okafor")
    person = PersonFactory(unit=org["wing_a"])
    StaffAssignmentFactory(person=person, staff=worker, role=AssignmentRole.KEY_WORKER)
    item = staff_client(worker).get("/api/v1/caseload").json()["items"][0]
    assert item["unit"] == {"id": org["wing_a"].pk, "name": "A wing", "kind": "wing"}
    assert item["assigned_staff"] == [{"role": "key_worker", "role_label": "Key worker", "name": "Sam Okafor"}]
    assert item["status"] == "sentenced"


def test_pages(org, make_staff, staff_client) -> None:
    worker = make_staff(Role.KEY_WORKER, org["ngt"])
    PersonFactory.create_batch(5, unit=org["wing_a"])
    client = staff_client(worker)
    last = client.get("/api/v1/caseload", {"page": 3, "page_size": 2}).json()
    assert (last["count"], last["pages"], last["page"], last["page_size"]) == (5, 3, 3, 2)
    assert len(last["items"]) == 1
    beyond = client.get("/api/v1/caseload", {"page": 4, "page_size": 2}).json()
    assert beyond["items"] == []
    assert beyond["count"] == 5


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "on_the_run"}, "status"),
        ({"status": ""}, "status"),
        ({"sort": "risk"}, "sort"),
        ({"page_size": 101}, "page_size"),
        ({"page_size": 0}, "page_size"),
        ({"page": 0}, "page"),
        ({"page": 10**30}, "page"),
        ({"unit": "north"}, "unit"),
        ({"unit": 2**63}, "unit"),
        ({"q": "x" * 101}, "q"),
        ({"q": "smith\x00"}, "q"),
    ],
)
def test_bad_query_parameters_get_422_naming_the_field(org, make_staff, staff_client, params, field) -> None:
    worker = make_staff(Role.KEY_WORKER, org["ngt"])
    response = staff_client(worker).get("/api/v1/caseload", params)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("Some of what was sent is not right")
    assert [(e["location"], e["field"]) for e in body["errors"]] == [("query", field)]
    assert body["errors"][0]["message"]


def test_query_count_does_not_grow_with_the_caseload(
    org, make_staff, staff_client, django_assert_max_num_queries
) -> None:
    worker = make_staff(Role.KEY_WORKER, org["ngt"])
    client = staff_client(worker)

    def queries_for_caseload(expected_count: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/caseload", {"page_size": 100})
        assert response.json()["count"] == expected_count
        return len(captured.captured_queries)

    for person in PersonFactory.create_batch(5, unit=org["wing_a"]):
        StaffAssignmentFactory(person=person, role=AssignmentRole.KEY_WORKER)
    few = queries_for_caseload(5)
    for person in PersonFactory.create_batch(35, unit=org["wing_b"]):
        StaffAssignmentFactory(person=person, role=AssignmentRole.KEY_WORKER)
    many = queries_for_caseload(40)

    assert many == few, (few, many)
    assert few <= 12, few  # session, user, second factor, roles, count, page, assignments, session save
    with django_assert_max_num_queries(few):
        client.get("/api/v1/caseload", {"page_size": 100})
