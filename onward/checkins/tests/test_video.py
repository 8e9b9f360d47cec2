"""Video check-ins through the real engines: a live turn at home passes clean; a held-up photo is flagged."""

import pytest

from onward.accounts.services import person_account_ensure
from onward.biometrics.tests.clips import encode_clip, still_frames, turn_frames
from onward.checkins import services
from onward.checkins.models import CheckIn, FaceDecision, Schedule
from onward.checkins.tests.conftest import HOME
from onward.checkins.tests.factories import CheckInFactory

DETAILS = services.EnrolmentDetails(schedule=Schedule.WEEKLY, office_visits="replaces", office_visits_reason="Low risk")
ANSWERS = {"mood": "very_well", "help": ["none"], "call_back": "no"}


def _video_checkin(case, photo, clip: bytes, challenge: str) -> CheckIn:
    enrolment = services.enrolment_save(
        actor=case["practitioner"], person=case["person"], details=DETAILS, photo=photo("obama_2.jpg")
    )
    account = person_account_ensure(case["person"])
    checkin = CheckInFactory(enrolment=enrolment, person=case["person"])
    services.checkin_answers_save(actor=account, checkin=checkin, answers=ANSWERS)
    services.checkin_location_save(
        actor=account, checkin=checkin, latitude=HOME[0], longitude=HOME[1], accuracy_m=10, consent=True
    )
    media = services.checkin_media_add(actor=account, checkin=checkin, data=clip, challenge=challenge)
    assert media.content_type == "video/webm"
    services.verification_run(media.verification.pk)
    services.checkin_submit(actor=account, checkin=checkin, idempotency_key=f"video-{checkin.pk}")
    return CheckIn.objects.get(pk=checkin.pk)


@pytest.mark.django_db
def test_a_live_turn_at_home_is_a_clean_checkin(case, photo):
    checkin = _video_checkin(case, photo, encode_clip(turn_frames("obama_1", 30.0)), "turn_left")
    verification = checkin.verifications.get()
    assert verification.liveness_checked
    assert verification.liveness_passed
    assert verification.challenge == "turn_left"
    assert checkin.face_decision == FaceDecision.MATCH
    assert checkin.liveness_passed is True
    assert not checkin.flagged, checkin.flag_reasons


@pytest.mark.django_db
def test_a_photo_held_to_the_camera_is_flagged_for_liveness(case, photo):
    checkin = _video_checkin(case, photo, encode_clip(still_frames("obama_1")), "turn_right")
    assert checkin.liveness_passed is False
    assert checkin.flagged
    assert "liveness_failed" in checkin.flag_reasons
