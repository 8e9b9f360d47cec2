"""The main journeys of staff and people, driven through real pages in headless Chromium.

Each page a journey reaches is checked by `page_check` (stylesheets, script errors, axe-core), and at
least one page of each journey at a small phone's size too.
"""

import base64
import re
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import translation
from django.utils.formats import date_format
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from onward.accounts.models import PinCredential
from onward.accounts.services import authenticator_enrolment_issue, person_account_ensure
from onward.accounts.tests.factories import TEST_PASSWORD, StaffFactory, StaffRoleFactory, totp_code
from onward.organisations.models import Role
from onward.people.models import AssignmentRole, Person
from onward.people.tests.factories import (
    CommunityPersonFactory,
    LicenceVersionFactory,
    PersonFactory,
    StaffAssignmentFactory,
)
from tests.browser.checks import page_check, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PIN = "4821"
WRONG_PIN = "1111"
PIN_FAILURE_LIMIT = 5
WRONG_PIN_MESSAGE = "The prison number or PIN is not right. Check them and try again."
WAIT_PIN_MESSAGE = (
    "The PIN was wrong too many times. Wait 1 minute and try again, or ask a member of staff to reset it."
)


def test_practitioner_signs_in_finds_a_person_and_reads_their_record(page: Page, org: Any, make_staff: Any) -> None:
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"], first_name="Sam", last_name="Ellis")
    person = CommunityPersonFactory(unit=org["office_n"], first_name="Carys", last_name="Pendlebury")
    LicenceVersionFactory(person=person, number=1)
    StaffAssignmentFactory(person=person, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    for first, last in [("Owen", "Tranter"), ("Ffion", "Bassett"), ("Liam", "Okafor")]:
        CommunityPersonFactory(unit=org["office_n"], first_name=first, last_name=last)

    page.goto("/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff sign in")
    page_check(page, phone=True)
    page.get_by_label("Email address").fill(practitioner.username)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/sign-in/code/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    page_check(page)
    page.get_by_label("Code from your authenticator app").fill(totp_code(practitioner.totpdevice_set.get()))
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url("**/staff/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Caseload")
    expect(page.get_by_role("status")).to_have_text("4 people")
    page_check(page, phone=True)
    screenshot(page, "caseload-desktop")

    page.get_by_label("Name, prison number or CRN").fill("Pendlebury")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/staff/\?q=Pendlebury"))
    expect(page.get_by_role("status")).to_have_text("1 person")
    page_check(page)
    page.get_by_role("link", name="Pendlebury, Carys").click()

    page.wait_for_url(f"**/staff/people/{person.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Carys Pendlebury")
    key_dates = page.get_by_role("heading", name="Key dates").locator("xpath=following-sibling::dl[1]")
    expect(key_dates).to_contain_text("Licence end date")
    expect(key_dates).to_contain_text(_long_date(person.licence_expiry_date))
    expect(key_dates).to_contain_text(_long_date(person.release_date))
    conditions = page.get_by_role("heading", name="Licence conditions").locator("xpath=following-sibling::ol[1]")
    expect(conditions.get_by_role("listitem")).to_have_count(person.licence_versions.get().conditions.count())
    expect(conditions).to_contain_text("Do not commit any offence.")
    page_check(page, phone=True)

    # The activation code letter prints without the staff pages around it, and gives the public address.
    page.get_by_role("button", name="Print an activation code").click()
    expect(page.get_by_test_id("activation-code")).to_be_visible()
    page_check(page)
    page.emulate_media(media="print")
    try:
        printed = page.evaluate("() => document.body.innerText")
        for hidden in (".govuk-template__header", ".govuk-template__footer", ".onward-no-print"):
            expect(page.locator(hidden).first).to_be_hidden()
        assert "Caseload" not in printed
        assert settings.PUBLIC_BASE_URL.removeprefix("https://") in printed
        link_addresses = page.evaluate(
            "() => [...document.querySelectorAll('a[href]')].map(a => getComputedStyle(a, '::after').content)"
        )
        assert all(content in ("none", "normal", '""') for content in link_addresses), link_addresses
    finally:
        page.emulate_media(media="screen")


def test_staff_without_an_authenticator_sets_one_up_and_signs_in(page: Page, org: Any, make_staff: Any) -> None:
    worker = StaffFactory(first_name="Kim", last_name="Walker")
    StaffRoleFactory(user=worker, role=Role.KEY_WORKER, unit=org["ngt"])
    set_up_code = authenticator_enrolment_issue(actor=make_staff(Role.ADMINISTRATOR, org["north"]), user=worker)

    page.goto("/sign-in/")
    page_check(page)
    page.get_by_label("Email address").fill(worker.username)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/sign-in/set-up-code/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    page_check(page, phone=True)
    page.get_by_label("Set-up code from your administrator").fill(set_up_code)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_test_id("totp-secret")).to_be_visible()
    page_check(page, phone=True)
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Code from your authenticator app").fill(_authenticator_code(secret))
    page.get_by_role("button", name="Confirm and sign in").click()

    page.wait_for_url("**/staff/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Caseload")
    page_check(page)
    assert TOTPDevice.objects.get(user=worker).confirmed


def test_person_in_custody_signs_in_and_sees_their_home_page(page: Page, org: Any, make_staff: Any) -> None:
    key_worker = make_staff(Role.KEY_WORKER, org["ngt"], first_name="Kim", last_name="Walker")
    person = _person_in_custody(org, first_name="Daniel", last_name="Hughes")
    StaffAssignmentFactory(person=person, staff=key_worker, role=AssignmentRole.KEY_WORKER)

    _person_sign_in(page, person.prison_number, PIN)

    page.wait_for_url("**/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Daniel")
    label, when = person.next_key_date()
    expect(page.get_by_test_id("next-date")).to_have_text(f"{label}: {_long_date(when)}")
    expect(page.get_by_text("Key worker: Kim Walker")).to_be_visible()
    page_check(page, phone=True)
    screenshot(page, "person-home-phone", phone=True)


def test_five_wrong_pins_make_the_next_try_wait(page: Page, org: Any) -> None:
    person = _person_in_custody(org, first_name="Rhys", last_name="Morgan")

    page.goto("/me/sign-in/")
    page_check(page, phone=True)
    for attempt in range(1, PIN_FAILURE_LIMIT + 1):
        _fill_pin_form(page, person.prison_number, WRONG_PIN)
        expected = WAIT_PIN_MESSAGE if attempt == PIN_FAILURE_LIMIT else WRONG_PIN_MESSAGE
        expect(page.get_by_role("alert")).to_contain_text(expected)
        expect(page).to_have_title(re.compile(r"^Error: Sign in"))
        page_check(page, phone=attempt == PIN_FAILURE_LIMIT)

    _fill_pin_form(page, person.prison_number, PIN)
    expect(page.get_by_role("alert")).to_contain_text(WAIT_PIN_MESSAGE)
    expect(page.get_by_role("alert")).to_contain_text("ask a member of staff to reset it.")
    assert page.url.endswith("/me/sign-in/")
    page_check(page)
    assert PinCredential.objects.get(user__person=person).is_locked


def test_person_switches_to_welsh(page: Page, org: Any, make_staff: Any) -> None:
    key_worker = make_staff(Role.KEY_WORKER, org["ngt"], first_name="Kim", last_name="Walker")
    person = _person_in_custody(org, first_name="Daniel", last_name="Hughes")
    StaffAssignmentFactory(person=person, staff=key_worker, role=AssignmentRole.KEY_WORKER)
    _person_sign_in(page, person.prison_number, PIN)
    page.wait_for_url("**/me/")
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    page_check(page)

    page.get_by_role("button", name="Cymraeg").click()

    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert page.url.endswith("/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Helo, Daniel")
    expect(page.get_by_role("heading", name="Pwy sy’n eich helpu chi")).to_be_visible()
    expect(page.get_by_text("Gweithiwr allweddol: Kim Walker")).to_be_visible()
    expect(page.get_by_role("button", name="Allgofnodi")).to_be_visible()
    expect(page.get_by_role("link", name="Neidio i’r prif gynnwys")).to_be_attached()
    page_check(page, phone=True)
    screenshot(page, "person-home-welsh-phone", phone=True)

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Daniel")
    page_check(page)


def test_skip_link_is_first_and_moves_focus_to_the_main_content(page: Page) -> None:
    page.goto("/me/sign-in/")
    page_check(page, phone=True)

    page.keyboard.press("Tab")
    skip_link = page.locator(":focus")
    expect(skip_link).to_have_class(re.compile(r"\bgovuk-skip-link\b"))
    expect(skip_link).to_have_text("Skip to main content")
    expect(skip_link).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_id("main-content")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_id("id_prison_number")


# --- helpers -------------------------------------------------------------------------------------


def _person_in_custody(org: dict[str, Any], **names: str) -> Person:
    person = PersonFactory(unit=org["wing_a"], **names)
    PinCredential.objects.create(user=person_account_ensure(person), pin_hash=make_password(PIN))
    return person


def _person_sign_in(page: Page, prison_number: str, pin: str) -> None:
    page.goto("/me/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page_check(page)
    _fill_pin_form(page, prison_number, pin)


def _fill_pin_form(page: Page, prison_number: str, pin: str) -> None:
    page.get_by_label("Prison number").fill(prison_number)
    page.get_by_label("PIN").fill(pin)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")


def _authenticator_code(shown_secret: str) -> str:
    """What an authenticator app shows for the key typed in from the set-up page (RFC 6238)."""
    secret = re.sub(r"\s+", "", shown_secret).upper()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def _long_date(value: Any) -> str:
    with translation.override("en-gb"):
        return date_format(value, "j F Y")
