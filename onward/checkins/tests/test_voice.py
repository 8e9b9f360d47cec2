"""The voice at enrolment and at check-in, through the services, with flite's synthetic voices as people."""

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from onward.accounts.services import person_account_ensure
from onward.audit.models import AuditEvent
from onward.biometrics.tests.voices import (
    RATE_HZ,
    clip_with_sound,
    enrolment_phrases,
    read_digits,
    samples_of,
    wav_bytes,
)
from onward.checkins import services
from onward.checkins.models import Enrolment, VerificationStatus, VoiceStatus
from onward.checkins.tests.conftest import clip_for_challenge
from onward.checkins.tests.factories import CheckInFactory, EnrolmentFactory
from onward.core.crypto import decrypt_bytes

ANSWERS = {"mood": "well", "help": ["none"], "call_back": "no"}


@pytest.fixture(autouse=True)
def fixed_number(monkeypatch):
    """The service draws a new six-digit number for each challenge, and the recogniser hears about 98 numbers
    in 100 within one digit (docs/voice.md): a test on a random number failed now and then (once in a full
    run). Here every challenge asks for one fixed number, the one challenge_new(seed=11) draws; how well the
    recogniser hears numbers is measured in biometrics' own tests."""
    from dataclasses import replace

    from onward.biometrics import liveness

    real = liveness.challenge_new
    number = real(seed=11).digits
    monkeypatch.setattr(liveness, "challenge_new", lambda **options: replace(real(**options), digits=number))
    return number


def _enrolment(case) -> Enrolment:
    # A stand-in face template (zeros) for dlib's engine, so the face step runs; the voice is what is tested.
    return EnrolmentFactory(person=case["person"], engine="dlib-resnet-v1")


def _reading(voice: str, *, wrong: bool = False):
    """A check-in clip of the voice reading the challenge's number (or, wrong, a number six digits away)."""

    def make(challenge) -> bytes:
        digits = challenge.digits
        if wrong:
            digits = "".join(str((int(d) + 5) % 10) for d in digits)
        spoken = read_digits(voice, digits)
        return clip_with_sound(spoken, seconds=len(spoken) / RATE_HZ)

    return make


def _clip_checked(case, enrolment, clip, clock):
    """clip: the clip's bytes, or a function making them for the challenge (as _reading gives)."""
    account = person_account_ensure(case["person"])
    checkin = CheckInFactory(enrolment=enrolment, person=case["person"])
    media = clip_for_challenge(account, checkin, clock, clip if callable(clip) else lambda challenge: clip)
    services.verification_run(media.verification.pk)
    media.verification.refresh_from_db()
    return media.verification


@pytest.mark.django_db
def test_voice_enrolment_keeps_the_template_encrypted_and_audits_it(case):
    enrolment = services.voice_enrol(
        actor=case["practitioner"], enrolment=_enrolment(case), phrases=enrolment_phrases("slt")
    )

    enrolment.refresh_from_db()
    assert enrolment.voice_status == VoiceStatus.ENROLLED
    stored = bytes(enrolment.voice_template_encrypted)
    template = decrypt_bytes(stored)
    assert len(template) == 256 * 4
    assert template not in stored
    assert enrolment.voice_engine == "ge2e-resemblyzer-numpy-v1"
    assert "sha256:" in enrolment.voice_model_version
    event = AuditEvent.objects.get(action="checkin.voice_enrolled", person=case["person"])
    assert event.data["before"] == VoiceStatus.NOT_ENROLLED
    assert len(event.data["speech_seconds"]) == 3


@pytest.mark.django_db
def test_a_phrase_without_speech_is_refused_in_plain_words_and_nothing_is_kept(case):
    phrases = enrolment_phrases("slt")
    phrases[0] = wav_bytes(np.zeros(3 * 16000, dtype=np.float32))
    enrolment = _enrolment(case)

    with pytest.raises(services.EnrolmentRefused) as refused:
        services.voice_enrol(actor=case["practitioner"], enrolment=enrolment, phrases=phrases)

    assert "speak" in " ".join(refused.value.messages)
    enrolment.refresh_from_db()
    assert enrolment.voice_status == VoiceStatus.NOT_ENROLLED
    assert enrolment.voice_template_encrypted is None


@pytest.mark.django_db
def test_only_their_practitioner_may_enrol_a_voice(case):
    with pytest.raises(PermissionDenied):
        services.voice_enrol(
            actor=case["other_practitioner"], enrolment=_enrolment(case), phrases=enrolment_phrases("slt")
        )


@pytest.mark.django_db
def test_a_person_who_cannot_speak_or_hear_is_enrolled_without_voice_with_the_reason(case, clock):
    enrolment = services.voice_enrol(
        actor=case["practitioner"], enrolment=_enrolment(case), phrases=enrolment_phrases("awb")
    )

    with pytest.raises(ValidationError):
        services.voice_exempt(actor=case["practitioner"], enrolment=enrolment, reason="  ")
    enrolment = services.voice_exempt(
        actor=case["practitioner"], enrolment=enrolment, reason="Profoundly deaf; uses British Sign Language."
    )

    enrolment.refresh_from_db()
    assert enrolment.voice_status == VoiceStatus.EXEMPT
    assert enrolment.voice_exempt_reason == "Profoundly deaf; uses British Sign Language."
    assert enrolment.voice_template_encrypted is None
    event = AuditEvent.objects.get(action="checkin.voice_exempted", person=case["person"])
    assert event.reason == "Profoundly deaf; uses British Sign Language."
    # Their check-in clips are not listened to.
    verification = _clip_checked(case, enrolment, clip_with_sound(samples_of("awb", "digits_1")), clock)
    assert verification.status == VerificationStatus.DONE
    assert not verification.voice_checked
    assert verification.voice_decision == ""


@pytest.mark.django_db
def test_the_check_in_clip_is_heard_and_the_result_kept_on_the_verification(case, clock, fixed_number):
    enrolment = services.voice_enrol(
        actor=case["practitioner"], enrolment=_enrolment(case), phrases=enrolment_phrases("rms")
    )

    verification = _clip_checked(case, enrolment, _reading("rms"), clock)

    assert verification.status == VerificationStatus.DONE
    assert verification.voice_checked
    assert verification.voice_decision == "match"
    assert verification.voice_similarity >= 0.8
    assert verification.voice_reason == "ok"
    asked = verification.media.challenge_data["digits"]
    assert asked == fixed_number
    assert verification.voice_details["digits_expected"] == asked
    assert verification.voice_details["digits_heard"] == asked
    assert verification.voice_details["digits_passed"] is True
    assert verification.voice_details["recogniser"].startswith("pocketsphinx-digits-v1")
    assert "voice_digits" in verification.timings_ms
    assert verification.voice_speech_seconds > 1
    assert verification.voice_engine == "ge2e-resemblyzer-numpy-v1"
    assert "voice_total" in verification.timings_ms
    event = AuditEvent.objects.filter(action="checkin.verified", person=case["person"]).latest("pk")
    assert event.data["voice"] == "match"


@pytest.mark.django_db
def test_another_voice_is_kept_as_no_match(case, clock):
    enrolment = services.voice_enrol(
        actor=case["practitioner"], enrolment=_enrolment(case), phrases=enrolment_phrases("rms")
    )

    verification = _clip_checked(case, enrolment, _reading("slt"), clock)

    assert verification.voice_decision == "no_match"
    assert verification.voice_similarity < 0.7
    assert verification.voice_details["digits_passed"] is True  # the right number, in another voice


@pytest.mark.django_db
def test_the_right_voice_reading_the_wrong_number_is_no_match_with_its_reason(case, clock, staff_client):
    from django.urls import reverse

    enrolment = services.voice_enrol(
        actor=case["practitioner"], enrolment=_enrolment(case), phrases=enrolment_phrases("rms")
    )

    verification = _clip_checked(case, enrolment, _reading("rms", wrong=True), clock)

    assert verification.voice_similarity >= 0.8
    assert verification.voice_decision == "no_match"
    assert verification.voice_reason == "wrong_digits"
    assert verification.voice_details["digits_passed"] is False
    assert verification.voice_details["digits_heard"] != verification.voice_details["digits_expected"]
    account = person_account_ensure(case["person"])
    services.checkin_answers_save(actor=account, checkin=verification.checkin, answers=ANSWERS)
    submitted = services.checkin_submit(actor=account, checkin=verification.checkin, idempotency_key="wrong-number")
    assert "voice_wrong_digits" in submitted.flag_reasons
    assert "voice_no_match" not in submitted.flag_reasons, "the voice was theirs: the number was wrong"
    url = reverse("checkins:review", kwargs={"checkin_id": verification.checkin.pk})
    page = staff_client(case["practitioner"]).get(url).content.decode()
    assert "not the numbers asked for" in page
    assert f"Numbers asked for: {verification.voice_details['digits_expected']}." in page
    assert f"Numbers heard: {verification.voice_details['digits_heard']}." in page


@pytest.mark.django_db
def test_a_clip_without_sound_is_a_retry_not_a_mismatch(case, clock):
    enrolment = services.voice_enrol(
        actor=case["practitioner"], enrolment=_enrolment(case), phrases=enrolment_phrases("rms")
    )

    verification = _clip_checked(case, enrolment, clip_with_sound(None), clock)

    assert verification.voice_checked
    assert verification.voice_decision == "retry"
    assert verification.voice_reason == "no_audio"
    assert verification.voice_similarity is None
    assert "microphone" in verification.voice_message


@pytest.mark.django_db
def test_the_voice_template_is_deleted_when_supervision_ends(case):
    enrolment = services.voice_enrol(
        actor=case["practitioner"], enrolment=_enrolment(case), phrases=enrolment_phrases("kal16")
    )

    assert services.enrolment_template_delete(actor=None, person=case["person"], reason="Supervision ended")

    enrolment.refresh_from_db()
    assert enrolment.voice_template_encrypted is None
    assert enrolment.template_encrypted is None


@pytest.mark.django_db
def test_the_reviewer_sees_the_voice_result_of_each_try(case, clock, staff_client):
    from django.urls import reverse

    enrolment = services.voice_enrol(
        actor=case["practitioner"], enrolment=_enrolment(case), phrases=enrolment_phrases("rms")
    )
    verification = _clip_checked(case, enrolment, _reading("rms"), clock)
    account = person_account_ensure(case["person"])
    services.checkin_answers_save(actor=account, checkin=verification.checkin, answers=ANSWERS)
    services.checkin_submit(actor=account, checkin=verification.checkin, idempotency_key="voice-review")

    url = reverse("checkins:review", kwargs={"checkin_id": verification.checkin.pk})
    page = staff_client(case["practitioner"]).get(url).content.decode()

    assert "voice: the same voice, similarity " + f"{verification.voice_similarity:.3f}" in page
    assert "ge2e-resemblyzer-numpy-v1" in page
    digits = verification.voice_details["digits_expected"]
    assert f"numbers heard {digits} of {digits}" in page
    assert "pocketsphinx-digits-v1 (pocketsphinx 5.1.1;" in page


@pytest.mark.django_db
def test_the_enrolment_page_records_a_voice_from_three_uploads(case, staff_client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    enrolment = _enrolment(case)
    client = staff_client(case["practitioner"])
    page = client.get(reverse("checkins:enrolment", kwargs={"person_id": case["person"].pk})).content.decode()
    assert "I am checking in with my probation worker today." in page
    assert 'id="id_voice-reason"' in page

    uploads = {
        f"phrase_{n}": SimpleUploadedFile(f"phrase-{n}.wav", audio, content_type="audio/wav")
        for n, audio in enumerate(enrolment_phrases("kal16"), start=1)
    }
    response = client.post(reverse("checkins:voice_enrol", kwargs={"person_id": case["person"].pk}), uploads)

    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.voice_status == VoiceStatus.ENROLLED
    page = client.get(response["Location"]).content.decode()
    assert "Their voice is recorded." in page


@pytest.mark.django_db
def test_the_enrolment_page_says_which_recording_to_make_again(case, staff_client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    _enrolment(case)
    phrases = enrolment_phrases("kal16")
    phrases[2] = b"this is a text file, not a recording"
    uploads = {f"phrase_{n}": SimpleUploadedFile(f"p{n}.wav", audio) for n, audio in enumerate(phrases, start=1)}
    client = staff_client(case["practitioner"])

    response = client.post(reverse("checkins:voice_enrol", kwargs={"person_id": case["person"].pk}), uploads)

    page = client.get(response["Location"]).content.decode()
    assert "Recording 3: This is not a recording we can open. Record it again." in page


@pytest.mark.django_db
def test_the_enrolment_page_records_a_person_without_voice(case, staff_client):
    from django.urls import reverse

    enrolment = _enrolment(case)
    url = reverse("checkins:voice_exempt", kwargs={"person_id": case["person"].pk})

    assert staff_client(case["other_practitioner"]).post(url, {"voice-reason": "Deaf"}).status_code == 403
    response = staff_client(case["practitioner"]).post(url, {"voice-reason": "Has no speech since a stroke."})

    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.voice_status == VoiceStatus.EXEMPT
    assert enrolment.voice_exempt_reason == "Has no speech since a stroke."


@pytest.mark.django_db
def test_a_different_voice_flags_the_check_in_for_review_and_a_match_does_not(case, clock):
    enrolment = services.voice_enrol(
        actor=case["practitioner"], enrolment=_enrolment(case), phrases=enrolment_phrases("rms")
    )
    account = person_account_ensure(case["person"])
    flags = {}
    for speaker in ("rms", "slt"):
        verification = _clip_checked(case, enrolment, _reading(speaker), clock)
        services.checkin_answers_save(actor=account, checkin=verification.checkin, answers=ANSWERS)
        submitted = services.checkin_submit(actor=account, checkin=verification.checkin, idempotency_key=speaker)
        flags[speaker] = submitted.flag_reasons

    assert not any(reason.startswith("voice") for reason in flags["rms"])
    assert "voice_no_match" in flags["slt"]
