"""Enrolment and verification with the real face engine on the fixture photos (public-domain portraits)."""

import pytest

from onward.accounts.services import person_account_ensure
from onward.audit.models import AuditEvent
from onward.checkins import services
from onward.checkins.models import CheckIn, CheckInMedia, FaceDecision, MediaKind, Schedule, State, VerificationStatus
from onward.checkins.tests.conftest import HOME
from onward.checkins.tests.factories import CheckInFactory
from onward.core.crypto import decrypt_bytes

DETAILS = services.EnrolmentDetails(
    schedule=Schedule.WEEKLY,
    office_visits="supplements",
    office_visits_reason="Stable, low risk: weekly check-ins instead.",
)
ANSWERS = {"mood": "well", "help": ["none"], "call_back": "no"}


def _enrol(case, photo):
    return services.enrolment_save(
        actor=case["practitioner"], person=case["person"], details=DETAILS, photo=photo("obama_1.jpg")
    )


def _check_in(case, enrolment, photo_bytes, *, at_home=True):
    account = person_account_ensure(case["person"])
    checkin = CheckInFactory(enrolment=enrolment, person=case["person"])
    services.checkin_answers_save(actor=account, checkin=checkin, answers=ANSWERS)
    lat, lon = HOME if at_home else (HOME[0] + 0.02, HOME[1])
    services.checkin_location_save(
        actor=account, checkin=checkin, latitude=lat, longitude=lon, accuracy_m=15, consent=True
    )
    media = services.checkin_media_add(actor=account, checkin=checkin, data=photo_bytes)
    services.verification_run(media.verification.pk)
    submitted = services.checkin_submit(actor=account, checkin=checkin, idempotency_key=f"key-{checkin.pk}")
    return submitted, account


@pytest.mark.django_db
def test_enrolment_stores_the_photo_privately_and_the_template_encrypted(case, photo):
    enrolment = _enrol(case, photo)
    assert enrolment.engine
    assert enrolment.model_version
    stored = bytes(enrolment.template_encrypted)
    template = decrypt_bytes(stored)
    assert template not in stored
    assert len(template) > 0
    assert enrolment.reference_photo.name.startswith(f"checkins/reference/{case['person'].pk}/")
    assert AuditEvent.objects.filter(action="checkin.enrolled", person=case["person"]).exists()


@pytest.mark.django_db
def test_enrolment_refuses_a_photo_without_a_face_in_plain_words(case):
    import io

    from PIL import Image

    blank = io.BytesIO()
    Image.new("RGB", (400, 400), (200, 200, 200)).save(blank, format="JPEG")
    with pytest.raises(services.EnrolmentRefused) as refused:
        services.enrolment_save(
            actor=case["practitioner"], person=case["person"], details=DETAILS, photo=blank.getvalue()
        )
    assert "face" in " ".join(refused.value.messages).lower()


@pytest.mark.django_db
def test_the_same_person_matches_and_is_flagged_only_for_missing_liveness(case, photo):
    enrolment = _enrol(case, photo)
    checkin, _ = _check_in(case, enrolment, photo("obama_2.jpg"))
    verification = checkin.verifications.get()
    assert verification.status == VerificationStatus.DONE
    assert verification.decision == FaceDecision.MATCH
    assert verification.distance is not None
    assert verification.distance < 0.5
    assert verification.engine == enrolment.engine
    assert verification.timings_ms
    checkin = CheckIn.objects.get(pk=checkin.pk)
    assert checkin.face_decision == FaceDecision.MATCH
    assert checkin.location_verdict == "at_address"
    # A photo has no liveness check, so even a match goes to a person's eyes for that reason alone.
    assert checkin.flag_reasons == ["liveness_missing"]
    assert CheckInMedia.objects.filter(checkin=checkin, kind=MediaKind.FRAME).exists()


@pytest.mark.django_db
def test_another_person_is_flagged_no_match(case, photo):
    enrolment = _enrol(case, photo)
    checkin, _ = _check_in(case, enrolment, photo("biden.jpg"), at_home=False)
    checkin = CheckIn.objects.get(pk=checkin.pk)
    assert checkin.state == State.SUBMITTED
    assert checkin.face_decision == FaceDecision.NO_MATCH
    assert checkin.face_distance > 0.6
    assert checkin.flagged
    assert "face_no_match" in checkin.flag_reasons
    assert "location_away" in checkin.flag_reasons
    assert checkin.submitted_anyway


@pytest.mark.django_db
def test_three_tries_at_the_face_step_then_submit_anyway(case, photo):
    enrolment = _enrol(case, photo)
    account = person_account_ensure(case["person"])
    checkin = CheckInFactory(enrolment=enrolment, person=case["person"])
    for _ in range(3):
        media = services.checkin_media_add(actor=account, checkin=checkin, data=photo("biden.jpg"))
    services.verification_run(media.verification.pk)
    with pytest.raises(services.MediaRefused):
        services.checkin_media_add(actor=account, checkin=checkin, data=photo("obama_2.jpg"))
    services.checkin_answers_save(actor=account, checkin=checkin, answers=ANSWERS)
    sent = services.checkin_submit(actor=account, checkin=checkin, idempotency_key="anyway")
    assert sent.state == State.SUBMITTED
    assert sent.submitted_anyway
    assert sent.flagged


@pytest.mark.django_db
def test_uploads_are_checked_by_their_content(case, photo):
    enrolment = _enrol(case, photo)
    account = person_account_ensure(case["person"])
    checkin = CheckInFactory(enrolment=enrolment, person=case["person"])
    with pytest.raises(services.MediaRefused):
        services.checkin_media_add(actor=account, checkin=checkin, data=b"<html>not a photo</html>")
    with pytest.raises(services.MediaRefused):
        services.checkin_media_add(
            actor=account, checkin=checkin, data=b"\x1a\x45\xdf\xa3" + b"\x00" * 100
        )  # no challenge
    assert services.media_type_sniff(b"\x00\x00\x00\x18ftypmp42") == "video/mp4"
    assert services.media_type_sniff(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert CheckIn.objects.get(pk=checkin.pk).face_attempts == 0


@pytest.mark.django_db
def test_template_is_deleted_when_supervision_ends(case, photo):
    enrolment = _enrol(case, photo)
    name = enrolment.reference_photo.name
    from django.core.files.storage import default_storage

    assert default_storage.exists(name)
    assert services.enrolment_template_delete(actor=None, person=case["person"], reason="Supervision ended")
    enrolment.refresh_from_db()
    assert enrolment.template_encrypted is None
    assert not enrolment.reference_photo
    assert not enrolment.active
    assert AuditEvent.objects.filter(action="checkin.template_deleted", reason="Supervision ended").exists()


@pytest.mark.django_db
def test_an_upload_enqueues_its_verification_when_it_commits(case, photo, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    enrolment = _enrol(case, photo)
    account = person_account_ensure(case["person"])
    checkin = CheckInFactory(enrolment=enrolment, person=case["person"])
    with django_capture_on_commit_callbacks(execute=True):
        media = services.checkin_media_add(actor=account, checkin=checkin, data=photo("obama_3.jpg"))
    queued = DBTaskResult.objects.get(task_path="onward.checkins.tasks.verify_checkin_media")
    assert queued.args_kwargs["args"] == [media.verification.pk]
    from onward.checkins.tasks import verify_checkin_media

    assert verify_checkin_media.call(media.verification.pk)["decision"] == "match"


@pytest.mark.django_db
def test_a_face_enrolled_with_another_engine_is_not_compared_and_goes_to_review(case, photo):
    enrolment = _enrol(case, photo)
    enrolment.engine = "onnx-0123456789abcdef"  # as if the operator has since changed the face engine
    enrolment.save(update_fields=["engine"])

    checkin, _ = _check_in(case, enrolment, photo("obama_2.jpg"))

    verification = checkin.verifications.get()
    assert verification.status == VerificationStatus.FAILED
    assert "another face engine" in verification.error
    assert verification.distance is None
    assert "face_missing" in CheckIn.objects.get(pk=checkin.pk).flag_reasons
