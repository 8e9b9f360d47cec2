"""The practitioner records a person's voice from three recordings, or records that they cannot use it.

Headless Chromium; every page is checked by `page_check` (axe-core included, and at phone size).
The recordings are flite's synthetic voice `slt` (onward/biometrics/tests/fixtures/voices)."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from onward.accounts.tests.factories import TEST_PASSWORD, totp_code
from onward.checkins.models import VoiceStatus
from onward.checkins.tests.factories import EnrolmentFactory, questionnaire_ensure
from onward.organisations.models import Role
from onward.people.models import AssignmentRole
from onward.people.tests.factories import CommunityPersonFactory, StaffAssignmentFactory
from tests.browser.checks import page_check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VOICES = Path(__file__).resolve().parents[2] / "onward" / "biometrics" / "tests" / "fixtures" / "voices"


@pytest.fixture(autouse=True)
def questionnaire(transactional_db: None) -> None:
    questionnaire_ensure()


def test_a_practitioner_records_a_voice_then_notes_the_person_cannot_use_it(
    page: Page, org: dict[str, Any], make_staff: Any
) -> None:
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    person = CommunityPersonFactory(unit=org["office_n"])
    StaffAssignmentFactory(person=person, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    enrolment = EnrolmentFactory(person=person)
    _sign_in(page, practitioner)

    page.goto(f"/staff/people/{person.pk}/check-ins/")
    expect(page.get_by_role("heading", name="Their voice")).to_be_visible()
    page_check(page, phone=True)
    for n in (1, 2, 3):
        page.get_by_label(f"Recording of phrase {n}").set_input_files(str(VOICES / f"slt_phrase_{n}.wav"))
    page.get_by_role("button", name="Record their voice").click()
    expect(page.get_by_text("Their voice is recorded.")).to_be_visible(timeout=60_000)
    page_check(page)
    enrolment.refresh_from_db()
    assert enrolment.voice_status == VoiceStatus.ENROLLED

    page.get_by_text("They cannot speak or hear").click()
    page.locator("#id_voice-reason").fill("Lost their voice after throat surgery.")
    page.get_by_role("button", name="Check-ins without voice").click()
    expect(page.get_by_text("Their check-ins will have no voice check.")).to_be_visible()
    page_check(page)
    enrolment.refresh_from_db()
    assert enrolment.voice_status == VoiceStatus.EXEMPT
    assert enrolment.voice_template_encrypted is None


def _sign_in(page: Page, staff: Any) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(staff.username)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/sign-in/code/")
    page.get_by_label("Code from your authenticator app").fill(totp_code(staff.totpdevice_set.get()))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/staff/")
