"""The installed web app in the browser: the manifest, the service worker, and "Notifications on this phone".

Headless Chromium at http://localhost is a secure context, so the service worker registers for real.
Every page visited passes `page_check` (stylesheets, script errors, axe-core).
"""

from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from playwright.sync_api import Page, expect

from onward.accounts.models import PinCredential
from onward.accounts.services import person_account_ensure
from onward.notifications.tests.push_keys import vapid_pair
from onward.people.tests.factories import PersonFactory
from tests.browser.checks import page_check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PIN = "482913"


def test_a_person_finds_notifications_on_this_phone_and_the_service_worker_runs(
    page: Page, org: Any, settings: Any, live_server: Any
) -> None:
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = settings.VAPID_SUBJECT = ""
    person = PersonFactory(unit=org["wing_a"], first_name="Dylan")
    PinCredential.objects.create(user=person_account_ensure(person), pin_hash=make_password(PIN))
    page.context.grant_permissions(["notifications"])

    page.goto("/me/sign-in/")
    page.get_by_label("Prison number").fill(person.prison_number or "")
    page.get_by_label("PIN").fill(PIN)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/me/")
    assert page.locator('link[rel="manifest"]').get_attribute("href") == "/manifest.webmanifest"
    # In custody the home page does not offer it (no phone of their own, Person.offers); the page still works.
    expect(page.get_by_role("link", name="Notifications on this phone")).to_have_count(0)
    page.goto("/me/notifications/")

    # Without VAPID keys the service offers no push, and says so plainly.
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications on this phone")
    expect(page.get_by_test_id("push-unavailable")).to_contain_text("does not send notifications to phones yet")
    expect(page.get_by_role("button", name="Turn on notifications")).to_be_hidden()
    page_check(page, phone=True)

    worker = page.evaluate(
        """async () => {
            const registration = await navigator.serviceWorker.ready;
            return {script: registration.active.scriptURL, scope: registration.scope};
        }"""
    )
    assert worker == {"script": f"{live_server.url}/sw.js", "scope": f"{live_server.url}/"}

    # With keys, a browser that has push gets the button instead of the explanation.
    pair = vapid_pair()
    settings.VAPID_PRIVATE_KEY = pair.private
    settings.VAPID_PUBLIC_KEY = pair.public
    settings.VAPID_SUBJECT = "mailto:onward-team@example.org"
    page.reload()
    expect(page.get_by_role("button", name="Turn on notifications")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Notifications are off for this phone.")
    expect(page.get_by_test_id("push-unavailable")).to_be_hidden()
    page_check(page, phone=True)
