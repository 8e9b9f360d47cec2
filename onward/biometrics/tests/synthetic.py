"""Synthetic head turns for tests, made honestly from one frontal photo.

There is no public-domain photo of the same person turned in the packages our fixtures come from,
so a turn is made by re-projecting the frontal photo: the head is modelled as an ellipsoid around
the face (width 1.2 × the detected face box, depth equal to its half-width) with a Gaussian bump
for the nose (height 0.45 × the distance between the eyes), rotated about the vertical axis through
the nose and seen from the front (orthographic). Points nearer the camera move further sideways,
so the nose shifts relative to the eyes as in a real turn; hidden surface is simply lost.
The background (depth 0) is only squeezed. Positive yaw_deg turns the head to the person's own
left, which moves the nose to the right-hand side of the (unmirrored) image, as engines.py states.
"""

from __future__ import annotations

import math

import numpy as np


def head_turn(
    rgb: np.ndarray, box: tuple[int, int, int, int], landmarks: tuple[tuple[float, float], ...], yaw_deg: float
) -> np.ndarray:
    if yaw_deg < 0:
        mirrored_box = (rgb.shape[1] - box[2], box[1], rgb.shape[1] - box[0], box[3])
        mirrored_marks = tuple((rgb.shape[1] - 1 - x, y) for x, y in landmarks)
        return head_turn(rgb[:, ::-1], mirrored_box, mirrored_marks, -yaw_deg)[:, ::-1].copy()
    height, width = rgb.shape[:2]
    points = np.asarray(landmarks, dtype=float)
    eye_a, eye_b, nose = points[0:2].mean(axis=0), points[2:4].mean(axis=0), points[4]
    eye_distance = float(np.hypot(*(eye_a - eye_b)))
    eyes_y = (eye_a[1] + eye_b[1]) / 2
    left, top, right, bottom = box
    centre_x, centre_y = nose[0], (top + bottom) / 2
    half_width, half_height = 0.6 * (right - left), 0.85 * (bottom - top)
    ys, xs = np.mgrid[0:height, 0:width].astype(float)
    inside = 1 - ((xs - centre_x) / half_width) ** 2 - ((ys - centre_y) / half_height) ** 2
    depth = half_width * np.sqrt(np.clip(inside, 0, None))
    nose_y = (eyes_y + nose[1]) / 2 + 0.1 * eye_distance
    depth += (
        0.45
        * eye_distance
        * np.exp(-(((xs - nose[0]) / (0.22 * eye_distance)) ** 2 + ((ys - nose_y) / (0.45 * eye_distance)) ** 2) / 2)
    )
    theta = math.radians(yaw_deg)
    moved_x = centre_x + (xs - centre_x) * math.cos(theta) + depth * math.sin(theta)
    moved_x = np.maximum.accumulate(moved_x, axis=1)  # what moves behind nearer surface is hidden
    columns = np.arange(width, dtype=float)
    source_x = np.empty((height, width))
    for row in range(height):
        source_x[row] = np.interp(columns, moved_x[row], columns)
    left_x = np.clip(np.floor(source_x).astype(int), 0, width - 1)
    right_x = np.clip(left_x + 1, 0, width - 1)
    share = (source_x - left_x)[..., None]
    rows = np.arange(height)[:, None]
    blended = rgb[rows, left_x] * (1 - share) + rgb[rows, right_x] * share
    return np.clip(blended.round(), 0, 255).astype(np.uint8)
