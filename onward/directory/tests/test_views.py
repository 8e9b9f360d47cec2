"""The directory's pages: a person's search and entry pages, staff look-up, and the editors' pages."""

import datetime as dt

import pytest
from django.conf import settings

from onward.audit.models import AuditEvent
from onward.directory.models import Category, Service, ServiceState
from onward.directory.tests.factories import ServiceFactory, position
from onward.location.address import from_bng
from onward.location.postcodes import postcode_locate
from onward.organisations.models import Role
from onward.people.tests.factories import CommunityPersonFactory, PersonFactory

pytestmark = pytest.mark.django_db


def near_postcode(postcode: str, east_m: float) -> dict[str, float]:
    place = postcode_locate(postcode)
    latitude, longitude = from_bng(place.easting + east_m, place.northing)
    return {"latitude": latitude, "longitude": longitude, "easting": place.easting + east_m, "northing": place.northing}


@pytest.fixture
def community(org):
    return CommunityPersonFactory(unit=org["office_n"], address_latitude=53.7965, address_longitude=-1.5478)


def test_a_person_types_a_postcode_and_sees_the_nearest_food_bank_first(community, person_client):
    ServiceFactory(name="Far Food Bank", **near_postcode("LS1 4AP", 4000))
    ServiceFactory(name="Near Food Bank", **near_postcode("LS1 4AP", 200))
    ServiceFactory(name="Near Job Club", category=Category.WORK, **near_postcode("LS1 4AP", 100))
    response = person_client(community).get("/me/services/", {"postcode": "ls1 4ap", "category": "food"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "2 places near LS1 4AP" in body
    assert body.index("Near Food Bank") < body.index("Far Food Bank")
    assert "Near Job Club" not in body
    assert "200 m away" in body


def test_an_unknown_postcode_is_a_plain_error_on_the_page(community, person_client):
    response = person_client(community).get("/me/services/", {"postcode": "LS6 0QQ"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert "We could not find the postcode LS6 0QQ" in body


def test_near_my_home_and_near_where_i_am(community, person_client):
    ServiceFactory(name="Home Pantry", **position(100, 0))
    client = person_client(community)
    body = client.get("/me/services/", {"near": "home"}).content.decode()
    assert "1 place near your home" in body
    body = client.get("/me/services/", {"near": "here", "lat": "53.79651234", "lon": "-1.5478"}).content.decode()
    assert "1 place near where you are now" in body
    response = client.get("/me/services/", {"near": "here"})
    assert response.status_code == 400
    assert "Your phone did not share where you are" in response.content.decode()


def test_near_my_home_without_a_home_on_record(org, person_client):
    response = person_client(CommunityPersonFactory(unit=org["office_n"])).get("/me/services/", {"near": "home"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "We do not have your home on record" in body
    assert "Find services near my home" not in body


def test_the_entry_page_has_a_phone_link_opening_times_and_when_it_was_last_checked(community, person_client):
    service = ServiceFactory(
        name="Hope Pantry",
        phone="0113 496 0123",
        last_checked_on=dt.date(2026, 10, 1),
        what_to_bring="Proof of address",
    )
    body = person_client(community).get(f"/me/services/{service.pk}/").content.decode()
    assert 'href="tel:01134960123"' in body
    assert "Proof of address" in body
    assert "9am to 5pm" in body
    assert "Last checked on 1 October 2026." in body


def test_in_custody_the_phone_number_and_website_are_plain_text(org, person_client):
    service = ServiceFactory(phone="0113 496 0123", website="https://pantry.example.org")
    body = person_client(PersonFactory(unit=org["wing_a"])).get(f"/me/services/{service.pk}/").content.decode()
    assert "0113 496 0123" in body
    assert "tel:" not in body
    assert 'href="https://pantry.example.org"' not in body
    assert "https://pantry.example.org" in body


def test_a_person_reads_the_welsh_description_when_there_is_one(community, person_client):
    service = ServiceFactory(description="Free food parcels", description_cy="Parseli bwyd am ddim")
    client = person_client(community)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    body = client.get(f"/me/services/{service.pk}/").content.decode()
    assert "Parseli bwyd am ddim" in body
    assert "Free food parcels" not in body


def test_withdrawn_entries_are_not_shown_to_people(community, person_client):
    gone = ServiceFactory(name="Gone Pantry", state=ServiceState.WITHDRAWN, withdrawn_reason="Closed")
    client = person_client(community)
    assert "Gone Pantry" not in client.get("/me/services/", {"q": "pantry"}).content.decode()
    assert client.get(f"/me/services/{gone.pk}/").status_code == 403


def test_an_editor_adds_an_entry_with_opening_times_through_the_form(org, make_staff, staff_client):
    client = staff_client(make_staff(Role.CONTENT_EDITOR, org["north"]))
    form = {
        "name": "Chapel Lane Food Bank",
        "category": "food",
        "description": "Food parcels and a hot drink.",
        "address": "Chapel Lane, Northgate",
        "postcode": "ls6 1aa",
        "phone": "0113 496 0999",
        "hours_0": "09:00-12:00, 13:00-17:00",
        "hours_4": "20:00-02:00",
        "hours_6": "closed",
        "exceptions": "2026-12-25 closed Christmas Day\n2026-12-24 09:00-13:00 Christmas Eve",
    }
    response = client.post("/staff/directory/new/", form)
    assert response.status_code == 302, response.content.decode()[-2000:]
    service = Service.objects.get()
    assert service.postcode == "LS6 1AA"
    assert service.easting is not None
    assert service.opening_periods.count() == 3
    assert {e.date: e.closed for e in service.opening_exceptions.all()} == {
        dt.date(2026, 12, 25): True,
        dt.date(2026, 12, 24): False,
    }
    assert AuditEvent.objects.filter(action="directory.service_created").exists()
    edit = client.get(f"/staff/directory/{service.pk}/edit/").content.decode()
    assert "09:00-12:00, 13:00-17:00" in edit
    assert "2026-12-25 closed Christmas Day" in edit


def test_the_form_explains_opening_times_it_cannot_read(org, make_staff, staff_client):
    client = staff_client(make_staff(Role.CONTENT_EDITOR, org["north"]))
    response = client.post(
        "/staff/directory/new/",
        {
            "name": "X",
            "category": "food",
            "description": "Y",
            "address": "Z",
            "postcode": "LS6 1AA",
            "hours_0": "9 till 5",
        },
    )
    assert response.status_code == 400
    assert "Write hours like 09:00-17:00, or write closed" in response.content.decode()
    assert not Service.objects.exists()


def test_editors_mark_checked_withdraw_and_publish_from_the_entry_page(org, make_staff, staff_client):
    service = ServiceFactory(last_checked_on=dt.date(2025, 1, 1))
    client = staff_client(make_staff(Role.CONTENT_EDITOR, org["north"]))
    assert client.post(f"/staff/directory/{service.pk}/checked/").status_code == 302
    service.refresh_from_db()
    assert service.last_checked_on > dt.date(2025, 1, 1)
    client.post(f"/staff/directory/{service.pk}/withdraw/", {"reason": ""})
    service.refresh_from_db()
    assert service.state == ServiceState.PUBLISHED
    client.post(f"/staff/directory/{service.pk}/withdraw/", {"reason": "Moved away"})
    service.refresh_from_db()
    assert service.state == ServiceState.WITHDRAWN
    assert "Withdrawn: people cannot see this entry" in client.get(f"/staff/directory/{service.pk}/").content.decode()
    client.post(f"/staff/directory/{service.pk}/publish/")
    service.refresh_from_db()
    assert service.state == ServiceState.PUBLISHED


def test_other_staff_look_things_up_but_cannot_change_them(org, make_staff, staff_client):
    service = ServiceFactory(name="Hope Pantry")
    client = staff_client(make_staff(Role.PRACTITIONER, org["office_n"]))
    body = client.get("/staff/directory/").content.decode()
    assert "Hope Pantry" in body
    assert "Add a service" not in body
    assert "Mark as checked today" not in client.get(f"/staff/directory/{service.pk}/").content.decode()
    assert client.get("/staff/directory/new/").status_code == 403
    assert client.post(f"/staff/directory/{service.pk}/checked/").status_code == 403
    assert client.post(f"/staff/directory/{service.pk}/withdraw/", {"reason": "x"}).status_code == 403


def test_a_person_cannot_open_the_editors_pages(community, person_client):
    service = ServiceFactory()
    client = person_client(community)
    for path in ("/staff/directory/", "/staff/directory/new/", f"/staff/directory/{service.pk}/edit/"):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/staff/directory/{service.pk}/withdraw/", {"reason": "x"}).status_code == 403
    service.refresh_from_db()
    assert service.state == ServiceState.PUBLISHED


def test_editors_see_which_entries_are_due_a_check(org, make_staff, staff_client, settings):
    settings.DIRECTORY_CHECK_DUE_DAYS = 180
    ServiceFactory(name="Old Entry", last_checked_on=dt.date.today() - dt.timedelta(days=400))
    ServiceFactory(name="Fresh Entry", last_checked_on=dt.date.today())
    body = staff_client(make_staff(Role.CONTENT_EDITOR, org["north"])).get("/staff/directory/").content.decode()
    assert body.count("Due a check") == 1
    assert body.index("Old Entry") < body.index("Due a check")
