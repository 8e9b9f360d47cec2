"""A check-in clip is bound to the challenge the server issued: its nonce, its time, one clip each, and
media sent before (exactly or nearly the same) is marked and flagged."""

from datetime import timedelta

import numpy as np
import pytest

from onward.accounts.services import person_account_ensure
from onward.audit.models import AuditEvent
from onward.biometrics.tests.clips import encode_clip
from onward.checkins import selectors, services
from onward.checkins.models import CheckIn, CheckInMedia
from onward.checkins.tests.conftest import clip_for_challenge
from onward.checkins.tests.factories import CheckInFactory, EnrolmentFactory

ANSWERS = {"mood": "well", "help": ["none"], "call_back": "no"}


def _picture(seed: int, size: int = 96) -> np.ndarray:
    """A made-up picture (smooth random shapes), the same for the same seed."""
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 255, (6, 6, 3)).astype(np.float32)
    return np.kron(small, np.ones((size // 6, size // 6, 1))).astype(np.uint8)


def _clip(seed: int = 1, noise: float = 0.0) -> bytes:
    frames = [_picture(seed)] * 30
    if noise:
        rng = np.random.default_rng(99)
        frames = [np.clip(f + rng.normal(0, noise, f.shape), 0, 255).astype(np.uint8) for f in frames]
    return encode_clip(frames)


@pytest.fixture
def person_checkin(case):
    enrolment = EnrolmentFactory(person=case["person"], engine="dlib-resnet-v1")
    account = person_account_ensure(case["person"])
    return account, CheckInFactory(enrolment=enrolment, person=case["person"])


@pytest.mark.django_db
def test_a_challenge_is_random_kept_on_the_server_and_audited(person_checkin):
    account, checkin = person_checkin

    first = services.checkin_challenge_issue(actor=account, checkin=checkin)
    second = services.checkin_challenge_issue(actor=account, checkin=checkin)

    assert first.nonce != second.nonce
    assert len(second.steps) >= 4
    assert timedelta(minutes=1) <= second.expires_at - second.issued_at <= timedelta(minutes=5)
    assert selectors.checkin_challenge_issued(checkin) == second  # the new one replaces the last
    events = AuditEvent.objects.filter(action="checkin.challenge_issued", object_id=str(checkin.pk))
    assert {event.data["nonce"] for event in events} == {first.nonce, second.nonce}


@pytest.mark.django_db
@pytest.mark.parametrize("nonce", ["", "0" * 32])
def test_a_clip_without_the_issued_nonce_is_refused_and_uses_no_try(person_checkin, clock, nonce):
    account, checkin = person_checkin
    services.checkin_challenge_issue(actor=account, checkin=checkin)
    clock.advance(10)

    with pytest.raises(services.MediaRefused, match="not made for the moves we asked"):
        services.checkin_media_add(actor=account, checkin=checkin, data=_clip(), challenge_nonce=nonce)

    assert CheckIn.objects.get(pk=checkin.pk).face_attempts == 0


@pytest.mark.django_db
def test_a_clip_sent_sooner_than_the_challenge_takes_was_recorded_before_it(person_checkin, clock):
    account, checkin = person_checkin
    challenge = services.checkin_challenge_issue(actor=account, checkin=checkin)
    clock.advance(1)  # the moves take several seconds

    with pytest.raises(services.MediaRefused, match="recorded before"):
        services.checkin_media_add(actor=account, checkin=checkin, data=_clip(), challenge_nonce=challenge.nonce)


@pytest.mark.django_db
def test_a_clip_after_the_challenge_expired_is_refused(person_checkin, clock, settings):
    account, checkin = person_checkin
    challenge = services.checkin_challenge_issue(actor=account, checkin=checkin)
    clock.advance(settings.LIVENESS_CHALLENGE_SECONDS + settings.LIVENESS_UPLOAD_GRACE_SECONDS + 1)

    with pytest.raises(services.MediaRefused):  # by then the server has forgotten it, or it ran out
        services.checkin_media_add(actor=account, checkin=checkin, data=_clip(), challenge_nonce=challenge.nonce)
    assert not CheckInMedia.objects.filter(checkin=checkin).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("shift", "words"), [(-60, "recorded before"), (400, "ran out")])
def test_a_recording_time_outside_the_challenge_is_refused(person_checkin, clock, shift, words):
    account, checkin = person_checkin
    challenge = services.checkin_challenge_issue(actor=account, checkin=checkin)
    clock.advance(10)

    with pytest.raises(services.MediaRefused, match=words):
        services.checkin_media_add(
            actor=account,
            checkin=checkin,
            data=_clip(),
            challenge_nonce=challenge.nonce,
            recorded_at=challenge.issued_at + timedelta(seconds=shift),
        )


@pytest.mark.django_db
def test_one_clip_per_challenge(person_checkin, clock):
    account, checkin = person_checkin
    media = clip_for_challenge(account, checkin, clock, lambda challenge: _clip(1))

    assert media.challenge_nonce
    assert media.challenge_data["nonce"] == media.challenge_nonce
    with pytest.raises(services.MediaRefused, match="not made for the moves we asked"):
        services.checkin_media_add(actor=account, checkin=checkin, data=_clip(2), challenge_nonce=media.challenge_nonce)


@pytest.mark.django_db
def test_the_same_clip_sent_again_in_another_checkin_is_marked_and_flagged(case, person_checkin, clock):
    account, first = person_checkin
    clip = _clip(1)
    earlier = clip_for_challenge(account, first, clock, lambda challenge: clip)
    second = CheckInFactory(
        enrolment=first.enrolment, person=case["person"], due_date=first.due_date + timedelta(days=7)
    )

    again = clip_for_challenge(account, second, clock, lambda challenge: clip)

    assert again.seen_before == earlier
    services.checkin_answers_save(actor=account, checkin=second, answers=ANSWERS)
    sent = services.checkin_submit(actor=account, checkin=second, idempotency_key="again-1")
    assert "media_seen_before" in sent.flag_reasons


@pytest.mark.django_db
def test_a_nearly_identical_clip_is_found_by_its_perceptual_hash(case, person_checkin, clock):
    account, first = person_checkin
    earlier = clip_for_challenge(account, first, clock, lambda challenge: _clip(1))
    services.verification_run(earlier.verification.pk)
    second = CheckInFactory(
        enrolment=first.enrolment, person=case["person"], due_date=first.due_date + timedelta(days=7)
    )
    other = CheckInFactory(
        enrolment=first.enrolment, person=case["person"], due_date=first.due_date + timedelta(days=14)
    )

    noisy = clip_for_challenge(account, second, clock, lambda challenge: _clip(1, noise=4.0))
    different = clip_for_challenge(account, other, clock, lambda challenge: _clip(7))
    services.verification_run(noisy.verification.pk)
    services.verification_run(different.verification.pk)

    noisy.refresh_from_db()
    different.refresh_from_db()
    assert noisy.sha256 != earlier.sha256
    assert noisy.seen_before_id == earlier.pk
    assert different.seen_before_id is None
    assert len(different.perceptual_hash) == 16
