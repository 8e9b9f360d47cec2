"""Editors write courses on Onward's own pages: every change to a course, its modules, lessons and quizzes.

Each function checks the policy, changes the data in one transaction and writes its audit event there.
Any change to what a course says takes it back to draft and clears its approval (`_changed`); a course
for people in custody is published only once a second editor approves it (`onward/core/approval.py`,
the rule the library follows too). A course for custody that is changed while published comes off the
list of courses open to people until it is approved again; people already on it keep it.
"""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from onward.accounts.actors import StaffUser
from onward.audit.services import audit_record
from onward.core.approval import may_approve, needs_second_approval
from onward.core.audit_actions import AuditAction
from onward.core.permissions import require
from onward.learning.models import (
    COURSE_TRANSITIONS,
    Audience,
    Course,
    CourseState,
    Lesson,
    LessonKind,
    LessonProgress,
    Module,
    Option,
    Question,
    SelfAssessmentOption,
    SelfAssessmentQuestion,
    SelfAssessmentSet,
)
from onward.learning.rules import prisons_for_course_editor
from onward.organisations.models import OrgUnit

ROLE = "content_editor"
MIN_OPTIONS = 2
REASON_MAX_CHARS = 500
# What a lesson's audio or video may be: its type and the bytes its files start with.
MEDIA_SIGNATURES: dict[str, tuple[tuple[int, bytes], ...]] = {
    "audio/mpeg": ((0, b"ID3"), (0, b"\xff\xfb"), (0, b"\xff\xf3"), (0, b"\xff\xf2")),
    "audio/mp4": ((4, b"ftyp"),),
    "audio/ogg": ((0, b"OggS"),),
    "video/mp4": ((4, b"ftyp"),),
    "video/webm": ((0, b"\x1a\x45\xdf\xa3"),),
}


@dataclass(frozen=True)
class CourseFields:
    title: str
    audience: str
    summary: str = ""
    title_cy: str = ""
    summary_cy: str = ""
    prisons: tuple[OrgUnit, ...] = ()  # none: every prison


@dataclass(frozen=True)
class ModuleFields:
    title: str
    title_cy: str = ""


@dataclass(frozen=True)
class LessonFields:
    module: Module
    title: str
    body: str = ""
    title_cy: str = ""
    body_cy: str = ""
    kind: str = LessonKind.TEXT
    pass_mark_percent: int = 100
    media: UploadedFile | None = None  # a new file; None keeps the one there


@dataclass(frozen=True)
class OptionFields:
    text: str
    correct: bool = False
    feedback: str = ""
    text_cy: str = ""
    feedback_cy: str = ""


@dataclass(frozen=True)
class QuestionFields:
    text: str
    multiple: bool = False
    text_cy: str = ""
    options: list[OptionFields] = field(default_factory=list)


# --- Courses ------------------------------------------------------------------------------------


def course_create(*, actor: StaffUser, fields: CourseFields) -> Course:
    require(actor, "learning.edit")
    _check_course(actor, fields)
    with transaction.atomic():
        course = Course.objects.create(
            title=fields.title.strip(),
            title_cy=fields.title_cy.strip(),
            summary=fields.summary.strip(),
            summary_cy=fields.summary_cy.strip(),
            audience=fields.audience,
            changed_by=actor,
        )
        course.prisons.set(fields.prisons)
        # Lessons sit in parts (modules); a new course starts with one, named after it, that editors may rename.
        Module.objects.create(course=course, title=course.title, title_cy=course.title_cy, position=0)
        _audit(actor, AuditAction.LEARNING_CONTENT_COURSE_ADDED, course, {"audience": course.audience})
    return course


def course_edit(*, actor: StaffUser, course: Course, fields: CourseFields) -> Course:
    require(actor, "learning.edit", course)
    _check_course(actor, fields)
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        course.title = fields.title.strip()
        course.title_cy = fields.title_cy.strip()
        course.summary = fields.summary.strip()
        course.summary_cy = fields.summary_cy.strip()
        course.audience = fields.audience
        course.save()
        course.prisons.set(fields.prisons)
        _changed(actor, course)
        _audit(actor, AuditAction.LEARNING_CONTENT_COURSE_CHANGED, course, {"audience": course.audience})
    return course


def course_submit(*, actor: StaffUser, course: Course) -> Course:
    """Ask a second editor to approve the course."""
    require(actor, "learning.edit", course)
    _check_has_lessons(course)
    return _transition(actor, course, CourseState.IN_REVIEW, AuditAction.LEARNING_CONTENT_COURSE_SUBMITTED)


def course_approve(*, actor: StaffUser, course: Course) -> Course:
    """A second editor approves the course as it is now. The editor who last changed it cannot."""
    require(actor, "learning.approve", course)
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        if not may_approve(course.changed_by_id, actor.pk):
            raise PermissionDenied("learning.approve")
        course.approved_by = actor
        course.approved_at = timezone.now()
        return _transition(actor, course, CourseState.APPROVED, AuditAction.LEARNING_CONTENT_COURSE_APPROVED)


def course_return(*, actor: StaffUser, course: Course, reason: str) -> Course:
    """Send a course back to draft from review, saying what to change."""
    require(actor, "learning.edit", course)
    reason = _reason(reason)
    if course.state != CourseState.IN_REVIEW:
        raise ValidationError(_("Only a course waiting for approval can be sent back."))
    return _transition(actor, course, CourseState.DRAFT, AuditAction.LEARNING_CONTENT_COURSE_RETURNED, reason=reason)


def course_publish(*, actor: StaffUser, course: Course) -> Course:
    """People can find the course and join it. For custody, only once a second editor has approved it."""
    require(actor, "learning.publish", course)
    _check_has_lessons(course)
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        require(actor, "learning.publish", course)  # again, on the row as it is now
        course.published = True
        return _transition(actor, course, CourseState.PUBLISHED, AuditAction.LEARNING_CONTENT_COURSE_PUBLISHED)


def course_unpublish(*, actor: StaffUser, course: Course, reason: str) -> Course:
    """Take a course off the list of courses people can join. People already on it keep it."""
    require(actor, "learning.edit", course)
    reason = _reason(reason)
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        course.published = False
        return _transition(
            actor, course, CourseState.DRAFT, AuditAction.LEARNING_CONTENT_COURSE_UNPUBLISHED, reason=reason
        )


# --- Modules, lessons and quiz questions --------------------------------------------------------


def module_create(*, actor: StaffUser, course: Course, fields: ModuleFields) -> Module:
    require(actor, "learning.edit", course)
    _check_title(fields.title, fields.title_cy)
    with transaction.atomic():
        module = Module.objects.create(
            course=course,
            title=fields.title.strip(),
            title_cy=fields.title_cy.strip(),
            position=_next_position(course.modules.all()),
        )
        _changed(actor, course)
        _audit(actor, AuditAction.LEARNING_CONTENT_MODULE_ADDED, module, {"course": course.pk})
    return module


def module_edit(*, actor: StaffUser, module: Module, fields: ModuleFields) -> Module:
    require(actor, "learning.edit", module.course)
    _check_title(fields.title, fields.title_cy)
    with transaction.atomic():
        module.title = fields.title.strip()
        module.title_cy = fields.title_cy.strip()
        module.save(update_fields=["title", "title_cy"])
        _changed(actor, module.course)
        _audit(actor, AuditAction.LEARNING_CONTENT_MODULE_CHANGED, module, {"course": module.course_id})
    return module


def lesson_create(*, actor: StaffUser, fields: LessonFields) -> Lesson:
    course = fields.module.course
    require(actor, "learning.edit", course)
    content_type = _check_lesson(fields, had_media=False)
    with transaction.atomic():
        lesson = Lesson(module=fields.module, position=_next_position(fields.module.lessons.all()))
        _lesson_fill(lesson, fields, content_type)
        _changed(actor, course)
        _audit(actor, AuditAction.LEARNING_CONTENT_LESSON_ADDED, lesson, {"course": course.pk})
    return lesson


def lesson_edit(*, actor: StaffUser, lesson: Lesson, fields: LessonFields) -> Lesson:
    course = lesson.module.course
    require(actor, "learning.edit", course)
    if fields.module.course_id != course.pk:
        raise ValidationError(_("Choose a part of this course."))
    content_type = _check_lesson(fields, had_media=bool(lesson.media))
    with transaction.atomic():
        if fields.module.pk != lesson.module_id:
            lesson.position = _next_position(fields.module.lessons.all())
        _lesson_fill(lesson, fields, content_type)
        _changed(actor, course)
        _audit(actor, AuditAction.LEARNING_CONTENT_LESSON_CHANGED, lesson, {"course": course.pk})
    return lesson


def lesson_delete(*, actor: StaffUser, lesson: Lesson) -> None:
    """Only a lesson nobody has started: what people have studied is kept (take the course down instead)."""
    course = lesson.module.course
    require(actor, "learning.edit", course)
    if LessonProgress.objects.filter(lesson=lesson).exists():
        raise ValidationError(_("People have started this lesson, so it cannot be deleted."))
    with transaction.atomic():
        _audit(actor, AuditAction.LEARNING_CONTENT_LESSON_DELETED, lesson, {"course": course.pk})
        lesson.delete()
        _changed(actor, course)


def question_save(
    *, actor: StaffUser, lesson: Lesson, fields: QuestionFields, question: Question | None = None
) -> Question:
    """Add a quiz question to a lesson, or change one, with its answers (which replace the ones there)."""
    course = lesson.module.course
    require(actor, "learning.edit", course)
    if question is not None and question.lesson_id != lesson.pk:
        raise PermissionDenied("learning.edit")
    options = _check_question(fields)
    adding = question is None
    with transaction.atomic():
        if question is None:
            question = Question(lesson=lesson, position=_next_position(lesson.questions.all()))
        question.text = fields.text.strip()
        question.text_cy = fields.text_cy.strip()
        question.multiple = fields.multiple
        question.save()
        question.options.all().delete()
        Option.objects.bulk_create(
            Option(
                question=question,
                text=option.text.strip(),
                text_cy=option.text_cy.strip(),
                correct=option.correct,
                feedback=option.feedback.strip(),
                feedback_cy=option.feedback_cy.strip(),
                position=position,
            )
            for position, option in enumerate(options)
        )
        _changed(actor, course)
        _audit(
            actor,
            AuditAction.LEARNING_CONTENT_QUESTION_ADDED if adding else AuditAction.LEARNING_CONTENT_QUESTION_CHANGED,
            question,
            {"lesson": lesson.pk, "options": len(options)},
        )
    return question


def question_delete(*, actor: StaffUser, question: Question) -> None:
    course = question.lesson.module.course
    require(actor, "learning.edit", course)
    with transaction.atomic():
        _audit(actor, AuditAction.LEARNING_CONTENT_QUESTION_DELETED, question, {"lesson": question.lesson_id})
        question.delete()
        _changed(actor, course)


def content_move(*, actor: StaffUser, thing: Module | Lesson | Question, up: bool) -> None:
    """Move a part of a course, a lesson or a quiz question one place up or down among its neighbours."""
    course = _course_of(thing)
    require(actor, "learning.edit", course)
    siblings: Any
    if isinstance(thing, Module):
        siblings = Module.objects.filter(course=thing.course_id)
    elif isinstance(thing, Lesson):
        siblings = Lesson.objects.filter(module=thing.module_id)
    else:
        siblings = Question.objects.filter(lesson=thing.lesson_id)
    with transaction.atomic():
        ordered = list(siblings.select_for_update().order_by("position", "pk"))
        index = next(i for i, other in enumerate(ordered) if other.pk == thing.pk)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(ordered):
            return  # already first or last
        ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, row in enumerate(ordered):
            if row.position != position:
                row.position = position
                row.save(update_fields=["position"])
        _changed(actor, course)
        _audit(
            actor,
            AuditAction.LEARNING_CONTENT_MOVED,
            thing,
            {"what": type(thing).__name__.lower(), "to": other, "course": course.pk},
        )


# --- Helpers ------------------------------------------------------------------------------------


def _changed(actor: StaffUser, course: Course) -> None:
    """A change to what the course says: the editor is now its author, and any approval is gone.

    A course for custody that was published comes off the list until it is approved again.
    """
    course = Course.objects.select_for_update().get(pk=course.pk)
    course.changed_by = actor
    course.approved_by = None
    course.approved_at = None
    if course.state != CourseState.PUBLISHED or needs_second_approval(course.audience):
        course.state = CourseState.DRAFT
        course.published = False
    course.save(update_fields=["changed_by", "approved_by", "approved_at", "state", "published", "updated_at"])


def _transition(actor: StaffUser, course: Course, to: str, action: AuditAction, *, reason: str = "") -> Course:
    with transaction.atomic():
        if to not in COURSE_TRANSITIONS[course.state]:
            raise ValidationError(
                _("This course is %(state)s: it cannot be %(to)s now.")
                % {"state": CourseState(course.state).label.lower(), "to": CourseState(to).label.lower()}
            )
        course.state = to
        course.save()
        _audit(actor, action, course, {"state": to}, reason=reason)
    return course


def _audit(actor: StaffUser, action: AuditAction, target: Model, data: dict[str, Any], reason: str = "") -> None:
    audit_record(actor=actor, role=ROLE, action=action, target=target, data=data, reason=reason)


def _course_of(thing: Module | Lesson | Question) -> Course:
    if isinstance(thing, Module):
        return thing.course
    if isinstance(thing, Lesson):
        return thing.module.course
    return thing.lesson.module.course


def _next_position(rows: Any) -> int:
    highest = rows.aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


def _check_title(title: str, title_cy: str = "") -> None:
    if not title.strip():
        raise ValidationError(_("Enter a title."))
    if len(title) > 200 or len(title_cy) > 200:
        raise ValidationError(_("Keep the title to 200 characters or fewer."))


def _check_course(actor: StaffUser, fields: CourseFields) -> None:
    _check_title(fields.title, fields.title_cy)
    if fields.audience not in Audience.values:
        raise ValidationError(_("Choose who the course is for."))
    if fields.prisons:
        if fields.audience == Audience.COMMUNITY:
            raise ValidationError(_("A course for people in the community is not offered in prisons."))
        allowed = set(prisons_for_course_editor(actor).values_list("pk", flat=True))
        if any(prison.pk not in allowed for prison in fields.prisons):
            raise ValidationError(_("You can only choose prisons in your own area."))


def _check_has_lessons(course: Course) -> None:
    if not Lesson.objects.filter(module__course=course).exists():
        raise ValidationError(_("Add at least one lesson first."))


def _check_lesson(fields: LessonFields, *, had_media: bool) -> str:
    """Check a lesson; returns the content type of a new audio or video file ("" when none is given)."""
    _check_title(fields.title, fields.title_cy)
    if fields.kind not in LessonKind.values:
        raise ValidationError(_("Choose what kind of lesson it is."))
    if not 0 <= fields.pass_mark_percent <= 100:
        raise ValidationError(_("The pass mark must be between 0 and 100."))
    if fields.kind == LessonKind.TEXT and not fields.body.strip():
        raise ValidationError(_("Enter the lesson's words."))
    if fields.media is None:
        if fields.kind != LessonKind.TEXT and not had_media:
            raise ValidationError(_("Add the audio or video file."))
        return ""
    return media_type(fields.media)


def media_type(media: UploadedFile) -> str:
    """The type of an audio or video file, by its first bytes (never its name); refused when it is not one we play."""
    if (media.size or 0) > settings.LESSON_MEDIA_MAX_BYTES:
        raise ValidationError(_("The file is too big."))
    media.seek(0)
    head = media.read(16)
    media.seek(0)
    claimed = getattr(media, "content_type", "") or ""
    for content_type in [claimed, *MEDIA_SIGNATURES]:
        signatures = MEDIA_SIGNATURES.get(content_type, ())
        if any(head[offset : offset + len(magic)] == magic for offset, magic in signatures):
            return content_type
    raise ValidationError(_("Upload an MP3, MP4, Ogg or WebM file."))


def _lesson_fill(lesson: Lesson, fields: LessonFields, content_type: str) -> None:
    lesson.module = fields.module
    lesson.title = fields.title.strip()
    lesson.title_cy = fields.title_cy.strip()
    lesson.kind = fields.kind
    lesson.body = fields.body.strip()
    lesson.body_cy = fields.body_cy.strip()
    lesson.pass_mark_percent = fields.pass_mark_percent
    if fields.media is not None:
        lesson.media_content_type = content_type
        lesson.media.save(fields.media.name or "media", fields.media, save=False)
    lesson.save()


def _check_question(fields: QuestionFields) -> list[OptionFields]:
    if not fields.text.strip():
        raise ValidationError(_("Enter the question."))
    if len(fields.text) > 500 or len(fields.text_cy) > 500:
        raise ValidationError(_("Keep the question to 500 characters or fewer."))
    options = [option for option in fields.options if option.text.strip()]
    if len(options) < MIN_OPTIONS:
        raise ValidationError(_("Give at least two answers to choose from."))
    for option in options:
        if len(option.text) > 300 or len(option.text_cy) > 300:
            raise ValidationError(_("Keep each answer to 300 characters or fewer."))
        if len(option.feedback) > 500 or len(option.feedback_cy) > 500:
            raise ValidationError(_("Keep each answer's feedback to 500 characters or fewer."))
    right = sum(1 for option in options if option.correct)
    if right == 0:
        raise ValidationError(_("Tick the right answer."))
    if right > 1 and not fields.multiple:
        raise ValidationError(_("Tick only one right answer, or say that more than one answer can be right."))
    return options


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why."))
    if len(reason) > REASON_MAX_CHARS:
        raise ValidationError(_("Your reason must be %(n)s characters or fewer.") % {"n": REASON_MAX_CHARS})
    return reason


# --- Self-assessments (open to everyone, so a second editor approves them before they are published) ---


@dataclass(frozen=True)
class AssessmentFields:
    title: str
    introduction: str = ""
    score_meaning: str = ""
    title_cy: str = ""
    introduction_cy: str = ""
    score_meaning_cy: str = ""


@dataclass(frozen=True)
class ScoredOption:
    text: str
    score: int
    text_cy: str = ""


def assessment_create(*, actor: StaffUser, fields: AssessmentFields) -> SelfAssessmentSet:
    require(actor, "learning.edit")
    _check_title(fields.title, fields.title_cy)
    with transaction.atomic():
        assessment = SelfAssessmentSet(changed_by=actor)
        _assessment_fill(assessment, fields)
        _audit(actor, AuditAction.LEARNING_CONTENT_SELFASSESSMENTSET_ADDED, assessment, {})
    return assessment


def assessment_edit(*, actor: StaffUser, assessment: SelfAssessmentSet, fields: AssessmentFields) -> SelfAssessmentSet:
    require(actor, "learning.edit")
    _check_title(fields.title, fields.title_cy)
    with transaction.atomic():
        _assessment_fill(assessment, fields)
        _assessment_changed(actor, assessment)
        _audit(actor, AuditAction.LEARNING_CONTENT_SELFASSESSMENTSET_CHANGED, assessment, {})
    return assessment


def assessment_question_save(
    *,
    actor: StaffUser,
    assessment: SelfAssessmentSet,
    text: str,
    options: list[ScoredOption],
    text_cy: str = "",
    question: SelfAssessmentQuestion | None = None,
) -> SelfAssessmentQuestion:
    """Add a question (or change one) with its scored answers, which replace the ones there."""
    require(actor, "learning.edit")
    if question is not None and question.assessment_id != assessment.pk:
        raise PermissionDenied("learning.edit")
    if not text.strip():
        raise ValidationError(_("Enter the question."))
    chosen = [option for option in options if option.text.strip()]
    if len(chosen) < MIN_OPTIONS:
        raise ValidationError(_("Give at least two answers to choose from."))
    if any(not 0 <= option.score <= 100 for option in chosen):
        raise ValidationError(_("Each score must be from 0 to 100."))
    adding = question is None
    with transaction.atomic():
        if question is None:
            question = SelfAssessmentQuestion(
                assessment=assessment, position=_next_position(assessment.questions.all())
            )
        question.text = text.strip()[:500]
        question.text_cy = text_cy.strip()[:500]
        question.save()
        question.options.all().delete()
        SelfAssessmentOption.objects.bulk_create(
            SelfAssessmentOption(
                question=question,
                text=option.text.strip()[:300],
                text_cy=option.text_cy.strip()[:300],
                score=option.score,
                position=position,
            )
            for position, option in enumerate(chosen)
        )
        _assessment_changed(actor, assessment)
        _audit(
            actor,
            AuditAction.LEARNING_CONTENT_SELFASSESSMENTQUESTION_ADDED
            if adding
            else AuditAction.LEARNING_CONTENT_SELFASSESSMENTQUESTION_CHANGED,
            question,
            {"assessment": assessment.pk, "options": len(chosen)},
        )
    return question


def assessment_approve(*, actor: StaffUser, assessment: SelfAssessmentSet) -> SelfAssessmentSet:
    """A second editor approves it as it is now. The editor who last changed it cannot."""
    require(actor, "learning.approve", assessment)
    with transaction.atomic():
        assessment = SelfAssessmentSet.objects.select_for_update().get(pk=assessment.pk)
        if not may_approve(assessment.changed_by_id, actor.pk):
            raise PermissionDenied("learning.approve")
        if not assessment.questions.exists():
            raise ValidationError(_("Add at least one question first."))
        assessment.approved_by = actor
        assessment.approved_at = timezone.now()
        assessment.save(update_fields=["approved_by", "approved_at"])
        _audit(actor, AuditAction.LEARNING_CONTENT_SELFASSESSMENTSET_APPROVED, assessment, {})
    return assessment


def assessment_publish(*, actor: StaffUser, assessment: SelfAssessmentSet, published: bool) -> SelfAssessmentSet:
    """Open it to people (once approved), or take it down (people's past scores stay)."""
    require(actor, "learning.publish" if published else "learning.edit", assessment)
    with transaction.atomic():
        assessment = SelfAssessmentSet.objects.select_for_update().get(pk=assessment.pk)
        if published:
            require(actor, "learning.publish", assessment)
        assessment.published = published
        assessment.save(update_fields=["published"])
        _audit(
            actor,
            AuditAction.LEARNING_CONTENT_SELFASSESSMENTSET_PUBLISHED
            if published
            else AuditAction.LEARNING_CONTENT_SELFASSESSMENTSET_UNPUBLISHED,
            assessment,
            {},
        )
    return assessment


def _assessment_fill(assessment: SelfAssessmentSet, fields: AssessmentFields) -> None:
    assessment.title = fields.title.strip()
    assessment.title_cy = fields.title_cy.strip()
    assessment.introduction = fields.introduction.strip()
    assessment.introduction_cy = fields.introduction_cy.strip()
    assessment.score_meaning = fields.score_meaning.strip()[:300]
    assessment.score_meaning_cy = fields.score_meaning_cy.strip()[:300]
    assessment.save()


def _assessment_changed(actor: StaffUser, assessment: SelfAssessmentSet) -> None:
    """Changed: unapproved and taken down until a second editor approves it again."""
    SelfAssessmentSet.objects.filter(pk=assessment.pk).update(
        changed_by=actor, approved_by=None, approved_at=None, published=False
    )
    assessment.changed_by, assessment.approved_by, assessment.approved_at, assessment.published = (
        actor,
        None,
        None,
        False,
    )
