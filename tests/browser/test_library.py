"""Library journeys in headless Chromium: a person finds an article by searching with a typo, reads it with
the reading help (read aloud controls, bigger text, high contrast), saves it and says whether it helped;
two editors take a custody article from draft to published; an article opened once is read offline
(the site's service worker, with library-offline.js inside). Every page visited passes
`page_check`."""

from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from playwright.sync_api import Page, expect

from onward.accounts.models import PinCredential
from onward.accounts.services import person_account_ensure
from onward.library.models import Audience, Item, ItemState
from onward.library.tests.factories import TopicFactory, published_item
from onward.organisations.models import Role
from onward.people.models import Person
from onward.people.tests.factories import PersonFactory
from tests.browser.checks import page_check, screenshot, staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PIN = "4821"
BANK_BODY = """A bank account lets you get paid and pay bills.

## What you need

- some ID
- a letter from the prison or probation

Most banks have a **basic bank account**. It is free."""


def test_a_person_finds_an_article_with_a_typo_and_uses_the_reading_help(page: Page, org: Any, make_staff: Any) -> None:
    editor = make_staff(Role.CONTENT_EDITOR, org["north"])
    approver = make_staff(Role.CONTENT_EDITOR, org["north"])
    money = TopicFactory(slug="money-and-id", name="Money and ID")
    published_item(
        editor,
        approver,
        "How to open a bank account",
        summary="Basic bank accounts are free.",
        body=BANK_BODY,
        audience=Audience.BOTH,
        topics=(money,),
    )
    published_item(editor, None, "Community only article", audience=Audience.COMMUNITY, topics=(money,))
    person = _person_in_custody(org, first_name="Daniel", last_name="Hughes")

    _person_sign_in(page, person)
    page.get_by_role("link", name="Library").first.click()
    page.wait_for_url("**/me/library/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Library")
    expect(page.get_by_test_id("library-item")).to_have_count(1)  # never the community-only article
    page_check(page, phone=True)

    page.get_by_label("Search the library").fill("bnak acount")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/me/library/search/?q=**")
    expect(page.get_by_test_id("search-result").first).to_contain_text("How to open a bank account")
    page_check(page, phone=True)

    page.get_by_role("link", name="How to open a bank account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How to open a bank account")
    expect(page.get_by_role("heading", name="What you need")).to_be_visible()
    tools = page.get_by_role("group", name="Reading help")
    expect(tools).to_be_visible()
    if page.evaluate("() => 'speechSynthesis' in window"):
        expect(tools.get_by_role("button", name="Read aloud")).to_be_visible()
        expect(tools.get_by_text("This device cannot read aloud")).to_be_hidden()
    else:
        expect(tools.get_by_text("This device cannot read aloud")).to_be_visible()
    page_check(page, phone=True)

    tools.get_by_role("button", name="Bigger text").click()
    expect(page.locator("body")).to_have_class(_has("onward-text-size-1"))
    tools.get_by_role("button", name="Bigger text").click()
    expect(page.locator("body")).to_have_class(_has("onward-text-size-2"))
    tools.get_by_role("button", name="Smaller text").click()
    expect(page.locator("body")).to_have_class(_has("onward-text-size-1"))
    tools.get_by_role("button", name="High contrast").click()
    expect(page.locator("body")).to_have_class(_has("onward-high-contrast"))
    expect(tools.get_by_role("button", name="High contrast")).to_have_attribute("aria-pressed", "true")
    page_check(page)
    screenshot(page, "library-item-high-contrast-phone", phone=True)

    page.reload()  # remembered on this device
    expect(page.locator("body")).to_have_class(_has("onward-text-size-1"))
    expect(page.locator("body")).to_have_class(_has("onward-high-contrast"))
    page.get_by_role("group", name="Reading help").get_by_role("button", name="High contrast").click()
    expect(page.locator("body")).not_to_have_class(_has("onward-high-contrast"))

    page.get_by_role("button", name="Save for later").click()
    expect(page.get_by_role("button", name="Remove from saved items")).to_be_visible()
    page.get_by_label("No").check()
    page.get_by_label("What would have helped? (optional)").fill("Where to find a bank near me")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_test_id("rating")).to_contain_text("did not help")
    page_check(page)

    page.goto("/me/library/saved/")
    expect(page.get_by_test_id("library-item")).to_contain_text("How to open a bank account")
    page_check(page)
    page.goto("/me/library/topics/money-and-id/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Money and ID")
    page_check(page, phone=True)


def test_two_editors_take_a_custody_article_from_draft_to_published(page: Page, org: Any, make_staff: Any) -> None:
    editor = make_staff(Role.CONTENT_EDITOR, org["north"], first_name="Chris", last_name="Lee")
    approver = make_staff(Role.CONTENT_EDITOR, org["north"], first_name="Rhian", last_name="Jones")
    TopicFactory(slug="life-in-prison", name="Life in prison")

    staff_sign_in(page, editor)
    page.goto("/staff/library/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Library")
    page_check(page)
    page.get_by_role("button", name="Write a new item").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write a new item")
    page_check(page)
    page.get_by_label("Title", exact=True).fill("Booking a visit")
    page.get_by_label("Words", exact=True).fill("## How to book\n\nAsk your wing officer for a visit form.")
    page.get_by_label("Title in Welsh").fill("Trefnu ymweliad")
    page.get_by_label("People in custody").check()
    page.get_by_label("Only the prisons I choose").check()
    page.get_by_label("HMP Northgate").check()
    page.get_by_label("Life in prison").check()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_test_id("item-state")).to_contain_text("Draft")
    page_check(page)
    expect(page.get_by_role("button", name="Publish")).to_have_count(0)  # custody: approval first
    page.get_by_role("button", name="Send for approval").click()
    expect(page.get_by_text("You cannot approve your own changes.")).to_be_visible()
    item_url = page.url

    staff_sign_in(page, approver)
    page.goto(item_url + "preview/?language=cy")
    expect(page.get_by_role("heading", level=1)).to_have_text("Trefnu ymweliad")
    page_check(page)
    page.goto(item_url)
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_test_id("item-state")).to_contain_text("Approved")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_test_id("item-state")).to_contain_text("Published")
    page_check(page)
    assert Item.objects.get().state == ItemState.PUBLISHED


def _has(name: str) -> Any:
    import re

    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")


def _person_in_custody(org: dict[str, Any], **names: str) -> Person:
    person = PersonFactory(unit=org["wing_a"], **names)
    PinCredential.objects.create(user=person_account_ensure(person), pin_hash=make_password(PIN))
    return person


def _person_sign_in(page: Page, person: Person) -> None:
    page.context.clear_cookies()
    page.goto("/me/sign-in/")
    page.get_by_label("Prison number").fill(person.prison_number or "")
    page.get_by_label("PIN").fill(PIN)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/me/")


def test_an_article_opened_once_can_be_read_offline(page: Page, org: Any, make_staff: Any) -> None:
    editor = make_staff(Role.CONTENT_EDITOR, org["north"])
    approver = make_staff(Role.CONTENT_EDITOR, org["north"])
    item = published_item(editor, approver, "What a curfew means", body=BANK_BODY, audience=Audience.CUSTODY)
    person = _person_in_custody(org, first_name="Owen", last_name="Tranter")
    _person_sign_in(page, person)
    page.goto("/me/library/")
    # The site's own service worker (/sw.js), registered by every page, with library-offline.js inside.
    scope = page.evaluate("async () => (await navigator.serviceWorker.ready).scope")
    assert scope.endswith("/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.goto(f"/me/library/items/{item.pk}/")  # the first visit, online: kept on the device
    expect(page.get_by_role("heading", level=1)).to_have_text("What a curfew means")
    page.wait_for_function(
        """async (path) => (await (await caches.open('onward-library-v1')).keys())
            .some((request) => new URL(request.url).pathname === path)""",
        arg=f"/me/library/items/{item.pk}/",
    )

    page.context.set_offline(True)
    try:
        page.reload()
        expect(page.get_by_role("heading", level=1)).to_have_text("What a curfew means")
        expect(page.get_by_role("heading", name="What you need")).to_be_visible()
        expect(page.locator("body")).to_have_class(_has("govuk-frontend-supported"))  # its scripts came too
        page.goto("/me/library/items/999999/")  # never opened: a plain offline page
        expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    finally:
        page.context.set_offline(False)


def test_signing_out_clears_what_was_kept_for_offline_reading(page: Page, org: Any, make_staff: Any) -> None:
    editor = make_staff(Role.CONTENT_EDITOR, org["north"])
    approver = make_staff(Role.CONTENT_EDITOR, org["north"])
    item = published_item(editor, approver, "Visits explained", body=BANK_BODY, audience=Audience.CUSTODY)
    person = _person_in_custody(org, first_name="Rhys", last_name="Mabon")
    _person_sign_in(page, person)
    page.goto("/me/library/")
    page.evaluate("async () => (await navigator.serviceWorker.ready).scope")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.goto(f"/me/library/items/{item.pk}/")
    page.wait_for_function("async () => (await caches.keys()).includes('onward-library-v1')")

    page.get_by_role("button", name="Sign out").first.click()
    page.wait_for_function("async () => !(await caches.keys()).includes('onward-library-v1')")
