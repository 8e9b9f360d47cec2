"""Voice: enrol a person's voice from three short phrases, and check the voice in a check-in clip.

Callers use only these functions and the result types below; the engine sits behind them (chosen
by the VOICE_VERIFIER setting, built once per process). Nothing here touches the database, storage
or the audit trail: the check-ins app stores what comes back.

enrol_voice(phrases) -> VoiceEnrolmentOutcome
    VOICE_ENROLMENT_PHRASE_COUNT recordings (any of webm, mp4, ogg or wav; audio or video with a
    sound track), each of one phrase from ENROLMENT_PHRASES. Each must hold enough clear speech.
    On success `template` holds the voice template: the L2-normalised mean of the phrases' speaker
    embeddings, float32 little-endian (256 numbers, 1,024 bytes for GE2E). It is NOT encrypted: the
    caller encrypts it with onward.core.crypto.encrypt_bytes before storing it.
    reason_code: "ok", a speech problem (below), or "phrases_differ" (the recordings do not sound
    like one speaker: agreement under VOICE_ENROLMENT_MIN_AGREEMENT); `phrase` says which
    recording (1-based) had the problem.

verify_voice(template, media_bytes, enrolled_engine="", expected_digits="") -> VoiceMatch
    The sound track of a check-in clip (the person reads the number shown with the challenge)
    compared with the template. decision: "match" (similarity >= VOICE_MATCH_MIN_SIMILARITY),
    "review" (>= VOICE_REVIEW_MIN_SIMILARITY), "no_match", or "retry". "retry" is never a
    mismatch: it means nothing was compared, and reason_code says why.
    With expected_digits (the challenge's six digits) the words are recognised too, by the digit
    recogniser (VOICE_DIGIT_RECOGNISER): a number heard more than VOICE_DIGITS_MAX_EDITS digits away
    (added, left out or changed) from the one asked makes the decision "no_match" with reason_code
    "wrong_digits", whatever the voice; nothing recognised at all is a "retry" ("digits_unclear").
    `digits_heard`, `digits_passed` and the recogniser's name and version are kept in the result.

Speech problems (decision "retry"): "no_audio" (no sound track), "not_audio" (not a recording we can
open), "unreadable", "too_large", "too_long", "too_little_speech" (less than
VOICE_MIN_SPEECH_SECONDS of speech found by the voice activity detector), "too_noisy" (speech less
than VOICE_MIN_SNR_DB above the background).

The digit recogniser is CMU PocketSphinx (the pocketsphinx wheel holds its US English acoustic model
and dictionary; nothing is downloaded), held to a grammar of exactly six digit words ("zero" or "oh"
to "nine"): a fixed length stops it from hearing extra digits in breaths and pauses. On flite's four
voices reading 100 random numbers it heard 97 exactly and 98 within one digit (see docs/voice.md).
Messages are plain English (reading
age about 9) marked for translation; decide on the codes, never on the words. Timings are
wall-clock milliseconds per step plus "total".
"""

from __future__ import annotations

import io
import threading
import time
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from typing import Any, Protocol

import av
import numpy as np
import webrtcvad
from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_noop as _noop

from onward.biometrics import voice_ge2e

SAMPLE_RATE_HZ = voice_ge2e.SAMPLE_RATE_HZ
VAD_FRAME_MS = 30  # webrtcvad takes 10, 20 or 30 ms frames
VAD_SMOOTHING_FRAMES = 8  # voiced/unvoiced flags are averaged over this many frames...
VAD_MAX_PAUSE_FRAMES = 6  # ...and a pause up to this many frames inside speech is kept
LOUDNESS_TARGET_DBFS = -30.0  # quiet recordings are raised to this level (never lowered)...
LOUDNESS_MAX_GAIN_DB = 40.0  # ...by at most this much, so a muted microphone stays silent
SILENCE_FLOOR_POWER = 1e-9  # about -90 dBFS: the quietest a 16-bit sample can be
NOISE_PERCENTILE = 10  # the background level is the quietest tenth of the frames
TEMPLATE_DTYPE = "<f4"
# The first bytes of webm/mkv (EBML), Ogg, WAV, MP3 with tags and FLAC; mp4/m4a say "ftyp" at byte 4.
AUDIO_SIGNATURES = (b"\x1a\x45\xdf\xa3", b"OggS", b"RIFF", b"ID3", b"fLaC")

ENROLMENT_PHRASES = (
    _noop("I am checking in with my probation worker today."),
    _noop("My voice is my own, and this is my phone."),
    _noop("One, two, three, four, five, six, seven, eight, nine, ten."),
)

SPEECH_MESSAGES = {
    "no_audio": _noop("We could not hear any sound. Check your microphone is on, then try again."),
    "not_audio": _noop("This is not a recording we can open. Record it again."),
    "unreadable": _noop("We could not play your recording. Please record it again."),
    "too_large": _noop("The recording is too big. Record it again and keep it short."),
    "too_long": _noop("The recording is too long. Record it again and keep it short."),
    "too_little_speech": _noop("We could not hear you speak. Say the words out loud, then try again."),
    "too_noisy": _noop("There is too much noise. Go somewhere quiet, then try again."),
}

ENROLMENT_MESSAGES = {
    "ok": _noop("The voice recordings are good."),
    "phrases_differ": _noop("The recordings do not sound like the same person. Record all three again."),
    **SPEECH_MESSAGES,
}

CHECKIN_MESSAGES = {
    "match": _noop("Thank you. We heard your voice."),
    "review": _noop("Thank you. Your probation worker will listen to your recording."),
    "no_match": _noop("We could not match your voice. Try again and read the numbers clearly."),
}
DIGIT_MESSAGES = {
    "wrong_digits": _noop("We did not hear the numbers on the screen. Try again and read them out clearly."),
    "digits_unclear": _noop("We could not make out the numbers you said. Try again and read them out clearly."),
}
DIGIT_COUNT = 6
# The words the recogniser may hear, and the digit each one means ("oh" is how many people say 0).
DIGIT_WORDS = {
    "zero": "0",
    "oh": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}


class SpeechProblem(Exception):
    """Nothing can be compared: a reason the person can fix by recording again."""

    def __init__(self, reason_code: str, speech_seconds: float = 0.0, snr_db: float | None = None) -> None:
        super().__init__(reason_code)
        self.reason_code = reason_code
        self.speech_seconds = speech_seconds
        self.snr_db = snr_db


@dataclass(frozen=True)
class Speech:
    """A recording's speech, ready for the encoder, with what the detector measured."""

    samples: np.ndarray  # float32, 16 kHz, mono, long pauses removed, raised to LOUDNESS_TARGET_DBFS
    speech_seconds: float
    snr_db: float
    duration_seconds: float


@dataclass(frozen=True)
class VoiceEnrolmentOutcome:
    ok: bool
    template: bytes | None
    reason_code: str
    message: str
    engine: str
    model_version: str
    phrase: int | None = None  # 1-based: the recording with the problem
    agreement: float | None = None  # the lowest similarity between two of the phrases
    speech_seconds: tuple[float, ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class VoiceMatch:
    similarity: float | None  # cosine similarity of the embeddings, -1 to 1 (GE2E's are 0 to 1)
    decision: str  # match | review | no_match | retry
    reason_code: str  # "ok" or a speech problem
    message: str
    engine: str
    model_version: str
    speech_seconds: float
    snr_db: float | None
    timings_ms: dict[str, float] = field(default_factory=dict)
    digits_expected: str = ""  # the number asked for ("" when the words were not checked)
    digits_heard: str = ""  # what the recogniser heard
    digits_passed: bool | None = None  # None: not checked
    recogniser: str = ""  # the digit recogniser's engine name and model version, for the reports

    def details(self) -> dict[str, Any]:
        """What the reviewer is shown about the words, as plain JSON (kept with the verification)."""
        return {
            "digits_expected": self.digits_expected,
            "digits_heard": self.digits_heard,
            "digits_passed": self.digits_passed,
            "recogniser": self.recogniser,
        }


class VoiceVerifier(Protocol):
    """Turns speech into a speaker embedding and compares it with a template. Thread-safe, built once."""

    engine: str
    model_version: str

    def embedding(self, speech: Speech) -> np.ndarray: ...

    def similarity(self, template: bytes, embedding: np.ndarray) -> float: ...


class Ge2eVoiceVerifier:
    """GE2E speaker embeddings from resemblyzer's weights, run in NumPy (voice_ge2e.py)."""

    engine = "ge2e-resemblyzer-numpy-v1"

    def __init__(self) -> None:
        weights = voice_ge2e.weights_load()
        self._encoder = voice_ge2e.Ge2eEncoder(weights)
        self.model_version = (
            f"resemblyzer {weights.package_version} pretrained.pt sha256:{weights.sha256[:16]}; "
            f"webrtcvad-wheels {_package_version('webrtcvad-wheels')} mode {settings.VOICE_VAD_AGGRESSIVENESS}"
        )

    def embedding(self, speech: Speech) -> np.ndarray:
        return self._encoder.embed_utterance(speech.samples)

    def similarity(self, template: bytes, embedding: np.ndarray) -> float:
        return embedding_similarity(template, embedding)


class DigitRecogniser(Protocol):
    """Hears the digits said in a recording. Thread-safe, built once."""

    engine: str
    model_version: str

    def digits(self, samples: np.ndarray) -> str:
        """The digits heard in 16 kHz mono float32 samples, as a string of 0-9 ("" when none)."""
        ...


class PocketsphinxDigitRecogniser:
    """CMU PocketSphinx with its own US English model, held to a grammar of exactly DIGIT_COUNT digit words."""

    engine = "pocketsphinx-digits-v1"

    def __init__(self) -> None:
        import os

        from pocketsphinx import Config, Decoder

        config = Config(samprate=SAMPLE_RATE_HZ, lm=None, logfn=os.devnull)
        self._decoder = Decoder(config)
        words = " | ".join(DIGIT_WORDS)
        number = " ".join(["<digit>"] * DIGIT_COUNT)
        grammar = f"#JSGF V1.0;\ngrammar digits;\npublic <number> = {number};\n<digit> = {words};\n"
        self._decoder.add_jsgf_string("digits", grammar)
        self._decoder.activate_search("digits")
        self._lock = threading.Lock()
        self.model_version = (
            f"pocketsphinx {_package_version('pocketsphinx')}; its en-us acoustic model and cmudict; "
            f"grammar of {DIGIT_COUNT} digit words"
        )

    def digits(self, samples: np.ndarray) -> str:
        pcm = np.clip(np.round(np.asarray(samples, dtype=np.float32) * 32767), -32768, 32767).astype("<i2")
        with self._lock:  # one decoder, one utterance at a time
            self._decoder.start_utt()
            self._decoder.process_raw(pcm.tobytes(), full_utt=True)
            self._decoder.end_utt()
            hypothesis = self._decoder.hyp()
        words = hypothesis.hypstr.split() if hypothesis is not None else []
        return "".join(DIGIT_WORDS[word] for word in words if word in DIGIT_WORDS)


def digit_recogniser() -> DigitRecogniser | None:
    """The configured digit recogniser, or None when VOICE_DIGIT_RECOGNISER is empty (words not checked)."""
    if not settings.VOICE_DIGIT_RECOGNISER:
        return None
    with _BUILD_LOCK:
        return _built(settings.VOICE_DIGIT_RECOGNISER)


def digits_distance(heard: str, expected: str) -> int:
    """How many digits were added, left out or changed to turn what was asked into what was heard."""
    previous = list(range(len(expected) + 1))
    for row, said in enumerate(heard, start=1):
        current = [row]
        for column, asked in enumerate(expected, start=1):
            current.append(min(previous[column] + 1, current[column - 1] + 1, previous[column - 1] + (said != asked)))
        previous = current
    return previous[-1]


def voice_verifier() -> VoiceVerifier:
    with _BUILD_LOCK:  # two threads asking at once load the weights once
        return _built(settings.VOICE_VERIFIER)


def enrol_voice(phrases: list[bytes]) -> VoiceEnrolmentOutcome:
    if len(phrases) != settings.VOICE_ENROLMENT_PHRASE_COUNT:
        raise ValueError(
            f"Voice enrolment takes {settings.VOICE_ENROLMENT_PHRASE_COUNT} recordings, not {len(phrases)}."
        )
    verifier = voice_verifier()
    clock = _Clock()
    embeddings: list[np.ndarray] = []
    seconds: list[float] = []
    for number, media_bytes in enumerate(phrases, start=1):
        try:
            speech = speech_from_media(media_bytes)
        except SpeechProblem as problem:
            return _enrolment(verifier, problem.reason_code, clock, phrase=number, seconds=seconds)
        seconds.append(round(speech.speech_seconds, 2))
        clock.lap(f"speech_{number}")
        embeddings.append(verifier.embedding(speech))
        clock.lap(f"embed_{number}")
    stacked = np.stack(embeddings)
    agreement = float(min(stacked[a] @ stacked[b] for a in range(len(stacked)) for b in range(a + 1, len(stacked))))
    if agreement < settings.VOICE_ENROLMENT_MIN_AGREEMENT:
        return _enrolment(verifier, "phrases_differ", clock, seconds=seconds, agreement=agreement)
    template = template_from_embedding(stacked.mean(axis=0))
    return _enrolment(verifier, "ok", clock, seconds=seconds, agreement=agreement, template=template)


def verify_voice(
    template: bytes, media_bytes: bytes, enrolled_engine: str = "", expected_digits: str = ""
) -> VoiceMatch:
    embedding_from_template(template)  # a wrong template is a programmer's error: fail before any work
    if expected_digits and not (expected_digits.isdigit() and len(expected_digits) == DIGIT_COUNT):
        raise ValueError(f"The number to read is {DIGIT_COUNT} digits, not {expected_digits!r}.")
    verifier = voice_verifier()
    if enrolled_engine and enrolled_engine != verifier.engine:
        raise ValueError(
            f"The voice was enrolled with {enrolled_engine}, but the engine now is {verifier.engine}. "
            "Enrol the voice again."
        )
    clock = _Clock()
    try:
        samples = audio_load(media_bytes)
        clock.lap("decode")
        speech = speech_find(samples)
        clock.lap("vad")
    except SpeechProblem as problem:
        return _retry(verifier, problem, clock)
    embedding = verifier.embedding(speech)
    clock.lap("embed")
    similarity = verifier.similarity(template, embedding)
    decision, reason, message = decision_for(similarity), "ok", ""
    words: dict[str, Any] = {}
    recogniser = digit_recogniser() if expected_digits else None
    if recogniser is not None:
        heard = recogniser.digits(_raised(samples))
        clock.lap("digits")
        passed = bool(heard) and digits_distance(heard, expected_digits) <= settings.VOICE_DIGITS_MAX_EDITS
        words = {
            "digits_expected": expected_digits,
            "digits_heard": heard,
            "digits_passed": passed,
            "recogniser": f"{recogniser.engine} ({recogniser.model_version})",
        }
        if not heard:
            decision, reason, message = "retry", "digits_unclear", DIGIT_MESSAGES["digits_unclear"]
        elif not passed:
            decision, reason, message = "no_match", "wrong_digits", DIGIT_MESSAGES["wrong_digits"]
    return VoiceMatch(
        similarity=round(similarity, 4),
        decision=decision,
        reason_code=reason,
        message=message or CHECKIN_MESSAGES[decision],
        engine=verifier.engine,
        model_version=verifier.model_version,
        speech_seconds=round(speech.speech_seconds, 2),
        snr_db=round(speech.snr_db, 1),
        timings_ms=clock.total(),
        **words,
    )


def decision_for(similarity: float) -> str:
    if similarity >= settings.VOICE_MATCH_MIN_SIMILARITY:
        return "match"
    if similarity >= settings.VOICE_REVIEW_MIN_SIMILARITY:
        return "review"
    return "no_match"


def speech_from_media(media_bytes: bytes, clock: _Clock | None = None) -> Speech:
    """The speech in a recording's sound track, or SpeechProblem saying why there is not enough of it."""
    samples = audio_load(media_bytes)
    if clock:
        clock.lap("decode")
    speech = speech_find(samples)
    if clock:
        clock.lap("vad")
    return speech


def audio_load(media_bytes: bytes) -> np.ndarray:
    """The first sound track as 16 kHz mono float32 in [-1, 1], from webm, mp4, ogg or wav (PyAV)."""
    if len(media_bytes) > settings.BIOMETRIC_MAX_VIDEO_BYTES:
        raise SpeechProblem("too_large")
    if not _looks_like_media(media_bytes):  # only the containers phones and browsers send reach FFmpeg
        raise SpeechProblem("not_audio")
    try:
        container = av.open(io.BytesIO(media_bytes), mode="r")
    except (av.FFmpegError, ValueError, OSError) as error:
        raise SpeechProblem("unreadable") from error
    with container:
        if not container.streams.audio:
            raise SpeechProblem("no_audio")
        return _decode_audio(container)


def speech_find(samples: np.ndarray) -> Speech:
    """Speech found by webrtcvad, long pauses cut out; SpeechProblem if too little or too noisy.

    A quiet recording is raised towards LOUDNESS_TARGET_DBFS first (at most LOUDNESS_MAX_GAIN_DB),
    so a phone held at arm's length is heard; raised noise is then caught by the noise check.
    """
    frame = SAMPLE_RATE_HZ * VAD_FRAME_MS // 1000
    louder = _raised(samples)[: len(samples) - len(samples) % frame]  # level of the whole, as resemblyzer
    frames = louder.reshape(-1, frame) if louder.size else np.zeros((0, frame), dtype=np.float32)
    pcm = np.clip(np.round(frames * 32767), -32768, 32767).astype("<i2")
    detector = webrtcvad.Vad(settings.VOICE_VAD_AGGRESSIVENESS)
    voiced = np.array([detector.is_speech(chunk.tobytes(), SAMPLE_RATE_HZ) for chunk in pcm], dtype=bool)
    speech_seconds = float(voiced.sum()) * VAD_FRAME_MS / 1000
    duration = len(samples) / SAMPLE_RATE_HZ
    if speech_seconds < settings.VOICE_MIN_SPEECH_SECONDS:
        raise SpeechProblem("too_little_speech", speech_seconds)
    power = np.maximum((frames.astype(np.float64) ** 2).mean(axis=1), SILENCE_FLOOR_POWER)
    snr_db = float(10 * np.log10(power[voiced].mean() / np.percentile(power, NOISE_PERCENTILE)))
    if snr_db < settings.VOICE_MIN_SNR_DB:
        raise SpeechProblem("too_noisy", speech_seconds, snr_db)
    kept = np.repeat(_speech_mask(voiced), frame)
    return Speech(samples=louder[kept], speech_seconds=speech_seconds, snr_db=snr_db, duration_seconds=duration)


def template_from_embedding(embedding: np.ndarray) -> bytes:
    """The bytes to encrypt and store: the embedding made unit length, as little-endian float32."""
    vector = np.asarray(embedding, dtype=np.float64).reshape(-1)
    norm = float(np.linalg.norm(vector))
    if not vector.size or norm == 0 or vector.size > voice_ge2e.EMBEDDING_SIZE * 16:
        raise ValueError("A voice embedding has a few hundred numbers, not all zero.")
    return (vector / norm).astype(TEMPLATE_DTYPE).tobytes()


def embedding_from_template(template: bytes) -> np.ndarray:
    if not template or len(template) % 4 or len(template) > voice_ge2e.EMBEDDING_SIZE * 16 * 4:
        raise ValueError("A voice template is a whole number of float32s.")
    return np.frombuffer(template, dtype=TEMPLATE_DTYPE)


def embedding_similarity(template: bytes, embedding: np.ndarray) -> float:
    """Cosine similarity between a stored template and a fresh embedding of the same engine."""
    stored = embedding_from_template(template)
    if stored.shape != np.shape(embedding):
        raise ValueError(
            f"The voice template has {stored.size} numbers and this engine makes {np.size(embedding)}: "
            "it was enrolled with another voice engine. Enrol the voice again."
        )
    fresh = np.asarray(embedding, dtype=np.float64)
    return float(stored @ fresh / (np.linalg.norm(stored) * np.linalg.norm(fresh)))


_BUILD_LOCK = threading.Lock()


@cache
def _built(dotted_path: str) -> Any:
    return import_string(dotted_path)()


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def _looks_like_media(head: bytes) -> bool:
    return head.startswith(AUDIO_SIGNATURES) or head[4:8] == b"ftyp"


def _decode_audio(container: av.container.InputContainer) -> np.ndarray:
    stream = container.streams.audio[0]
    resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE_HZ)
    most = int(settings.VOICE_AUDIO_MAX_SECONDS * SAMPLE_RATE_HZ)
    pieces: list[np.ndarray] = []
    count = 0
    try:
        for decoded in container.decode(stream):
            for frame in resampler.resample(decoded):
                pieces.append(frame.to_ndarray().reshape(-1))
                count += pieces[-1].size
            if count > most:
                raise SpeechProblem("too_long")
        for frame in resampler.resample(None):
            pieces.append(frame.to_ndarray().reshape(-1))
    except av.FFmpegError as error:
        # A recording cut short still decodes up to the break; the speech check judges what is left.
        if not pieces:
            raise SpeechProblem("unreadable") from error
    if not pieces:
        raise SpeechProblem("too_little_speech")
    samples = np.concatenate(pieces).astype(np.float32)
    if samples.size > most:
        raise SpeechProblem("too_long")
    return np.clip(samples, -1.0, 1.0)


def _speech_mask(voiced: np.ndarray) -> np.ndarray:
    """Frames to keep: voiced flags smoothed over VAD_SMOOTHING_FRAMES, widened by VAD_MAX_PAUSE_FRAMES."""
    width = VAD_SMOOTHING_FRAMES
    padded = np.concatenate([np.zeros((width - 1) // 2), voiced, np.zeros(width // 2)])
    smoothed = np.convolve(padded, np.ones(width) / width, mode="valid") > 0.5
    reach = VAD_MAX_PAUSE_FRAMES // 2
    widened = np.convolve(smoothed.astype(float), np.ones(2 * reach + 1), mode="same") > 0
    if not widened.any():  # speech too scattered to survive smoothing: keep what the detector heard
        return voiced
    return widened


def _raised(samples: np.ndarray) -> np.ndarray:
    """The recording made louder to LOUDNESS_TARGET_DBFS if it is quieter (the encoder reads raw power)."""
    rms = float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) if samples.size else 0.0
    if rms <= 0:
        return samples
    gain_db = min(LOUDNESS_TARGET_DBFS - 20 * np.log10(rms), LOUDNESS_MAX_GAIN_DB)
    return samples * np.float32(10 ** (gain_db / 20)) if gain_db > 0 else samples


class _Clock:
    def __init__(self) -> None:
        self.started = self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round((now - self.last) * 1000, 2)
        self.last = now

    def total(self) -> dict[str, float]:
        return {**self.laps, "total": round((time.perf_counter() - self.started) * 1000, 2)}


def _enrolment(
    verifier: VoiceVerifier,
    reason_code: str,
    clock: _Clock,
    *,
    phrase: int | None = None,
    seconds: list[float],
    agreement: float | None = None,
    template: bytes | None = None,
) -> VoiceEnrolmentOutcome:
    return VoiceEnrolmentOutcome(
        ok=reason_code == "ok",
        template=template,
        reason_code=reason_code,
        message=ENROLMENT_MESSAGES[reason_code],
        engine=verifier.engine,
        model_version=verifier.model_version,
        phrase=phrase,
        agreement=round(agreement, 4) if agreement is not None else None,
        speech_seconds=tuple(seconds),
        timings_ms=clock.total(),
    )


def _retry(verifier: VoiceVerifier, problem: SpeechProblem, clock: _Clock) -> VoiceMatch:
    return VoiceMatch(
        similarity=None,
        decision="retry",
        reason_code=problem.reason_code,
        message=SPEECH_MESSAGES[problem.reason_code],
        engine=verifier.engine,
        model_version=verifier.model_version,
        speech_seconds=round(problem.speech_seconds, 2),
        snr_db=round(problem.snr_db, 1) if problem.snr_db is not None else None,
        timings_ms=clock.total(),
    )
