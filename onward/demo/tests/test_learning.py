"""The demo: the person in custody takes the demo course, gets a certificate, and keeps it after release."""

import pytest
from django.utils import timezone

from onward.accounts.actors import staff_verified_by
from onward.accounts.models import User
from onward.demo.seed import DEMO_COURSE_TITLE, DEMO_PRISON_NUMBER, demo_seed, demo_totp_device
from onward.learning import selectors, services
from onward.learning.certificates import certificate_check
from onward.learning.models import Course, Lesson, SelfAssessmentSet, in_language
from onward.learning.tests.factories import right_answers
from onward.organisations.models import OrgUnit
from onward.people.models import Person
from onward.people.services import ReleaseDetails, person_release

pytestmark = pytest.mark.django_db


def test_the_demo_person_in_custody_finishes_the_course_and_keeps_the_certificate_after_release() -> None:
    assert demo_seed()
    course = Course.objects.get(title=DEMO_COURSE_TITLE)
    lessons = list(Lesson.objects.filter(module__course=course).order_by("position"))
    assert len(lessons) == 3
    assert all(2 <= lesson.questions.count() <= 3 for lesson in lessons)
    assert all(o.feedback for lesson in lessons for q in lesson.questions.all() for o in q.options.all())
    assert in_language(course, "title", "cy") == "Rheoli arian ar ôl cael eich rhyddhau"
    assert in_language(lessons[0], "body", "cy").startswith("Pan fyddwch")
    assert in_language(lessons[1], "title", "cy") == "Opening a bank account"  # English fallback
    coping = SelfAssessmentSet.objects.get(title="How am I coping?")
    assert coping.questions.count() == 5
    assert {o.score for q in coping.questions.all() for o in q.options.all()} == {0, 1, 2, 3}

    daniel = Person.objects.get(prison_number=DEMO_PRISON_NUMBER)
    user = User.objects.get(person=daniel)
    assert course in selectors.learning_for(user, daniel).available
    services.enrolment_create(actor=user, person=daniel, course=course)
    results = [services.lesson_complete(actor=user, lesson=lesson, answers=right_answers(lesson)) for lesson in lessons]
    certificate = results[-1].certificate
    assert certificate is not None

    pom = staff_verified_by(User.objects.get(username="pom@onward.example"), demo_totp_device("pom@onward.example"))
    person_release(
        actor=pom,
        person=daniel,
        details=ReleaseDetails(
            release_date=timezone.localdate(),
            status="licence",
            supervising_unit=OrgUnit.objects.get(code="NG-OFFICE"),
            address="3 Station Road, Northgate",
        ),
    )
    after = selectors.learning_for(User.objects.get(pk=user.pk), Person.objects.get(pk=daniel.pk))
    assert after.courses[0].certificate == certificate
    assert after.courses[0].lessons_done == 3
    check = certificate_check(certificate.code)
    assert check is not None
    assert check.name == "Daniel H."
