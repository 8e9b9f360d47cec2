"""The services directory in the browser: a person finds the nearest food bank by postcode and by
their phone's position, opens it and can ring it; an editor adds, checks and withdraws an entry.

Every page visited passes `page_check` (stylesheets, script errors, axe-core).
"""

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from onward.accounts.services import person_account_ensure
from onward.directory.models import Category, Service, ServiceState
from onward.directory.tests.factories import ServiceFactory
from onward.location.address import from_bng
from onward.location.postcodes import postcode_locate
from onward.organisations.models import Role
from onward.people.models import Person
from onward.people.tests.factories import CommunityPersonFactory
from tests.browser.checks import page_check, staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def near(postcode: str, east_m: float, north_m: float = 0.0) -> dict[str, float]:
    place = postcode_locate(postcode)
    easting, northing = place.easting + east_m, place.northing + north_m
    latitude, longitude = from_bng(easting, northing)
    return {"latitude": latitude, "longitude": longitude, "easting": easting, "northing": northing}


def test_a_person_types_their_postcode_and_opens_the_nearest_food_bank(page: Page, org: Any, live_server: Any) -> None:
    ServiceFactory(name="Riverside Food Bank", **near("LS1 4AP", 3500, 1000))
    ServiceFactory(name="Kirkgate Community Pantry", phone="0113 496 0720", **near("LS1 4AP", 250))
    ServiceFactory(name="Northgate Job Club", category=Category.WORK, **near("LS1 4AP", 50))
    person = CommunityPersonFactory(unit=org["office_n"], first_name="Aled")
    _person_sign_in(page, person, live_server.url)

    page.goto("/me/")
    page.get_by_role("link", name="Services near you").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Services near you")
    page_check(page, phone=True)
    page.get_by_label("Type of service").select_option("food")
    page.get_by_label("Your postcode").fill("ls1 4ap")
    page.get_by_test_id("find").click()

    results = page.get_by_test_id("result")
    expect(results).to_have_count(2)
    expect(results.first).to_contain_text("Kirkgate Community Pantry")
    expect(results.first).to_contain_text("250 m away")
    expect(results.nth(1)).to_contain_text("Riverside Food Bank")
    page_check(page, phone=True)

    page.get_by_role("link", name="Kirkgate Community Pantry").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kirkgate Community Pantry")
    expect(page.get_by_test_id("phone")).to_have_attribute("href", "tel:01134960720")
    expect(page.get_by_test_id("opening-times")).to_contain_text("9am to 5pm")
    expect(page.get_by_test_id("last-checked")).to_contain_text("Last checked on")
    page_check(page, phone=True)

    # An unknown postcode is a plain error the person can act on.
    page.goto("/me/services/")
    page.get_by_label("Your postcode").fill("LS6 0QQ")
    page.get_by_test_id("find").click()
    expect(page.get_by_role("alert")).to_contain_text("We could not find the postcode LS6 0QQ")
    page_check(page)


def test_a_person_uses_where_their_phone_is(page: Page, org: Any, live_server: Any) -> None:
    ServiceFactory(name="Kirkgate Community Pantry", **near("LS1 4AP", 250))
    ServiceFactory(name="Far Away Pantry", **near("LS1 4AP", 20000))
    _person_sign_in(page, CommunityPersonFactory(unit=org["office_n"]), live_server.url)
    here = postcode_locate("LS1 4AP")
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": here.latitude, "longitude": here.longitude})

    page.goto("/me/services/")
    page.get_by_role("button", name="Use where I am now").click()
    page.wait_for_url("**near=here**")
    expect(page.locator("#results")).to_contain_text("near where you are now")
    expect(page.get_by_test_id("result").first).to_contain_text("Kirkgate Community Pantry")
    assert "lat=53.795&" in page.url  # rounded to about 100 m before it left the phone
    page_check(page)


def test_an_editor_adds_checks_and_withdraws_an_entry(page: Page, org: Any, make_staff: Any) -> None:
    editor = make_staff(Role.CONTENT_EDITOR, org["north"])
    staff_sign_in(page, editor)
    page.goto("/staff/directory/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Services directory")
    page_check(page)
    page.get_by_role("button", name="Add a service").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a service")
    page_check(page)
    page.get_by_label("Name").fill("St Anne's Night Shelter")
    page.get_by_label("Type of service").select_option("housing")
    page.get_by_label("What they do", exact=True).fill("Beds for the night and breakfast.")
    page.get_by_label("Address").fill("St Anne's Yard, Northgate")
    page.get_by_label("Postcode").fill("LS1 4AP")
    page.get_by_label("Phone").fill("0113 496 0800")
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        page.get_by_label(day).fill("20:00-08:00")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("St Anne's Night Shelter")
    expect(page.get_by_test_id("opening-times")).to_contain_text("8pm to 8am (next day)")
    page_check(page)
    service = Service.objects.get(name="St Anne's Night Shelter")
    assert service.opening_periods.count() == 7

    page.get_by_role("button", name="Change").click()
    expect(page.get_by_label("Monday")).to_have_value("20:00-08:00")
    page_check(page)
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Mark as checked today").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Marked as checked today")
    page.get_by_label("Why is it being withdrawn?").fill("The shelter has moved")
    page.get_by_role("button", name="Withdraw").click()
    expect(page.get_by_role("main")).to_contain_text("Withdrawn: people cannot see this entry")
    page_check(page)
    service.refresh_from_db()
    assert service.state == ServiceState.WITHDRAWN


def _person_sign_in(page: Page, person: Person, base_url: str) -> None:
    """A person's session (their sign-in pages have their own browser tests), handed to the browser."""
    client = Client()
    client.force_login(person_account_ensure(person), backend="django.contrib.auth.backends.ModelBackend")
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])
