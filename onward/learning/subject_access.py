"""Courses the person joined, their progress and quiz answers, certificates, and self-assessments."""

from onward.core.subject_access import Section, rows, subject_access_section
from onward.learning.models import Certificate, Enrolment, LessonProgress, SelfAssessmentResult
from onward.people.models import Person


@subject_access_section("learning", covers=[Enrolment, LessonProgress, Certificate, SelfAssessmentResult])
def learning_section(person: Person) -> Section:
    return Section(
        {
            "courses": rows(
                Enrolment.objects.filter(person=person).order_by("enrolled_at"), "course__title", "enrolled_at"
            ),
            "lessons": rows(
                LessonProgress.objects.filter(person=person).order_by("updated_at"),
                "lesson__title",
                "answers",
                "score",
                "out_of",
                "attempts",
                "completed_at",
            ),
            "certificates": rows(
                Certificate.objects.filter(person=person).order_by("issued_at"), "course__title", "issued_at", "code"
            ),
            "self_assessments": rows(
                SelfAssessmentResult.objects.filter(person=person).order_by("submitted_at"),
                "assessment__title",
                "score",
                "max_score",
                "answers",
                "submitted_at",
            ),
        }
    )
