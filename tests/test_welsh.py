"""People can use Onward in Welsh: every person-facing string has a translation, and pages render in it.

Staff-only strings may stay untranslated. Update the catalogue with scripts/extract_messages.py and
compile it with scripts/compile_messages.py (`make install` compiles it too).
"""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polib
import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.utils import translation

from onward.accounts.models import PinCredential
from onward.accounts.services import person_account_ensure
from onward.people.models import AssignmentRole
from onward.people.tests.factories import PersonFactory, StaffAssignmentFactory
from tests.translations import translations_compiled

WELSH_PO = Path(settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")

PERSON_FACING = {
    "layout": [
        "Skip to main content",
        "Menu",
        "Service information",
        "Back",
        "Success",
        "Important",
        "Onward is open-source software. Your information is kept safe and private.",
        "Sign out",
        "Home",
    ],
    "forms": [
        "There is a problem",
        "Error: ",
        "Show",
        "Hide",
        "Show password",
        "Hide password",
        "Your password is visible",
        "Your password is hidden",
    ],
    "start page": [
        "Welcome to Onward",
        "Onward helps you keep in touch with the people who support you, in prison and after you leave.",
        "If you are in prison",
        "Sign in with your prison number",
        "If you are on licence or probation",
        "Get a code to sign in",
        "I have an activation code from a letter",
        "Staff",
        "Staff sign in",
        "Sign in",
    ],
    "prison number and PIN": [
        "Prison number",
        "For example, A1234BC",
        "Enter your prison number",
        "PIN",
        "Enter your PIN",
        "Your PIN is 4 to 6 numbers",
        "Enter a prison number in the right format, like A1234BC.",
        "Forgotten your PIN? Ask a member of staff to reset it.",
        "The prison number or PIN is not right. Check them and try again.",
        "Your PIN is locked because it was entered wrongly too many times. Ask a member of staff to reset it.",
    ],
    "one-time code": [
        "Mobile phone number or email address",
        "Use the one you gave your probation practitioner.",
        "Enter your mobile phone number or email address",
        "Enter a mobile phone number, like 07700 900123, or an email address",
        "Send me a code",
        "Enter your code",
        "If that number or email is one we know, we have sent a code to it. The code works for 10 minutes.",
        "Code",
        "The 6 numbers we sent you.",
        "Enter the code we sent you",
        "The code is 6 numbers",
        "I did not get a code",
        "That code is not right or has run out. Check it, or ask for a new code.",
        "Your Onward sign-in code is %(code)s. It works for %(minutes)s minutes. Do not share it.",
        "Your Onward sign-in code",
    ],
    "activation code": [
        "Use your activation code",
        "Activation code",
        "It is on the letter you were given. For example, ABCDE-FGH23",
        "Enter your activation code",
        "An activation code is 10 letters and numbers, like ABCDE-FGH23",
        "This activation code has expired. Ask your probation practitioner for a new one.",
        "This activation code has already been used. Sign in with a code sent to your phone instead.",
        "That activation code is not right. Check it and try again.",
    ],
    "signed out and error pages": [
        "You have signed out",
        "Sign in again",
        "You cannot see this page",
        "This page is not for you. If you think it should be, ask a member of staff.",
        "Go to the start page",
        "Page not found",
        "If you typed the web address, check it is right. If you pasted it, check you copied all of it.",
        "Sorry, there is a problem with the service",
        "Try again later. What you entered has not been lost if you saw a message saying it was saved.",
    ],
    "person home": [
        "Hello, %(name)s",
        "This is your space. You can see your dates and who is helping you.",
        "Your next date",
        "You have no dates coming up.",
        "Who is helping you",
        "No one yet. Ask a member of staff.",
        "Your licence rules",
        "Your rules have changed. Please read them, then tell us you have read them.",
        "I have read my licence rules",
        "Thank you. You have confirmed your licence conditions.",
        "Home detention curfew eligibility",
        "Release date",
        "Licence ends",
        "Sentence ends",
        "Key worker",
        "Prison offender manager",
        "Probation practitioner",
    ],
}


@pytest.fixture(autouse=True)
def _compiled_and_reset() -> Iterator[None]:
    translations_compiled()
    yield
    translation.deactivate()  # a Welsh request must not leave Welsh active for the next test


@pytest.fixture
def welsh_client() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    return client


@pytest.mark.parametrize("page", sorted(PERSON_FACING))
def test_person_facing_strings_have_a_welsh_translation(page: str) -> None:
    catalogue = polib.pofile(str(WELSH_PO))
    missing, untranslated = [], []
    for msgid in PERSON_FACING[page]:
        entry = catalogue.find(msgid)
        if entry is None or entry.obsolete:
            missing.append(msgid)
        elif not entry.msgstr.strip() or entry.fuzzy:
            untranslated.append(msgid)
    assert not missing, f"Not in {WELSH_PO.name} (run scripts/extract_messages.py): {missing}"
    assert not untranslated, f"No Welsh yet for: {untranslated}"


def test_welsh_translations_keep_every_placeholder() -> None:
    wrong = [
        entry.msgid
        for entry in polib.pofile(str(WELSH_PO)).translated_entries()
        for translated in ([entry.msgstr] if not entry.msgid_plural else entry.msgstr_plural.values())
        if sorted(PLACEHOLDER.findall(translated)) != sorted(PLACEHOLDER.findall(entry.msgid))
    ]
    assert not wrong, f"Welsh translations that lose or add a placeholder: {wrong}"


@pytest.mark.django_db
def test_person_sign_in_page_in_welsh(welsh_client: Client) -> None:
    page = welsh_client.get("/me/sign-in/").content.decode()
    assert '<html lang="cy"' in page
    assert "<title>Mewngofnodi – Onward</title>" in page
    assert "Neidio i’r prif gynnwys" in page
    assert "Rhif carchar" in page
    assert "Wedi anghofio eich PIN? Gofynnwch i aelod o staff ei ailosod." in page
    assert ">English</button>" in page


@pytest.mark.django_db
def test_sign_in_errors_in_welsh(welsh_client: Client, org: dict[str, Any]) -> None:
    empty = welsh_client.post("/me/sign-in/", {"prison_number": "", "pin": ""})
    assert empty.status_code == 400
    page = empty.content.decode()
    assert "<title>Gwall: Mewngofnodi – Onward</title>" in page
    assert "Mae problem wedi codi" in page
    assert "Rhowch eich rhif carchar" in page
    assert "Rhowch eich PIN" in page

    person = PersonFactory(unit=org["wing_a"])
    PinCredential.objects.create(user=person_account_ensure(person), pin_hash=make_password("4821"))
    wrong = welsh_client.post("/me/sign-in/", {"prison_number": person.prison_number, "pin": "1111"})
    assert "Nid yw’r rhif carchar neu’r PIN yn gywir." in wrong.content.decode()


@pytest.mark.django_db
def test_person_home_in_welsh(org: dict[str, Any], make_staff: Any, person_client: Any) -> None:
    key_worker = make_staff("key_worker", org["ngt"], first_name="Kim", last_name="Walker")
    person = PersonFactory(unit=org["wing_a"], first_name="Daniel")
    StaffAssignmentFactory(person=person, staff=key_worker, role=AssignmentRole.KEY_WORKER)
    client = person_client(person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = client.get("/me/").content.decode()
    assert "Helo, Daniel" in page
    assert "Eich dyddiad nesaf" in page
    assert "Gweithiwr allweddol: <strong>Kim Walker</strong>" in page
    assert "Allgofnodi" in page


@pytest.mark.django_db
def test_page_not_found_in_welsh(welsh_client: Client) -> None:
    page = welsh_client.get("/no-such-page/")
    assert page.status_code == 404
    assert "Heb ddod o hyd i’r dudalen" in page.content.decode()
