"""Voice enrolment and check: flite's voices as speakers, sent the ways phones and browsers send them.

Measured on the fixtures (each voice enrolled from its three phrases, then each voice's two digit
readings checked against every template; GE2E cosine similarity):
    same voice:       0.876 - 0.953  (all "match" at VOICE_MATCH_MIN_SIMILARITY = 0.80)
    different voices: 0.485 - 0.773  (none "match"; the closest pair is awb and rms, both male)
Synthetic voices are far more alike from one utterance to the next than a person is, so these
figures show the engine separates speakers; they do not calibrate the bands for real people.
"""

import itertools

import numpy as np
import pytest
from django.conf import settings

from onward.biometrics import voice
from onward.biometrics.tests.voices import (
    DIGIT_VOICES,
    DIGITS_READ,
    VOICES,
    clip_with_sound,
    encode_audio,
    enrolment_phrases,
    read_digits,
    samples_of,
    voice_bytes,
    wav_bytes,
    white_noise,
    with_noise,
)


@pytest.fixture(scope="module")
def voice_templates() -> dict[str, bytes]:
    made = {}
    for name in VOICES:
        outcome = voice.enrol_voice(enrolment_phrases(name))
        assert outcome.ok, (name, outcome.reason_code)
        assert outcome.template is not None
        made[name] = outcome.template
    return made


def test_enrolment_makes_a_unit_length_template_from_three_phrases():
    outcome = voice.enrol_voice(enrolment_phrases("slt"))
    assert outcome.ok
    assert outcome.reason_code == "ok"
    assert outcome.template is not None
    assert len(outcome.template) == 256 * 4
    vector = voice.embedding_from_template(outcome.template)
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-5)
    assert len(outcome.speech_seconds) == 3
    assert all(seconds >= settings.VOICE_MIN_SPEECH_SECONDS for seconds in outcome.speech_seconds)
    assert outcome.agreement is not None
    assert outcome.agreement >= settings.VOICE_ENROLMENT_MIN_AGREEMENT
    assert outcome.engine == "ge2e-resemblyzer-numpy-v1"
    assert "sha256:39373b86598fa3da" in outcome.model_version
    assert "webrtcvad-wheels" in outcome.model_version
    assert {"speech_1", "embed_3", "total"} <= set(outcome.timings_ms)


def test_the_same_voice_matches_and_other_voices_do_not(voice_templates):
    same, different = [], []
    for speaker in VOICES:
        for reading in ("digits_1", "digits_2"):
            clip = voice_bytes(speaker, reading)
            for enrolled in VOICES:
                result = voice.verify_voice(voice_templates[enrolled], clip)
                assert result.reason_code == "ok"
                assert result.similarity is not None
                (same if enrolled == speaker else different).append((result.similarity, result.decision))
    assert all(decision == "match" for _, decision in same), same
    assert not any(decision == "match" for _, decision in different), different
    assert min(s for s, _ in same) >= 0.85
    assert max(s for s, _ in different) <= 0.78
    assert min(s for s, _ in same) - max(s for s, _ in different) >= 0.08


def test_utterances_of_one_voice_are_closer_than_utterances_of_two():
    verifier = voice.voice_verifier()
    embeddings = {
        (name, reading): verifier.embedding(voice.speech_from_media(voice_bytes(name, reading)))
        for name in VOICES
        for reading in ("phrase_1", "digits_1")
    }
    same = [float(embeddings[(n, "phrase_1")] @ embeddings[(n, "digits_1")]) for n in VOICES]
    different = [
        float(embeddings[(a, "phrase_1")] @ embeddings[(b, "digits_1")]) for a, b in itertools.permutations(VOICES, 2)
    ]
    assert min(same) > max(different)


@pytest.mark.parametrize("container_format", ["webm", "ogg", "mp4", "wav"])
def test_recordings_match_in_every_format_a_phone_sends(voice_templates, container_format):
    recording = encode_audio(samples_of("rms", "digits_2"), container_format)
    result = voice.verify_voice(voice_templates["rms"], recording)
    assert result.decision == "match", result


@pytest.mark.parametrize("container_format", ["webm", "mp4"])
def test_the_sound_track_of_a_check_in_clip_is_checked(voice_templates, container_format):
    clip = clip_with_sound(samples_of("slt", "digits_1"), seconds=3.5, container_format=container_format)
    result = voice.verify_voice(voice_templates["slt"], clip)
    assert result.decision == "match", result
    assert result.speech_seconds >= 1.5
    assert {"decode", "vad", "embed", "total"} <= set(result.timings_ms)


def test_a_clip_without_a_sound_track_asks_for_a_retry(voice_templates):
    result = voice.verify_voice(voice_templates["slt"], clip_with_sound(None))
    assert result.decision == "retry"
    assert result.reason_code == "no_audio"
    assert result.similarity is None
    assert "microphone" in result.message


def test_silence_asks_for_a_retry_never_a_mismatch(voice_templates):
    result = voice.verify_voice(voice_templates["awb"], wav_bytes(np.zeros(4 * 16000, dtype=np.float32)))
    assert result.decision == "retry"
    assert result.reason_code == "too_little_speech"
    assert result.similarity is None


@pytest.mark.parametrize("level", [0.01, 0.1, 0.5])
def test_noise_alone_asks_for_a_retry(voice_templates, level):
    result = voice.verify_voice(voice_templates["awb"], wav_bytes(white_noise(4.0, level, seed=1)))
    assert result.decision == "retry"
    assert result.reason_code in {"too_little_speech", "too_noisy"}
    assert result.similarity is None


@pytest.mark.parametrize("snr_db", [0.0, 5.0])
def test_speech_drowned_in_noise_asks_for_a_retry(voice_templates, snr_db):
    noisy = with_noise(samples_of("awb", "digits_1"), snr_db=snr_db, seed=2)
    result = voice.verify_voice(voice_templates["awb"], wav_bytes(noisy))
    assert result.decision == "retry"
    assert result.reason_code in {"too_noisy", "too_little_speech"}
    assert result.message in voice.SPEECH_MESSAGES.values()


def test_speech_over_a_little_background_noise_still_matches(voice_templates):
    noisy = with_noise(samples_of("awb", "digits_1"), snr_db=35.0, seed=3)
    result = voice.verify_voice(voice_templates["awb"], wav_bytes(noisy))
    assert result.reason_code == "ok"
    assert result.snr_db is not None
    assert result.snr_db >= settings.VOICE_MIN_SNR_DB
    assert result.decision == "match", result


def test_quiet_speech_is_raised_before_it_is_compared(voice_templates):
    quiet = samples_of("kal16", "digits_1") * 0.05
    result = voice.verify_voice(voice_templates["kal16"], wav_bytes(quiet))
    assert result.decision == "match", result


def test_a_few_words_are_not_enough_speech(voice_templates):
    samples = samples_of("slt", "digits_1")
    voiced = np.flatnonzero(np.abs(samples) > 0.02)
    word = samples[voiced[0] : voiced[0] + int(0.5 * 16000)]
    padded = np.concatenate([np.zeros(16000, np.float32), word, np.zeros(16000, np.float32)])
    result = voice.verify_voice(voice_templates["slt"], wav_bytes(padded))
    assert result.decision == "retry"
    assert result.reason_code == "too_little_speech"


@pytest.mark.parametrize(
    ("media", "reason_code"),
    [
        (b"", "not_audio"),
        (b"hello, this is not a recording", "not_audio"),
        (b"RIFF\x00\x00\x00\x00WAVEjunk", "unreadable"),
    ],
)
def test_files_that_are_not_recordings_ask_for_a_retry(voice_templates, media, reason_code):
    result = voice.verify_voice(voice_templates["rms"], media)
    assert result.decision == "retry"
    assert result.reason_code == reason_code
    assert result.message == voice.SPEECH_MESSAGES[reason_code]


def test_a_recording_over_the_size_limit_is_refused_before_decoding(voice_templates, settings):
    settings.BIOMETRIC_MAX_VIDEO_BYTES = 1000
    result = voice.verify_voice(voice_templates["rms"], voice_bytes("rms", "digits_1"))
    assert (result.decision, result.reason_code) == ("retry", "too_large")


def test_a_recording_over_the_time_limit_is_refused(voice_templates, settings):
    settings.VOICE_AUDIO_MAX_SECONDS = 2.0
    result = voice.verify_voice(voice_templates["rms"], voice_bytes("rms", "digits_1"))
    assert (result.decision, result.reason_code) == ("retry", "too_long")


def test_the_bands_come_from_settings(voice_templates, settings):
    clip = voice_bytes("awb", "digits_1")
    similarity = voice.verify_voice(voice_templates["awb"], clip).similarity
    assert similarity is not None
    settings.VOICE_MATCH_MIN_SIMILARITY = similarity + 0.01
    settings.VOICE_REVIEW_MIN_SIMILARITY = similarity - 0.01
    assert voice.verify_voice(voice_templates["awb"], clip).decision == "review"
    settings.VOICE_REVIEW_MIN_SIMILARITY = similarity + 0.005
    assert voice.verify_voice(voice_templates["awb"], clip).decision == "no_match"


def test_an_enrolment_phrase_without_speech_names_the_phrase():
    phrases = enrolment_phrases("awb")
    phrases[1] = wav_bytes(np.zeros(3 * 16000, dtype=np.float32))
    outcome = voice.enrol_voice(phrases)
    assert not outcome.ok
    assert outcome.template is None
    assert (outcome.reason_code, outcome.phrase) == ("too_little_speech", 2)
    assert outcome.message == voice.ENROLMENT_MESSAGES["too_little_speech"]


def test_phrases_from_two_speakers_are_not_enrolled():
    phrases = enrolment_phrases("awb")
    phrases[2] = voice_bytes("slt", "phrase_3")
    outcome = voice.enrol_voice(phrases)
    assert not outcome.ok
    assert outcome.reason_code == "phrases_differ"
    assert outcome.agreement is not None
    assert outcome.agreement < settings.VOICE_ENROLMENT_MIN_AGREEMENT


def test_enrolment_needs_three_recordings():
    with pytest.raises(ValueError, match="3 recordings"):
        voice.enrol_voice(enrolment_phrases("awb")[:2])


def test_a_template_from_another_engine_is_a_programmers_error(voice_templates):
    with pytest.raises(ValueError, match="another voice engine"):
        voice.verify_voice(np.ones(128, "<f4").tobytes(), voice_bytes("awb", "digits_1"))
    with pytest.raises(ValueError, match="Enrol the voice again"):
        voice.verify_voice(voice_templates["awb"], voice_bytes("awb", "digits_1"), enrolled_engine="other-engine")
    with pytest.raises(ValueError, match="whole number of float32s"):
        voice.verify_voice(b"abc", voice_bytes("awb", "digits_1"))


def test_every_message_is_marked_for_translation_and_plain():
    messages = [*voice.ENROLMENT_MESSAGES.values(), *voice.CHECKIN_MESSAGES.values(), *voice.DIGIT_MESSAGES.values()]
    for message in messages:
        assert message.endswith(".")
        assert len(message.split()) <= 16


def test_the_speech_given_to_the_encoder_is_what_resemblyzer_would_give_it():
    """resemblyzer's preprocess_wav (raise to -30 dBFS, webrtcvad mode 3, smoothing and widening) was
    run once on this fixture (fixtures/voices/PROVENANCE.md); ours must give the same samples, bit for bit."""
    import hashlib

    from onward.biometrics.tests.voices import FOLDER

    reference = np.load(FOLDER / "reference_awb_digits_1.npz")
    speech = voice.speech_from_media(voice_bytes("awb", "digits_1"))
    assert speech.samples.size == int(reference["resemblyzer_speech_samples"])
    assert hashlib.sha256(speech.samples.astype("<f4").tobytes()).hexdigest() == str(
        reference["resemblyzer_speech_sha256"]
    )


def test_speech_without_any_pause_is_not_called_noisy(voice_templates):
    """The background is the quietest tenth of the frames: in clean speech with no pause at all
    (its own speech, pauses cut out, twice over), those are quiet sounds within words, not noise."""
    spoken = voice.speech_find(samples_of("rms", "phrase_1")).samples
    result = voice.verify_voice(voice_templates["rms"], wav_bytes(np.concatenate([spoken, spoken])))
    assert result.reason_code == "ok"
    assert result.snr_db is not None
    assert result.snr_db >= settings.VOICE_MIN_SNR_DB + 5


# --- The digits read aloud ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["digits_1", "digits_2"])
@pytest.mark.parametrize("speaker", VOICES)
def test_the_right_digits_read_aloud_pass_with_what_was_heard_kept(voice_templates, speaker, name):
    clip = clip_with_sound(samples_of(speaker, name), seconds=4.0)

    result = voice.verify_voice(voice_templates[speaker], clip, expected_digits=DIGITS_READ[name])

    assert result.decision == "match"
    assert result.reason_code == "ok"
    assert result.digits_passed is True
    assert result.digits_heard == DIGITS_READ[name]
    assert result.details()["digits_expected"] == DIGITS_READ[name]
    assert result.recogniser.startswith("pocketsphinx-digits-v1 (pocketsphinx 5.1.1;")
    assert "digits" in result.timings_ms


@pytest.mark.parametrize("speaker", DIGIT_VOICES)
def test_any_number_read_digit_by_digit_is_heard(voice_templates, speaker):
    for number in ("000000", "123456", "789012", "905183", "364729"):
        result = voice.verify_voice(voice_templates[speaker], wav_bytes(read_digits(speaker, number)), "", number)

        assert result.digits_heard == number
        assert result.digits_passed


@pytest.mark.parametrize("speaker", VOICES)
def test_the_wrong_digits_fail_with_a_reason_even_in_the_right_voice(voice_templates, speaker):
    # The number of another challenge (a recording made before, or a misread).
    clip = clip_with_sound(samples_of(speaker, "digits_1"), seconds=4.0)

    result = voice.verify_voice(voice_templates[speaker], clip, expected_digits=DIGITS_READ["digits_2"])

    assert result.similarity is not None
    assert result.similarity >= settings.VOICE_MATCH_MIN_SIMILARITY  # the voice is theirs...
    assert result.decision == "no_match"  # ...but not the number asked
    assert result.reason_code == "wrong_digits"
    assert result.digits_passed is False
    assert result.digits_heard == DIGITS_READ["digits_1"]
    assert result.message == voice.DIGIT_MESSAGES["wrong_digits"]


def test_one_digit_misheard_still_passes_two_do_not(voice_templates):
    spoken = wav_bytes(read_digits("rms", "472918"))

    assert voice.verify_voice(voice_templates["rms"], spoken, "", "472915").digits_passed
    assert voice.verify_voice(voice_templates["rms"], spoken, "", "472155").reason_code == "wrong_digits"


def test_words_that_are_not_the_digits_fail(voice_templates):
    result = voice.verify_voice(voice_templates["rms"], voice_bytes("rms", "phrase_1"), "", "472918")

    assert result.reason_code == "wrong_digits"
    assert result.decision == "no_match"


@pytest.mark.parametrize(
    ("recording", "reason_code"),
    [
        (np.zeros(4 * 16000, dtype=np.float32), "too_little_speech"),
        (white_noise(4.0, 0.05, seed=3), "too_noisy"),
    ],
)
def test_silence_or_noise_with_digits_asked_is_a_retry_not_a_mismatch(voice_templates, recording, reason_code):
    result = voice.verify_voice(voice_templates["rms"], wav_bytes(recording), expected_digits="472918")

    assert result.decision == "retry"
    assert result.reason_code == reason_code
    assert result.digits_passed is None


def test_speech_drowned_in_noise_with_digits_asked_is_a_retry(voice_templates):
    noisy = with_noise(samples_of("rms", "digits_1"), snr_db=3, seed=4)

    result = voice.verify_voice(voice_templates["rms"], wav_bytes(noisy), expected_digits="472918")

    assert result.decision == "retry"
    assert result.reason_code == "too_noisy"


def test_without_a_number_asked_or_a_recogniser_the_words_are_not_checked(voice_templates, settings):
    clip = clip_with_sound(samples_of("rms", "digits_1"), seconds=4.0)

    unasked = voice.verify_voice(voice_templates["rms"], clip)
    settings.VOICE_DIGIT_RECOGNISER = ""
    switched_off = voice.verify_voice(voice_templates["rms"], clip, expected_digits="603582")

    for result in (unasked, switched_off):
        assert result.decision == "match"
        assert result.digits_passed is None
        assert result.digits_heard == ""
        assert "digits" not in result.timings_ms


def test_a_number_to_read_that_is_not_six_digits_is_a_programmers_error(voice_templates):
    with pytest.raises(ValueError, match="6 digits"):
        voice.verify_voice(voice_templates["rms"], voice_bytes("rms", "digits_1"), expected_digits="12ab56")


def test_the_distance_between_numbers_counts_added_missing_and_changed_digits():
    assert voice.digits_distance("472918", "472918") == 0
    assert voice.digits_distance("472915", "472918") == 1
    assert voice.digits_distance("47918", "472918") == 1
    assert voice.digits_distance("4729188", "472918") == 1
    assert voice.digits_distance("603582", "472918") == 6
