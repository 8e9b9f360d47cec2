"""One case from start to finish, in headless Chromium (issue 11): a practitioner adds a person, sets up
their check-ins with a reference photo, the check-in is missed, and the practitioner finds it on the
caseload (who needs attention) and on the alerts page, acknowledges the alert and closes it with a reason.

Time moves by the real scheduled jobs called with a chosen clock (`checkins_create_due(today=…)`, then
`checkins_expire(now=…)` at the end of the window), never by waiting. Every page is checked by
`page_check` (axe-core, no sideways scrolling at 360 px). The person is synthetic; the reference photo is
the biometrics tests' public-domain portrait (see onward/biometrics/tests/fixtures/PROVENANCE.md).
"""

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from onward.alerts.models import Alert, AlertKind, AlertState
from onward.checkins import services as checkin_services
from onward.checkins.models import CheckIn, State
from onward.checkins.tests.factories import questionnaire_ensure
from onward.organisations.models import Role
from onward.people.models import Person
from tests.browser.checks import PHONE_VIEWPORT, page_check, staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXTURES = Path(__file__).resolve().parents[2] / "onward" / "biometrics" / "tests" / "fixtures"


def test_a_practitioner_adds_a_person_enrols_them_and_closes_the_missed_check_in_alert(
    page: Page, org: dict[str, Any], make_staff: Any
) -> None:
    questionnaire_ensure()
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"], first_name="Sam", last_name="Ellis")
    staff_sign_in(page, practitioner)

    # 1. Add the person.
    page.goto("/staff/")
    page.get_by_role("button", name="Add a person").click()
    page.wait_for_url("**/staff/people/new/")
    page.get_by_label("First name").fill("Synthetic")
    page.get_by_label("Last name").fill("Journeycase")
    page.get_by_label("Date of birth").fill("14 09 1988")
    page.get_by_label("Case reference number (CRN)").fill("X700011")
    page.get_by_label("Status").select_option("licence")
    page.get_by_label("Prison, wing or probation office").select_option(label="Northgate office")
    page.get_by_label("Address line 1").fill("4 Quarry Street")
    page.get_by_label("Postcode").fill("LS1 3ED")
    page.get_by_role("button", name="Add person").click()
    person = Person.objects.get(crn="X700011")
    page.wait_for_url(f"**/staff/people/{person.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Synthetic Journeycase")

    # 2. Set up weekly check-ins, starting today, with a reference photo.
    page.get_by_role("button", name="Check-ins").click()
    page.wait_for_url(f"**/staff/people/{person.pk}/check-ins/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Remote check-ins")
    page_check(page)
    page.get_by_label("Reference photo").set_input_files(str(FIXTURES / "obama_1.jpg"))
    page.get_by_label("How often").select_option("weekly")
    page.get_by_label("Hours they have to respond").fill("48")
    page.get_by_label("How we tell them").select_option("in_app")
    page.get_by_label("Office visits").select_option("supplements")
    page.get_by_role("textbox", name="Reason").fill("Synthetic journey: weekly check-ins between office visits.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Check-ins are set up for Synthetic Journeycase.")).to_be_visible()
    page_check(page)

    # 3. Today's check-in is made by the scheduled job, then its window ends with nothing sent.
    today = timezone.localdate()
    assert checkin_services.checkins_create_due(today=today) == {"due": 1, "created": 1}
    checkin = CheckIn.objects.get(person=person)
    assert checkin.closes_at - checkin.opens_at == dt.timedelta(hours=48)
    assert checkin_services.checkins_expire(now=checkin.closes_at - dt.timedelta(seconds=1)) == {"expired": 0}
    assert checkin_services.checkins_expire(now=checkin.closes_at) == {"expired": 1}
    checkin.refresh_from_db()
    assert checkin.state == State.EXPIRED
    alert = Alert.objects.get(person=person)
    assert alert.kind == AlertKind.CHECKIN_MISSED
    assert alert.assigned_unit == org["office_n"]  # nobody is assigned to the case yet: the office's team

    # 4. The caseload, filtered to who needs attention, shows why.
    page.goto("/staff/")
    page.get_by_label("Only people who need attention today").check()
    page.get_by_role("button", name="Search").click()
    row = page.get_by_role("row").filter(has_text="Journeycase")
    expect(row).to_contain_text("Urgent alert")
    expect(row).to_contain_text("Missed check-in")
    page_check(page, phone=True)

    # 5. The alert is on the team's alerts page; acknowledged, then closed with a decision and a reason.
    page.get_by_role("link", name=re.compile(r"^Alerts")).first.click()
    page.wait_for_url("**/staff/alerts/")
    page.get_by_label("Whose alerts").select_option("team")
    page.get_by_role("button", name="Show alerts").click()
    expect(page.get_by_role("table")).to_contain_text("Journeycase")
    page_check(page, phone=True)
    page.get_by_role("link", name="Missed check-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Missed check-in")
    _fits_a_narrow_phone(page)
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("You have acknowledged this alert.")).to_be_visible()
    page.get_by_label("No further action").check()
    page.get_by_label("Reason for your decision").fill("Synthetic: rang them; the phone was lost and is replaced.")
    page.get_by_role("button", name="Close alert").click()
    expect(page.get_by_text("The alert is closed with your decision.")).to_be_visible()
    page_check(page)

    alert.refresh_from_db()
    assert alert.state == AlertState.CLOSED
    assert alert.acknowledged_by == practitioner
    assert alert.closed_by == practitioner
    assert (alert.decision, alert.reason) == ("no_action", "Synthetic: rang them; the phone was lost and is replaced.")

    # Closed, the alert no longer makes them need attention; the missed check-in still does until it is closed.
    page.goto("/staff/?needs_attention=on")
    row = page.get_by_role("row").filter(has_text="Journeycase")
    expect(row).not_to_contain_text("Urgent alert")
    expect(row).to_contain_text("Missed check-in")


def _fits_a_narrow_phone(page: Page) -> None:
    """At 360 pixels wide (a small Android phone) the page does not scroll sideways."""
    desktop = page.viewport_size
    page.set_viewport_size(PHONE_VIEWPORT)
    try:
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 360px wide"
    finally:
        page.set_viewport_size(desktop or {"width": 1280, "height": 900})
