"""The person's check-in through the JSON API (/api/v1/me/check-ins/…): by device token as a phone's
app does it, and by the browser session with the CSRF token as the check-in page does it. Bad input
gets a plain JSON answer and changes nothing."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from onward.accounts.services import device_token_create, person_account_ensure
from onward.audit.models import AuditEvent
from onward.biometrics.tests.clips import encode_clip, still_frames
from onward.checkins import services
from onward.checkins.models import Answer, CheckIn, CheckInMedia, State
from onward.checkins.tests.conftest import HOME
from onward.checkins.tests.factories import TINY_JPEG, CheckInFactory, EnrolmentFactory

ANSWERS = {"mood": "not_great", "help": ["money", "housing"], "call_back": "yes", "comment": "Rent is late"}
DETAILS = services.EnrolmentDetails(schedule="weekly", office_visits="supplements", office_visits_reason="Low risk")
BROKEN_WEBM = b"\x1a\x45\xdf\xa3" + b"\x42\x86\x81\x01" + b"\x00" * 400  # starts like a WebM, plays nothing


def _api(checkin: CheckIn, step: str) -> str:
    return f"/api/v1/me/check-ins/{checkin.pk}/{step}"


class Phone:
    """A person's phone calling the API with its device token."""

    def __init__(self, person: Any) -> None:
        self.client = Client(enforce_csrf_checks=True)  # a token needs no CSRF token
        token = device_token_create(actor=person_account_ensure(person), name="Test phone").token
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path: str) -> Any:
        return self.client.get(path, headers=self.headers)

    def json(self, method: str, path: str, body: Any) -> Any:
        send = getattr(self.client, method)
        return send(path, body, content_type="application/json", headers=self.headers)

    def upload(self, path: str, data: bytes, name: str = "me.jpg", **fields: str) -> Any:
        from django.core.files.uploadedfile import SimpleUploadedFile

        return self.client.post(path, {"media": SimpleUploadedFile(name, data), **fields}, headers=self.headers)


@pytest.fixture
def open_checkin(case: dict[str, Any]) -> CheckIn:
    return CheckInFactory(enrolment=EnrolmentFactory(person=case["person"]))


@pytest.mark.django_db
def test_a_person_checks_in_from_their_phone_through_the_api(case, photo):
    enrolment = services.enrolment_save(
        actor=case["practitioner"], person=case["person"], details=DETAILS, photo=photo("obama_1.jpg")
    )
    checkin = CheckInFactory(enrolment=enrolment, person=case["person"])
    phone = Phone(case["person"])

    current = phone.get("/api/v1/me/check-ins/current")
    assert current.status_code == 200
    body = current.json()
    assert body["id"] == checkin.pk
    assert body["attempts_left"] == 3
    assert {q["key"] for q in body["questions"]} >= {"mood", "help", "call_back"}
    assert body["face"]["status"] == "none"

    missing = phone.json("put", _api(checkin, "answers"), {"answers": {"comment": "Only a comment"}})
    assert missing.status_code == 422
    assert {"location": "body", "field": "answers.mood", "message": "Answer this question."} in missing.json()["errors"]
    assert not Answer.objects.filter(checkin=checkin).exists()
    saved = phone.json("put", _api(checkin, "answers"), {"answers": ANSWERS})
    assert saved.status_code == 200
    assert saved.json()["saved"] == 4

    no_consent = {"latitude": HOME[0], "longitude": HOME[1], "accuracy_m": 20, "consent": False}
    refused = phone.json("post", _api(checkin, "location"), no_consent)
    assert refused.status_code == 400
    assert refused.json() == {"detail": "Tick the box to say you agree to share your location."}
    assert phone.json("post", _api(checkin, "location"), {**no_consent, "consent": True}).status_code == 200

    uploaded = phone.upload(_api(checkin, "media"), photo("obama_2.jpg"))
    assert uploaded.status_code == 202, uploaded.content
    assert uploaded.json()["attempts_left"] == 2
    assert phone.get(_api(checkin, "status")).json()["face"]["status"] == "pending"
    services.verification_run(checkin.verifications.get().pk)  # what the worker does once the upload commits
    face = phone.get(_api(checkin, "status")).json()["face"]
    assert (face["status"], face["matched"]) == ("done", True)

    key = {"idempotency_key": "phone-4f1c2a9e"}
    first = phone.json("post", _api(checkin, "submit"), key)
    retry = phone.json("post", _api(checkin, "submit"), key)
    assert first.status_code == retry.status_code == 200
    assert first.json() == retry.json()
    assert first.json()["state"] == "submitted"
    again = phone.json("post", _api(checkin, "submit"), {"idempotency_key": "another-key-123"})
    assert again.status_code == 400
    assert again.json() == {"detail": "This check-in has already been sent."}
    assert AuditEvent.objects.filter(action="checkin.submitted", object_id=str(checkin.pk)).count() == 1
    sent = CheckIn.objects.get(pk=checkin.pk)
    assert sent.state == State.SUBMITTED
    assert sent.location_verdict == "at_address"

    nothing = phone.get("/api/v1/me/check-ins/current")
    assert nothing.status_code == 404
    assert "no check-in to do" in nothing.json()["detail"]


@pytest.mark.django_db
def test_a_clip_carries_the_nonce_of_the_challenge_the_server_gave(case, photo, clock):
    enrolment = services.enrolment_save(
        actor=case["practitioner"], person=case["person"], details=DETAILS, photo=photo("obama_2.jpg")
    )
    checkin = CheckInFactory(enrolment=enrolment, person=case["person"])
    phone = Phone(case["person"])
    clip = encode_clip(still_frames("obama_1"))
    unasked = phone.upload(_api(checkin, "media"), clip, "clip.webm")
    assert unasked.status_code == 400
    assert unasked.json() == {"detail": "This video was not made for the moves we asked. Press Start to try again."}

    asked = phone.json("post", _api(checkin, "challenge"), {})
    assert asked.status_code == 200
    challenge = asked.json()
    assert set(challenge) == {"nonce", "issued_at", "expires_at", "steps", "digits"}
    assert len(challenge["steps"]) >= 4
    assert len(challenge["digits"]) == 6
    first = challenge["steps"][0]
    assert first["start_ms"] == 0
    assert first["move"] in {"turn_left", "turn_right", "look_up", "look_down", "blink", "hold_still"}
    assert len(first["screen_rgb"]) == 3
    assert first["instruction"]
    clock.advance(10)
    uploaded = phone.upload(_api(checkin, "media"), clip, "clip.webm", challenge_nonce=challenge["nonce"])
    assert uploaded.status_code == 202
    assert uploaded.json()["kind"] == "video"
    media = CheckInMedia.objects.get(checkin=checkin)
    assert media.challenge_nonce == challenge["nonce"]
    assert [s["move"] for s in media.challenge_data["steps"]] == [s["move"] for s in challenge["steps"]]
    again = phone.upload(_api(checkin, "media"), clip, "clip.webm", challenge_nonce=challenge["nonce"])
    assert again.status_code == 400  # one clip per challenge
    services.verification_run(checkin.verifications.get().pk)
    face = phone.get(_api(checkin, "status")).json()["face"]
    # The right face, but a still photo: the person is not told it matched (they are asked to try again).
    assert (face["status"], face["matched"]) == ("done", False)
    verification = checkin.verifications.get()
    assert verification.decision == "match"
    assert verification.liveness_passed is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"GIF89a" + b"\x00" * 64, "a.gif", "We could not read this file."),
        (b"<html>not a photo</html>", "me.jpg", "We could not read this file."),
        (TINY_JPEG[:12], "cut.jpg", "This is not a photo we can open."),
        (BROKEN_WEBM, "clip.webm", "We could not play your video."),
        (b"", "empty.jpg", "The file was empty. Try again."),
    ],
    ids=["gif", "html", "cut-off-jpeg", "broken-webm", "empty"],
)
def test_bad_media_gets_a_plain_answer_and_uses_no_try(open_checkin, case, data, name, words):
    phone = Phone(case["person"])
    phone.json("post", _api(open_checkin, "challenge"), {})
    refused = phone.upload(_api(open_checkin, "media"), data, name)
    assert refused.status_code in (400, 422)
    assert words in str(refused.json()), refused.json()
    assert CheckIn.objects.get(pk=open_checkin.pk).face_attempts == 0
    assert not CheckInMedia.objects.filter(checkin=open_checkin).exists()


@pytest.mark.django_db
def test_a_huge_file_is_refused_before_it_is_read(open_checkin, case, settings):
    settings.CHECKIN_VIDEO_MAX_BYTES = settings.CHECKIN_PHOTO_MAX_BYTES = 1000
    refused = Phone(case["person"]).upload(_api(open_checkin, "media"), TINY_JPEG + b"\x00" * 2000)
    assert refused.status_code == 400
    assert refused.json() == {"detail": "The file is too large. Record a shorter video or take the photo again."}
    assert CheckIn.objects.get(pk=open_checkin.pk).face_attempts == 0


@pytest.mark.django_db
def test_a_closed_window_answers_plainly_and_keeps_nothing(case):
    past = timezone.now() - dt.timedelta(hours=2)
    late = CheckInFactory(
        enrolment=EnrolmentFactory(person=case["person"]), opens_at=past - dt.timedelta(hours=72), closes_at=past
    )
    phone = Phone(case["person"])
    answered = phone.json("put", _api(late, "answers"), {"answers": ANSWERS})
    assert answered.status_code == 400
    assert answered.json() == {"detail": "The time for this check-in has passed."}
    sent = phone.json("post", _api(late, "submit"), {"idempotency_key": "late-key-0001"})
    assert sent.status_code == 400
    assert not Answer.objects.filter(checkin=late).exists()
    assert CheckIn.objects.get(pk=late.pk).state == State.CREATED
    assert phone.get("/api/v1/me/check-ins/current").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"answers": {"mood": 3}}, "answers.mood"),
        ({"answers": ANSWERS, "extra": 1}, "extra"),
        ({"latitude": 91, "longitude": 0, "accuracy_m": 5, "consent": True}, "latitude"),
        ({"idempotency_key": "short"}, "idempotency_key"),
    ],
    ids=["answer-not-text", "unknown-field", "latitude-off-the-globe", "key-too-short"],
)
def test_wrong_input_names_the_field(open_checkin, case, body, field):
    step = "answers" if "answers" in body else "location" if "latitude" in body else "submit"
    phone = Phone(case["person"])
    response = phone.json("put" if step == "answers" else "post", _api(open_checkin, step), body)
    assert response.status_code == 422
    assert response.json()["detail"]
    assert any(error["field"].startswith(field) for error in response.json()["errors"]), response.json()
    assert CheckIn.objects.get(pk=open_checkin.pk).state == State.CREATED


@pytest.mark.django_db
def test_the_page_calls_the_api_with_its_session_and_csrf_token(open_checkin, case):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person_account_ensure(case["person"]), backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/me/check-in/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-api-url="{_api(open_checkin, "answers")}"' in html
    assert f'data-challenge-url="{_api(open_checkin, "challenge")}"' in html

    refused = client.put(_api(open_checkin, "answers"), {"answers": ANSWERS}, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert not Answer.objects.filter(checkin=open_checkin).exists()

    token = client.cookies["csrftoken"].value
    saved = client.put(
        _api(open_checkin, "answers"),
        {"answers": ANSWERS},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert saved.status_code == 200
    assert client.get(_api(open_checkin, "status")).status_code == 200  # reads need no token


@pytest.mark.django_db
def test_without_the_script_the_page_forms_still_work(open_checkin, case, person_client):
    client = person_client(case["person"])
    answered = client.post("/me/check-in/", {"step": "answers", **ANSWERS})
    assert answered.status_code == 302
    assert Answer.objects.filter(checkin=open_checkin).count() == 4
    page = client.get("/me/check-in/").content.decode()
    assert 'type="file"' not in page  # check-in media only from the live camera, by the page's script
    sent = client.post("/me/check-in/", {"step": "submit", "idempotency_key": "page-key-1"})
    assert sent.status_code == 302
    assert sent["Location"] == f"/me/check-in/{open_checkin.pk}/sent/"
    assert CheckIn.objects.get(pk=open_checkin.pk).state == State.SUBMITTED


@pytest.mark.django_db
def test_a_person_cannot_reach_another_persons_checkin(open_checkin, case):
    others = CheckInFactory(enrolment=EnrolmentFactory(person=case["other_person"]))
    phone = Phone(case["person"])
    calls = [
        phone.get(_api(others, "status")),
        phone.json("put", _api(others, "answers"), {"answers": ANSWERS}),
        phone.json("post", _api(others, "challenge"), {}),
        phone.upload(_api(others, "media"), TINY_JPEG),
        phone.json("post", _api(others, "location"), {"latitude": 1, "longitude": 1, "accuracy_m": 1, "consent": True}),
        phone.json("post", _api(others, "submit"), {"idempotency_key": "not-mine-123"}),
    ]
    assert [c.status_code for c in calls] == [404] * len(calls)
    assert all(c.json() == {"detail": "Not found."} for c in calls)
    untouched = CheckIn.objects.get(pk=others.pk)
    assert (untouched.state, untouched.face_attempts, untouched.location_consent) == (State.CREATED, 0, False)
    assert not Answer.objects.filter(checkin=others).exists()


@pytest.mark.django_db
def test_staff_cannot_answer_or_send_a_checkin(open_checkin, case, staff_client):
    client = staff_client(case["practitioner"])  # the person's own practitioner
    token = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else ""
    headers = {"X-CSRFToken": token} if token else {}
    calls = [
        client.get("/api/v1/me/check-ins/current"),
        client.get(_api(open_checkin, "status")),
        client.put(
            _api(open_checkin, "answers"), {"answers": ANSWERS}, content_type="application/json", headers=headers
        ),
        client.post(
            _api(open_checkin, "submit"), {"idempotency_key": "staff-key-123"}, content_type="application/json"
        ),
    ]
    assert [c.status_code for c in calls] == [403] * len(calls)
    assert all(c.json()["detail"] for c in calls)
    assert CheckIn.objects.get(pk=open_checkin.pk).state == State.CREATED


@pytest.mark.django_db
def test_no_credentials_answer_401(open_checkin):
    response = Client().get(_api(open_checkin, "status"))
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Sign in first.")


@pytest.mark.django_db
def test_a_photo_of_too_many_pixels_is_refused_before_it_is_decoded(open_checkin, case):
    """A small file that would decode to a huge picture (15 million pixels in a few KB of PNG) uses no try."""
    import io

    from PIL import Image

    bomb = io.BytesIO()
    Image.new("L", (5000, 3000)).save(bomb, format="PNG")  # synthetic: one grey value, compresses to ~20 KB
    assert len(bomb.getvalue()) < 100_000
    refused = Phone(case["person"]).upload(_api(open_checkin, "media"), bomb.getvalue(), "small.png")
    assert refused.status_code in (400, 422)
    assert "too big" in str(refused.json())
    assert CheckIn.objects.get(pk=open_checkin.pk).face_attempts == 0
