"""Learning in the browser: a person in custody joins a course, does its lessons and quizzes, downloads
the certificate and checks it on the public page; staff follow their learning and the completion rates.

Every page visited passes `page_check` (stylesheets, script errors, axe-core), the person's at phone size too.
"""

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from playwright.sync_api import Page, expect

from onward.accounts.models import PinCredential
from onward.accounts.services import person_account_ensure
from onward.learning.models import Certificate
from onward.learning.services import certificate_code_display
from onward.learning.tests.factories import assessment_build, demo_like_course, pdf_text
from onward.organisations.models import Role
from onward.people.models import AssignmentRole
from onward.people.tests.factories import PersonFactory, StaffAssignmentFactory
from tests.browser.checks import page_check, screenshot, staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PIN = "4821"


def test_a_person_in_custody_finishes_a_course_and_anyone_can_check_the_certificate(
    page: Page, org: Any, make_staff: Any, tmp_path: Path
) -> None:
    keyworker = make_staff(Role.KEY_WORKER, org["ngt"], first_name="Kim", last_name="Walker")
    person = PersonFactory(unit=org["wing_a"], first_name="Daniel", last_name="Hughes")
    StaffAssignmentFactory(person=person, staff=keyworker, role=AssignmentRole.KEY_WORKER)
    PinCredential.objects.create(user=person_account_ensure(person), pin_hash=make_password(PIN))
    course = demo_like_course(title="Managing money after release")
    coping = assessment_build(
        "How am I coping?", ["I have slept well.", "I have felt calm."], [("Not at all", 0), ("A lot", 3)]
    )

    page.goto("/me/sign-in/")
    page.get_by_label("Prison number").fill(person.prison_number)
    page.get_by_label("PIN").fill(PIN)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/me/")
    page.get_by_role("link", name="Learning").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Learning")
    page_check(page, phone=True)

    page.get_by_role("button", name="Join Managing money after release").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Managing money after release")
    page_check(page, phone=True)
    page.get_by_role("link", name="Your money on the day you leave").click()
    expect(page.locator('[data-module="onward-read-aloud"]')).to_contain_text("Keep it safe.")
    page_check(page, phone=True)

    # A wrong answer: feedback, not done, try again.
    page.get_by_label("A loan").check()
    page.get_by_label("Keep your PIN").check()
    page.get_by_label("Check often").check()
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_test_id("quiz-result")).to_contain_text("You got 1 out of 2 right")
    expect(page.get_by_test_id("feedback").first).to_contain_text("No, not a loan.")
    page_check(page, phone=True)
    screenshot(page, "learning-quiz-feedback", phone=True)
    page.get_by_label("Money to help").check()
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_role("heading", name="Lesson done")).to_be_visible()
    page_check(page, phone=True)

    page.get_by_role("button", name="Next lesson: Making a budget").click()
    page_check(page, phone=True)
    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_role("heading", name="You finished the course")).to_be_visible()
    page_check(page, phone=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download your certificate (PDF)").click()
    saved = tmp_path / "certificate.pdf"
    download_info.value.save_as(saved)
    content = saved.read_bytes()
    assert content.startswith(b"%PDF")
    certificate = Certificate.objects.get(person=person, course=course)
    code = certificate_code_display(certificate.code)
    assert code in pdf_text(content)

    page.goto("/me/learning/")
    expect(page.get_by_test_id("my-course")).to_contain_text("Finished")
    page_check(page, phone=True)

    page.get_by_role("link", name="How am I coping?").click()
    page_check(page, phone=True)
    page.get_by_role("group", name="I have slept well.").get_by_label("A lot").check()
    page.get_by_role("group", name="I have felt calm.").get_by_label("Not at all").check()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_test_id("score-history")).to_contain_text("3 out of 6")
    page_check(page, phone=True)
    screenshot(page, "learning-self-assessment", phone=True)

    # Anyone, signed in or not, checks the code from the certificate.
    page.context.clear_cookies()
    page.goto("/certificates/verify/")
    page_check(page, phone=True)
    page.get_by_label("Verification code").fill(code)
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_test_id("verify-result")).to_contain_text("Daniel H. finished Managing money after release")
    expect(page.get_by_role("main")).not_to_contain_text("Hughes")
    page_check(page, phone=True)
    screenshot(page, "learning-certificate-check")
    page.get_by_label("Verification code").fill("ABCD-EFGH-IJKL-MNOP-QRST-UVWX")
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_test_id("verify-result")).to_contain_text("We cannot find this certificate")
    page_check(page)

    # The key worker follows the person's learning and the course's completion.
    staff_sign_in(page, keyworker)
    page.goto(f"/staff/people/{person.pk}/")
    page.get_by_role("link", name="Learning: courses, certificates and self-assessment scores").click()
    expect(page.get_by_role("main")).to_contain_text("Managing money after release")
    expect(page.get_by_test_id("score-history")).to_contain_text("3 out of 6")
    page_check(page)
    page.get_by_role("link", name="Course completion").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Course completion")
    page_check(page)
    page.get_by_role("link", name="Managing money after release").click()
    expect(page.get_by_test_id("completion")).to_contain_text("HMP Northgate")
    expect(page.get_by_test_id("completion")).to_contain_text("100%")
    page_check(page)
    assert coping.results.count() == 1
