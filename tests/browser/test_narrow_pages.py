"""The staff pages that were widest on a 360 px phone, with the demo's own data, in headless Chromium.

On day one the text message log was 669 px wide, licences not confirmed 555, course completion 510,
a person's learning page 464 and a staff person record 382. `page_check` now checks every page at
360 px; this journey visits those pages with real content in them (long links, long names, codes).
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page

from onward.accounts.services import sign_in_link_issue
from onward.accounts.tests.factories import totp_code
from onward.demo.seed import DEMO_COMMUNITY_PHONE, DEMO_PASSWORD, demo_seed, demo_totp_device
from onward.learning.models import Course
from onward.notifications.services import notification_queue
from onward.people.models import Person
from tests.browser.checks import page_check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_widest_staff_pages_fit_a_small_phone(page: Page) -> None:
    assert demo_seed()
    aled = Person.objects.get(phone=DEMO_COMMUNITY_PHONE)
    # A text message with a sign-in link in it, as reminders send: the log's longest word.
    link = sign_in_link_issue(
        user=aled.account,
        purpose="appointment_reminder",
        next_url="/me/appointments/",
        expires_at=timezone.now() + timedelta(days=1),
    )
    notification_queue(
        channel="sms",
        recipient=aled.phone,
        person=aled,
        body=f"Reminder: see your appointment {settings.PUBLIC_BASE_URL}{link}",
    )
    call_command("run_worker", "--batch")  # the worker writes it to the text message log
    course = Course.objects.filter(published=True).first()
    assert course is not None

    _sign_in(page, "practitioner@onward.example")
    for path in [
        "/staff/licence/not-confirmed/",
        "/staff/learning/",
        f"/staff/learning/courses/{course.pk}/",
        f"/staff/people/{aled.pk}/learning/",
        f"/staff/people/{aled.pk}/",
    ]:
        page.goto(path)
        page_check(page)

    _sign_in(page, "admin@onward.example")
    page.goto("/staff/notifications/sms-log/")
    # Links in texts are hidden on this page (they would sign anyone in); the long reminder texts remain.
    assert page.locator("td", has_text="Reminder").count() > 0, "The log should hold reminders."
    page_check(page)


def _sign_in(page: Page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/sign-in/code/")
    device = demo_totp_device(email)
    assert device is not None
    page.get_by_label("Code from your authenticator app").fill(totp_code(device))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/staff/**")
