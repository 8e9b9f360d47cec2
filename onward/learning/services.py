"""Every change to learning: enrolment, finishing a lesson (the quiz marked here), the certificate,
and self-assessment results. Each checks permission, runs in one transaction and is audited."""

import base64
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from onward.audit.services import audit_record
from onward.core.actors import UserKind
from onward.core.audit_actions import AuditAction
from onward.core.permissions import require
from onward.learning.models import (
    Certificate,
    Course,
    Enrolment,
    Lesson,
    LessonProgress,
    Option,
    Question,
    SelfAssessmentResult,
    SelfAssessmentSet,
    in_language,
)
from onward.learning.selectors import course_offered_to
from onward.people.models import Person
from onward.people.rules import acting_role

CERTIFICATE_CODE_BYTES = 15  # 120 random bits: 24 characters, far too many to guess or walk through
CERTIFICATE_CODE_GROUP = 4


def enrolment_create(*, actor: Any, person: Person, course: Course) -> Enrolment:
    """Put a person on a course: the person themself, or staff who may see them. Enrolling twice changes nothing."""
    if getattr(actor, "kind", None) == UserKind.PERSON:
        require(actor, "learning.self", person)
        refusal = _("This course is not open to you.")
    else:
        require(actor, "learning.enrol", person)
        refusal = _("This course is not offered where this person is.")
    if not course_offered_to(course, person):
        raise ValidationError(refusal)
    with transaction.atomic():
        enrolment, created = Enrolment.objects.get_or_create(
            person=person, course=course, defaults={"enrolled_by": actor}
        )
        if created:
            audit_record(
                actor=actor,
                role=acting_role(actor, person),
                action=AuditAction.LEARNING_ENROLLED,
                person=person,
                target=enrolment,
                data={"course": course.pk},
            )
    return enrolment


@dataclass(frozen=True)
class OptionFeedback:
    option: Option
    chosen: bool
    text: str  # the editor's feedback for this option ("" when it has none)


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    right: bool
    options: list[OptionFeedback]


@dataclass(frozen=True)
class LessonResult:
    lesson: Lesson
    passed: bool
    score: int
    out_of: int
    questions: list[QuestionResult] = field(default_factory=list)
    certificate: Certificate | None = None
    newly_completed: bool = False


def lesson_complete(*, actor: Any, lesson: Lesson, answers: dict[int, list[int]]) -> LessonResult:
    """The person finishes a lesson, with their quiz answers marked here. They may try again as often as they like.

    The lesson counts as done when the share right reaches its pass mark; when every lesson of the
    course is done, the certificate is issued (once).
    """
    person = _person_of(actor)
    require(actor, "learning.self", person)
    course = lesson.module.course
    if not Enrolment.objects.filter(person=person, course=course).exists():
        raise ValidationError(_("Join the course before you start its lessons."))
    questions = list(lesson.questions.prefetch_related("options"))
    marked = quiz_mark(questions, answers)
    score = sum(1 for result in marked if result.right)
    out_of = len(questions)
    passed = out_of == 0 or score * 100 >= lesson.pass_mark_percent * out_of
    with transaction.atomic():
        progress, _created = LessonProgress.objects.select_for_update().get_or_create(person=person, lesson=lesson)
        progress.answers = {str(r.question.pk): sorted(o.option.pk for o in r.options if o.chosen) for r in marked}
        progress.score, progress.out_of = score, out_of
        progress.attempts += 1
        newly_completed = passed and progress.completed_at is None
        if newly_completed:
            progress.completed_at = timezone.now()
        progress.save()
        audit_record(
            actor=actor,
            role="person",
            action=AuditAction.LEARNING_LESSON_COMPLETED if passed else AuditAction.LEARNING_LESSON_TRIED,
            person=person,
            target=progress,
            data={"lesson": lesson.pk, "score": score, "out_of": out_of, "attempt": progress.attempts},
        )
        certificate = _certificate_issue_if_complete(actor=actor, person=person, course=course) if passed else None
    return LessonResult(
        lesson=lesson,
        passed=passed,
        score=score,
        out_of=out_of,
        questions=marked,
        certificate=certificate,
        newly_completed=newly_completed,
    )


def quiz_mark(questions: list[Question], answers: dict[int, list[int]]) -> list[QuestionResult]:
    """Mark each question: right when the chosen options are exactly the correct ones."""
    results = []
    for question in questions:
        options = list(question.options.all())
        chosen = set(answers.get(question.pk, []))
        if not chosen:
            raise ValidationError(_("Answer every question. You missed: %(question)s") % {"question": _text(question)})
        if not chosen <= {o.pk for o in options}:
            raise ValidationError(_("Choose from the answers given."))
        if not question.multiple and len(chosen) > 1:
            raise ValidationError(_("Choose one answer for: %(question)s") % {"question": _text(question)})
        right = chosen == {o.pk for o in options if o.correct}
        feedback = [OptionFeedback(option=o, chosen=o.pk in chosen, text=o.feedback) for o in options]
        results.append(QuestionResult(question=question, right=right, options=feedback))
    return results


def _certificate_issue_if_complete(*, actor: Any, person: Person, course: Course) -> Certificate | None:
    """The course's certificate, issued the first time every lesson is done; after that, the same one."""
    total = Lesson.objects.filter(module__course=course).count()
    done = LessonProgress.objects.filter(
        person=person, lesson__module__course=course, completed_at__isnull=False
    ).count()
    if total == 0 or done < total:
        return None
    # One row per person and course to lock on, so two finishing requests issue one certificate.
    Enrolment.objects.select_for_update().filter(person=person, course=course).first()
    existing = Certificate.objects.filter(person=person, course=course).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(person=person, course=course, code=certificate_code_new())
    except IntegrityError:
        return Certificate.objects.get(person=person, course=course)
    audit_record(
        actor=actor,
        role=acting_role(actor, person),
        action=AuditAction.LEARNING_CERTIFICATE_ISSUED,
        person=person,
        target=certificate,
        data={"course": course.pk},
    )
    return certificate


def certificate_code_new() -> str:
    return base64.b32encode(secrets.token_bytes(CERTIFICATE_CODE_BYTES)).decode().rstrip("=")


def certificate_code_display(code: str) -> str:
    """ABCD-EFGH-…: easier to read out and type."""
    return "-".join(code[i : i + CERTIFICATE_CODE_GROUP] for i in range(0, len(code), CERTIFICATE_CODE_GROUP))


def self_assessment_submit(
    *, actor: Any, assessment: SelfAssessmentSet, answers: dict[int, int]
) -> SelfAssessmentResult:
    """The person answers a self-assessment; the total is stored, so they and their worker can follow it over time."""
    person = _person_of(actor)
    require(actor, "learning.self", person)
    if not assessment.published:
        raise ValidationError(_("This self-assessment is not open."))
    score = max_score = 0
    chosen: dict[str, int] = {}
    for question in assessment.questions.prefetch_related("options"):
        options = {o.pk: o for o in question.options.all()}
        option = options.get(answers.get(question.pk, 0))
        if option is None:
            raise ValidationError(_("Answer every question. You missed: %(question)s") % {"question": _text(question)})
        score += option.score
        max_score += max((o.score for o in options.values()), default=0)
        chosen[str(question.pk)] = option.pk
    with transaction.atomic():
        result = SelfAssessmentResult.objects.create(
            person=person, assessment=assessment, score=score, max_score=max_score, answers=chosen
        )
        audit_record(
            actor=actor,
            role="person",
            action=AuditAction.LEARNING_SELF_ASSESSMENT_SUBMITTED,
            person=person,
            target=result,
            data={"assessment": assessment.pk, "score": score, "max_score": max_score},
        )
    return result


def _text(question: Any) -> str:
    return in_language(question, "text", get_language())


def _person_of(actor: Any) -> Person:
    person = getattr(actor, "person", None) if getattr(actor, "kind", None) == UserKind.PERSON else None
    if person is None:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("learning.self")
    return person
