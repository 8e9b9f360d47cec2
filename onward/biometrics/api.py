"""The biometrics contract: enrol a reference photo, verify a check-in photo or a short video.

Callers use only these four functions and the result types below; engines sit behind them
(see engines.py, chosen by the FACE_VERIFIER and LIVENESS_CHECKER settings). Nothing here
touches the database, storage or the audit trail: the check-ins app stores what comes back.

enrol_reference_photo(image_bytes) -> EnrolmentOutcome
    Checks the practitioner's reference photo: exactly one face, big enough (FACE_MIN_SIZE_PX at
    detection scale), sharp enough (BIOMETRIC_BLUR_MIN_VARIANCE). On success `template` holds the
    face descriptor (float64, little-endian: 128 numbers, 1024 bytes, for dlib; another engine's
    length for another engine). It is NOT encrypted: the caller
    encrypts it with onward.core.crypto.encrypt_bytes before storing it.
    reason_code: "ok", "not_an_image", "too_large", "no_face", "many_faces", "face_too_small",
    "blurred"; `message` says what to do in plain words.

media_problem(data, is_video=...) -> str
    A quick look at upload that a check-in photo or clip opens: "" or a media_problem code below.

verify_photo(template, image_bytes, enrolled_engine="") -> Verification
    A check-in selfie compared with the enrolled template (the caller decrypts it first).
    enrolled_engine is the engine name recorded at enrolment: a template made by another engine
    (another model file) is refused with ValueError, as its distances would mean nothing.
    `liveness` is None: a photo proves no liveness, and the check-in should say so.

verify_video(template, video_bytes, challenge, enrolled_engine="") -> Verification
    A 2–8 s clip (webm VP8/VP9 or mp4 H.264, as browsers record) sampled LIVENESS_SAMPLE_FPS times a
    second, judged against `challenge` (a liveness.Challenge issued by the server: moves in order,
    screen colours on the face, a 3D head; see liveness.py). Recorded clips are the camera's own
    (unmirrored) view; BIOMETRIC_VIDEO_MIRRORED flips this for mirrored sources. The face is compared
    in the first and last frames with a face and the most frontal one; face.distance is the smallest.
    liveness is a liveness.LivenessOutcome: reason_code "ok", "no_face", "no_screen_light",
    "wrong_moves", "not_3d" or "different_person" (the first or last face is not within
    LIVENESS_SAME_PERSON_MAX_DISTANCE of the template), with each step's result and the colour trace.
    The challenge's expiry is not checked here (the clip may be judged after it was recorded in
    time): the caller checks when the clip was recorded. message: the media problem's, else the face
    decision's, except that a face that matches with failed liveness gets the liveness message.

Both verify functions put up to 3 JPEGs for the reviewer in best_frames_jpeg, in time order (the
photo; or the compared frames, or with no face the first, middle and last), at most
BIOMETRIC_FRAME_MAX_SIDE_PX, with no EXIF or GPS; none when media_problem is set. They count frames
in face.frames_checked and face.frames_with_face (1 and 1 or 0 for a photo).

Verification.face.decision is "match" (distance <= FACE_MATCH_MAX_DISTANCE), "review"
(<= FACE_REVIEW_MAX_DISTANCE), "no_match", or "no_face". Verification.media_problem is "" or one of
"not_an_image", "not_a_video", "too_large", "too_short", "too_long", "unreadable"; when it is set
the face decision is "no_face" and nothing was compared. A result informs a practitioner; it never
decides anything by itself. Errors the person can cause come back as codes and messages; a
template of the wrong size or an unknown challenge is a programmer's error and raises ValueError.

Messages are plain English (reading age about 9), marked for translation: show
gettext(result.message) in the person's language. Decide on the codes, never on the words.
Timings (timings_ms) are wall-clock milliseconds per step plus "total". The first call in a
process loads the models (one to two seconds); later calls reuse them. Functions are thread-safe.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, field, replace

import numpy as np
from django.conf import settings
from django.utils.translation import gettext_noop as _noop
from PIL import Image

from onward.biometrics import engines, liveness, media
from onward.biometrics.liveness import Challenge, LivenessOutcome

# English here; marked for translation, so a page shows gettext(message) in the person's language.
ENROLMENT_MESSAGES = {
    "ok": _noop("The photo is good."),
    "not_an_image": _noop("This file is not a photo we can open. Use a JPEG or PNG photo."),
    "too_large": _noop("This photo file is too big. Use a smaller photo."),
    "no_face": _noop("We could not see a face. Take the photo again in good light, looking at the camera."),
    "many_faces": _noop("We can see more than one face. Take the photo again with only one person in it."),
    "face_too_small": _noop("The face is too small. Move closer to the camera and take the photo again."),
    "blurred": _noop("The photo is blurred. Hold the camera still and take the photo again."),
}

CHECKIN_MESSAGES = {
    "match": _noop("Thank you. Your check-in has been sent."),
    "review": _noop("Thank you. Your check-in has been sent. Your probation worker will look at it."),
    "no_match": _noop("We could not match your face. Try again, looking straight at the camera in good light."),
    "no_face": _noop("We could not see your face clearly. Try again in better light."),
    "not_an_image": _noop("This is not a photo we can open. Take the photo again."),
    "not_a_video": _noop("This is not a video we can open. Record the video again."),
    "too_large": _noop("The file is too big. Take the photo or video again."),
    "too_short": _noop("The video was too short. Record it again for about 4 seconds."),
    "too_long": _noop("The video was too long. Record it again for about 4 seconds."),
    "unreadable": _noop("We could not play your video. Please record it again."),
}


@dataclass(frozen=True)
class EnrolmentOutcome:
    ok: bool
    template: bytes | None
    reason_code: str
    message: str
    engine: str
    model_version: str
    timings_ms: dict[str, float] = field(default_factory=dict)
    face_box: tuple[int, int, int, int] | None = None
    sharpness: float | None = None


@dataclass(frozen=True)
class FaceMatch:
    distance: float | None
    decision: str  # match | review | no_match | no_face
    engine: str
    model_version: str
    frames_with_face: int
    frames_checked: int


@dataclass(frozen=True)
class Verification:
    face: FaceMatch
    liveness: LivenessOutcome | None  # None for a photo: no liveness
    best_frames_jpeg: list[bytes]
    timings_ms: dict[str, float]
    media_problem: str  # "" or a reason code
    message: str


def enrol_reference_photo(image_bytes: bytes) -> EnrolmentOutcome:
    verifier = engines.face_verifier()
    clock = _Clock()
    try:
        rgb = media.image_load(image_bytes)
    except media.MediaProblem as problem:
        return _enrolment(verifier, problem.reason_code, clock)
    clock.lap("decode")
    faces = verifier.find_faces(rgb)
    clock.lap("detect")
    if not faces:
        return _enrolment(verifier, "no_face", clock)
    if len(faces) > 1:
        return _enrolment(verifier, "many_faces", clock)
    face = faces[0]
    if face.box_size_at_detection_px < settings.FACE_MIN_SIZE_PX:
        return _enrolment(verifier, "face_too_small", clock, face=face)
    sharpness = engines.laplacian_variance(rgb, face.box)
    if sharpness < settings.BIOMETRIC_BLUR_MIN_VARIANCE:
        return _enrolment(verifier, "blurred", clock, face=face, sharpness=sharpness)
    template = engines.template_from_descriptor(verifier.descriptor(rgb, face))
    clock.lap("describe")
    return _enrolment(verifier, "ok", clock, face=face, sharpness=sharpness, template=template)


def verify_photo(template: bytes, image_bytes: bytes, enrolled_engine: str = "") -> Verification:
    verifier = _verifier_for(template, enrolled_engine)
    clock = _Clock()
    try:
        rgb = media.image_load(image_bytes)
    except media.MediaProblem as problem:
        return _media_refused(verifier, problem.reason_code, clock)
    clock.lap("decode")
    faces = verifier.find_faces(rgb)
    clock.lap("detect")
    face = _largest(faces)
    distance = verifier.distance(template, verifier.descriptor(rgb, face)) if face else None
    clock.lap("describe")
    frames = [_jpeg(rgb)]  # with or without a face: the reviewer sees what was sent
    clock.lap("jpeg")
    return _verification(verifier, distance, 1 if face else 0, 1, None, frames, clock)


def verify_video(template: bytes, video_bytes: bytes, challenge: Challenge, enrolled_engine: str = "") -> Verification:
    if not isinstance(challenge, Challenge):
        raise ValueError(f"challenge must be a liveness.Challenge, not {challenge!r}")
    verifier = _verifier_for(template, enrolled_engine)
    checker = engines.liveness_checker()
    clock = _Clock()
    try:
        frames = media.video_frames(
            video_bytes, sample_fps=settings.LIVENESS_SAMPLE_FPS, max_frames=settings.LIVENESS_MAX_FRAMES
        )
    except media.MediaProblem as problem:
        return _media_refused(verifier, problem.reason_code, clock)
    clock.lap("decode")
    tracked = checker.track(frames)
    clock.lap("track")
    with_face = [i for i, t in enumerate(tracked) if t.landmarks is not None]
    distances: dict[int, float] = {}
    if with_face:
        # Compare the first and last faces (same person throughout) and the most frontal one.
        frontal = min(with_face, key=lambda i: abs(liveness.pose(tracked[i].landmarks)[0]))  # type: ignore[arg-type]
        for i in dict.fromkeys([with_face[0], frontal, with_face[-1]]):
            face = _largest(verifier.find_faces(frames[i].rgb))
            if face is not None:
                distances[i] = verifier.distance(template, verifier.descriptor(frames[i].rgb, face))
    clock.lap("describe")
    outcome = checker.check(tracked, challenge)
    ends = [distances.get(with_face[0]), distances.get(with_face[-1])] if with_face else [None]
    if outcome.passed and any(d is None or d > settings.LIVENESS_SAME_PERSON_MAX_DISTANCE for d in ends):
        outcome = replace(
            outcome,
            passed=False,
            reason_code="different_person",
            message=liveness.LIVENESS_MESSAGES["different_person"],
        )
    clock.lap("liveness")
    # The compared frames; with no face anywhere, the start, middle and end, so the reviewer sees why.
    shown = sorted(distances) or sorted({0, len(frames) // 2, len(frames) - 1})
    jpegs = [_jpeg(frames[i].rgb) for i in shown]
    clock.lap("jpeg")
    distance = min(distances.values()) if distances else None
    return _verification(verifier, distance, len(with_face), len(frames), outcome, jpegs, clock)


def media_problem(data: bytes, *, is_video: bool) -> str:
    """ "" when a check-in photo or clip opens, else its media_problem code (CHECKIN_MESSAGES has the words).

    Quick (a header, or a clip's first frame): for refusing a broken upload before it is stored.
    """
    try:
        media.media_probe(data, is_video=is_video)
    except media.MediaProblem as problem:
        return problem.reason_code
    return ""


def perceptual_hash(data: bytes, *, is_video: bool) -> str:
    """A 64-bit difference hash (16 hex digits) of a photo, or of the mean of a clip's sampled frames.

    Re-encoding, resizing or a little noise change few of its bits; another picture changes about half.
    "" when the file does not open.
    """
    try:
        frames = [frame.rgb for frame in media.video_frames(data)] if is_video else [media.image_load(data)]
    except media.MediaProblem:
        return ""
    greys = [
        np.asarray(Image.fromarray(rgb).convert("L").resize((9, 8), Image.Resampling.BOX), float) for rgb in frames
    ]
    mean = np.mean(greys, axis=0)
    bits = (mean[:, 1:] > mean[:, :-1]).reshape(-1)
    value = 0
    for bit in bits:
        value = (value << 1) | int(bit)
    return f"{value:016x}"


def decision_for(distance: float | None) -> str:
    if distance is None:
        return "no_face"
    if distance <= settings.FACE_MATCH_MAX_DISTANCE:
        return "match"
    if distance <= settings.FACE_REVIEW_MAX_DISTANCE:
        return "review"
    return "no_match"


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
    verifier: engines.FaceVerifier,
    reason_code: str,
    clock: _Clock,
    *,
    face: engines.FoundFace | None = None,
    sharpness: float | None = None,
    template: bytes | None = None,
) -> EnrolmentOutcome:
    return EnrolmentOutcome(
        ok=reason_code == "ok",
        template=template,
        reason_code=reason_code,
        message=ENROLMENT_MESSAGES[reason_code],
        engine=verifier.engine,
        model_version=verifier.model_version,
        timings_ms=clock.total(),
        face_box=face.box if face else None,
        sharpness=round(sharpness, 1) if sharpness is not None else None,
    )


def _verification(
    verifier: engines.FaceVerifier,
    distance: float | None,
    frames_with_face: int,
    frames_checked: int,
    liveness: LivenessOutcome | None,
    jpegs: list[bytes],
    clock: _Clock,
) -> Verification:
    decision = decision_for(distance)
    face = FaceMatch(
        distance=round(distance, 4) if distance is not None else None,
        decision=decision,
        engine=verifier.engine,
        model_version=verifier.model_version,
        frames_with_face=frames_with_face,
        frames_checked=frames_checked,
    )
    message = CHECKIN_MESSAGES[decision]
    if decision in ("match", "review") and liveness is not None and not liveness.passed:
        message = liveness.message
    return Verification(face, liveness, jpegs, clock.total(), "", message)


def _media_refused(verifier: engines.FaceVerifier, reason_code: str, clock: _Clock) -> Verification:
    face = FaceMatch(None, "no_face", verifier.engine, verifier.model_version, 0, 0)
    return Verification(face, None, [], clock.total(), reason_code, CHECKIN_MESSAGES[reason_code])


def _largest(faces: list[engines.FoundFace]) -> engines.FoundFace | None:
    return max(faces, key=lambda f: f.area) if faces else None


def _jpeg(rgb: np.ndarray) -> bytes:
    """A frame for the reviewer: at most BIOMETRIC_FRAME_MAX_SIDE_PX, and no metadata (no EXIF, no GPS)."""
    image = Image.fromarray(rgb)
    image.thumbnail((settings.BIOMETRIC_FRAME_MAX_SIDE_PX, settings.BIOMETRIC_FRAME_MAX_SIDE_PX))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=settings.BIOMETRIC_REVIEW_JPEG_QUALITY)
    return buffer.getvalue()


def _verifier_for(template: bytes, enrolled_engine: str) -> engines.FaceVerifier:
    """The configured engine, if it is the one that made the template; a wrong template fails before any work."""
    engines.descriptor_from_template(template)
    verifier = engines.face_verifier()
    if enrolled_engine and enrolled_engine != verifier.engine:
        raise ValueError(
            f"The face was enrolled with {enrolled_engine}, but the engine now is {verifier.engine}: "
            "it was enrolled with another face engine. Enrol the reference photo again."
        )
    return verifier
