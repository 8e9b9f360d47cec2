"""Messaging journeys in headless Chromium: a person writes to their key worker, security release a
held message that is then seen, and an announcement reaches one wing and not another. Every page
visited passes `page_check` (stylesheets, script errors, axe-core)."""

from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from playwright.sync_api import Page, expect

from onward.accounts.models import PinCredential
from onward.accounts.services import person_account_ensure
from onward.messaging.models import Draft, Message, MessageState, Term, WordList
from onward.messaging.tests.factories import TermFactory, WordListFactory
from onward.organisations.models import Role
from onward.people.models import AssignmentRole, Person
from onward.people.tests.factories import PersonFactory, StaffAssignmentFactory
from tests.browser.checks import page_check, screenshot, staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PIN = "4821"


def test_a_person_writes_to_their_key_worker_who_reads_and_replies(page: Page, org: Any, make_staff: Any) -> None:
    key_worker = make_staff(Role.KEY_WORKER, org["ngt"], first_name="Kim", last_name="Walker")
    person = _person_in_custody(org, first_name="Daniel", last_name="Hughes")
    StaffAssignmentFactory(person=person, staff=key_worker, role=AssignmentRole.KEY_WORKER)

    _person_sign_in(page, person)
    page.get_by_role("link", name="Messages").first.click()
    page.wait_for_url("**/me/messages/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages")
    page_check(page, phone=True)
    page.get_by_role("link", name="The staff working with you").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The staff working with you")
    page_check(page, phone=True)
    page.get_by_label("Your message").fill("Can I see you about my course on Monday?")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_test_id("message")).to_contain_text("Can I see you about my course on Monday?")
    page_check(page)
    screenshot(page, "messaging-person-conversation-phone", phone=True)

    staff_sign_in(page, key_worker)
    page.goto("/staff/messages/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages")
    page_check(page)
    page.get_by_role("link", name="Hughes, Daniel").click()
    expect(page.get_by_test_id("message")).to_contain_text("about my course on Monday")
    page_check(page)
    page.get_by_label("Your message").fill("Yes, 10am in the education block.")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_test_id("message").last).to_contain_text("10am in the education block")

    _person_sign_in(page, person)
    page.goto("/me/messages/")
    expect(page.get_by_test_id("conversation")).to_contain_text("1 new message")
    page.get_by_role("link", name="The staff working with you").click()
    expect(page.get_by_test_id("message").last).to_contain_text("10am in the education block")
    expect(page.get_by_test_id("message").first).to_contain_text("Seen")
    page_check(page)


def test_a_held_message_is_released_by_security_and_then_seen(page: Page, org: Any, make_staff: Any) -> None:
    key_worker = make_staff(Role.KEY_WORKER, org["ngt"], first_name="Kim", last_name="Walker")
    security = make_staff(Role.SECURITY, org["ngt"], first_name="Alex", last_name="Reid")
    person = _person_in_custody(org, first_name="Owen", last_name="Tranter")
    StaffAssignmentFactory(person=person, staff=key_worker, role=AssignmentRole.KEY_WORKER)
    word_list = WordListFactory(unit=org["ngt"])
    TermFactory(word_list=word_list, text="parcel")

    _person_sign_in(page, person)
    page.goto("/me/messages/")
    page.get_by_role("link", name="The staff working with you").click()
    page.get_by_label("Your message").fill("My mum sent a parcel with my trainers.")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_test_id("message")).to_contain_text("Waiting for checks")
    page_check(page, phone=True)
    held = Message.objects.get()
    assert held.state == MessageState.HELD

    staff_sign_in(page, security)
    page.goto("/staff/message-review/")
    expect(page.get_by_role("status")).to_have_text("1 message to review")
    page_check(page)
    page.get_by_role("table").get_by_role("link").first.click()
    expect(page.get_by_test_id("review-body")).to_have_text("My mum sent a parcel with my trainers.")
    page_check(page)
    page.get_by_label("Release it with a note").check()
    page.get_by_label("Note for the review record").fill("Trainers sent in through the visits hall.")
    page.get_by_role("button", name="Confirm decision").click()
    page.wait_for_url("**/staff/message-review/")
    expect(page.get_by_role("status")).to_have_text("0 messages to review")
    page_check(page)

    staff_sign_in(page, key_worker)
    page.goto("/staff/messages/")
    page.get_by_role("link", name="Tranter, Owen").click()
    expect(page.get_by_test_id("message")).to_contain_text("parcel with my trainers")
    page_check(page)
    held.refresh_from_db()
    assert held.state == MessageState.RELEASED


def test_an_announcement_reaches_one_wing_and_not_another(page: Page, org: Any, make_staff: Any) -> None:
    senior = make_staff(Role.SENIOR, org["ngt"], first_name="Jo", last_name="Baker")
    on_a = _person_in_custody(org, first_name="Liam", last_name="Okafor")
    on_b = _person_in_custody(org, unit=org["wing_b"], first_name="Rhys", last_name="Morgan")

    staff_sign_in(page, senior)
    page.goto("/staff/announcements/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Send an announcement")
    page_check(page)
    page.get_by_label("Who it is for").select_option("wing")
    page.get_by_label("Wing, prison or delivery unit").select_option(str(org["wing_a"].pk))
    page.get_by_label("Title").fill("Gym closed on Friday")
    page.get_by_label("Announcement").fill("The gym is closed on Friday for repairs.")
    page.get_by_role("button", name="Send announcement").click()
    expect(page.get_by_role("alert")).to_contain_text("sent to 1 people")
    page_check(page)

    _person_sign_in(page, on_a)
    page.goto("/me/messages/")
    expect(page.get_by_test_id("announcement")).to_contain_text("Gym closed on Friday")
    page_check(page, phone=True)
    page.get_by_role("link", name="Gym closed on Friday").click()
    expect(page.get_by_text("You cannot reply to it.")).to_be_visible()
    page_check(page, phone=True)

    _person_sign_in(page, on_b)
    page.goto("/me/messages/")
    expect(page.get_by_test_id("announcement")).to_have_count(0)
    page_check(page)


def test_a_draft_survives_a_reload_and_going_offline_and_sending_clears_it(
    page: Page, org: Any, make_staff: Any
) -> None:
    key_worker = make_staff(Role.KEY_WORKER, org["ngt"], first_name="Kim", last_name="Walker")
    person = _person_in_custody(org, first_name="Aled", last_name="Price")
    StaffAssignmentFactory(person=person, staff=key_worker, role=AssignmentRole.KEY_WORKER)

    _person_sign_in(page, person)
    page.goto("/me/messages/")
    page.get_by_role("link", name="The staff working with you").click()
    box = page.get_by_label("Your message")
    box.fill("Can I change my visit to Saturday")
    expect(page.get_by_role("status").filter(has_text="Draft saved")).to_be_visible()
    assert Draft.objects.get().body == "Can I change my visit to Saturday"
    page.reload()
    expect(page.get_by_label("Your message")).to_have_value("Can I change my visit to Saturday")
    page_check(page, phone=True)

    page.context.set_offline(True)
    page.get_by_label("Your message").fill("Can I change my visit to Saturday afternoon?")
    expect(page.get_by_role("status").filter(has_text="You are offline")).to_be_visible()
    page.get_by_role("button", name="Send message").click()  # refused on the device: nothing is lost
    expect(page.get_by_label("Your message")).to_have_value("Can I change my visit to Saturday afternoon?")
    page.context.set_offline(False)
    expect(page.get_by_role("status").filter(has_text="Draft saved")).to_be_visible()
    assert Draft.objects.get().body == "Can I change my visit to Saturday afternoon?"

    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_test_id("message")).to_contain_text("Saturday afternoon")
    expect(page.get_by_label("Your message")).to_have_value("")
    page_check(page)
    assert not Draft.objects.exists()
    assert Message.objects.count() == 1
    page.reload()
    expect(page.get_by_label("Your message")).to_have_value("")


def test_security_add_a_term_and_the_next_message_with_it_is_held(page: Page, org: Any, make_staff: Any) -> None:
    security = make_staff(Role.SECURITY, org["ngt"], first_name="Alex", last_name="Reid")
    key_worker = make_staff(Role.KEY_WORKER, org["ngt"], first_name="Kim", last_name="Walker")
    person = _person_in_custody(org, first_name="Sam", last_name="Jones")
    StaffAssignmentFactory(person=person, staff=key_worker, role=AssignmentRole.KEY_WORKER)

    staff_sign_in(page, security)
    page.goto("/staff/")
    page.get_by_role("link", name="Word lists").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Word lists")
    page_check(page)
    page.get_by_role("button", name="Start a word list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a word list")
    page_check(page)
    page.get_by_label("Prison or probation delivery unit").select_option(str(org["ngt"].pk))
    page.get_by_label("When a message matches the list").select_option("hold")
    page.get_by_role("button", name="Start the list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Word list for HMP Northgate")
    page_check(page, phone=True)

    page.get_by_role("button", name="Add a term").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a term")
    page_check(page)
    page.get_by_label("Kind").select_option("word")
    page.get_by_label("Word or phrase").fill("Trainers")
    page.get_by_role("button", name="Add to the list").click()
    expect(page.get_by_role("alert")).to_contain_text("is added to the list")
    page.get_by_label("Kind").select_option("pattern")
    page.get_by_role("button", name="Add to the list").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose the pattern")
    page_check(page)
    page.get_by_label("Pattern", exact=True).select_option("uk_phone_number")
    page.get_by_role("button", name="Add to the list").click()
    expect(page.get_by_role("alert")).to_contain_text("UK phone numbers")

    word_list = WordList.objects.get()
    page.goto(f"/staff/word-lists/{word_list.pk}/terms/upload/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a file of terms")
    page_check(page)
    page.get_by_label("File of terms").set_input_files(
        files=[{"name": "terms.csv", "mimeType": "text/csv", "buffer": b"ladder\nnot,a kind\n"}]
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("alert")).to_contain_text("Line 2")
    page_check(page)
    page.get_by_label("File of terms").set_input_files(
        files=[{"name": "terms.txt", "mimeType": "text/plain", "buffer": b"ladder\ntrainers\n"}]
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("alert")).to_contain_text("1 terms added. 1 were already on the list")
    page.get_by_label("Search the list").fill("lad")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("term")).to_have_count(1)
    page.get_by_role("link", name="Remove ladder").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Remove")
    page_check(page)
    page.get_by_label("Reason for removing it").fill("Added by mistake")
    page.get_by_role("button", name="Remove it").click()
    expect(page.get_by_role("alert")).to_contain_text("It is removed from the list")
    page.get_by_role("link", name="Change what happens when a message matches").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What happens when a message matches")
    page_check(page)
    page.get_by_label("Reason for the change").fill("Keep holding while we review the list")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("The policy is changed")
    assert set(Term.objects.values_list("text", flat=True)) == {"Trainers", "uk_phone_number"}

    _person_sign_in(page, person)
    page.goto("/me/messages/")
    page.get_by_role("link", name="The staff working with you").click()
    page.get_by_label("Your message").fill("Can my mum send in some trainers?")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_test_id("message")).to_contain_text("Waiting for checks")
    assert Message.objects.get().state == MessageState.HELD


# --- helpers -------------------------------------------------------------------------------------


def test_security_try_a_message_against_their_list(page: Page, org: Any, make_staff: Any) -> None:
    security = make_staff(Role.SECURITY, org["ngt"], first_name="Alex", last_name="Reid")
    word_list = WordListFactory(unit=org["ngt"])
    TermFactory(word_list=word_list, text="parcel")

    staff_sign_in(page, security)
    page.goto(f"/staff/word-lists/{word_list.pk}/")
    page.get_by_role("button", name="Try a message").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Try a message")
    page_check(page)
    page.get_by_role("button", name="Try it").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a message to try.")
    page_check(page)
    page.get_by_label("Message to try").fill("Is the p.a.r.c.e.l here? \u202elecrap\u202c")
    page.get_by_role("button", name="Try it").click()
    expect(page.get_by_test_id("trial-outcome")).to_have_text("Held for review")
    expect(page.get_by_test_id("trial-matched")).to_contain_text("parcel")
    expect(page.get_by_test_id("trial-matched")).to_contain_text("Hidden characters")
    expect(page.get_by_test_id("trial-canonical")).to_have_text("is the parcel here lecrap")
    page_check(page, phone=True)
    assert not Message.objects.exists()


def _person_in_custody(org: dict[str, Any], unit: Any = None, **names: str) -> Person:
    person = PersonFactory(unit=unit or org["wing_a"], **names)
    PinCredential.objects.create(user=person_account_ensure(person), pin_hash=make_password(PIN))
    return person


def _person_sign_in(page: Page, person: Person) -> None:
    page.context.clear_cookies()
    page.goto("/me/sign-in/")
    page.get_by_label("Prison number").fill(person.prison_number or "")
    page.get_by_label("PIN").fill(PIN)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/me/")
