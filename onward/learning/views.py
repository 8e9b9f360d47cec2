"""The person's learning pages, staff views of a person's learning and of completion rates, and the
public certificate check. Thin: parse, call a service or selector, render."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from onward.core.audit_actions import AuditAction
from onward.core.context import current_request_context
from onward.core.markdown import body_html
from onward.core.permissions import can, permission, public, require
from onward.learning import selectors, services
from onward.learning.certificates import (
    certificate_check,
    certificate_check_allowed,
    certificate_pdf,
    certificate_verify_url,
)
from onward.learning.models import Course, in_language
from onward.people.models import Person
from onward.people.selectors import person_get

CODE_MAX_LENGTH = 60


# --- The person ---------------------------------------------------------------------------------


@permission("learning.self")
def learning_home(request: HttpRequest) -> HttpResponse:
    """My courses with progress and certificates, the courses open to me, and my self-assessments."""
    learning = selectors.learning_for(request.user, _me(request))
    return render(request, "learning/home.html", _with_language({"learning": learning}))


@permission("learning.self")
def course_detail(request: HttpRequest, course_id: int) -> HttpResponse:
    progress = selectors.course_for(request.user, _me(request), course_id)
    return render(request, "learning/course.html", _with_language({"progress": progress}))


@permission("learning.self")
@require_POST
def course_enrol(request: HttpRequest, course_id: int) -> HttpResponse:
    person = _me(request)
    progress = selectors.course_for(request.user, person, course_id)
    try:
        services.enrolment_create(actor=request.user, person=person, course=progress.course)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You have joined this course. Start with the first lesson."))
    return redirect("learning:course", course_id=course_id)


@permission("learning.self")
def lesson_detail(request: HttpRequest, lesson_id: int) -> HttpResponse:
    """The lesson to read, listen to or watch, then its quiz. Sending the answers marks them and shows feedback."""
    person = _me(request)
    lesson, progress = selectors.lesson_for(request.user, person, lesson_id)
    result, error, chosen = None, "", {}
    if request.method == "POST":
        chosen = _answers(request, lesson)
        try:
            result = services.lesson_complete(actor=request.user, lesson=lesson, answers=chosen)
        except ValidationError as refused:
            error = " ".join(refused.messages)
    elif progress is not None:
        chosen = {int(q): list(options) for q, options in progress.answers.items()}
    previous, following = selectors.lesson_neighbours(lesson)
    language = get_language()
    context = {
        "lesson": lesson,
        "course": lesson.module.course,
        "progress": progress,
        "result": result,
        "feedback": {r.question.pk: r for r in result.questions} if result else {},
        "error": error,
        "chosen": chosen,
        "body": body_html(in_language(lesson, "body", language)),
        "previous": previous,
        "following": following,
    }
    return render(request, "learning/lesson.html", _with_language(context), status=400 if error else 200)


@permission("learning.self")
@require_safe
def lesson_media(request: HttpRequest, lesson_id: int) -> FileResponse:
    lesson, _progress = selectors.lesson_for(request.user, _me(request), lesson_id)
    return lesson_media_response(lesson)


def lesson_media_response(lesson: Any) -> FileResponse:
    if not lesson.media:
        raise Http404
    response = FileResponse(
        lesson.media.open("rb"), content_type=lesson.media_content_type or "application/octet-stream"
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


@permission("learning.self")
@require_safe
def certificate_download(request: HttpRequest, course_id: int) -> HttpResponse:
    certificate = selectors.certificate_for(request.user, _me(request), course_id)
    body = certificate_pdf(certificate, certificate_verify_url(request, certificate.code))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.course_id}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@permission("learning.self")
def assessment_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """A self-assessment to answer (again), with the person's scores so far."""
    person = _me(request)
    assessment = selectors.assessment_for(request.user, person, assessment_id)
    error = ""
    chosen: dict[int, int] = {}
    if request.method == "POST":
        chosen = {q.pk: _int(request.POST.get(f"q{q.pk}")) or 0 for q in assessment.questions.all()}
        try:
            result = services.self_assessment_submit(actor=request.user, assessment=assessment, answers=chosen)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(
                request,
                _("Thank you. Your score is %(score)s out of %(max)s.")
                % {"score": result.score, "max": result.max_score},
            )
            return redirect("learning:assessment", assessment_id=assessment.pk)
    history = selectors.assessments_for(request.user, person, only=assessment)
    context = {"assessment": assessment, "history": history[0] if history else None, "error": error, "chosen": chosen}
    return render(request, "learning/assessment.html", _with_language(context), status=400 if error else 200)


# --- Staff --------------------------------------------------------------------------------------


@permission("learning.view")
def person_learning(request: HttpRequest, person_id: int) -> HttpResponse:
    """A person's courses, progress, certificates and self-assessment scores over time."""
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_LEARNING)
    require(request.user, "learning.view", person)
    learning = selectors.learning_for(request.user, person)
    context = {"person": person, "learning": learning, "may_enrol": can(request.user, "learning.enrol", person)}
    return render(request, "learning/person_learning.html", _with_language(context))


@permission("learning.enrol")
@require_POST
def person_enrol(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_FOR_ENROLMENT)
    course = Course.objects.filter(pk=_int(request.POST.get("course")) or 0).first()
    if course is None:
        messages.error(request, _("Choose a course."))
    else:
        try:
            services.enrolment_create(actor=request.user, person=person, course=course)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("%(name)s is now on %(course)s.") % {"name": person.full_name, "course": course.title}
            )
    return redirect("learning:person_learning", person_id=person.pk)


@permission("learning.statistics")
def completion_list(request: HttpRequest) -> HttpResponse:
    context = {"courses": selectors.completion_courses(request.user), "can_edit": can(request.user, "learning.edit")}
    return render(request, "learning/completion_list.html", context)


@permission("learning.statistics")
def completion_detail(request: HttpRequest, course_id: int) -> HttpResponse:
    course, rows, total = selectors.completion_rates(request.user, course_id)
    return render(request, "learning/completion_detail.html", {"course": course, "rows": rows, "total": total})


# --- Anyone -------------------------------------------------------------------------------------


@public
@require_safe
def certificate_verify(request: HttpRequest) -> HttpResponse:
    """Anyone checks a certificate's code. The answer names only the first name, surname initial, course and date."""
    code = request.GET.get("code", "").strip()[:CODE_MAX_LENGTH]
    check, checked, limited = None, False, False
    if code:
        if certificate_check_allowed(_address(request)):
            check, checked = certificate_check(code), True
        else:
            limited = True
    context = {"code": code, "check": check, "checked": checked, "limited": limited}
    response = render(request, "learning/verify.html", context, status=429 if limited else 200)
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-store"
    return response


# --- helpers ------------------------------------------------------------------------------------


def _me(request: HttpRequest) -> Person:
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied("learning.self")
    return person


def _answers(request: HttpRequest, lesson: Any) -> dict[int, list[int]]:
    answers = {}
    for question in lesson.questions.all():
        chosen = [_int(value) for value in request.POST.getlist(f"q{question.pk}")]
        answers[question.pk] = [value for value in chosen if value]
    return answers


def _with_language(context: dict[str, Any]) -> dict[str, Any]:
    """Content in the page's language where it has been translated, else English."""
    language = get_language()
    context["tr"] = lambda obj, field: in_language(obj, field, language)
    return context


def _address(request: HttpRequest) -> str:
    return current_request_context().ip_address or request.META.get("REMOTE_ADDR", "")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
