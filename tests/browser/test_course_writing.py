"""Course writing in headless Chromium (issue 12, point 13): an editor writes a course for people in
prison on Onward's own pages, with a lesson and a quiz, mostly by keyboard, sees a plain error, sends it
for approval; a second editor approves and publishes it; the Django admin stays closed to editors.
Every page visited passes `page_check` (styles, no script errors, no serious or critical axe finding,
nothing wider than a 360 px phone)."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from onward.learning.models import Course, CourseState, Question
from onward.organisations.models import Role
from tests.browser.checks import page_check, staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_writes_a_course_and_a_second_editor_approves_it(page: Page, org: Any, make_staff: Any) -> None:
    writer = make_staff(Role.CONTENT_EDITOR, org["north"], first_name="Chris", last_name="Lee")
    approver = make_staff(Role.CONTENT_EDITOR, org["north"], first_name="Rhian", last_name="Jones")

    staff_sign_in(page, writer)
    page.get_by_role("link", name="Courses", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Courses")
    expect(page.locator('a[href^="/admin/"]')).to_have_count(0)  # the Django admin is not linked for editors
    page_check(page, phone=True)

    page.get_by_role("button", name="Write a new course").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write a new course")
    page_check(page, phone=True)
    page.get_by_role("button", name="Save draft").click()  # nothing filled in
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a title.")
    expect(summary).to_contain_text("Choose who the course is for.")
    page_check(page, phone=True)

    # By keyboard: the error summary's link takes focus to the field.
    summary.get_by_role("link", name="Enter a title.").click()
    expect(page.get_by_label("Title", exact=True)).to_be_focused()
    page.keyboard.type("Synthetic course: getting ready for work")
    page.get_by_label("Summary", exact=True).fill("What to take to a first day at work.")
    page.get_by_label("People in prison").check()
    page.get_by_label("Title in Welsh").fill("Cwrs synthetig: paratoi am waith")
    page.get_by_role("button", name="Save draft").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("course-state")).to_contain_text("Draft")
    page_check(page, phone=True)

    page.get_by_role("link", name="Add a lesson").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write a lesson")
    page_check(page, phone=True)
    page.get_by_label("Title", exact=True).fill("Your first day")
    page.get_by_label("Words", exact=True).fill("# What to take\n\n- your ID\n- your bank details\n\nArrive early.")
    page.get_by_role("button", name="Save lesson").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your first day")
    expect(page.get_by_role("heading", name="What to take")).to_be_visible()  # the Markdown, rendered
    page_check(page, phone=True)

    page.get_by_role("button", name="Add a quiz question").click()
    page_check(page, phone=True)
    page.get_by_label("Question", exact=True).fill("What should you take?")
    page.get_by_label("Answer 1", exact=True).fill("Your ID")
    page.get_by_label("Answer 2", exact=True).fill("Nothing")
    page.get_by_role("button", name="Save question").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Tick the right answer.")
    page_check(page, phone=True)
    page.get_by_label("This answer is right").first.check()
    page.get_by_label("What to say to someone who chooses answer 2 (optional)").fill("You need your ID.")
    page.get_by_role("button", name="Save question").click()
    expect(page.get_by_text("Question saved.")).to_be_visible()
    page_check(page, phone=True)
    question = Question.objects.get()
    assert [(o.text, o.correct) for o in question.options.all()] == [("Your ID", True), ("Nothing", False)]

    page.get_by_role("link", name="Back to Synthetic course: getting ready for work").click()
    expect(page.get_by_role("button", name="Publish")).to_have_count(0)  # for custody: approval first
    page.get_by_role("button", name="Send for approval").click()
    expect(page.get_by_test_id("course-state")).to_contain_text("Waiting for approval")
    expect(page.get_by_test_id("not-yours-to-approve")).to_be_visible()
    page_check(page, phone=True)
    course_url = page.url

    page.goto("/admin/learning/course/")  # editors do not reach the Django admin: they are sent to sign in
    assert "/sign-in/" in page.url
    expect(page.get_by_text("Select course to change")).to_have_count(0)

    staff_sign_in(page, approver)
    page.goto(course_url)
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_test_id("course-state")).to_contain_text("Approved")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_test_id("course-state")).to_contain_text("Published")
    page_check(page, phone=True)
    course = Course.objects.get()
    assert course.state == CourseState.PUBLISHED
    assert course.published
    assert course.approved_by_id == approver.pk
    assert course.changed_by_id == writer.pk


def test_an_editor_writes_a_self_assessment_and_the_lists_fit_a_phone(page: Page, org: Any, make_staff: Any) -> None:
    from onward.learning.tests.factories import demo_like_course

    writer = make_staff(Role.CONTENT_EDITOR, org["north"])
    demo_like_course(title="Synthetic course with a rather long title to wrap on a small phone screen")
    staff_sign_in(page, writer)
    page.goto("/staff/courses/")
    page_check(page, phone=True)
    page.get_by_role("button", name="Write a new self-assessment").click()
    page_check(page, phone=True)
    page.get_by_label("Title", exact=True).fill("Synthetic coping check")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_test_id("assessment-state")).to_contain_text("Draft")
    page_check(page, phone=True)
    page.get_by_role("button", name="Add a question").click()
    page.get_by_label("Question", exact=True).fill("How are you sleeping?")
    page.get_by_label("Answer 1", exact=True).fill("Badly")
    page.get_by_label("Answer 2", exact=True).fill("Well")
    page.get_by_label("Score for answer 2").fill("3")
    page.get_by_role("button", name="Save question").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a score for answer 1.")
    page_check(page, phone=True)
    page.get_by_label("Score for answer 1").fill("0")
    page.get_by_role("button", name="Save question").click()
    expect(page.get_by_text("How are you sleeping?")).to_be_visible()
    expect(page.get_by_text("You cannot approve your own changes.")).to_be_visible()
    page_check(page, phone=True)
