"""A practitioner screens a person for remote check-ins; a senior practitioner approves the screen; only
then may check-ins replace office visits.

Headless Chromium; every page is checked by `page_check` (axe-core included, and at phone size)."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from onward.checkins.models import Enrolment, OfficeVisits, Suitability, SuitabilityScreen
from onward.checkins.tests.factories import EnrolmentFactory, questionnaire_ensure
from onward.organisations.models import Role
from onward.people.models import AssignmentRole
from onward.people.tests.factories import CommunityPersonFactory, StaffAssignmentFactory
from tests.browser.checks import page_check, staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def questionnaire(transactional_db: None) -> None:
    questionnaire_ensure()


def test_a_screen_is_made_approved_by_a_senior_and_then_check_ins_may_replace_visits(
    page: Page, org: dict[str, Any], make_staff: Any
) -> None:
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    senior = make_staff(Role.SENIOR, org["pdu_n"])
    person = CommunityPersonFactory(unit=org["office_n"])
    StaffAssignmentFactory(person=person, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    EnrolmentFactory(person=person)
    staff_sign_in(page, practitioner)

    page.goto(f"/staff/people/{person.pk}/")
    page.get_by_role("link", name="Suitability screens").click()
    expect(page.get_by_role("heading", name="Suitability for remote check-ins", level=1)).to_be_visible()
    page_check(page, phone=True)
    page.get_by_role("button", name="Save screen").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    page_check(page)
    for question in (
        "Is their risk of serious harm (RoSH) very high?",
        "Is there domestic abuse in their case?",
        "Is there sexual offending in their case?",
        "Are they under 18 (a youth case)?",
        "Are there child protection concerns?",
    ):
        page.get_by_role("group", name=question).get_by_label("No").check()
    page.get_by_role("group", name="What is their MAPPA level?").get_by_label("Level 1").check()
    page.get_by_label("Why you gave these answers").fill("Settled at home, working, no concerns from the police.")
    page.get_by_role("button", name="Save screen").click()
    expect(page.get_by_text("A senior practitioner needs to approve it.")).to_be_visible()
    page_check(page)
    assert SuitabilityScreen.objects.get(person=person).outcome == Suitability.SUITABLE

    page.context.clear_cookies()
    staff_sign_in(page, senior)
    page.goto(f"/staff/people/{person.pk}/check-ins/suitability/")
    page.get_by_label("Why you approve this screen").fill("Agreed in supervision today.")
    page.get_by_role("button", name="Approve this screen").click()
    expect(page.get_by_text("You approved the screen.")).to_be_visible()
    expect(page.get_by_test_id("modes-allowed")).to_contain_text("can replace some office visits")
    page_check(page)

    page.goto(f"/staff/people/{person.pk}/check-ins/")
    page.get_by_label("Office visits").select_option(OfficeVisits.REPLACES)
    page.locator("#id_office_visits_reason").fill("Weekly check-ins instead of fortnightly visits.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Check-ins are set up")).to_be_visible()
    assert Enrolment.objects.get(person=person).office_visits == OfficeVisits.REPLACES
