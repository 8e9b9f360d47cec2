"""The person's learning pages, staff views of a person's learning and of completion rates, and the
public certificate check. Thin: parse, call a service or selector, render."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from onward.accounts.actors import signed_in_user
from onward.core.approval import needs_second_approval
from onward.core.audit_actions import AuditAction
from onward.core.context import current_request_context
from onward.core.markdown import body_html
from onward.core.permissions import can, permission, public, require
from onward.learning import content, selectors, services
from onward.learning.certificates import (
    certificate_check,
    certificate_check_allowed,
    certificate_pdf,
    certificate_verify_url,
)
from onward.learning.forms import (
    AssessmentForm,
    AssessmentQuestionForm,
    CourseForm,
    LessonForm,
    ModuleForm,
    QuestionForm,
    ReasonForm,
    assessment_question_initial,
    question_initial,
)
from onward.learning.models import (
    Course,
    CourseState,
    Lesson,
    Module,
    Question,
    SelfAssessmentQuestion,
    SelfAssessmentSet,
    in_language,
)
from onward.learning.rules import prisons_for_course_editor
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
        services.enrolment_create(actor=signed_in_user(request), person=person, course=progress.course)
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
            result = services.lesson_complete(actor=signed_in_user(request), lesson=lesson, answers=chosen)
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
            result = services.self_assessment_submit(
                actor=signed_in_user(request), assessment=assessment, answers=chosen
            )
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
            services.enrolment_create(actor=signed_in_user(request), person=person, course=course)
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


# --- Editors: writing courses on Onward's own pages (the services are in content.py) -------------


@permission("learning.edit")
def editor_courses(request: HttpRequest) -> HttpResponse:
    context = {
        "courses": selectors.courses_for_editor(request.user),
        "assessments": selectors.assessments_for_editor(request.user),
    }
    return render(request, "learning/editor/courses.html", context)


@permission("learning.edit")
def editor_course_new(request: HttpRequest) -> HttpResponse:
    form = CourseForm(request.POST or None, prisons=prisons_for_course_editor(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            course = content.course_create(actor=signed_in_user(request), fields=_course_fields(form))
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("Course saved as a draft. Now add its lessons."))
            return redirect("learning:editor_course", course_id=course.pk)
    return _form_page(request, "learning/editor/course_form.html", {"form": form, "course": None})


@permission("learning.edit")
def editor_course_edit(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.course_for_editor(request.user, course_id)
    initial = {
        "title": course.title,
        "title_cy": course.title_cy,
        "summary": course.summary,
        "summary_cy": course.summary_cy,
        "audience": course.audience,
        "prisons": [prison.pk for prison in course.prisons.all()],
    }
    form = CourseForm(request.POST or None, prisons=prisons_for_course_editor(request.user), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            content.course_edit(actor=signed_in_user(request), course=course, fields=_course_fields(form))
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("Course saved."))
            return redirect("learning:editor_course", course_id=course.pk)
    return _form_page(request, "learning/editor/course_form.html", {"form": form, "course": course})


@permission("learning.edit")
def editor_course(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.course_for_editor(request.user, course_id)
    context = {
        "course": course,
        "needs_approval": needs_second_approval(course.audience),
        "may_approve": can(request.user, "learning.approve", course),
        "may_publish": can(request.user, "learning.publish", course),
        "reason_form": ReasonForm(),
        "states": CourseState,
    }
    return render(request, "learning/editor/course.html", context)


@require_POST
@permission("learning.edit")
def editor_course_action(request: HttpRequest, course_id: int, action: str) -> HttpResponse:
    course = selectors.course_for_editor(request.user, course_id)
    actor = signed_in_user(request)

    def act() -> str:
        if action == "submit":
            content.course_submit(actor=actor, course=course)
            return _("Sent for approval. Another editor must approve it.")
        elif action == "approve":
            content.course_approve(actor=actor, course=course)
            return _("Approved. It can now be published.")
        elif action == "publish":
            content.course_publish(actor=actor, course=course)
            return _("Published. People can now find the course and join it.")
        elif action in ("return", "unpublish"):
            reason = ReasonForm(request.POST)
            if not reason.is_valid():
                raise ValidationError(_("Say why."))
            if action == "return":
                content.course_return(actor=actor, course=course, reason=reason.cleaned_data["reason"])
                return _("Sent back to draft.")
            else:
                content.course_unpublish(actor=actor, course=course, reason=reason.cleaned_data["reason"])
                return _("Taken down. People already on the course keep it; nobody new can join.")
        else:
            raise Http404

    _editor_act(request, act, _("You cannot do that to this course. Another editor must approve it."))
    return redirect("learning:editor_course", course_id=course.pk)


@permission("learning.edit")
def editor_module_new(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.course_for_editor(request.user, course_id)
    return _module_form(request, course, None)


@permission("learning.edit")
def editor_module_edit(request: HttpRequest, module_id: int) -> HttpResponse:
    module = selectors.module_for_editor(request.user, module_id)
    return _module_form(request, module.course, module)


def _module_form(request: HttpRequest, course: Course, module: Module | None) -> HttpResponse:
    initial = {"title": module.title, "title_cy": module.title_cy} if module else None
    form = ModuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = content.ModuleFields(title=form.cleaned_data["title"], title_cy=form.cleaned_data["title_cy"])
        try:
            if module is None:
                content.module_create(actor=signed_in_user(request), course=course, fields=fields)
            else:
                content.module_edit(actor=signed_in_user(request), module=module, fields=fields)
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("Saved."))
            return redirect("learning:editor_course", course_id=course.pk)
    return _form_page(request, "learning/editor/module_form.html", {"form": form, "course": course, "module": module})


@permission("learning.edit")
def editor_lesson_new(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.course_for_editor(request.user, course_id)
    modules = course.modules.order_by("position", "pk")
    chosen = request.GET.get("module", "")
    first = modules.first()
    initial = {"module": int(chosen) if chosen.isdigit() else first.pk if first else None, "pass_mark_percent": 100}
    return _lesson_form(request, course, None, initial)


@permission("learning.edit")
def editor_lesson_edit(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = selectors.lesson_for_editor(request.user, lesson_id)
    initial = {
        "module": lesson.module_id,
        "title": lesson.title,
        "title_cy": lesson.title_cy,
        "kind": lesson.kind,
        "body": lesson.body,
        "body_cy": lesson.body_cy,
        "pass_mark_percent": lesson.pass_mark_percent,
    }
    return _lesson_form(request, lesson.module.course, lesson, initial)


def _lesson_form(request: HttpRequest, course: Course, lesson: Lesson | None, initial: dict[str, Any]) -> HttpResponse:
    modules = course.modules.order_by("position", "pk")
    form = LessonForm(request.POST or None, request.FILES or None, modules=modules, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = content.LessonFields(
            module=data["module"],
            title=data["title"],
            title_cy=data["title_cy"],
            kind=data["kind"],
            body=data["body"],
            body_cy=data["body_cy"],
            pass_mark_percent=data["pass_mark_percent"],
            media=data["upload"] or None,
        )
        try:
            if lesson is None:
                lesson = content.lesson_create(actor=signed_in_user(request), fields=fields)
                messages.success(
                    request, _("Lesson saved. Add quiz questions if you want to check what people learnt.")
                )
            else:
                content.lesson_edit(actor=signed_in_user(request), lesson=lesson, fields=fields)
                messages.success(request, _("Lesson saved."))
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            return redirect("learning:editor_lesson", lesson_id=lesson.pk)
    context = {"form": form, "course": course, "lesson": lesson}
    return _form_page(request, "learning/editor/lesson_form.html", context)


@permission("learning.edit")
def editor_lesson(request: HttpRequest, lesson_id: int) -> HttpResponse:
    """The lesson as people will read it, and its quiz."""
    lesson = selectors.lesson_for_editor(request.user, lesson_id)
    context = {"lesson": lesson, "course": lesson.module.course, "body": body_html(lesson.body)}
    return render(request, "learning/editor/lesson.html", context)


@require_POST
@permission("learning.edit")
def editor_lesson_delete(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = selectors.lesson_for_editor(request.user, lesson_id)
    course_id = lesson.module.course_id
    try:
        content.lesson_delete(actor=signed_in_user(request), lesson=lesson)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
        return redirect("learning:editor_lesson", lesson_id=lesson.pk)
    messages.success(request, _("Lesson deleted."))
    return redirect("learning:editor_course", course_id=course_id)


@permission("learning.edit")
def editor_question_new(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = selectors.lesson_for_editor(request.user, lesson_id)
    return _question_form(request, lesson, None)


@permission("learning.edit")
def editor_question_edit(request: HttpRequest, question_id: int) -> HttpResponse:
    question = selectors.question_for_editor(request.user, question_id)
    return _question_form(request, question.lesson, question)


def _question_form(request: HttpRequest, lesson: Lesson, question: Question | None) -> HttpResponse:
    form = QuestionForm(request.POST or None, initial=question_initial(question) if question else None)
    if request.method == "POST" and form.is_valid():
        try:
            content.question_save(
                actor=signed_in_user(request), lesson=lesson, question=question, fields=form.fields_out()
            )
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("Question saved."))
            return redirect("learning:editor_lesson", lesson_id=lesson.pk)
    context = {"form": form, "lesson": lesson, "question": question, "course": lesson.module.course}
    return _form_page(request, "learning/editor/question_form.html", context)


@require_POST
@permission("learning.edit")
def editor_question_delete(request: HttpRequest, question_id: int) -> HttpResponse:
    question = selectors.question_for_editor(request.user, question_id)
    content.question_delete(actor=signed_in_user(request), question=question)
    messages.success(request, _("Question deleted."))
    return redirect("learning:editor_lesson", lesson_id=question.lesson_id)


MOVABLE: dict[str, Callable[[Any, int], Module | Lesson | Question]] = {
    "module": selectors.module_for_editor,
    "lesson": selectors.lesson_for_editor,
    "question": selectors.question_for_editor,
}


@require_POST
@permission("learning.edit")
def editor_move(request: HttpRequest, what: str, thing_id: int, direction: str) -> HttpResponse:
    """Move a part, a lesson or a question one place up or down (a button for each, no dragging)."""
    if what not in MOVABLE or direction not in ("up", "down"):
        raise Http404
    thing = MOVABLE[what](request.user, thing_id)
    content.content_move(actor=signed_in_user(request), thing=thing, up=direction == "up")
    messages.success(request, _("Moved."))
    if isinstance(thing, Question):
        return redirect("learning:editor_lesson", lesson_id=thing.lesson_id)
    course_id = thing.course_id if isinstance(thing, Module) else thing.module.course_id
    return redirect(reverse("learning:editor_course", args=[course_id]) + f"#{what}-{thing.pk}")


def _course_fields(form: CourseForm) -> content.CourseFields:
    data = form.cleaned_data
    return content.CourseFields(
        title=data["title"],
        title_cy=data["title_cy"],
        summary=data["summary"],
        summary_cy=data["summary_cy"],
        audience=data["audience"],
        prisons=tuple(data["prisons"]),
    )


def _form_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, context, status=400 if context["form"].errors else 200)


# --- Editors: self-assessments ------------------------------------------------------------------


@permission("learning.edit")
def editor_assessment_new(request: HttpRequest) -> HttpResponse:
    return _assessment_form(request, None)


@permission("learning.edit")
def editor_assessment_edit(request: HttpRequest, assessment_id: int) -> HttpResponse:
    return _assessment_form(request, selectors.assessment_for_editor(request.user, assessment_id))


def _assessment_form(request: HttpRequest, assessment: SelfAssessmentSet | None) -> HttpResponse:
    names = ("title", "introduction", "score_meaning", "title_cy", "introduction_cy", "score_meaning_cy")
    initial = {name: getattr(assessment, name) for name in names} if assessment else None
    form = AssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = content.AssessmentFields(**{name: form.cleaned_data[name] for name in names})
        try:
            if assessment is None:
                assessment = content.assessment_create(actor=signed_in_user(request), fields=fields)
            else:
                content.assessment_edit(actor=signed_in_user(request), assessment=assessment, fields=fields)
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("Saved. Another editor must approve it before it is published."))
            return redirect("learning:editor_assessment", assessment_id=assessment.pk)
    context = {"form": form, "assessment": assessment}
    return _form_page(request, "learning/editor/assessment_form.html", context)


@permission("learning.edit")
def editor_assessment(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.assessment_for_editor(request.user, assessment_id)
    context = {
        "assessment": assessment,
        "may_approve": can(request.user, "learning.approve", assessment),
        "may_publish": can(request.user, "learning.publish", assessment),
    }
    return render(request, "learning/editor/assessment.html", context)


@require_POST
@permission("learning.edit")
def editor_assessment_action(request: HttpRequest, assessment_id: int, action: str) -> HttpResponse:
    assessment = selectors.assessment_for_editor(request.user, assessment_id)
    actor = signed_in_user(request)

    def act() -> str:
        if action == "approve":
            content.assessment_approve(actor=actor, assessment=assessment)
            return _("Approved. It can now be published.")
        elif action in ("publish", "unpublish"):
            content.assessment_publish(actor=actor, assessment=assessment, published=action == "publish")
            return _("Published.") if action == "publish" else _("Taken down. People's past scores stay.")
        else:
            raise Http404

    _editor_act(request, act, _("You cannot do that. Another editor must approve it."))
    return redirect("learning:editor_assessment", assessment_id=assessment.pk)


@permission("learning.edit")
def editor_assessment_question_new(request: HttpRequest, assessment_id: int) -> HttpResponse:
    return _assessment_question_form(request, selectors.assessment_for_editor(request.user, assessment_id), None)


@permission("learning.edit")
def editor_assessment_question_edit(request: HttpRequest, question_id: int) -> HttpResponse:
    question = selectors.assessment_question_for_editor(request.user, question_id)
    return _assessment_question_form(request, question.assessment, question)


def _assessment_question_form(
    request: HttpRequest, assessment: SelfAssessmentSet, question: SelfAssessmentQuestion | None
) -> HttpResponse:
    initial = assessment_question_initial(question) if question else None
    form = AssessmentQuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            content.assessment_question_save(
                actor=signed_in_user(request),
                assessment=assessment,
                question=question,
                text=form.cleaned_data["text"],
                text_cy=form.cleaned_data["text_cy"],
                options=form.options_out(),
            )
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("Question saved."))
            return redirect("learning:editor_assessment", assessment_id=assessment.pk)
    context = {"form": form, "assessment": assessment, "question": question}
    return _form_page(request, "learning/editor/assessment_question_form.html", context)


def _editor_act(request: HttpRequest, act: Callable[[], str], refused: str) -> None:
    """Run one of an editor's workflow actions and tell them the outcome (a refusal or a problem in plain words)."""
    try:
        done = act()
    except PermissionDenied:
        messages.error(request, refused)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(request, done)
