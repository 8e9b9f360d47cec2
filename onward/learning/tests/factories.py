"""Courses with lessons and quizzes, and self-assessment sets, for tests and the demo."""

from dataclasses import dataclass
from typing import Any

import factory

from onward.learning.models import (
    Audience,
    Course,
    CourseState,
    Lesson,
    Module,
    Option,
    Question,
    SelfAssessmentOption,
    SelfAssessmentQuestion,
    SelfAssessmentSet,
)


class CourseFactory(factory.django.DjangoModelFactory[Course]):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Course {n}")
    summary = "A short course."
    audience = Audience.BOTH
    published = True
    state = factory.LazyAttribute(lambda course: CourseState.PUBLISHED if course.published else CourseState.DRAFT)


class ModuleFactory(factory.django.DjangoModelFactory[Module]):
    class Meta:
        model = Module

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Module {n}")
    position = factory.Sequence(lambda n: n)


class LessonFactory(factory.django.DjangoModelFactory[Lesson]):
    class Meta:
        model = Lesson

    module = factory.SubFactory(ModuleFactory)
    title = factory.Sequence(lambda n: f"Lesson {n}")
    body = "# What this is about\n\nSome words.\n\n- one\n- two"
    position = factory.Sequence(lambda n: n)


class QuestionFactory(factory.django.DjangoModelFactory[Question]):
    class Meta:
        model = Question

    lesson = factory.SubFactory(LessonFactory)
    text = factory.Sequence(lambda n: f"Question {n}?")
    position = factory.Sequence(lambda n: n)


class OptionFactory(factory.django.DjangoModelFactory[Option]):
    class Meta:
        model = Option

    question = factory.SubFactory(QuestionFactory)
    text = factory.Sequence(lambda n: f"Answer {n}")
    position = factory.Sequence(lambda n: n)


@dataclass(frozen=True)
class QuizSpec:
    """A question: its text, (option text, correct, feedback) for each option, and whether several can be right."""

    text: str
    options: list[tuple[str, bool, str]]
    multiple: bool = False


def course_build(
    title: str,
    lessons: list[tuple[str, str, list[QuizSpec]]],
    **course_fields: Any,
) -> Course:
    """A published course with one module: each lesson is (title, body, quiz questions)."""
    course = CourseFactory.create(title=title, **course_fields)
    module = ModuleFactory.create(course=course, title=title, position=0)
    for position, (lesson_title, body, quiz) in enumerate(lessons):
        lesson = LessonFactory.create(module=module, title=lesson_title, body=body, position=position)
        for q_position, spec in enumerate(quiz):
            question = QuestionFactory.create(
                lesson=lesson, text=spec.text, multiple=spec.multiple, position=q_position
            )
            for o_position, (text, correct, feedback) in enumerate(spec.options):
                OptionFactory.create(
                    question=question, text=text, correct=correct, feedback=feedback, position=o_position
                )
    return course


def demo_like_course(**fields: Any) -> Course:
    """Two lessons: the first with a single-choice and a multiple-choice question, the second with no quiz."""
    return course_build(
        fields.pop("title", "Managing money"),
        [
            (
                "Your money on the day you leave",
                "# First\n\nKeep it safe.\n\n- Food\n- Travel",
                [
                    QuizSpec(
                        "What is a discharge grant?",
                        [("Money to help", True, "Yes."), ("A loan", False, "No, not a loan.")],
                    ),
                    QuizSpec(
                        "Which keep you safe?",
                        [
                            ("Keep your PIN", True, "Yes."),
                            ("Lend your card", False, "No."),
                            ("Check often", True, "Yes."),
                        ],
                        multiple=True,
                    ),
                ],
            ),
            ("Making a budget", "A plan for your money.", []),
        ],
        **fields,
    )


def right_answers(lesson: Lesson) -> dict[int, list[int]]:
    return {q.pk: [o.pk for o in q.options.all() if o.correct] for q in lesson.questions.all()}


def wrong_answers(lesson: Lesson) -> dict[int, list[int]]:
    return {q.pk: [next(o.pk for o in q.options.all() if not o.correct)] for q in lesson.questions.all()}


class SelfAssessmentSetFactory(factory.django.DjangoModelFactory[SelfAssessmentSet]):
    class Meta:
        model = SelfAssessmentSet

    title = factory.Sequence(lambda n: f"Self-assessment {n}")
    published = True


def assessment_build(
    title: str, questions: list[str], options: list[tuple[str, int]], **fields: Any
) -> SelfAssessmentSet:
    """A published self-assessment: every question has the same scored options."""
    assessment = SelfAssessmentSetFactory.create(title=title, **fields)
    for position, text in enumerate(questions):
        question = SelfAssessmentQuestion.objects.create(assessment=assessment, text=text, position=position)
        for o_position, (option_text, score) in enumerate(options):
            SelfAssessmentOption.objects.create(question=question, text=option_text, score=score, position=o_position)
    return assessment


def pdf_text(content: bytes) -> str:
    """The text a PDF reader finds in a PDF we made (pypdf reads the embedded font's character map)."""
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
