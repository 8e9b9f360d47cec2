"""Reads of learning, scoped by the policy: a person's own, or a person in a member of staff's scope."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet

from onward.core.permissions import require
from onward.learning.models import (
    Audience,
    Certificate,
    Course,
    Enrolment,
    Lesson,
    LessonProgress,
    Module,
    Option,
    Question,
    SelfAssessmentQuestion,
    SelfAssessmentResult,
    SelfAssessmentSet,
)
from onward.organisations.models import OrgUnit, UnitKind
from onward.organisations.roles import staff_roles
from onward.people.models import Person


def courses_offered_to(person: Person) -> QuerySet[Course]:
    """Published courses for the person's audience (custody or community) and, in prison, their prison."""
    courses = Course.objects.filter(published=True)
    if person.in_custody:
        prison = person.unit.prison()
        courses = courses.exclude(audience=Audience.COMMUNITY).filter(Q(prisons__isnull=True) | Q(prisons=prison))
    else:
        courses = courses.exclude(audience=Audience.CUSTODY)
    return courses.distinct().order_by("title")


def course_offered_to(course: Course, person: Person) -> bool:
    return courses_offered_to(person).filter(pk=course.pk).exists()


@dataclass
class CourseProgress:
    course: Course
    enrolment: Enrolment | None
    lessons_total: int
    lessons_done: int
    certificate: Certificate | None

    @property
    def percent(self) -> int:
        return round(100 * self.lessons_done / self.lessons_total) if self.lessons_total else 0

    @property
    def finished(self) -> bool:
        return self.certificate is not None


@dataclass
class AssessmentHistory:
    assessment: SelfAssessmentSet
    results: list[SelfAssessmentResult] = field(default_factory=list)  # oldest first

    @property
    def latest(self) -> SelfAssessmentResult | None:
        return self.results[-1] if self.results else None


@dataclass
class Learning:
    person: Person
    courses: list[CourseProgress]
    available: list[Course]
    assessments: list[AssessmentHistory]


def learning_for(user: Any, person: Person) -> Learning:
    """A person's courses with progress, the courses open to them, and their self-assessment scores over time.

    A fixed number of queries, whatever the number of courses.
    """
    _require_sees(user, person)
    enrolments = list(Enrolment.objects.filter(person=person).select_related("course").order_by("-enrolled_at"))
    course_ids = [e.course_id for e in enrolments]
    totals = dict(
        Lesson.objects.filter(module__course_id__in=course_ids)
        .values_list("module__course_id")
        .annotate(n=Count("pk"))
        .values_list("module__course_id", "n")
    )
    done = dict(
        LessonProgress.objects.filter(
            person=person, lesson__module__course_id__in=course_ids, completed_at__isnull=False
        )
        .values_list("lesson__module__course_id")
        .annotate(n=Count("pk"))
        .values_list("lesson__module__course_id", "n")
    )
    certificates = {c.course_id: c for c in Certificate.objects.filter(person=person)}
    courses = [
        CourseProgress(
            course=e.course,
            enrolment=e,
            lessons_total=totals.get(e.course_id, 0),
            lessons_done=done.get(e.course_id, 0),
            certificate=certificates.get(e.course_id),
        )
        for e in enrolments
    ]
    available = list(courses_offered_to(person).exclude(pk__in=course_ids))
    return Learning(person=person, courses=courses, available=available, assessments=assessments_for(user, person))


def assessments_for(user: Any, person: Person, only: SelfAssessmentSet | None = None) -> list[AssessmentHistory]:
    """Published self-assessments, and any the person has done, each with their scores, oldest first."""
    _require_sees(user, person)
    results = SelfAssessmentResult.objects.filter(person=person).order_by("submitted_at", "pk")
    sets = SelfAssessmentSet.objects.filter(Q(published=True) | Q(results__person=person)).distinct()
    if only is not None:
        sets = sets.filter(pk=only.pk)
    histories = {s.pk: AssessmentHistory(assessment=s) for s in sets.order_by("title")}
    for result in results.filter(assessment_id__in=list(histories)):
        histories[result.assessment_id].results.append(result)
    return list(histories.values())


def course_for(user: Any, person: Person, course_id: int) -> CourseProgress:
    """One course with its modules and lessons, for a person on it or one it is open to."""
    _require_sees(user, person)
    course = (
        Course.objects.filter(pk=course_id)
        .prefetch_related(Prefetch("modules", queryset=Module.objects.prefetch_related("lessons")))
        .first()
    )
    enrolment = Enrolment.objects.filter(person=person, course_id=course_id).first()
    if course is None or (enrolment is None and not course_offered_to(course, person)):
        raise PermissionDenied("learning.self")
    lesson_ids = [lesson.pk for module in course.modules.all() for lesson in module.lessons.all()]
    done_ids = set(
        LessonProgress.objects.filter(person=person, lesson_id__in=lesson_ids, completed_at__isnull=False).values_list(
            "lesson_id", flat=True
        )
    )
    course.done_lesson_ids = done_ids  # type: ignore[attr-defined]
    return CourseProgress(
        course=course,
        enrolment=enrolment,
        lessons_total=len(lesson_ids),
        lessons_done=len(done_ids),
        certificate=Certificate.objects.filter(person=person, course=course).first(),
    )


def lesson_for(user: Any, person: Person, lesson_id: int) -> tuple[Lesson, LessonProgress | None]:
    """A lesson with its quiz, for a person on its course; otherwise refused, as if it were not there."""
    _require_sees(user, person)
    lesson = (
        Lesson.objects.filter(pk=lesson_id, module__course__enrolments__person=person)
        .select_related("module", "module__course")
        .prefetch_related("questions__options")
        .first()
    )
    if lesson is None:
        raise PermissionDenied("learning.self")
    return lesson, LessonProgress.objects.filter(person=person, lesson=lesson).first()


def lesson_neighbours(lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    """The lessons before and after this one in its course."""
    ordered = list(
        Lesson.objects.filter(module__course_id=lesson.module.course_id)
        .order_by("module__position", "module_id", "position", "pk")
        .only("pk", "title", "title_cy")
    )
    index = next(i for i, other in enumerate(ordered) if other.pk == lesson.pk)
    return (ordered[index - 1] if index > 0 else None, ordered[index + 1] if index + 1 < len(ordered) else None)


def certificate_for(user: Any, person: Person, course_id: int) -> Certificate:
    _require_sees(user, person)
    certificate = Certificate.objects.filter(person=person, course_id=course_id).select_related("course").first()
    if certificate is None:
        raise PermissionDenied("learning.self")
    return certificate


def assessment_for(user: Any, person: Person, assessment_id: int) -> SelfAssessmentSet:
    _require_sees(user, person)
    assessment = (
        SelfAssessmentSet.objects.filter(pk=assessment_id, published=True)
        .prefetch_related("questions__options")
        .first()
    )
    if assessment is None:
        raise PermissionDenied("learning.self")
    return assessment


# --- Completion rates (numbers only, for the units the member of staff works at) ------------------


@dataclass(frozen=True)
class CompletionRow:
    unit: OrgUnit | None  # None for the total
    enrolled: int
    completed: int

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.enrolled) if self.enrolled else 0


def completion_courses(user: Any) -> list[Course]:
    require(user, "learning.statistics")
    return list(Course.objects.order_by("-published", "title"))


def completion_rates(user: Any, course_id: int) -> tuple[Course, list[CompletionRow], CompletionRow]:
    """Enrolled, completed and the share completed, per prison or probation office where the people are now."""
    require(user, "learning.statistics")
    course = Course.objects.filter(pk=course_id).first()
    if course is None:
        raise PermissionDenied("learning.statistics")
    scope = Q(pk__in=[])
    for held in staff_roles(user):
        scope |= Q(person__unit__path__startswith=held.unit.path)
    enrolled = Counter(Enrolment.objects.filter(scope, course=course).values_list("person__unit_id", flat=True))
    completed = Counter(Certificate.objects.filter(scope, course=course).values_list("person__unit_id", flat=True))
    units = OrgUnit.objects.select_related("parent").in_bulk(set(enrolled) | set(completed))
    by_place: dict[int, list[int]] = {}
    places: dict[int, OrgUnit] = {}
    for unit_id in set(enrolled) | set(completed):
        place = _reporting_unit(units[unit_id])
        places[place.pk] = place
        counts = by_place.setdefault(place.pk, [0, 0])
        counts[0] += enrolled.get(unit_id, 0)
        counts[1] += completed.get(unit_id, 0)
    rows = sorted(
        (CompletionRow(unit=places[pk], enrolled=e, completed=c) for pk, (e, c) in by_place.items()),
        key=lambda row: row.unit.name if row.unit else "",
    )
    total = CompletionRow(unit=None, enrolled=sum(enrolled.values()), completed=sum(completed.values()))
    return course, rows, total


def _reporting_unit(unit: OrgUnit) -> OrgUnit:
    """A wing counts towards its prison; an office, a PDU or a prison stands for itself."""
    if unit.kind == UnitKind.WING and unit.parent is not None:
        return unit.parent
    return unit


def _require_sees(user: Any, person: Person) -> None:
    if getattr(user, "person_id", None) == person.pk:
        require(user, "learning.self", person)
    else:
        require(user, "learning.view", person)


# --- Editors: every course, whatever its state ---------------------------------------------------


def courses_for_editor(user: Any) -> list[Course]:
    """Every course, with its state, for the editors' list: waiting for approval first."""
    require(user, "learning.edit")
    order = {"in_review": 0, "draft": 1, "approved": 2, "published": 3}
    courses = list(Course.objects.select_related("changed_by").annotate(lessons=Count("modules__lessons")))
    return sorted(courses, key=lambda course: (order.get(course.state, 9), course.title.lower()))


def course_for_editor(user: Any, course_id: int) -> Course:
    """A course with its parts, lessons and quiz questions in order (refused as if it were not there)."""
    require(user, "learning.edit")
    course = (
        Course.objects.filter(pk=course_id)
        .select_related("changed_by", "approved_by")
        .prefetch_related(
            "prisons",
            Prefetch(
                "modules",
                queryset=Module.objects.order_by("position", "pk").prefetch_related(
                    Prefetch(
                        "lessons", queryset=Lesson.objects.order_by("position", "pk").annotate(quiz=Count("questions"))
                    )
                ),
            ),
        )
        .first()
    )
    if course is None:
        raise PermissionDenied("learning.edit")
    return course


def module_for_editor(user: Any, module_id: int) -> Module:
    require(user, "learning.edit")
    module = Module.objects.filter(pk=module_id).select_related("course").first()
    if module is None:
        raise PermissionDenied("learning.edit")
    return module


def lesson_for_editor(user: Any, lesson_id: int) -> Lesson:
    """A lesson with its quiz questions and answers in order."""
    require(user, "learning.edit")
    lesson = (
        Lesson.objects.filter(pk=lesson_id)
        .select_related("module", "module__course")
        .prefetch_related(
            Prefetch(
                "questions",
                queryset=Question.objects.order_by("position", "pk").prefetch_related(
                    Prefetch("options", queryset=Option.objects.order_by("position", "pk"))
                ),
            )
        )
        .first()
    )
    if lesson is None:
        raise PermissionDenied("learning.edit")
    return lesson


def question_for_editor(user: Any, question_id: int) -> Question:
    require(user, "learning.edit")
    question = (
        Question.objects.filter(pk=question_id)
        .select_related("lesson", "lesson__module", "lesson__module__course")
        .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("position", "pk")))
        .first()
    )
    if question is None:
        raise PermissionDenied("learning.edit")
    return question


def assessments_for_editor(user: Any) -> list[SelfAssessmentSet]:
    require(user, "learning.edit")
    return list(SelfAssessmentSet.objects.annotate(question_count=Count("questions")).order_by("title"))


def assessment_for_editor(user: Any, assessment_id: int) -> SelfAssessmentSet:
    """A self-assessment with its questions and scored answers, in order."""
    require(user, "learning.edit")
    assessment = (
        SelfAssessmentSet.objects.filter(pk=assessment_id)
        .select_related("changed_by", "approved_by")
        .prefetch_related("questions__options")
        .first()
    )
    if assessment is None:
        raise PermissionDenied("learning.edit")
    return assessment


def assessment_question_for_editor(user: Any, question_id: int) -> SelfAssessmentQuestion:
    require(user, "learning.edit")
    question = (
        SelfAssessmentQuestion.objects.filter(pk=question_id)
        .select_related("assessment")
        .prefetch_related("options")
        .first()
    )
    if question is None:
        raise PermissionDenied("learning.edit")
    return question
