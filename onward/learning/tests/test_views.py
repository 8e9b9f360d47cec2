"""The person's learning pages, staff pages, the certificate PDF and the public check, through the real URLs."""

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from onward.learning.models import Certificate, Enrolment, Lesson, LessonProgress
from onward.learning.services import certificate_code_display
from onward.learning.tests.factories import LessonFactory, assessment_build, pdf_text, right_answers
from onward.people.services import ReleaseDetails, person_release

pytestmark = pytest.mark.django_db


def _lessons(course: Any) -> list[Lesson]:
    return list(Lesson.objects.filter(module__course=course).order_by("position"))


def _post_answers(client: Client, lesson: Lesson, answers: dict[int, list[int]]) -> Any:
    return client.post(f"/me/learning/lessons/{lesson.pk}/", {f"q{q}": ids for q, ids in answers.items()})


def test_a_person_joins_does_the_lessons_and_downloads_the_certificate(
    learning_world: dict[str, Any], person_client: Any
) -> None:
    w = learning_world
    client = person_client(w["person"])
    home = client.get("/me/learning/").content.decode()
    assert "Managing money" in home
    assert "Join this course" in home

    assert client.post(f"/me/learning/courses/{w['course'].pk}/enrol/").status_code == 302
    assert Enrolment.objects.filter(person=w["person"], course=w["course"]).exists()

    first, second = _lessons(w["course"])
    page = client.get(f"/me/learning/lessons/{first.pk}/").content.decode()
    assert 'data-module="onward-read-aloud"' in page
    assert '<h2 class="govuk-heading-l">First</h2>' in page  # the editor's Markdown, rendered safely

    wrong = {q.pk: [q.options.exclude(correct=True).first().pk] for q in first.questions.all()}
    response = _post_answers(client, first, wrong)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Not quite" in body
    assert "No, not a loan." in body
    assert LessonProgress.objects.get(lesson=first).completed_at is None

    response = _post_answers(client, first, {first.questions.first().pk: []})
    assert response.status_code == 400
    assert "Answer every question" in response.content.decode()

    assert "Lesson done" in _post_answers(client, first, right_answers(first)).content.decode()
    done = client.post(f"/me/learning/lessons/{second.pk}/", {}).content.decode()
    assert "You finished the course" in done

    certificate = Certificate.objects.get(person=w["person"])
    pdf = client.get(f"/me/learning/courses/{w['course'].pk}/certificate/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    text = pdf_text(pdf.content)
    assert certificate_code_display(certificate.code) in text
    assert w["person"].full_name in text
    assert "Managing money" in text
    assert f"{settings.PUBLIC_BASE_URL}/certificates/verify/?code={certificate.code}" in text
    assert "Download your certificate" in client.get("/me/learning/").content.decode()


def test_the_lesson_is_in_welsh_where_translated_with_english_fallback(
    learning_world: dict[str, Any], person_client: Any
) -> None:
    w = learning_world
    course = w["course"]
    course.title_cy = "Rheoli arian"
    course.save()
    first, second = _lessons(course)
    first.title_cy, first.body_cy = "Eich arian", "Cadwch eich arian yn ddiogel."
    first.save()
    client = person_client(w["person"])
    client.post(f"/me/learning/courses/{course.pk}/enrol/")
    client.post("/language/", {"language": "cy", "next": "/me/learning/"})
    welsh = client.get(f"/me/learning/lessons/{first.pk}/").content.decode()
    assert "Eich arian" in welsh
    assert "Cadwch eich arian yn ddiogel." in welsh
    assert "Rheoli arian" in welsh
    fallback = client.get(f"/me/learning/lessons/{second.pk}/").content.decode()
    assert "Making a budget" in fallback  # not translated: English


def test_lesson_markup_is_escaped_never_html(learning_world: dict[str, Any], person_client: Any) -> None:
    w = learning_world
    lesson = LessonFactory(module=w["course"].modules.get(), body="<script>alert(1)</script>\n\n- <b>bold</b>")
    client = person_client(w["person"])
    client.post(f"/me/learning/courses/{w['course'].pk}/enrol/")
    body = client.get(f"/me/learning/lessons/{lesson.pk}/").content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<li>&lt;b&gt;bold&lt;/b&gt;</li>" in body


def test_a_person_cannot_open_lessons_or_certificates_of_a_course_they_are_not_on(
    learning_world: dict[str, Any], person_client: Any
) -> None:
    w = learning_world
    first = _lessons(w["course"])[0]
    client = person_client(w["other"])
    assert client.get(f"/me/learning/lessons/{first.pk}/").status_code == 403
    assert client.get(f"/me/learning/courses/{w['course'].pk}/certificate/").status_code == 403
    assert client.get(f"/me/learning/lessons/{first.pk}/media/").status_code == 403


def test_the_self_assessment_page_keeps_a_score_history(learning_world: dict[str, Any], person_client: Any) -> None:
    w = learning_world
    coping = assessment_build("How am I coping?", ["Sleep", "Calm"], [("Not at all", 0), ("A lot", 3)])
    client = person_client(w["person"])
    url = f"/me/learning/self-assessments/{coping.pk}/"
    assert "No scores yet." in client.get(url).content.decode()
    questions = list(coping.questions.all())
    response = client.post(url, {f"q{q.pk}": q.options.get(score=3).pk for q in questions})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Your score is 6 out of 6" in page
    assert 'data-testid="score-history"' in page
    assert client.post(url, {f"q{questions[0].pk}": questions[0].options.first().pk}).status_code == 400


def test_staff_see_a_persons_learning_and_enrol_them(
    learning_world: dict[str, Any], staff_client: Any, person_client: Any
) -> None:
    w = learning_world
    client = staff_client(w["keyworker"])
    record = client.get(f"/staff/people/{w['person'].pk}/").content.decode()
    assert f"/staff/people/{w['person'].pk}/learning/" in record
    page = client.get(f"/staff/people/{w['person'].pk}/learning/").content.decode()
    assert "Not on any courses." in page
    response = client.post(f"/staff/people/{w['person'].pk}/learning/enrol/", {"course": w["course"].pk})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(person=w["person"])
    assert enrolment.enrolled_by == w["keyworker"]
    assert "0 of 2" in client.get(f"/staff/people/{w['person'].pk}/learning/").content.decode()
    outsider = staff_client(w["outsider"])
    assert outsider.get(f"/staff/people/{w['person'].pk}/learning/").status_code == 403
    assert (
        outsider.post(f"/staff/people/{w['person'].pk}/learning/enrol/", {"course": w["course"].pk}).status_code == 403
    )


def test_completion_rates_page(learning_world: dict[str, Any], staff_client: Any, person_client: Any) -> None:
    w = learning_world
    person = person_client(w["person"])
    person.post(f"/me/learning/courses/{w['course'].pk}/enrol/")
    client = staff_client(w["keyworker"])
    assert "Managing money" in client.get("/staff/learning/").content.decode()
    page = client.get(f"/staff/learning/courses/{w['course'].pk}/").content.decode()
    assert "HMP Northgate" in page
    assert re.search(r">\s*1\s*<", page)
    assert "0%" in page


def test_public_verification_page(
    learning_world: dict[str, Any], person_client: Any, org: dict[str, Any], settings: Any
) -> None:
    w = learning_world
    client = person_client(w["person"])
    client.post(f"/me/learning/courses/{w['course'].pk}/enrol/")
    for lesson in _lessons(w["course"]):
        _post_answers(client, lesson, right_answers(lesson))
    certificate = Certificate.objects.get()

    # After release the person still has it, and it still checks out.
    person_release(
        actor=w["pom"],
        person=w["person"],
        details=ReleaseDetails(
            release_date=timezone.localdate(), status="licence", supervising_unit=org["office_n"], address="1 Road"
        ),
    )
    assert client.get(f"/me/learning/courses/{w['course'].pk}/certificate/").status_code == 200

    anyone = Client(REMOTE_ADDR="192.0.2.42")  # its own address: checks are counted per address
    real = anyone.get("/certificates/verify/", {"code": certificate.code}).content.decode()
    assert "This certificate is real" in real
    assert "Daniel H." in real
    assert "Managing money" in real
    assert "Hughes" not in real
    assert w["person"].prison_number not in real
    unknown = anyone.get("/certificates/verify/", {"code": "A" * 24}).content.decode()
    assert "We cannot find this certificate" in unknown
    assert "Daniel" not in unknown
    settings.CERTIFICATE_VERIFY_PER_HOUR = 2
    assert anyone.get("/certificates/verify/", {"code": certificate.code}).status_code == 429
    assert anyone.get("/certificates/verify/").status_code == 200  # the empty form is never limited


def test_the_django_admin_is_for_administrators_only_and_editors_write_on_onward_pages(
    org: dict[str, Any], make_staff: Any, staff_client: Any
) -> None:
    from onward.organisations.models import Role

    editor = staff_client(make_staff(Role.CONTENT_EDITOR, org["north"]))
    for path in ("/admin/", "/admin/learning/course/", "/admin/learning/course/add/", "/admin/content/"):
        response = editor.get(path)
        assert response.status_code in (302, 404), path
        if response.status_code == 302:
            assert "/admin/login/" in response["Location"] or "sign-in" in response["Location"], path
    staff_page = editor.get("/staff/courses/").content.decode()
    assert 'href="/admin/' not in staff_page  # the admin is not linked for them
    assert 'href="/staff/courses/"' in staff_page
    admin = staff_client(make_staff(Role.ADMINISTRATOR, org["north"]))
    assert admin.get("/admin/learning/lesson/").status_code == 200
    assert admin.get("/admin/learning/certificate/").status_code == 200
    assert admin.get("/admin/learning/course/add/").status_code == 200
    keyworker = staff_client(make_staff(Role.KEY_WORKER, org["ngt"]))
    assert keyworker.get("/admin/learning/course/").status_code == 302
