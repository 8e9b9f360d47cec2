"""Enrolment, quiz marking, certificates (once, checkable by code) and self-assessments, with the policy."""

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from onward.audit.models import AuditEvent
from onward.learning import selectors, services
from onward.learning.certificates import certificate_check, certificate_check_allowed
from onward.learning.models import Audience, Certificate, Enrolment, Lesson, LessonProgress, SelfAssessmentResult
from onward.learning.tests.factories import CourseFactory, assessment_build, right_answers, wrong_answers
from onward.people.services import ReleaseDetails, person_release

pytestmark = pytest.mark.django_db


def _lessons(course: Any) -> list[Lesson]:
    return list(Lesson.objects.filter(module__course=course).order_by("position"))


def _finish(user: Any, course: Any) -> list[services.LessonResult]:
    return [
        services.lesson_complete(actor=user, lesson=lesson, answers=right_answers(lesson))
        for lesson in _lessons(course)
    ]


# --- Enrolment ---------------------------------------------------------------------------------


def test_a_person_enrols_themself_once_and_it_is_audited(learning_world: dict[str, Any]) -> None:
    w = learning_world
    first = services.enrolment_create(actor=w["user"], person=w["person"], course=w["course"])
    again = services.enrolment_create(actor=w["user"], person=w["person"], course=w["course"])
    assert first.pk == again.pk
    assert first.enrolled_by == w["user"]
    assert AuditEvent.objects.filter(action="learning.enrolled", person=w["person"]).count() == 1


def test_a_person_cannot_enrol_someone_else(learning_world: dict[str, Any]) -> None:
    w = learning_world
    with pytest.raises(PermissionDenied):
        services.enrolment_create(actor=w["user"], person=w["other"], course=w["course"])
    assert not Enrolment.objects.exists()


def test_staff_in_scope_enrol_a_person_and_staff_outside_cannot(learning_world: dict[str, Any]) -> None:
    w = learning_world
    enrolment = services.enrolment_create(actor=w["keyworker"], person=w["person"], course=w["course"])
    assert enrolment.enrolled_by == w["keyworker"]
    with pytest.raises(PermissionDenied):
        services.enrolment_create(actor=w["outsider"], person=w["other"], course=w["course"])
    event = AuditEvent.objects.get(action="learning.enrolled")
    assert event.actor_role == "key_worker"


# --- Targeting by audience and prison ----------------------------------------------------------


def test_courses_are_offered_by_audience_and_prison(learning_world: dict[str, Any], org: dict[str, Any]) -> None:
    w = learning_world
    custody_only = CourseFactory(title="Custody only", audience=Audience.CUSTODY)
    community_only = CourseFactory(title="Community only", audience=Audience.COMMUNITY)
    northgate_only = CourseFactory(title="Northgate only", audience=Audience.CUSTODY)
    northgate_only.prisons.add(org["ngt"])
    southtown_only = CourseFactory(title="Southtown only", audience=Audience.BOTH)
    southtown_only.prisons.add(org["stn"])
    draft = CourseFactory(title="Draft", published=False)

    in_custody = set(selectors.courses_offered_to(w["person"]))
    assert {w["course"], custody_only, northgate_only} <= in_custody
    assert not {community_only, southtown_only, draft} & in_custody
    in_community = set(selectors.courses_offered_to(w["community"]))
    assert {w["course"], community_only, southtown_only} <= in_community  # prisons limit only those in prison
    assert not {custody_only, northgate_only, draft} & in_community
    with pytest.raises(ValidationError):
        services.enrolment_create(actor=w["user"], person=w["person"], course=community_only)
    with pytest.raises(ValidationError):
        services.enrolment_create(actor=w["user"], person=w["person"], course=southtown_only)


# --- Quiz marking -----------------------------------------------------------------------------


def test_the_quiz_is_marked_here_with_feedback_and_can_be_tried_again(learning_world: dict[str, Any]) -> None:
    w = learning_world
    services.enrolment_create(actor=w["user"], person=w["person"], course=w["course"])
    lesson = _lessons(w["course"])[0]

    wrong = services.lesson_complete(actor=w["user"], lesson=lesson, answers=wrong_answers(lesson))
    assert (wrong.passed, wrong.score, wrong.out_of) == (False, 0, 2)
    chosen_feedback = [f.text for r in wrong.questions for f in r.options if f.chosen]
    assert "No, not a loan." in chosen_feedback
    progress = LessonProgress.objects.get(person=w["person"], lesson=lesson)
    assert progress.completed_at is None
    assert progress.attempts == 1

    # Multiple choice: one of the two right answers is not enough.
    multiple = lesson.questions.get(multiple=True)
    half = right_answers(lesson)
    half[multiple.pk] = half[multiple.pk][:1]
    partly = services.lesson_complete(actor=w["user"], lesson=lesson, answers=half)
    assert (partly.passed, partly.score) == (False, 1)

    right = services.lesson_complete(actor=w["user"], lesson=lesson, answers=right_answers(lesson))
    assert right.passed
    assert right.newly_completed
    assert right.score == 2
    progress.refresh_from_db()
    assert progress.completed_at is not None
    assert progress.attempts == 3
    assert progress.answers == {str(q): sorted(ids) for q, ids in right_answers(lesson).items()}


def test_the_pass_mark_is_set_per_lesson(learning_world: dict[str, Any]) -> None:
    w = learning_world
    services.enrolment_create(actor=w["user"], person=w["person"], course=w["course"])
    lesson = _lessons(w["course"])[0]
    lesson.pass_mark_percent = 50
    lesson.save()
    half = right_answers(lesson)
    multiple = lesson.questions.get(multiple=True)
    half[multiple.pk] = wrong_answers(lesson)[multiple.pk]
    assert services.lesson_complete(actor=w["user"], lesson=lesson, answers=half).passed


def test_the_quiz_refuses_missing_foreign_and_extra_answers(learning_world: dict[str, Any]) -> None:
    w = learning_world
    services.enrolment_create(actor=w["user"], person=w["person"], course=w["course"])
    first, second = _lessons(w["course"])
    answers = right_answers(first)
    single = first.questions.get(multiple=False)
    with pytest.raises(ValidationError, match="Answer every question"):
        services.lesson_complete(actor=w["user"], lesson=first, answers={single.pk: answers[single.pk]})
    foreign = dict(answers)
    foreign[single.pk] = [first.questions.get(multiple=True).options.first().pk]
    with pytest.raises(ValidationError, match="Choose from the answers given"):
        services.lesson_complete(actor=w["user"], lesson=first, answers=foreign)
    both = dict(answers)
    both[single.pk] = [o.pk for o in single.options.all()]
    with pytest.raises(ValidationError, match="Choose one answer"):
        services.lesson_complete(actor=w["user"], lesson=first, answers=both)
    assert not LessonProgress.objects.exists()
    # A lesson with no quiz is done when the person says so.
    assert services.lesson_complete(actor=w["user"], lesson=second, answers={}).passed


def test_only_people_on_the_course_do_its_lessons(learning_world: dict[str, Any]) -> None:
    w = learning_world
    lesson = _lessons(w["course"])[0]
    with pytest.raises(ValidationError, match="Join the course"):
        services.lesson_complete(actor=w["user"], lesson=lesson, answers=right_answers(lesson))
    with pytest.raises(PermissionDenied):
        services.lesson_complete(actor=w["keyworker"], lesson=lesson, answers=right_answers(lesson))
    with pytest.raises(PermissionDenied):
        selectors.lesson_for(w["user"], w["person"], lesson.pk)


# --- Certificates ----------------------------------------------------------------------------


def test_the_certificate_is_issued_once_when_every_lesson_is_done(learning_world: dict[str, Any]) -> None:
    w = learning_world
    services.enrolment_create(actor=w["user"], person=w["person"], course=w["course"])
    first, second = _finish(w["user"], w["course"])
    assert first.certificate is None
    assert second.certificate is not None
    again = services.lesson_complete(actor=w["user"], lesson=_lessons(w["course"])[1], answers={})
    assert again.certificate is not None
    assert again.certificate.pk == second.certificate.pk
    assert Certificate.objects.count() == 1
    assert AuditEvent.objects.filter(action="learning.certificate_issued").count() == 1
    code = second.certificate.code
    assert len(code) == 24
    assert code.isalnum()
    assert code.isupper()


def test_certificate_codes_are_random_and_long() -> None:
    codes = {services.certificate_code_new() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(code) == 24 for code in codes)
    assert services.certificate_code_display("ABCDEFGHIJKL") == "ABCD-EFGH-IJKL"


def test_verification_says_only_first_name_initial_course_and_date(learning_world: dict[str, Any]) -> None:
    w = learning_world
    services.enrolment_create(actor=w["user"], person=w["person"], course=w["course"])
    certificate = _finish(w["user"], w["course"])[-1].certificate
    assert certificate is not None
    shown = services.certificate_code_display(certificate.code).lower()  # typed with dashes, in lower case
    check = certificate_check(shown)
    assert check is not None
    assert (check.name, check.course, check.issued_on) == ("Daniel H.", "Managing money", timezone.localdate())
    assert "Hughes" not in repr(check)
    assert certificate_check("A" * 24) is None
    assert certificate_check(certificate.code[:-1]) is None  # no prefix matches
    assert certificate_check("") is None
    assert certificate_check("-- --") is None


def test_verification_is_rate_limited_per_address(settings: Any) -> None:
    settings.CERTIFICATE_VERIFY_PER_HOUR = 3
    assert [certificate_check_allowed("192.0.2.1") for _ in range(4)] == [True, True, True, False]
    assert certificate_check_allowed("192.0.2.2")


# --- Progress belongs to the person: transfer and release ----------------------------------------


def test_progress_and_certificate_survive_person_release(learning_world: dict[str, Any], org: dict[str, Any]) -> None:
    w = learning_world
    person = w["person"]
    services.enrolment_create(actor=w["user"], person=person, course=w["course"])
    first = _lessons(w["course"])[0]
    services.lesson_complete(actor=w["user"], lesson=first, answers=right_answers(first))

    released = person_release(
        actor=w["pom"],
        person=person,
        details=ReleaseDetails(
            release_date=timezone.localdate(),
            status="licence",
            supervising_unit=org["office_n"],
            address="1 New Street, Northgate",
            practitioner=w["practitioner"],
        ),
    )
    assert not released.in_custody
    user = type(w["user"]).objects.get(pk=w["user"].pk)  # same account, fresh from the database
    learning = selectors.learning_for(user, released)
    assert [(p.course, p.lessons_done, p.lessons_total) for p in learning.courses] == [(w["course"], 1, 2)]
    # Carries on in the community and finishes: the certificate is theirs.
    second = _lessons(w["course"])[1]
    result = services.lesson_complete(actor=user, lesson=second, answers={})
    assert result.certificate is not None
    assert selectors.learning_for(user, released).courses[0].certificate == result.certificate
    # The new practitioner follows it; the prison key worker no longer can.
    assert selectors.learning_for(w["practitioner"], released).courses[0].lessons_done == 2
    with pytest.raises(PermissionDenied):
        selectors.learning_for(w["keyworker"], released)


def test_progress_survives_a_transfer_between_prisons(learning_world: dict[str, Any], org: dict[str, Any]) -> None:
    w = learning_world
    person = w["person"]
    services.enrolment_create(actor=w["user"], person=person, course=w["course"])
    _finish(w["user"], w["course"])
    person.unit = org["stn_wing"]  # moved to HMP Southtown
    person.save()
    learning = selectors.learning_for(w["user"], person)
    assert learning.courses[0].lessons_done == 2
    assert learning.courses[0].certificate is not None
    assert certificate_check(learning.courses[0].certificate.code) is not None


# --- Policy for reads --------------------------------------------------------------------------


def test_a_person_cannot_read_another_persons_learning(learning_world: dict[str, Any]) -> None:
    w = learning_world
    services.enrolment_create(actor=w["user"], person=w["person"], course=w["course"])
    for read in (
        lambda: selectors.learning_for(w["other_user"], w["person"]),
        lambda: selectors.course_for(w["other_user"], w["person"], w["course"].pk),
        lambda: selectors.certificate_for(w["other_user"], w["person"], w["course"].pk),
    ):
        with pytest.raises(PermissionDenied):
            read()


def test_staff_outside_scope_cannot_read_a_persons_learning(learning_world: dict[str, Any]) -> None:
    w = learning_world
    assert selectors.learning_for(w["keyworker"], w["person"]).person == w["person"]
    with pytest.raises(PermissionDenied):
        selectors.learning_for(w["outsider"], w["person"])
    with pytest.raises(PermissionDenied):
        selectors.learning_for(w["practitioner"], w["person"])


# --- Self-assessments ---------------------------------------------------------------------------


def test_self_assessment_scores_are_kept_over_time(learning_world: dict[str, Any]) -> None:
    w = learning_world
    coping = assessment_build("How am I coping?", ["Sleep", "Calm", "Hope"], [("Not at all", 0), ("A lot", 3)])
    questions = list(coping.questions.all())

    def answer(score: int) -> dict[int, int]:
        return {q.pk: q.options.get(score=score).pk for q in questions}

    first = services.self_assessment_submit(actor=w["user"], assessment=coping, answers=answer(0))
    SelfAssessmentResult.objects.filter(pk=first.pk).update(submitted_at=timezone.now() - dt.timedelta(days=7))
    second = services.self_assessment_submit(actor=w["user"], assessment=coping, answers=answer(3))
    assert (first.score, second.score, second.max_score) == (0, 9, 9)
    history = selectors.assessments_for(w["keyworker"], w["person"], only=coping)[0]
    assert [r.score for r in history.results] == [0, 9]  # oldest first
    assert AuditEvent.objects.filter(action="learning.self_assessment_submitted").count() == 2
    with pytest.raises(ValidationError, match="Answer every question"):
        services.self_assessment_submit(actor=w["user"], assessment=coping, answers={questions[0].pk: 0})
    with pytest.raises(PermissionDenied):
        services.self_assessment_submit(actor=w["keyworker"], assessment=coping, answers=answer(3))
    with pytest.raises(PermissionDenied):
        selectors.assessments_for(w["other_user"], w["person"])


# --- Completion rates ---------------------------------------------------------------------------


def test_completion_rates_per_prison_and_office_in_the_callers_units(
    learning_world: dict[str, Any], org: dict[str, Any], make_staff: Any
) -> None:
    w = learning_world
    services.enrolment_create(actor=w["user"], person=w["person"], course=w["course"])
    _finish(w["user"], w["course"])
    services.enrolment_create(actor=w["other_user"], person=w["other"], course=w["course"])
    services.enrolment_create(actor=w["practitioner"], person=w["community"], course=w["course"])
    from onward.organisations.models import Role

    senior_north = make_staff(Role.SENIOR, org["north"])
    _course, rows, total = selectors.completion_rates(senior_north, w["course"].pk)
    assert [(r.unit.name, r.enrolled, r.completed, r.percent) for r in rows if r.unit] == [
        ("HMP Northgate", 2, 1, 50),
        ("Northgate office", 1, 0, 0),
    ]
    assert (total.enrolled, total.completed, total.percent) == (3, 1, 33)
    _course, rows, total = selectors.completion_rates(w["outsider"], w["course"].pk)
    assert rows == []
    assert total.enrolled == 0


def test_a_persons_learning_takes_the_same_number_of_queries_however_many_courses(
    learning_world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from onward.learning.tests.factories import demo_like_course

    w = learning_world
    services.enrolment_create(actor=w["user"], person=w["person"], course=w["course"])
    with CaptureQueriesContext(connection) as one:
        selectors.learning_for(w["user"], w["person"])
    for n in range(4):
        course = demo_like_course(title=f"Extra {n}")
        services.enrolment_create(actor=w["user"], person=w["person"], course=course)
        _finish(w["user"], course)
    with django_assert_max_num_queries(len(one.captured_queries)):
        learning = selectors.learning_for(w["user"], w["person"])
    assert len(learning.courses) == 5
