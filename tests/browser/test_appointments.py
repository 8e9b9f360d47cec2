"""Appointments in the browser: staff book, the reminder reaches the text message log, the person confirms.

Every page visited passes `page_check` (stylesheets, script errors, axe-core).
"""

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from onward.accounts.services import person_account_ensure, sign_in_link_issue
from onward.appointments.models import Appointment, Slot, SlotState
from onward.notifications.reminders import reminders_send
from onward.organisations.models import Role
from onward.people.models import AssignmentRole
from onward.people.tests.factories import CommunityPersonFactory, StaffAssignmentFactory
from tests.browser.checks import PHONE_VIEWPORT, page_check, screenshot, staff_sign_in, watch_for_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_book_the_reminder_is_logged_and_the_person_confirms(
    page: Page, org: Any, make_staff: Any, settings: Any, tmp_path: Any
) -> None:
    settings.SMS_LOG_PATH = tmp_path / "sms.log"
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"], first_name="Sam", last_name="Ellis")
    admin = make_staff(Role.ADMINISTRATOR, org["north"])
    person = CommunityPersonFactory(unit=org["office_n"], first_name="Carys", last_name="Pendlebury")
    StaffAssignmentFactory(person=person, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    person_account_ensure(person)
    day = _ordinary_weekday(timezone.localdate() + dt.timedelta(days=5))

    staff_sign_in(page, practitioner)
    page.goto(f"/staff/people/{person.pk}/")
    page_check(page)
    page.get_by_role("link", name="Book an appointment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book an appointment")
    page_check(page)
    page.get_by_label("Type of appointment").select_option("supervision")
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("10:45")
    page.get_by_label("Address").fill("Northgate probation office, 2 High Street")
    page.get_by_role("button", name="Book appointment").click()

    page.wait_for_url(re.compile(r"/staff/appointments/\?date="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your diary")
    expect(page.get_by_role("table")).to_contain_text("Carys Pendlebury")
    page_check(page, phone=True)
    page.get_by_role("link", name="10:00–10:45").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supervision with your probation practitioner")
    page_check(page)
    page.goto("/staff/appointments/?view=week&date=" + day.isoformat())
    page_check(page)
    page.goto("/staff/appointments/calendar/")
    page_check(page)

    # The 48-hour reminder becomes due; the scheduler's job sends it to the log channel.
    appointment = Appointment.objects.get(person=person)
    assert reminders_send(now=appointment.starts_at - dt.timedelta(hours=47))["sent"] == 1

    page.context.clear_cookies()
    staff_sign_in(page, admin)
    page.goto("/staff/notifications/sms-log/")
    expect(page.get_by_role("table")).to_contain_text("Reminder: Supervision with your probation practitioner")
    page_check(page)
    # The page hides the link (it would sign anyone in as the person); the log file has the text as sent.
    body = (tmp_path / "sms.log").read_text()
    link = re.search(r"https?://[^/\s]+(/me/link/[^/\s]+/)", body)
    assert link is not None
    assert link.group(1) not in page.get_by_role("table").inner_text()

    page.context.clear_cookies()
    page.goto(link.group(1))
    page_check(page, phone=True)
    page.get_by_label("Day").fill(str(person.date_of_birth.day))
    page.get_by_label("Month").fill(str(person.date_of_birth.month))
    page.get_by_label("Year").fill(str(person.date_of_birth.year))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"**/me/appointments/{appointment.pk}/")
    page_check(page, phone=True)
    page.get_by_role("button", name="I will be there").click()
    expect(page.get_by_test_id("confirmed")).to_be_visible()
    page_check(page, phone=True)
    appointment.refresh_from_db()
    assert appointment.confirmed_at is not None

    page.goto("/me/appointments/")
    expect(page.get_by_test_id("upcoming-appointment")).to_contain_text("Supervision")
    page_check(page, phone=True)
    page.goto(f"/me/appointments/{appointment.pk}/rearrange/")
    page_check(page, phone=True)
    page.goto("/me/appointments/calendar/")
    page_check(page, phone=True)


def test_the_practitioner_opens_times_and_the_person_books_one(
    page: Page, browser: Browser, live_server: Any, org: Any, make_staff: Any
) -> None:
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"], first_name="Sam", last_name="Ellis")
    person = CommunityPersonFactory(unit=org["office_n"], first_name="Carys", last_name="Pendlebury")
    StaffAssignmentFactory(person=person, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    day = _ordinary_weekday(timezone.localdate() + dt.timedelta(days=6))

    staff_sign_in(page, practitioner)
    page.goto("/staff/appointments/")
    page.get_by_role("link", name="Times people can book").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Times people can book")
    page_check(page)
    page.get_by_role("button", name="Open times to book").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open times to book")
    page_check(page)
    page.get_by_label("Type of appointment").select_option("supervision")
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("From").fill("10:00")
    page.get_by_label("Until").fill("12:00")
    page.get_by_label("Length of each slot").select_option("30")
    page.get_by_label("Address").fill("Northgate probation office, 2 High Street")
    page.get_by_role("button", name="Open times").click()
    page.wait_for_url("**/staff/appointments/slots/")
    expect(page.get_by_test_id("slots-table")).to_contain_text("10:00–10:30")
    expect(page.get_by_test_id("slots-table")).to_contain_text("11:30–12:00")
    page_check(page, phone=True)
    assert Slot.objects.filter(staff=practitioner, state=SlotState.OPEN).count() == 4

    # The person opens a sign-in link (as from a text message) on their phone and books the 10:30 slot.
    link = sign_in_link_issue(
        user=person_account_ensure(person),
        purpose="appointment_slots",
        next_url="/me/appointments/book/",
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    phone_context = browser.new_context(
        base_url=live_server.url, viewport=PHONE_VIEWPORT, locale="en-GB", timezone_id="Europe/London"
    )
    try:
        phone = phone_context.new_page()
        watch_for_problems(phone)
        _person_books_the_second_slot(phone, person, link)
    finally:
        phone_context.close()
    appointment = Appointment.objects.get(person=person)
    assert timezone.localtime(appointment.starts_at).strftime("%H:%M") == "10:30"

    # The practitioner (still signed in) sees it booked and withdraws it, with a reason.
    page.goto("/staff/appointments/slots/")
    expect(page.get_by_test_id("slots-table")).to_contain_text("Carys Pendlebury")
    screenshot(page, "slots-staff-list")
    page.get_by_role("link", name=re.compile("Withdraw the time .* 10:30")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw a time")
    page_check(page)
    page.get_by_label("Reason").fill("Office closed for training")
    page.get_by_role("button", name="Withdraw this time").click()
    page.wait_for_url("**/staff/appointments/slots/")
    appointment.refresh_from_db()
    assert appointment.state == "cancelled"


def _person_books_the_second_slot(phone: Page, person: Any, link: str) -> None:
    phone.goto(link)
    phone.get_by_label("Day").fill(str(person.date_of_birth.day))
    phone.get_by_label("Month").fill(str(person.date_of_birth.month))
    phone.get_by_label("Year").fill(str(person.date_of_birth.year))
    phone.get_by_role("button", name="Continue").click()
    phone.wait_for_url("**/me/appointments/book/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Book a time")
    expect(phone.get_by_test_id("open-slot")).to_have_count(4)
    page_check(phone, phone=True)
    screenshot(phone, "slots-person-choose", phone=True)
    phone.get_by_test_id("open-slot").nth(1).get_by_role("link").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Check the time")
    expect(phone.get_by_role("main")).to_contain_text("10:30")
    page_check(phone, phone=True)
    screenshot(phone, "slots-person-check", phone=True)
    phone.get_by_role("button", name="Book this time").click()
    phone.wait_for_url(re.compile(r"/me/appointments/\d+/$"))
    expect(phone.get_by_role("main")).to_contain_text("You have booked this appointment")
    page_check(phone, phone=True)
    phone.goto("/me/appointments/")
    expect(phone.get_by_test_id("upcoming-appointment")).to_contain_text("Supervision")
    phone.goto("/me/appointments/book/")
    expect(phone.get_by_test_id("open-slot")).to_have_count(3)


def _ordinary_weekday(day: dt.date) -> dt.date:
    """A day that is no bank holiday (the booking page would warn first)."""
    from onward.appointments.services import bank_holidays_on

    while bank_holidays_on(day):
        day += dt.timedelta(days=1)
    return day
