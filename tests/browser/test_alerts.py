"""A practitioner's alerts, end to end in headless Chromium: a missed check-in raises an alert; the
practitioner finds it (the menu counts it), acknowledges it, adds a note and closes it with a decision
and a reason. Every page is checked by `page_check` (axe-core included), the list at phone size too."""

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from onward.alerts.models import Alert, AlertState
from onward.checkins import services as checkin_services
from onward.checkins.tests.factories import CheckInFactory, EnrolmentFactory, questionnaire_ensure
from onward.organisations.models import Role
from onward.people.models import AssignmentRole
from onward.people.tests.factories import CommunityPersonFactory, StaffAssignmentFactory
from tests.browser.checks import page_check, staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NARROW_PHONE = {"width": 360, "height": 740}


def test_a_practitioner_acknowledges_notes_and_closes_a_missed_check_in_alert(
    page: Page, org: dict[str, Any], make_staff: Any
) -> None:
    questionnaire_ensure()
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    person = CommunityPersonFactory(unit=org["office_n"], first_name="Synthetic", last_name="Missedcheckin")
    StaffAssignmentFactory(person=person, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    now = timezone.now()
    CheckInFactory(
        enrolment=EnrolmentFactory(person=person),
        opens_at=now - dt.timedelta(hours=73),
        closes_at=now - dt.timedelta(minutes=1),
    )
    assert checkin_services.checkins_expire() == {"expired": 1}  # the job that runs every five minutes

    staff_sign_in(page, practitioner)
    expect(page.get_by_role("link", name=re.compile(r"Alerts\s*1"))).to_be_visible()  # the count in the menu
    page.get_by_role("link", name=re.compile(r"Alerts")).first.click()
    page.wait_for_url("**/staff/alerts/")
    page_check(page, phone=True)
    expect(page.get_by_role("table")).to_contain_text("Missedcheckin")
    _fits_a_narrow_phone(page)
    page.get_by_role("link", name="Missed check-in").click()
    page_check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Missed check-in")
    expect(page.get_by_role("link", name=re.compile("Check-in due"))).to_be_visible()  # what caused it
    _fits_a_narrow_phone(page)

    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("You have acknowledged this alert.")).to_be_visible()
    page_check(page)

    page.get_by_label("Add a note").fill("Rang him at 10:15; his phone was off.")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_text("Rang him at 10:15; his phone was off.")).to_be_visible()

    # Closing without a reason is refused in plain words, and the choice made is kept.
    page.get_by_label("Action taken").check()
    page.get_by_role("button", name="Close alert").click()
    expect(page.get_by_role("alert")).to_contain_text("Give a reason for your decision.")
    page_check(page)
    expect(page.get_by_label("Action taken")).to_be_checked()
    page.get_by_label("Reason for your decision").fill("He came to the office the same day; the phone was broken.")
    page.get_by_role("button", name="Close alert").click()
    expect(page.get_by_text("The alert is closed with your decision.")).to_be_visible()
    page_check(page)

    alert = Alert.objects.get(person=person)
    assert alert.state == AlertState.CLOSED
    assert alert.acknowledged_by == practitioner
    assert (alert.decision, alert.reason) == (
        "action_taken",
        "He came to the office the same day; the phone was broken.",
    )
    assert [n.text for n in alert.notes.all()] == ["Rang him at 10:15; his phone was off."]
    page.goto("/staff/alerts/")
    expect(page.get_by_text("There are no alerts to show.")).to_be_visible()


def _fits_a_narrow_phone(page: Page) -> None:
    """At 360 pixels wide (a small Android phone) the page does not scroll sideways."""
    desktop = page.viewport_size
    page.set_viewport_size(NARROW_PHONE)
    try:
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 360px wide"
    finally:
        page.set_viewport_size(desktop or {"width": 1280, "height": 900})
