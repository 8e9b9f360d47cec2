"""A face engine for an operator's own face-embedding model, as an ONNX file, run by onnxruntime.

Choose it with FACE_VERIFIER = "onward.biometrics.onnx_engine.OnnxFaceVerifier" and point
FACE_ONNX_MODEL_PATH at the model file. Faces are still found by dlib (HOG detector and 5-point
landmarks, which the head-turn liveness check also reads); the model only describes them.

What the model must be: one input of shape (1 or any, 3, N, N), float32, an aligned face chip; one
output whose first row is the face's embedding. Chips are aligned the usual way for such models
(ArcFace-style): eyes and nose moved to fixed places in an N x N square by a similarity transform.
Pixels are scaled as (value - FACE_ONNX_MEAN) / FACE_ONNX_STD, in FACE_ONNX_CHANNEL_ORDER.

Embeddings are scaled to length 1, so distances run from 0 (the same) to 2. That is not dlib's
scale: an operator who switches engine must set FACE_MATCH_MAX_DISTANCE and
FACE_REVIEW_MAX_DISTANCE for their model, measured on their own photos with
`manage.py face evaluate pairs.csv`. Templates record the engine, which names the model file's
hash; a template made by one model is refused by another (enrol the reference photo again).
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from PIL import Image

from onward.biometrics.engines import DlibFaceFinder, FoundFace, descriptor_distance

# Where the eye centres and the base of the nose go in a 112 x 112 chip (the common layout for
# ArcFace-style models); scaled for other sizes. x to the right, y down, in the image as seen.
CHIP_REFERENCE_SIZE = 112.0
CHIP_POINTS = np.array([(38.29, 51.70), (73.53, 51.50), (56.03, 71.74)])


class OnnxFaceVerifier:
    """dlib finds the faces; the operator's ONNX model describes them."""

    def __init__(self) -> None:
        import onnxruntime

        path = Path(settings.FACE_ONNX_MODEL_PATH) if settings.FACE_ONNX_MODEL_PATH else None
        if path is None or not path.is_file():
            raise ImproperlyConfigured(
                "FACE_VERIFIER is the ONNX engine, but FACE_ONNX_MODEL_PATH does not name a model file "
                f"({settings.FACE_ONNX_MODEL_PATH!r})."
            )
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = settings.FACE_ONNX_THREADS
        try:
            self._session = onnxruntime.InferenceSession(data, options, providers=["CPUExecutionProvider"])
        except Exception as error:  # onnxruntime raises its own exception types for a bad file
            raise ImproperlyConfigured(f"{path.name} is not a model onnxruntime can load: {error}") from error
        model_input = self._session.get_inputs()[0]
        self._input_name = model_input.name
        self.chip_size = _chip_size(model_input.shape, path.name)
        if settings.FACE_ONNX_CHANNEL_ORDER not in {"RGB", "BGR"}:
            raise ImproperlyConfigured("FACE_ONNX_CHANNEL_ORDER is RGB or BGR.")
        self._finder = DlibFaceFinder()
        self._lock = threading.Lock()
        self.engine = f"onnx-{digest[:16]}"
        self.model_version = f"{path.name[:40]} sha256:{digest[:16]}; onnxruntime {onnxruntime.__version__}"

    def find_faces(self, rgb: np.ndarray) -> list[FoundFace]:
        return self._finder.find_faces(rgb)

    def descriptor(self, rgb: np.ndarray, face: FoundFace) -> np.ndarray:
        chip = face_chip(rgb, face, self.chip_size)
        batch = model_input(chip)
        with self._lock:
            output = self._session.run(None, {self._input_name: batch})[0]
        embedding = np.asarray(output, dtype=np.float64).reshape(output.shape[0], -1)[0]
        length = float(np.linalg.norm(embedding))
        if not np.isfinite(length) or length == 0:
            raise ValueError("The face model returned an empty embedding.")
        return embedding / length

    def distance(self, template: bytes, descriptor: np.ndarray) -> float:
        return descriptor_distance(template, descriptor)


def face_chip(rgb: np.ndarray, face: FoundFace, size: int) -> np.ndarray:
    """The face turned and scaled so its eyes and nose sit at CHIP_POINTS, as a size x size RGB array."""
    points = np.asarray(face.landmarks, dtype=float)
    eyes = sorted([points[0:2].mean(axis=0), points[2:4].mean(axis=0)], key=lambda p: float(p[0]))
    source = np.array([eyes[0], eyes[1], points[4]])
    target = CHIP_POINTS * (size / CHIP_REFERENCE_SIZE)
    matrix, offset = similarity_transform(source, target)
    # PIL maps each output pixel back to the input: input = inverse(matrix) @ (output - offset).
    inverse = np.linalg.inv(matrix)
    back = -inverse @ offset
    coefficients = (inverse[0, 0], inverse[0, 1], back[0], inverse[1, 0], inverse[1, 1], back[1])
    image = Image.fromarray(rgb).transform(
        (size, size), Image.Transform.AFFINE, coefficients, resample=Image.Resampling.BILINEAR
    )
    return np.asarray(image)


def model_input(chip: np.ndarray) -> np.ndarray:
    """An RGB chip as the model's input: channel order, (value - mean) / std, float32, shape (1, 3, N, N)."""
    pixels = chip.astype(np.float32)
    if settings.FACE_ONNX_CHANNEL_ORDER == "BGR":
        pixels = pixels[:, :, ::-1]
    pixels = (pixels - np.float32(settings.FACE_ONNX_MEAN)) / np.float32(settings.FACE_ONNX_STD)
    return np.ascontiguousarray(pixels.transpose(2, 0, 1)[np.newaxis])


def similarity_transform(source: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rotation, uniform scale and shift that best move source points onto target (least squares).

    Umeyama's method: returns (2 x 2 matrix, offset) with target ≈ matrix @ source + offset.
    """
    source_mean, target_mean = source.mean(axis=0), target.mean(axis=0)
    source_centred, target_centred = source - source_mean, target - target_mean
    covariance = target_centred.T @ source_centred / len(source)
    u, singular, vt = np.linalg.svd(covariance)
    reflection = np.diag([1.0, float(np.sign(np.linalg.det(u @ vt)) or 1.0)])
    rotation = u @ reflection @ vt
    spread = float((source_centred**2).sum()) / len(source)
    scale = float(np.trace(np.diag(singular) @ reflection)) / spread if spread else 1.0
    matrix = scale * rotation
    return matrix, target_mean - matrix @ source_mean


def _chip_size(shape: list[Any], name: str) -> int:
    """The square chip size from the model's input shape (N, 3, H, W), or FACE_ONNX_INPUT_SIZE where dynamic."""
    if len(shape) != 4 or shape[1] not in (3, "3"):
        raise ImproperlyConfigured(f"{name} must take one input shaped (batch, 3, height, width); it takes {shape}.")
    height, width = shape[2], shape[3]
    if isinstance(height, int) and isinstance(width, int):
        if height != width:
            raise ImproperlyConfigured(f"{name} must take square face chips; it takes {height} x {width}.")
        return height
    return int(settings.FACE_ONNX_INPUT_SIZE)
