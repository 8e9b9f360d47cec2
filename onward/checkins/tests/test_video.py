"""Video check-ins through the real engines, for a challenge the server issued.

The "person" is SYNTHETIC: a clip rendered from one fixture photo with a lighting model
(onward/biometrics/tests/render.py), following the challenge the service issued. A held-up photo
(frozen, no screen light) is flagged.
"""

from functools import partial

import pytest

from onward.accounts.services import person_account_ensure
from onward.biometrics.tests import render
from onward.checkins import services
from onward.checkins.models import CheckIn, FaceDecision, Schedule
from onward.checkins.tests.conftest import HOME, clip_for_challenge
from onward.checkins.tests.factories import CheckInFactory

DETAILS = services.EnrolmentDetails(
    schedule=Schedule.WEEKLY, office_visits="supplements", office_visits_reason="Low risk"
)
ANSWERS = {"mood": "very_well", "help": ["none"], "call_back": "no"}


def _video_checkin(case, photo, clock, make_clip) -> CheckIn:
    enrolment = services.enrolment_save(
        actor=case["practitioner"], person=case["person"], details=DETAILS, photo=photo("obama_2.jpg")
    )
    account = person_account_ensure(case["person"])
    checkin = CheckInFactory(enrolment=enrolment, person=case["person"])
    services.checkin_answers_save(actor=account, checkin=checkin, answers=ANSWERS)
    services.checkin_location_save(
        actor=account, checkin=checkin, latitude=HOME[0], longitude=HOME[1], accuracy_m=10, consent=True
    )
    media = clip_for_challenge(account, checkin, clock, make_clip)
    assert media.content_type == "video/webm"
    services.verification_run(media.verification.pk)
    services.checkin_submit(actor=account, checkin=checkin, idempotency_key=f"video-{checkin.pk}")
    return CheckIn.objects.get(pk=checkin.pk)


@pytest.mark.django_db
def test_a_live_challenge_at_home_is_a_clean_checkin(case, photo, clock, monkeypatch):
    # The challenge is the one the biometrics tests' genuine clips are measured on (seed 11), not a random
    # one: the rendered head is not a real one, and on some random challenges dlib under-reads its turn
    # (the known false reject, marked in test_verify_video.py), which would make this test pass by chance.
    from onward.biometrics import liveness

    monkeypatch.setattr(liveness, "challenge_new", partial(liveness.challenge_new, seed=11))
    checkin = _video_checkin(case, photo, clock, lambda challenge: render.genuine_clip("obama_1", challenge))

    verification = checkin.verifications.get()
    assert verification.liveness_checked
    assert verification.liveness_passed, verification.liveness_details
    media = verification.media
    assert verification.liveness_details["nonce"] == media.challenge_nonce == media.challenge_data["nonce"]
    assert [s["move"] for s in verification.liveness_details["steps"]] == [
        s["move"] for s in media.challenge_data["steps"]
    ]
    assert verification.liveness_details["colour"]["trace"]
    assert verification.liveness_engine == "challenge-68-point-colour-v1"
    assert "shape_predictor_68" in verification.liveness_model_version
    assert len(media.perceptual_hash) == 16
    assert checkin.face_decision == FaceDecision.MATCH
    assert checkin.liveness_passed is True
    assert not checkin.flagged, checkin.flag_reasons


@pytest.mark.django_db
def test_a_photo_held_to_the_camera_is_flagged_for_liveness(case, photo, clock):
    checkin = _video_checkin(case, photo, clock, lambda challenge: render.attack_clip("frozen", "obama_1", challenge))

    assert checkin.liveness_passed is False
    assert checkin.flagged
    assert "liveness_failed" in checkin.flag_reasons
