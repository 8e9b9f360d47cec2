"""The remote check-in, end to end in headless Chromium: the invitation link and date of birth, the
questions, the challenge video (the page fills the screen with each step's colour and move on time
while it records from the camera, then sends the clip with the challenge's nonce), the phone's
position, the send (each step through /api/v1/me/check-ins/… with the page's session and CSRF token);
then the practitioner reviews it, with each liveness step. Every page is checked by `page_check`.

Chromium's fake camera plays a SYNTHETIC clip (rendered from a fixture photo by
onward/biometrics/tests/render.py) in a loop from when the camera opens, so it cannot keep time with
the challenge: this test checks the capture page and the path of the clip, not that liveness passes
(onward/biometrics/tests/test_verify_video.py does that)."""

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from onward.accounts.tests.factories import TEST_PASSWORD, totp_code
from onward.biometrics import liveness
from onward.biometrics.tests import render
from onward.biometrics.tests.clips import y4m
from onward.checkins import services
from onward.checkins.models import State
from onward.checkins.tests.factories import questionnaire_ensure
from onward.notifications.models import OutboxMessage
from onward.organisations.models import Role
from onward.people.models import AssignmentRole
from onward.people.tests.factories import CommunityPersonFactory, StaffAssignmentFactory
from tests.browser.checks import page_check, watch_for_problems
from tests.browser.conftest import CHROMIUM_ARGS, CHROMIUM_PATH, TIMEOUT_MS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXTURES = Path(__file__).resolve().parents[2] / "onward" / "biometrics" / "tests" / "fixtures"
HOME = (53.8008, -1.5491)
CHALLENGE = liveness.challenge_new(seed=31)


@pytest.fixture(autouse=True)
def questionnaire(transactional_db: None) -> None:
    questionnaire_ensure()


@pytest.fixture
def camera_page(browser: Browser, live_server: Any, tmp_path: Path) -> Any:
    """A second Chromium whose camera plays a rendered person doing a challenge, at home."""
    clip = tmp_path / "person.y4m"
    clip.write_bytes(y4m(render.genuine_frames("obama_1", CHALLENGE, fps=10), 10))
    chromium = browser.browser_type.launch(
        executable_path=CHROMIUM_PATH,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={clip}",
        ],
        headless=True,
    )
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": 375, "height": 740},
        locale="en-GB",
        timezone_id="Europe/London",
        permissions=["camera", "geolocation"],
        geolocation={"latitude": HOME[0] + 0.0002, "longitude": HOME[1], "accuracy": 15},
    )
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    watch_for_problems(tab)
    yield tab
    context.close()
    chromium.close()


def test_a_person_checks_in_from_their_phone_and_the_practitioner_reviews_it(
    camera_page: Page, page: Page, org: dict[str, Any], make_staff: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    person = CommunityPersonFactory(
        unit=org["office_n"],
        first_name="Barack",
        date_of_birth=dt.date(1961, 8, 4),
        address_latitude=HOME[0],
        address_longitude=HOME[1],
    )
    StaffAssignmentFactory(person=person, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    enrolment = services.enrolment_save(
        actor=_verified(practitioner),
        person=person,
        photo=(FIXTURES / "obama_1.jpg").read_bytes(),
        details=services.EnrolmentDetails(
            schedule="weekly", office_visits="supplements", office_visits_reason="Pilot", contact_preference="sms"
        ),
    )
    checkin, _ = services.checkin_create(enrolment=enrolment, due_date=timezone.localdate())
    invitation = OutboxMessage.objects.filter(person=person, channel="in_app").latest("created_at")
    link = re.search(r"(/me/link/[^/\s]+/)", invitation.body).group(1)
    # The server issues the challenge the fake camera's clip was rendered for (new times, same steps).
    real_challenge_new = liveness.challenge_new
    monkeypatch.setattr(liveness, "challenge_new", lambda **kwargs: real_challenge_new(seed=31))

    # The link and date of birth open the check-in.
    tab = camera_page
    tab.goto(link)
    page_check(tab)
    tab.get_by_label("Day").fill("4")
    tab.get_by_label("Month").fill("8")
    tab.get_by_label("Year").fill("1961")
    tab.get_by_role("button", name="Continue").click()
    tab.wait_for_url("**/me/check-in/")
    page_check(tab)

    # 1. The questions. Saving none names the questions still to answer, in plain words.
    tab.get_by_role("button", name="Save my answers").click()
    expect(tab.locator("#questions [role=status]")).to_contain_text("Answer this question.")
    expected_refusal = f"422 for fetch {tab.url.split('/me/')[0]}/api/v1/me/check-ins/{checkin.pk}/answers"
    tab.onward_problems.remove(expected_refusal)  # type: ignore[attr-defined]  # the refusal we asked for
    tab.get_by_label("Very well").check()
    tab.get_by_label("I do not need help").check()
    tab.get_by_role("group", name=re.compile("call you")).get_by_label("No").check()
    tab.get_by_role("button", name="Save my answers").click()  # through the API, with the page's CSRF token
    expect(tab.get_by_text("Your answers are saved.")).to_be_visible()

    # 2. The camera: no file picker; the challenge fills the screen with its colours and moves on time.
    assert tab.locator('#face input[type="file"]').count() == 0
    expect(tab.locator(".onward-camera__status")).to_have_text(
        "Hold your phone in front of your face, then press Start."
    )
    tab.get_by_role("button", name="Start").click()
    overlay = tab.locator(".onward-challenge")
    first, second = CHALLENGE.steps[0], CHALLENGE.steps[1]
    expect(overlay).to_have_css("background-color", "rgb({}, {}, {})".format(*first.screen_rgb))
    expect(overlay.locator(".onward-challenge__move")).to_have_text(str(liveness.MOVE_WORDS[first.move]))
    expect(overlay.locator(".onward-challenge__say")).to_contain_text(" ".join(CHALLENGE.digits))
    expect(overlay).to_have_css("background-color", "rgb({}, {}, {})".format(*second.screen_rgb))
    expect(overlay.locator(".onward-challenge__move")).to_have_text(str(liveness.MOVE_WORDS[second.move]))
    expect(overlay).to_have_count(0, timeout=20_000)  # gone when the recording ends
    expect(tab.locator(".onward-camera__status")).to_contain_text("checking", timeout=20_000)
    media = checkin.media.get()
    assert media.challenge_nonce == CHALLENGE.nonce
    assert media.recorded_at is not None
    assert abs((media.recorded_at - media.uploaded_at).total_seconds()) < 30
    call_command("run_worker", "--batch")  # the worker that runs beside the web server in production
    expect(tab.locator(".onward-camera__status")).not_to_contain_text("checking", timeout=30_000)

    # 3. Where they are, with their agreement.
    tab.get_by_label("I agree to share my location for this check-in").check()
    tab.get_by_role("button", name="Share my location").click()
    expect(tab.get_by_text("Your location is shared with this check-in").first).to_be_visible()

    # 4. Send: a retry could never make a second check-in.
    tab.get_by_role("button", name="Send my check-in").click()
    expect(tab.get_by_role("heading", level=1)).to_contain_text("sent", ignore_case=True)
    page_check(tab)
    checkin.refresh_from_db()
    assert checkin.state == State.SUBMITTED
    verification = checkin.verifications.latest("created_at")
    assert verification.decision == "match"
    assert verification.liveness_checked
    assert len(verification.liveness_details["steps"]) == len(CHALLENGE.steps)

    # The practitioner reviews it.
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(practitioner.username)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/sign-in/code/")
    page.get_by_label("Code from your authenticator app").fill(totp_code(practitioner.totpdevice_set.get()))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/staff/")
    page.wait_for_load_state("load")
    page.goto("/staff/check-ins/")
    page_check(page)
    page.get_by_role("link", name=re.compile(person.last_name)).first.click()
    page_check(page)
    expect(page.get_by_role("main")).to_contain_text("match", ignore_case=True)
    expect(page.get_by_test_id("liveness-summary")).to_contain_text("Liveness")
    expect(page.get_by_role("table", name="Each step the person was asked to do").locator("tbody tr")).to_have_count(
        len(CHALLENGE.steps)
    )
    page.get_by_label("Match", exact=True).check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Your decision is recorded.")).to_be_visible()
    checkin.refresh_from_db()
    assert checkin.state == State.REVIEWED


def _verified(user: Any) -> Any:
    user.is_verified = lambda: True  # as after the second factor, for a service called directly
    return user
