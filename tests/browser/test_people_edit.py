"""People by hand, in headless Chromium: a practitioner adds a person with a postcode and reads the record;
a POM records a release with an activation letter and gets a confirmation, not a refusal."""

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from onward.organisations.models import Role
from onward.people.models import AssignmentRole, Person, Status
from onward.people.tests.factories import PersonFactory, StaffAssignmentFactory
from tests.browser.checks import page_check, staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_practitioner_adds_a_person_with_a_postcode_and_sees_the_record(
    page: Page, org: Any, make_staff: Any
) -> None:
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"], first_name="Sam", last_name="Ellis")
    staff_sign_in(page, practitioner)
    page.goto("/staff/")
    page.get_by_role("button", name="Add a person").click()
    page.wait_for_url("**/staff/people/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a person")
    page_check(page, phone=True)

    page.get_by_label("First name").fill("Synthetic")
    page.get_by_label("Last name").fill("Browseradded")
    page.get_by_label("Date of birth").fill("03 02 1991")
    page.get_by_label("Case reference number (CRN)").fill("x 700 003")
    page.get_by_label("Status").select_option("licence")
    page.get_by_label("Prison, wing or probation office").select_option(label="Northgate office")
    page.get_by_label("Address line 1").fill("21 Quarry Street")
    page.get_by_label("Postcode").fill("ZZ9 9ZZ")  # not a real postcode: the page says so and keeps the rest
    page.get_by_label("Licence end date").fill("01 06 2027")
    page.get_by_role("button", name="Add person").click()

    expect(page.get_by_role("alert")).to_contain_text("We could not find the postcode ZZ9 9ZZ")
    expect(page.get_by_label("Last name")).to_have_value("Browseradded")
    page_check(page)
    page.get_by_label("Postcode").fill("ls1 3ed")
    page.get_by_role("button", name="Add person").click()

    person = Person.objects.get(crn="X700003")
    page.wait_for_url(f"**/staff/people/{person.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Synthetic Browseradded")
    summary = page.get_by_role("heading", name="Summary").locator("xpath=following-sibling::dl[1]")
    expect(summary).to_contain_text("LS1 3ED")
    expect(summary).to_contain_text("Position: postcode centre, about 100 m")
    page_check(page, phone=True)
    assert person.address_latitude is not None


def test_a_pom_records_a_release_with_an_activation_letter(page: Page, org: Any, make_staff: Any) -> None:
    pom = make_staff(Role.POM, org["ngt"], first_name="Priya", last_name="Pomtest")
    make_staff(Role.PRACTITIONER, org["office_n"], first_name="Paula", last_name="Practest")
    person = PersonFactory(unit=org["wing_a"], first_name="Synthetic", last_name="Releasee")
    StaffAssignmentFactory(person=person, staff=pom, role=AssignmentRole.POM)
    staff_sign_in(page, pom)
    page.goto(f"/staff/people/{person.pk}/")
    page.get_by_role("button", name="Record release").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record release")
    page_check(page, phone=True)

    page.get_by_label("Released on").select_option("licence")
    page.get_by_label("Supervised by").select_option(label="Northgate office")
    page.get_by_label("Probation practitioner").select_option(label="Paula Practest")
    page.get_by_label("Address line 1").fill("2 New Road")
    page.get_by_label("Postcode").fill("LS1 3ED")
    page.get_by_label("Not checked: I will print an activation letter").check()
    page.get_by_label("Print an activation letter now").check()
    page.get_by_role("button", name="Record release", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Release recorded")
    expect(page.get_by_test_id("activation-code")).to_have_text(re.compile(r"^[A-Z0-9]{5}-[A-Z0-9]{5}$"))
    expect(page.get_by_role("main")).to_contain_text("Paula Practest")
    expect(page.get_by_role("main")).to_contain_text("They are no longer on your caseload")
    page_check(page, phone=True)
    person.refresh_from_db()
    assert person.status == Status.LICENCE
