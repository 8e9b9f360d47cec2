"""The learning API: a person's courses, lessons and quiz by device token, staff views, the public check."""

from typing import Any

import pytest
from django.test import Client

from onward.api.tests.helpers import bearer, get_json
from onward.learning.models import Certificate, Lesson
from onward.learning.services import certificate_code_display
from onward.learning.tests.factories import assessment_build, pdf_text, right_answers

pytestmark = pytest.mark.django_db

JSON = "application/json"


def _post(client: Client, path: str, body: Any, token: str) -> Any:
    return client.post(path, body, content_type=JSON, headers=bearer(token))


def _answers(lesson: Lesson) -> dict[str, Any]:
    return {"answers": [{"question": q, "options": ids} for q, ids in right_answers(lesson).items()]}


def test_a_person_does_a_course_through_the_api(learning_world: dict[str, Any], token_for: Any) -> None:
    w = learning_world
    token = token_for(w["person"])
    client = Client()
    course_id = w["course"].pk

    status, body = get_json(client, "/api/v1/me/courses", token)
    assert status == 200
    assert body["mine"] == []
    assert [c["id"] for c in body["available"]] == [course_id]

    response = _post(client, f"/api/v1/me/courses/{course_id}/enrolment", {}, token)
    assert response.status_code == 200
    lessons = [lesson["id"] for module in response.json()["modules"] for lesson in module["lessons"]]
    first, second = (Lesson.objects.get(pk=pk) for pk in lessons)

    status, lesson = get_json(client, f"/api/v1/me/lessons/{first.pk}", token)
    assert status == 200
    assert lesson["questions"][0]["options"][0].keys() == {"id", "text"}  # the right answers are not given away
    assert "#" not in lesson["body"]

    single = first.questions.get(multiple=False)
    wrong = _answers(first)
    wrong["answers"][0] = {"question": single.pk, "options": [single.options.get(correct=False).pk]}
    tried = _post(client, f"/api/v1/me/lessons/{first.pk}/completion", wrong, token).json()
    assert tried["passed"] is False
    assert tried["score"] == 1
    assert tried["questions"][0]["options"] == [
        {"option": single.options.get(correct=False).pk, "chosen": True, "feedback": "No, not a loan."}
    ]
    passed = _post(client, f"/api/v1/me/lessons/{first.pk}/completion", _answers(first), token).json()
    assert passed["passed"] is True
    assert passed["course_finished"] is False
    missing = _post(client, f"/api/v1/me/lessons/{first.pk}/completion", {"answers": []}, token)
    assert missing.status_code == 400

    finished = _post(client, f"/api/v1/me/lessons/{second.pk}/completion", {"answers": []}, token).json()
    assert finished["course_finished"] is True
    status, body = get_json(client, "/api/v1/me/courses", token)
    assert body["mine"][0]["finished"] is True
    assert body["mine"][0]["lessons_done"] == 2

    pdf = client.get(f"/api/v1/me/courses/{course_id}/certificate", headers=bearer(token))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    code = Certificate.objects.get().code
    assert certificate_code_display(code) in pdf_text(pdf.content)

    status, check = get_json(Client(), "/api/v1/certificates/verify", code=code)
    assert status == 200
    assert check == {"found": True, "name": "Daniel H.", "course": "Managing money", "issued_on": check["issued_on"]}
    status, check = get_json(Client(), "/api/v1/certificates/verify", code="A" * 24)
    assert check == {"found": False, "name": None, "course": None, "issued_on": None}


def test_another_person_and_unknown_ids_get_404(learning_world: dict[str, Any], token_for: Any) -> None:
    w = learning_world
    mine, theirs = token_for(w["person"]), token_for(w["other"])
    client = Client()
    _post(client, f"/api/v1/me/courses/{w['course'].pk}/enrolment", {}, mine)
    lesson = Lesson.objects.filter(module__course=w["course"]).first()
    assert get_json(client, f"/api/v1/me/lessons/{lesson.pk}", theirs)[0] == 404
    assert client.get(f"/api/v1/me/courses/{w['course'].pk}/certificate", headers=bearer(mine)).status_code == 404
    assert get_json(client, "/api/v1/me/lessons/999999", mine)[0] == 404
    assert _post(client, f"/api/v1/me/lessons/{lesson.pk}/completion", _answers(lesson), theirs).status_code == 404


def test_self_assessments_through_the_api(learning_world: dict[str, Any], token_for: Any) -> None:
    w = learning_world
    coping = assessment_build("How am I coping?", ["Sleep", "Calm"], [("Not at all", 0), ("A lot", 3)])
    token = token_for(w["person"])
    client = Client()
    status, sets = get_json(client, "/api/v1/me/self-assessments", token)
    assert status == 200
    assert [s["title"] for s in sets] == ["How am I coping?"]
    answers = [{"question": q["id"], "option": q["options"][1]["id"]} for q in sets[0]["questions"]]
    response = _post(client, f"/api/v1/me/self-assessments/{coping.pk}/results", {"answers": answers}, token)
    assert response.status_code == 201
    assert response.json()["score"] == 6
    assert [s["score"] for s in get_json(client, "/api/v1/me/self-assessments", token)[1][0]["scores"]] == [6]


def test_staff_follow_and_enrol_people_in_scope_only(
    learning_world: dict[str, Any], staff_client: Any, token_for: Any
) -> None:
    w = learning_world
    staff = staff_client(w["keyworker"])
    path = f"/api/v1/people/{w['person'].pk}/learning"
    response = staff.post(f"{path}/enrolments", {"course": w["course"].pk}, content_type=JSON)
    assert response.status_code == 200
    assert [c["course"]["id"] for c in response.json()["courses"]] == [w["course"].pk]
    outsider = staff_client(w["outsider"])
    assert outsider.get(path).status_code == 404
    assert outsider.post(f"{path}/enrolments", {"course": w["course"].pk}, content_type=JSON).status_code == 404
    completion = staff.get(f"/api/v1/courses/{w['course'].pk}/completion").json()
    assert completion["total"]["enrolled"] == 1
    assert completion["rows"][0]["unit_name"] == "HMP Northgate"
    # A person's device token cannot use the staff operations.
    assert get_json(Client(), path, token_for(w["person"]))[0] == 403


def test_public_check_is_rate_limited(settings: Any, db: None) -> None:
    settings.CERTIFICATE_VERIFY_PER_HOUR = 1
    client = Client(REMOTE_ADDR="192.0.2.41")  # an address no other test uses: the count is per address
    assert client.get("/api/v1/certificates/verify", {"code": "ABCD"}).status_code == 200
    limited = client.get("/api/v1/certificates/verify", {"code": "ABCD"})
    assert limited.status_code == 429
    assert "try again" in limited.json()["detail"]
    assert client.get("/api/v1/certificates/verify").status_code == 422
