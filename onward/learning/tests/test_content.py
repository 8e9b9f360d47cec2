"""Editors write courses on Onward's own pages (issue 12, point 13): the services and the pages.

The approval rule is the library's (onward/core/approval.py): anything for custody is published only
once a second editor approves it, and nobody approves their own changes.
"""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from onward.audit.models import AuditEvent
from onward.learning import content
from onward.learning.models import Course, CourseState, Lesson, Question
from onward.learning.selectors import courses_offered_to
from onward.learning.tests.factories import demo_like_course
from onward.organisations.models import Role
from onward.people.tests.factories import CommunityPersonFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors(org: dict[str, Any], make_staff: Any) -> dict[str, Any]:
    return {
        "writer": make_staff(Role.CONTENT_EDITOR, org["north"]),
        "second": make_staff(Role.CONTENT_EDITOR, org["north"]),
        "keyworker": make_staff(Role.KEY_WORKER, org["ngt"]),
    }


def _course_with_a_lesson(actor: Any, audience: str = "custody") -> Course:
    course = content.course_create(
        actor=actor, fields=content.CourseFields(title="Synthetic budgeting course", audience=audience)
    )
    module = course.modules.get()
    content.lesson_create(
        actor=actor, fields=content.LessonFields(module=module, title="Your money", body="# Money\n\nKeep a list.")
    )
    return Course.objects.get(pk=course.pk)


def test_a_custody_course_needs_a_second_editor_before_it_is_published(org, editors):
    writer, second = editors["writer"], editors["second"]
    course = _course_with_a_lesson(writer)
    assert course.state == CourseState.DRAFT
    assert course.changed_by == writer
    with pytest.raises(PermissionDenied):
        content.course_publish(actor=writer, course=course)
    course = content.course_submit(actor=writer, course=course)
    with pytest.raises(PermissionDenied):
        content.course_approve(actor=writer, course=course)  # not their own
    course = content.course_approve(actor=second, course=course)
    assert course.state == CourseState.APPROVED
    assert course.approved_by == second
    course = content.course_publish(actor=writer, course=course)
    assert course.published
    assert course.state == CourseState.PUBLISHED
    assert course in courses_offered_to(PersonFactory(unit=org["wing_a"]))
    actions = list(AuditEvent.objects.filter(object_id=str(course.pk)).values_list("action", flat=True))
    for action in ("added", "submitted", "approved", "published"):
        assert f"learning.content.course.{action}" in actions


def test_changing_a_published_custody_course_takes_it_down_until_approved_again(org, editors):
    writer, second = editors["writer"], editors["second"]
    course = content.course_approve(
        actor=second, course=content.course_submit(actor=writer, course=_course_with_a_lesson(writer))
    )
    course = content.course_publish(actor=second, course=course)
    lesson = Lesson.objects.get(module__course=course)
    content.question_save(
        actor=second,
        lesson=lesson,
        fields=content.QuestionFields(
            text="Which is a good habit?",
            options=[content.OptionFields("Keep a list", correct=True), content.OptionFields("Guess")],
        ),
    )
    course.refresh_from_db()
    assert (course.state, course.published, course.approved_by, course.changed_by) == ("draft", False, None, second)
    assert course not in courses_offered_to(PersonFactory(unit=org["wing_a"]))
    content.course_submit(actor=second, course=course)
    with pytest.raises(PermissionDenied):
        content.course_approve(actor=second, course=course)  # the second editor now wrote the last change
    content.course_approve(actor=writer, course=course)


def test_a_community_course_goes_out_on_one_editors_word(org, editors):
    course = content.course_publish(
        actor=editors["writer"], course=_course_with_a_lesson(editors["writer"], audience="community")
    )
    assert course.published
    assert course in courses_offered_to(CommunityPersonFactory(unit=org["office_n"]))


def test_only_editors_write_courses(editors):
    with pytest.raises(PermissionDenied):
        content.course_create(actor=editors["keyworker"], fields=content.CourseFields(title="No", audience="both"))


def test_a_quiz_needs_two_answers_and_a_right_one(editors):
    lesson = Lesson.objects.get(module__course=_course_with_a_lesson(editors["writer"]))
    for options, multiple, words in (
        ([content.OptionFields("Only one", correct=True)], False, "at least two"),
        ([content.OptionFields("A"), content.OptionFields("B")], False, "Tick the right answer"),
        ([content.OptionFields("A", correct=True), content.OptionFields("B", correct=True)], False, "only one"),
    ):
        with pytest.raises(ValidationError, match=words):
            content.question_save(
                actor=editors["writer"],
                lesson=lesson,
                fields=content.QuestionFields(text="Q?", multiple=multiple, options=options),
            )
    assert not Question.objects.filter(lesson=lesson).exists()


def test_parts_lessons_and_questions_move_up_and_down(editors):
    writer = editors["writer"]
    course = _course_with_a_lesson(writer)
    module = course.modules.get()
    second = content.lesson_create(
        actor=writer, fields=content.LessonFields(module=module, title="Second", body="Words.")
    )
    content.content_move(actor=writer, thing=second, up=True)
    assert list(module.lessons.order_by("position").values_list("title", flat=True)) == ["Second", "Your money"]
    content.content_move(actor=writer, thing=second, up=True)  # already first: nothing changes
    assert list(module.lessons.order_by("position").values_list("title", flat=True)) == ["Second", "Your money"]
    assert AuditEvent.objects.filter(action="learning.content.moved").count() == 1


def test_a_lesson_people_started_is_kept(editors, org):
    from onward.accounts.services import person_account_ensure
    from onward.learning import services
    from onward.learning.tests.factories import right_answers

    course = demo_like_course()
    person = PersonFactory(unit=org["wing_a"])
    user = person_account_ensure(person)
    services.enrolment_create(actor=user, person=person, course=course)
    lesson = Lesson.objects.filter(module__course=course).first()
    services.lesson_complete(actor=user, lesson=lesson, answers=right_answers(lesson))
    with pytest.raises(ValidationError, match="started"):
        content.lesson_delete(actor=editors["writer"], lesson=lesson)


# --- The pages ----------------------------------------------------------------------------------


def test_an_editor_writes_a_course_on_the_pages_with_plain_errors(editors, staff_client):
    client = staff_client(editors["writer"])
    empty = client.post("/staff/courses/new/", {"title": "", "audience": ""})
    assert empty.status_code == 400
    page = empty.content.decode()
    assert "govuk-error-summary" in page
    assert "Enter a title." in page
    assert "Choose who the course is for." in page
    response = client.post("/staff/courses/new/", {"title": "Synthetic cooking course", "audience": "custody"})
    assert response.status_code == 302
    course = Course.objects.get(title="Synthetic cooking course")
    assert response["Location"] == f"/staff/courses/{course.pk}/"
    module = course.modules.get()

    no_words = client.post(
        f"/staff/courses/{course.pk}/lessons/new/",
        {"module": module.pk, "title": "Eggs", "kind": "text", "body": "", "pass_mark_percent": "101"},
    )
    assert no_words.status_code == 400
    assert "Enter the lesson&#39;s words." in no_words.content.decode()
    assert "Enter a pass mark from 0 to 100." in no_words.content.decode()
    saved = client.post(
        f"/staff/courses/{course.pk}/lessons/new/",
        {
            "module": module.pk,
            "title": "Eggs",
            "kind": "text",
            "body": "# Eggs\n\n<script>x</script>",
            "pass_mark_percent": "100",
        },
    )
    lesson = Lesson.objects.get(module__course=course)
    assert saved["Location"] == f"/staff/courses/lessons/{lesson.pk}/"
    shown = client.get(saved["Location"]).content.decode()
    assert "<h1>Eggs</h1>" in shown or "Eggs</h" in shown
    assert "<script>x</script>" not in shown

    bad_quiz = client.post(
        f"/staff/courses/lessons/{lesson.pk}/questions/new/",
        {"text": "How long to boil?", "multiple": "one", "option_1": "3 minutes", "option_2": "", "correct_1": "on"},
    )
    assert bad_quiz.status_code == 400
    assert "Give at least two answers to choose from." in bad_quiz.content.decode()
    quiz = client.post(
        f"/staff/courses/lessons/{lesson.pk}/questions/new/",
        {
            "text": "How long to boil?",
            "multiple": "one",
            "option_1": "3 minutes",
            "option_2": "An hour",
            "correct_1": "on",
        },
    )
    assert quiz.status_code == 302
    question = Question.objects.get(lesson=lesson)
    assert [(o.text, o.correct) for o in question.options.all()] == [("3 minutes", True), ("An hour", False)]

    assert client.post(f"/staff/courses/{course.pk}/submit/").status_code == 302
    course.refresh_from_db()
    assert course.state == CourseState.IN_REVIEW
    own = client.get(f"/staff/courses/{course.pk}/").content.decode()
    assert "You cannot approve your own changes." in own
    client.post(f"/staff/courses/{course.pk}/approve/")
    course.refresh_from_db()
    assert course.state == CourseState.IN_REVIEW  # refused: it is theirs


def test_the_courses_list_is_in_the_editors_menu_and_not_for_casework(editors, staff_client):
    body = staff_client(editors["writer"]).get("/staff/courses/").content.decode()
    assert 'href="/staff/courses/"' in body
    assert staff_client(editors["keyworker"]).get("/staff/courses/").status_code == 403


# --- Self-assessments ---------------------------------------------------------------------------


def test_a_self_assessment_is_published_only_once_a_second_editor_approves_it(editors, staff_client):
    from onward.learning.models import SelfAssessmentSet

    writer, second = editors["writer"], editors["second"]
    client = staff_client(writer)
    empty = client.post("/staff/self-assessments/new/", {"title": ""})
    assert empty.status_code == 400
    assert "Enter a title." in empty.content.decode()
    response = client.post("/staff/self-assessments/new/", {"title": "Synthetic coping check"})
    assessment = SelfAssessmentSet.objects.get(title="Synthetic coping check")
    assert response["Location"] == f"/staff/self-assessments/{assessment.pk}/"
    no_score = client.post(
        f"/staff/self-assessments/{assessment.pk}/questions/new/",
        {"text": "How are you sleeping?", "option_1": "Badly", "option_2": "Well", "score_2": "3"},
    )
    assert no_score.status_code == 400
    assert "Enter a score for answer 1." in no_score.content.decode()
    client.post(
        f"/staff/self-assessments/{assessment.pk}/questions/new/",
        {"text": "How are you sleeping?", "option_1": "Badly", "score_1": "0", "option_2": "Well", "score_2": "3"},
    )
    question = assessment.questions.get()
    assert [(o.text, o.score) for o in question.options.all()] == [("Badly", 0), ("Well", 3)]
    client.post(f"/staff/self-assessments/{assessment.pk}/publish/")
    client.post(f"/staff/self-assessments/{assessment.pk}/approve/")
    assessment.refresh_from_db()
    assert not assessment.published  # not without a second editor
    assert assessment.approved_by is None
    with pytest.raises(PermissionDenied):
        content.assessment_approve(actor=writer, assessment=assessment)
    assessment = content.assessment_approve(actor=second, assessment=assessment)
    content.assessment_publish(actor=writer, assessment=assessment, published=True)
    assessment.refresh_from_db()
    assert assessment.published
    content.assessment_edit(actor=writer, assessment=assessment, fields=content.AssessmentFields(title="Changed"))
    assessment.refresh_from_db()
    assert not assessment.published  # a change takes it down until it is approved again
    assert assessment.approved_by is None
