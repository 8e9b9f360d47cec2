"""Appointments in the browser: staff book, the reminder reaches the text message log, the person confirms.

Every page visited passes `page_check` (stylesheets, script errors, axe-core).
"""

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from onward.accounts.models import Role
from onward.accounts.services import person_account_ensure
from onward.appointments.models import Appointment
from onward.appointments.reminders import reminders_send
from onward.people.models import AssignmentRole
from onward.people.tests.factories import CommunityPersonFactory, StaffAssignmentFactory
from tests.browser.checks import page_check, staff_sign_in

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
    body = page.get_by_role("table").inner_text()
    link = re.search(r"https?://[^/\s]+(/me/link/[^/\s]+/)", body)
    assert link is not None

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


def _ordinary_weekday(day: dt.date) -> dt.date:
    """A day that is no bank holiday (the booking page would warn first)."""
    from onward.appointments.services import bank_holidays_on

    while bank_holidays_on(day):
        day += dt.timedelta(days=1)
    return day
