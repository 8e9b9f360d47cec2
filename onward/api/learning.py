"""Learning: a person's courses, lessons and quizzes, certificates and self-assessments (device token);
staff views of a person's learning and of course completion (session); and the public certificate check.

Content comes in the person's preferred language where it has been translated, English otherwise.
Quiz answers are marked on the server; the correct answers are never sent before the person answers.
"""

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, P, PathEx, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict, StringConstraints

from onward.api.auth import api_caller
from onward.api.errors import BAD_REQUEST, NOT_FOUND, UNPROCESSABLE, ErrorOut, responses
from onward.api.permissions import permission
from onward.api.schemas import DATABASE_ID_MAX, DatabaseId
from onward.core.audit_actions import AuditAction
from onward.core.context import current_request_context
from onward.core.markdown import plain_text
from onward.core.permissions import PUBLIC
from onward.learning import selectors, services
from onward.learning.certificates import (
    certificate_check,
    certificate_check_allowed,
    certificate_pdf,
    certificate_verify_url,
)
from onward.learning.models import Audience, Course, LessonKind, in_language
from onward.people.models import Person
from onward.people.selectors import person_get

router = Router(tags=["learning"])

TOO_MANY_REQUESTS = 429
QUESTIONS_MAX = 100
OPTIONS_MAX = 20
CODE_MAX_LENGTH = 60
Id = PathEx[int, P(ge=1, le=DATABASE_ID_MAX)]
T = TypeVar("T")


# --- Schemas ------------------------------------------------------------------------------------


class CourseOut(Schema):
    id: int
    title: str
    summary: str
    audience: Audience


class CourseProgressOut(Schema):
    course: CourseOut
    enrolled_at: dt.datetime | None
    lessons_total: int
    lessons_done: int
    finished: bool
    certificate_issued_at: dt.datetime | None


class MyCoursesOut(Schema):
    mine: list[CourseProgressOut]
    available: list[CourseOut]


class LessonSummaryOut(Schema):
    id: int
    title: str
    kind: LessonKind
    done: bool


class ModuleOut(Schema):
    id: int
    title: str
    lessons: list[LessonSummaryOut]


class CourseDetailOut(CourseProgressOut):
    modules: list[ModuleOut]


class OptionOut(Schema):
    id: int
    text: str


class QuestionOut(Schema):
    id: int
    text: str
    multiple: bool = Field(description="True: choose every right answer. False: choose one.")
    options: list[OptionOut]


class LessonOut(Schema):
    id: int
    course_id: int
    title: str
    kind: LessonKind
    body: str = Field(description="The lesson text in plain words (headings and list markers removed).")
    media_url: str | None = Field(description="Audio or video for this lesson, when it has some.")
    pass_mark_percent: int
    questions: list[QuestionOut]
    done: bool


class AnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    question: DatabaseId
    options: list[DatabaseId] = Field(min_length=1, max_length=OPTIONS_MAX)


class LessonAnswersIn(Schema):
    model_config = ConfigDict(extra="forbid")

    answers: list[AnswerIn] = Field(default_factory=list, max_length=QUESTIONS_MAX)


class OptionFeedbackOut(Schema):
    option: int
    chosen: bool
    feedback: str


class QuestionResultOut(Schema):
    question: int
    right: bool
    options: list[OptionFeedbackOut] = Field(description="Feedback for the options the person chose.")


class LessonResultOut(Schema):
    passed: bool
    score: int
    out_of: int
    questions: list[QuestionResultOut]
    course_finished: bool
    certificate_issued_at: dt.datetime | None


class ScoreOut(Schema):
    score: int
    max_score: int
    submitted_at: dt.datetime


class AssessmentOptionOut(Schema):
    id: int
    text: str
    score: int


class AssessmentQuestionOut(Schema):
    id: int
    text: str
    options: list[AssessmentOptionOut]


class AssessmentOut(Schema):
    id: int
    title: str
    introduction: str
    score_meaning: str
    questions: list[AssessmentQuestionOut]
    scores: list[ScoreOut] = Field(description="The person's scores, oldest first.")


class AssessmentAnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    question: DatabaseId
    option: DatabaseId


class AssessmentAnswersIn(Schema):
    model_config = ConfigDict(extra="forbid")

    answers: list[AssessmentAnswerIn] = Field(max_length=QUESTIONS_MAX)


class AssessmentHistoryOut(Schema):
    id: int
    title: str
    scores: list[ScoreOut]


class PersonLearningOut(Schema):
    person_id: int
    courses: list[CourseProgressOut]
    available: list[CourseOut]
    self_assessments: list[AssessmentHistoryOut]


class EnrolIn(Schema):
    model_config = ConfigDict(extra="forbid")

    course: DatabaseId


class CompletionRowOut(Schema):
    unit_id: int | None = Field(description="The prison or probation office; null for the total.")
    unit_name: str
    enrolled: int
    completed: int
    completion_percent: int


class CompletionOut(Schema):
    course: CourseOut
    rows: list[CompletionRowOut]
    total: CompletionRowOut


class VerifyQuery(Schema):
    model_config = ConfigDict(extra="forbid")

    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=CODE_MAX_LENGTH)]


class CertificateCheckOut(Schema):
    found: bool
    name: str | None = Field(description="First name and the initial of the surname; nothing else about the person.")
    course: str | None
    issued_on: dt.date | None


# --- The person ---------------------------------------------------------------------------------


@router.get(
    "/me/courses", response=responses({200: MyCoursesOut}), summary="The person's courses and those open to them"
)
@permission("learning.self")
def my_courses(request: HttpRequest) -> MyCoursesOut:
    user = api_caller(request)
    person = _me(user)
    learning = selectors.learning_for(user, person)
    language = person.preferred_language
    return MyCoursesOut(
        mine=[_progress_out(p, language) for p in learning.courses],
        available=[_course_out(c, language) for c in learning.available],
    )


@router.get(
    "/me/courses/{course_id}",
    response=responses({200: CourseDetailOut}, NOT_FOUND, UNPROCESSABLE),
    summary="One course with its modules and lessons",
)
@permission("learning.self")
def my_course(request: HttpRequest, course_id: Id) -> CourseDetailOut:
    user = api_caller(request)
    person = _me(user)
    progress = _found(lambda: selectors.course_for(user, person, course_id))
    return _course_detail_out(progress, person.preferred_language)


@router.post(
    "/me/courses/{course_id}/enrolment",
    response=responses({200: CourseDetailOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Join a course",
)
@permission("learning.self")
def my_course_enrol(request: HttpRequest, course_id: Id) -> CourseDetailOut:
    """Joining twice changes nothing."""
    user = api_caller(request)
    person = _me(user)
    progress = _found(lambda: selectors.course_for(user, person, course_id))
    _service(lambda: services.enrolment_create(actor=user, person=person, course=progress.course))
    return _course_detail_out(selectors.course_for(user, person, course_id), person.preferred_language)


@router.get(
    "/me/lessons/{lesson_id}",
    response=responses({200: LessonOut}, NOT_FOUND, UNPROCESSABLE),
    summary="A lesson and its quiz (without the answers)",
)
@permission("learning.self")
def my_lesson(request: HttpRequest, lesson_id: Id) -> LessonOut:
    user = api_caller(request)
    person = _me(user)
    lesson, progress = _found(lambda: selectors.lesson_for(user, person, lesson_id))
    language = person.preferred_language
    return LessonOut(
        id=lesson.pk,
        course_id=lesson.module.course_id,
        title=in_language(lesson, "title", language),
        kind=LessonKind(lesson.kind),
        body=plain_text(in_language(lesson, "body", language)),
        media_url=f"/api/v1/me/lessons/{lesson.pk}/media" if lesson.media else None,
        pass_mark_percent=lesson.pass_mark_percent,
        questions=[
            QuestionOut(
                id=q.pk,
                text=in_language(q, "text", language),
                multiple=q.multiple,
                options=[OptionOut(id=o.pk, text=in_language(o, "text", language)) for o in q.options.all()],
            )
            for q in lesson.questions.all()
        ],
        done=bool(progress and progress.completed_at),
    )


@router.get(
    "/me/lessons/{lesson_id}/media",
    response=responses({200: None}, NOT_FOUND, UNPROCESSABLE),
    summary="A lesson's audio or video",
    openapi_extra={"responses": {200: {"description": "The audio or video file, in its own type."}}},
)
@permission("learning.self")
def my_lesson_media(request: HttpRequest, lesson_id: Id) -> FileResponse:
    from onward.learning.views import lesson_media_response

    user = api_caller(request)
    lesson, _progress = _found(lambda: selectors.lesson_for(user, _me(user), lesson_id))
    return lesson_media_response(lesson)


@router.post(
    "/me/lessons/{lesson_id}/completion",
    response=responses({200: LessonResultOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Finish a lesson with the quiz answers",
)
@permission("learning.self")
def my_lesson_complete(request: HttpRequest, lesson_id: Id, body: LessonAnswersIn) -> LessonResultOut:
    """Marked here. A try that does not reach the pass mark answers 200 with passed=false and the feedback;
    the person may try again. When the last lesson is done, the certificate is issued (once)."""
    user = api_caller(request)
    person = _me(user)
    lesson, _progress = _found(lambda: selectors.lesson_for(user, person, lesson_id))
    answers: dict[int, list[int]] = {}
    for answer in body.answers:
        answers.setdefault(answer.question, []).extend(answer.options)
    result = _service(lambda: services.lesson_complete(actor=user, lesson=lesson, answers=answers))
    language = person.preferred_language
    return LessonResultOut(
        passed=result.passed,
        score=result.score,
        out_of=result.out_of,
        questions=[
            QuestionResultOut(
                question=r.question.pk,
                right=r.right,
                options=[
                    OptionFeedbackOut(
                        option=f.option.pk, chosen=True, feedback=in_language(f.option, "feedback", language)
                    )
                    for f in r.options
                    if f.chosen
                ],
            )
            for r in result.questions
        ],
        course_finished=result.certificate is not None,
        certificate_issued_at=result.certificate.issued_at if result.certificate else None,
    )


@router.get(
    "/me/courses/{course_id}/certificate",
    response=responses({200: None}, NOT_FOUND, UNPROCESSABLE),
    summary="Download the course certificate (PDF)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The certificate as a PDF.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
@permission("learning.self")
def my_certificate(request: HttpRequest, course_id: Id) -> HttpResponse:
    user = api_caller(request)
    certificate = _found(lambda: selectors.certificate_for(user, _me(user), course_id))
    response = HttpResponse(
        certificate_pdf(certificate, certificate_verify_url(request, certificate.code)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.course_id}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/me/self-assessments",
    response=responses({200: list[AssessmentOut]}),
    summary="Self-assessments and the person's scores",
)
@permission("learning.self")
def my_assessments(request: HttpRequest) -> list[AssessmentOut]:
    user = api_caller(request)
    person = _me(user)
    histories = selectors.assessments_for(user, person)
    language = person.preferred_language
    out = []
    for h in histories:
        if not h.assessment.published:
            continue
        assessment = selectors.assessment_for(user, person, h.assessment.pk)
        out.append(_assessment_out(assessment, h.results, language))
    return out


@router.post(
    "/me/self-assessments/{assessment_id}/results",
    response=responses({201: ScoreOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Answer a self-assessment (as often as the person likes)",
)
@permission("learning.self")
def my_assessment_submit(request: HttpRequest, assessment_id: Id, body: AssessmentAnswersIn) -> Status[ScoreOut]:
    user = api_caller(request)
    person = _me(user)
    assessment = _found(lambda: selectors.assessment_for(user, person, assessment_id))
    answers = {a.question: a.option for a in body.answers}
    result = _service(lambda: services.self_assessment_submit(actor=user, assessment=assessment, answers=answers))
    return Status(201, ScoreOut(score=result.score, max_score=result.max_score, submitted_at=result.submitted_at))


# --- Staff --------------------------------------------------------------------------------------


@router.get(
    "/people/{person_id}/learning",
    response=responses({200: PersonLearningOut}, NOT_FOUND, UNPROCESSABLE),
    summary="A person's courses, progress, certificates and self-assessment scores",
)
@permission("learning.view")
def person_learning(request: HttpRequest, person_id: Id) -> PersonLearningOut:
    """The same 404 whether the person does not exist or is not the caller's to see."""
    user = api_caller(request)
    person = _person(user, person_id, AuditAction.PERSON_VIEW_LEARNING)
    learning = _found(lambda: selectors.learning_for(user, person))
    return PersonLearningOut(
        person_id=person.pk,
        courses=[_progress_out(p, "en") for p in learning.courses],
        available=[_course_out(c, "en") for c in learning.available],
        self_assessments=[
            AssessmentHistoryOut(
                id=h.assessment.pk, title=h.assessment.title, scores=[_score_out(r) for r in h.results]
            )
            for h in learning.assessments
            if h.results
        ],
    )


@router.post(
    "/people/{person_id}/learning/enrolments",
    response=responses({200: PersonLearningOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Put a person on a course",
)
@permission("learning.enrol")
def person_enrol(request: HttpRequest, person_id: Id, body: EnrolIn) -> PersonLearningOut:
    user = api_caller(request)
    person = _person(user, person_id, AuditAction.PERSON_VIEW_FOR_ENROLMENT)
    course = Course.objects.filter(pk=body.course).first()
    if course is None:
        raise HttpError(BAD_REQUEST, _("There is no such course."))
    _found(lambda: _service(lambda: services.enrolment_create(actor=user, person=person, course=course)))
    return person_learning(request, person_id)


@router.get(
    "/courses/{course_id}/completion",
    response=responses({200: CompletionOut}, NOT_FOUND, UNPROCESSABLE),
    summary="A course's completion rates, per prison or probation office",
)
@permission("learning.statistics")
def course_completion(request: HttpRequest, course_id: Id) -> CompletionOut:
    """Numbers only, for the people at the units where the caller works, counted where they are now."""
    course, rows, total = _found(lambda: selectors.completion_rates(api_caller(request), course_id))
    return CompletionOut(
        course=_course_out(course, "en"),
        rows=[_row_out(r) for r in rows],
        total=_row_out(total),
    )


# --- Anyone -------------------------------------------------------------------------------------


@router.get(
    "/certificates/verify",
    auth=None,
    response={**responses({200: CertificateCheckOut}, UNPROCESSABLE), TOO_MANY_REQUESTS: ErrorOut},
    summary="Check a certificate's verification code (no sign-in)",
)
def certificate_verify(request: HttpRequest, query: Query[VerifyQuery]) -> Any:
    """Says only whether the code is real and, if it is, the first name, the initial of the surname, the
    course and the date. Limited to a number of checks an hour from each address."""
    if not certificate_check_allowed(current_request_context().ip_address or request.META.get("REMOTE_ADDR", "")):
        raise HttpError(TOO_MANY_REQUESTS, _("You have checked a lot of codes. Please try again in an hour."))
    check = certificate_check(query.code)
    if check is None:
        return CertificateCheckOut(found=False, name=None, course=None, issued_on=None)
    return CertificateCheckOut(found=True, name=check.name, course=check.course, issued_on=check.issued_on)


certificate_verify.onward_permission = PUBLIC  # type: ignore[attr-defined]


# --- helpers ------------------------------------------------------------------------------------


def _me(user: Any) -> Person:
    person = getattr(user, "person", None)
    if person is None:
        raise PermissionDenied("learning.self")
    return person


def _person(user: Any, person_id: int, purpose: AuditAction) -> Person:
    try:
        return person_get(user, person_id, purpose=purpose)
    except PermissionDenied:
        raise Http404 from None


def _found(call: Callable[[], T]) -> T:
    try:
        return call()
    except PermissionDenied:
        raise Http404 from None


def _service(call: Callable[[], T]) -> T:
    try:
        return call()
    except DjangoValidationError as error:
        raise HttpError(BAD_REQUEST, " ".join(error.messages)) from None


def _course_out(course: Course, language: str) -> CourseOut:
    return CourseOut(
        id=course.pk,
        title=in_language(course, "title", language),
        summary=in_language(course, "summary", language),
        audience=Audience(course.audience),
    )


def _progress_out(progress: selectors.CourseProgress, language: str) -> CourseProgressOut:
    return CourseProgressOut(
        course=_course_out(progress.course, language),
        enrolled_at=progress.enrolment.enrolled_at if progress.enrolment else None,
        lessons_total=progress.lessons_total,
        lessons_done=progress.lessons_done,
        finished=progress.finished,
        certificate_issued_at=progress.certificate.issued_at if progress.certificate else None,
    )


def _course_detail_out(progress: selectors.CourseProgress, language: str) -> CourseDetailOut:
    course = progress.course
    done: set[int] = getattr(course, "done_lesson_ids", set())
    return CourseDetailOut(
        **_progress_out(progress, language).dict(),
        modules=[
            ModuleOut(
                id=m.pk,
                title=in_language(m, "title", language),
                lessons=[
                    LessonSummaryOut(
                        id=lesson.pk,
                        title=in_language(lesson, "title", language),
                        kind=LessonKind(lesson.kind),
                        done=lesson.pk in done,
                    )
                    for lesson in m.lessons.all()
                ],
            )
            for m in course.modules.all()
        ],
    )


def _assessment_out(assessment: Any, results: list[Any], language: str) -> AssessmentOut:
    return AssessmentOut(
        id=assessment.pk,
        title=in_language(assessment, "title", language),
        introduction=in_language(assessment, "introduction", language),
        score_meaning=in_language(assessment, "score_meaning", language),
        questions=[
            AssessmentQuestionOut(
                id=q.pk,
                text=in_language(q, "text", language),
                options=[
                    AssessmentOptionOut(id=o.pk, text=in_language(o, "text", language), score=o.score)
                    for o in q.options.all()
                ],
            )
            for q in assessment.questions.all()
        ],
        scores=[_score_out(r) for r in results],
    )


def _score_out(result: Any) -> ScoreOut:
    return ScoreOut(score=result.score, max_score=result.max_score, submitted_at=result.submitted_at)


def _row_out(row: selectors.CompletionRow) -> CompletionRowOut:
    return CompletionRowOut(
        unit_id=row.unit.pk if row.unit else None,
        unit_name=row.unit.name if row.unit else _("Total"),
        enrolled=row.enrolled,
        completed=row.completed,
        completion_percent=row.percent,
    )
