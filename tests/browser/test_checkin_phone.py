"""The check-in page on a small phone (issue 12, point 4): Chromium emulating a 360 px touch phone, with
its fake camera playing a still photo of a face (an attack: it cannot follow the challenge's moves and
colours, so liveness fails). The page never grows wider than the phone once the camera is on, shows one
next action at a time (Start; nothing while recording and checking; Start again for another try), and
"Send my check-in" answers a tap."""

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from onward.biometrics.tests.clips import on_camera_canvas, photo_rgb, y4m
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
PHONE_WIDTH = 360


@pytest.fixture
def phone(browser: Browser, live_server: Any, tmp_path: Path) -> Iterator[Page]:
    """A 360 px touch phone (Playwright's device emulation) whose front camera plays a still photo (an attack)."""
    clip = tmp_path / "still-photo.y4m"
    clip.write_bytes(y4m([on_camera_canvas(photo_rgb("obama_1"), 480, 360)] * 10, fps=10))
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
        viewport={"width": PHONE_WIDTH, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
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


def _page_width(tab: Page) -> int:
    return int(tab.evaluate("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"))


def test_the_check_in_fits_a_360_px_phone_and_shows_one_next_action_at_a_time(
    phone: Page, org: dict[str, Any], make_staff: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    practitioner = make_staff(Role.PRACTITIONER, org["office_n"])
    practitioner.is_verified = lambda: True  # as after the second factor, for a service called directly
    person = CommunityPersonFactory(
        unit=org["office_n"], date_of_birth=dt.date(1961, 8, 4), address_latitude=HOME[0], address_longitude=HOME[1]
    )
    StaffAssignmentFactory(person=person, staff=practitioner, role=AssignmentRole.PRACTITIONER)
    questionnaire_ensure()
    enrolment = services.enrolment_save(
        actor=practitioner,
        person=person,
        photo=(FIXTURES / "obama_1.jpg").read_bytes(),
        details=services.EnrolmentDetails(schedule="weekly", office_visits="supplements", office_visits_reason="Pilot"),
    )
    checkin, _ = services.checkin_create(enrolment=enrolment, due_date=timezone.localdate())
    invitation = OutboxMessage.objects.filter(person=person, channel="in_app").latest("created_at")

    tab = phone
    tab.goto(re.search(r"(/me/link/[^/\s]+/)", invitation.body).group(1))
    tab.get_by_label("Day").fill("4")
    tab.get_by_label("Month").fill("8")
    tab.get_by_label("Year").fill("1961")
    tab.get_by_role("button", name="Continue").tap()
    tab.wait_for_url("**/me/check-in/")
    tab.get_by_label("Very well").check()
    tab.get_by_label("I do not need help").check()
    tab.get_by_role("group", name=re.compile("call you")).get_by_label("No").check()
    tab.get_by_role("button", name="Save my answers").tap()
    expect(tab.get_by_text("Your answers are saved.")).to_be_visible()

    # The camera is on: the preview is scaled to the phone, and nothing makes the page wider.
    camera = tab.locator(".onward-camera")
    start = camera.get_by_role("button", name="Start")
    retake = camera.get_by_role("button", name="Try again")
    expect(start).to_be_enabled()  # the camera gave its picture
    tab.wait_for_function("() => document.querySelector('.onward-camera__preview').videoWidth > 0")
    preview = tab.locator(".onward-camera__preview").bounding_box()
    assert preview is not None
    assert preview["x"] >= 0
    assert preview["x"] + preview["width"] <= PHONE_WIDTH
    assert _page_width(tab) <= PHONE_WIDTH
    expect(retake).to_be_hidden()  # one action: Start
    expect(tab.get_by_role("button", name="Send photo")).to_be_hidden()

    start.tap()
    expect(start).to_be_hidden()  # nothing to press while it records and checks
    expect(tab.locator(".onward-camera__status")).to_contain_text("checking", timeout=30_000)
    assert _page_width(tab) <= PHONE_WIDTH  # the status wraps, too
    call_command("run_worker", "--batch")

    # A still photo fails liveness: the one camera action is Start again, for another try.
    expect(start).to_be_visible(timeout=30_000)
    expect(tab.locator(".onward-camera__status")).not_to_contain_text("We could see it is you")
    expect(retake).to_be_hidden()
    expect(tab.get_by_role("button", name="Send photo")).to_be_hidden()
    assert _page_width(tab) <= PHONE_WIDTH
    send = tab.get_by_role("button", name="Send my check-in")
    expect(send).to_be_visible()
    send.tap()  # a tap, as a finger would, not a mouse click
    expect(tab.get_by_role("heading", level=1)).to_contain_text("sent", ignore_case=True)
    page_check(tab)
    checkin.refresh_from_db()
    assert checkin.state == State.SUBMITTED
