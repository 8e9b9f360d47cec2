"""Test clips for the challenge liveness check: genuine ones rendered with a lighting model, and attacks.

SYNTHETIC DATA. No video of a real person doing a challenge can be committed, so a "genuine" clip is
rendered from one public-domain fixture photo with a physical model:

- Geometry: the head is a depth map over the photo: an ellipsoid around the face (half-width 0.6 ×
  the face box, depth equal to its half-width), a ridge and tip for the nose (0.65 × the eye distance
  in front of the eyes at the tip, widening from the bridge to about the width of the nostrils at the
  tip, as a real nose does), shallow sockets at the eyes, and a chin. The head rotates rigidly in 3D
  (yaw about the vertical axis, pitch about the horizontal) and is projected orthographically: every
  surface point is moved forward and drawn through a depth buffer, so the nose hides the cheek behind
  it.
- Light: the photo is taken as the skin's albedo (in linear light, gamma 2.2). Each pixel's light is
  ambient (1.0) plus the phone's screen: SCREEN_LIGHT × screen colour × cos(angle between the surface
  normal and the camera), as the screen sits beside the lens (Lambertian). The wall behind gets
  WALL_SCREEN_SHARE of that (it is several times further from the screen).
- Blinks close the eyelids: the eye's outline (from the photo's 68 landmarks) is painted with the
  skin just under the eye, in the albedo, before lighting.
- The camera adds a little noise; the clip is encoded as a browser would (VP8 webm, 15 frames a second).

Attacks are made from the same one still photo, without the person: frozen, jittered, a flat print
tilted in 3D, a print folded down the nose and turned, the 2D warp of synthetic.py following the asked
turns, the 3D-animated photo with no screen light (as a virtual camera would inject it), the same with
the whole frame tinted by the screen colours, and each of these "filmed off a screen" (gamma, blur,
moiré and the phone's own screen reflected as glare on the replaying screen).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from onward.biometrics import engines
from onward.biometrics.liveness import Challenge, Step
from onward.biometrics.tests.clips import encode_clip, photo_rgb
from onward.biometrics.tests.synthetic import head_turn

FPS = 15
CANVAS = (480, 360)  # width, height: a phone's front camera at a low resolution
PHOTO_SHARE = 1.0  # the photo's side as a share of the canvas height
SCREEN_LIGHT = 0.18  # the screen's light at full white, against ambient 1.0, on a face facing it
WALL_SCREEN_SHARE = 0.12
RECORDING_LEAD_MS = 250  # the page starts recording this long before the first step
REACTION_MS = 300
GAMMA = 2.2
# How far the person turns or nods when asked (people asked to turn their head turn it 30 to 60 degrees;
# less here, as the renderer does not hide the far side of the face, which smears beyond about 30).
MOVE_ANGLES = {"turn_left": (28.0, 0.0), "turn_right": (-28.0, 0.0), "look_up": (0.0, 20.0), "look_down": (0.0, -20.0)}


@dataclass(frozen=True)
class Head:
    albedo: np.ndarray  # photo, linear light, float32, h x w x 3
    eyes_shut: np.ndarray  # the same with the eyelids closed
    depth: np.ndarray  # h x w, in pixels, towards the camera
    inside: np.ndarray  # h x w bool: the head
    centre: tuple[float, float]  # rotation axis through here (x, y)
    wall: np.ndarray  # what is behind the head, linear light


def _landmarks68(rgb: np.ndarray) -> np.ndarray:
    import dlib
    import face_recognition_models as models

    (face,) = engines.face_verifier().find_faces(rgb)
    left, top, right, bottom = face.box
    predictor = dlib.shape_predictor(models.pose_predictor_model_location())
    shape = predictor(np.ascontiguousarray(rgb), dlib.rectangle(left, top, right, bottom))
    return np.array([(shape.part(i).x, shape.part(i).y) for i in range(68)], dtype=float)


@cache
def head(name: str) -> Head:
    """The fixture photo on a camera canvas, with its depth map (see the module docstring)."""
    photo = photo_rgb(name)
    side = round(CANVAS[1] * PHOTO_SHARE)
    photo = np.asarray(Image.fromarray(photo).resize((side, side), Image.Resampling.LANCZOS))
    canvas = np.zeros((CANVAS[1], CANVAS[0], 3), dtype=np.uint8)
    wall_colour = np.concatenate([photo[:8].reshape(-1, 3), photo[:, :8].reshape(-1, 3)]).mean(axis=0)
    rng = np.random.default_rng(7)
    canvas[:] = np.clip(wall_colour + rng.normal(0, 3, canvas.shape), 0, 255).astype(np.uint8)
    left, top = (CANVAS[0] - side) // 2, CANVAS[1] - side
    canvas[top : top + side, left : left + side] = photo
    marks = _landmarks68(canvas)
    eye_r, eye_l = marks[36:42].mean(axis=0), marks[42:48].mean(axis=0)
    eye_distance = float(np.hypot(*(eye_l - eye_r)))
    tip, bridge, chin = marks[30], marks[27], marks[8]
    face_left, face_right = marks[0:17, 0].min(), marks[0:17, 0].max()
    face_top = min(eye_r[1], eye_l[1]) - 0.9 * eye_distance
    width = face_right - face_left
    centre_x = float(bridge[0])
    centre_y = float((face_top + chin[1]) / 2)
    half_w, half_h = 0.6 * width, 0.62 * (chin[1] - face_top) + 0.1 * eye_distance
    ys, xs = np.mgrid[0 : CANVAS[1], 0 : CANVAS[0]].astype(np.float32)
    shape = 1 - ((xs - centre_x) / half_w) ** 2 - ((ys - centre_y) / half_h) ** 2
    inside = shape > 0
    depth = half_w * np.sqrt(np.clip(shape, 0, None))

    def bump(x: float, y: float, sx: float, sy: float, height: float) -> np.ndarray:
        return height * np.exp(-(((xs - x) / sx) ** 2 + ((ys - y) / sy) ** 2) / 2)

    # Nose: a ridge from the bridge down to the tip, highest at the tip; eye sockets; a chin.
    ridge = np.zeros_like(depth)
    for share in np.linspace(0, 1, 8):
        x = bridge[0] + (tip[0] - bridge[0]) * share
        y = bridge[1] + (tip[1] - bridge[1]) * share
        # Narrow at the bridge, as wide as the nostrils' wings at the tip (they stand out with the tip).
        width = (0.10 + 0.12 * share) * eye_distance
        ridge = np.maximum(ridge, bump(x, y, width, 0.16 * eye_distance, (0.25 + 0.4 * share) * eye_distance))
    depth += ridge
    depth -= bump(*eye_r, 0.25 * eye_distance, 0.18 * eye_distance, 0.12 * eye_distance)
    depth -= bump(*eye_l, 0.25 * eye_distance, 0.18 * eye_distance, 0.12 * eye_distance)
    depth += bump(chin[0], chin[1] - 0.3 * eye_distance, 0.35 * eye_distance, 0.25 * eye_distance, 0.1 * eye_distance)
    depth = np.where(inside, depth, 0).astype(np.float32)
    albedo = _linear(canvas)
    shut = canvas.astype(np.float32)
    for eye in (range(36, 42), range(42, 48)):
        outline = marks[list(eye)]
        centre = outline.mean(axis=0)
        patches = [
            canvas[int(y) - 2 : int(y) + 3, int(centre[0]) - 4 : int(centre[0]) + 5].reshape(-1, 3)
            for y in (centre[1] + 0.35 * eye_distance, centre[1] - 0.22 * eye_distance)
        ]
        skin = np.concatenate(patches).mean(axis=0)
        # The lid: skin over the eye, feathered at its edges; dark lashes in an arc along the lower lid.
        lid_mask = Image.new("L", CANVAS, 0)
        grown = centre + (outline - centre) * np.array([1.2, 2.2])
        ImageDraw.Draw(lid_mask).polygon([tuple(p) for p in grown], fill=255)
        lid = (
            np.asarray(lid_mask.filter(ImageFilter.GaussianBlur(0.08 * eye_distance)), dtype=np.float32)[..., None]
            / 255
        )
        shut = shut * (1 - lid) + skin * lid
        lash_mask = Image.new("L", CANVAS, 0)
        lash = [tuple(outline[i]) for i in (0, 5, 4, 3)]
        ImageDraw.Draw(lash_mask).line(lash, fill=255, width=max(2, round(0.06 * eye_distance)))
        lashes = np.asarray(lash_mask.filter(ImageFilter.GaussianBlur(0.6)), dtype=np.float32)[..., None] / 255
        shut = shut * (1 - 0.8 * lashes) + skin * 0.15 * 0.8 * lashes
    shut = np.clip(shut, 0, 255).astype(np.uint8)
    eyes_region = np.zeros(inside.shape, dtype=bool)
    for eye in (range(36, 42), range(42, 48)):
        outline = marks[list(eye)]
        x0, y0 = outline.min(axis=0) - 0.4 * eye_distance
        x1, y1 = outline.max(axis=0) + 0.4 * eye_distance
        eyes_region[int(y0) : int(y1), int(x0) : int(x1)] = True
    shut = np.where(eyes_region[..., None], shut, canvas)
    # Behind the head: the photo itself, unmoved (shoulders do not turn with the head; where the turned
    # head uncovers its own first place, the photo's hair and ears show).
    return Head(albedo, _linear(shut), depth, inside, (centre_x, centre_y), albedo)


def _linear(rgb: np.ndarray) -> np.ndarray:
    return (rgb.astype(np.float32) / 255.0) ** GAMMA


def _encoded(linear: np.ndarray) -> np.ndarray:
    return (np.clip(linear, 0, 1) ** (1 / GAMMA) * 255).round().astype(np.uint8)


def _sample(image: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Bilinear sampling of image at (xs, ys), clamped to its edges."""
    height, width = image.shape[:2]
    xs = np.clip(xs, 0, width - 1.001)
    ys = np.clip(ys, 0, height - 1.001)
    x0, y0 = xs.astype(int), ys.astype(int)
    fx, fy = xs - x0, ys - y0
    if image.ndim == 3:
        fx, fy = fx[..., None], fy[..., None]
    top = image[y0, x0] * (1 - fx) + image[y0, x0 + 1] * fx
    bottom = image[y0 + 1, x0] * (1 - fx) + image[y0 + 1, x0 + 1] * fx
    return top * (1 - fy) + bottom * fy


SUPERSAMPLE = 3  # surface points per pixel side, so a stretched surface (the side turning into view) leaves no gaps


_SURFACES: dict[int, tuple[Head, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]] = {}


def _surface(model: Head) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The head's surface points (SUPERSAMPLE² per pixel inside the head): x, y, depth, and normal."""
    kept = _SURFACES.get(id(model))
    if kept is not None and kept[0] is model:
        return kept[1]
    ys, xs = np.nonzero(model.inside)
    offsets = (np.arange(SUPERSAMPLE) + 0.5) / SUPERSAMPLE - 0.5
    ox, oy = np.meshgrid(offsets, offsets)
    sx = (xs[:, None] + ox.reshape(1, -1)).reshape(-1).astype(np.float32)
    sy = (ys[:, None] + oy.reshape(1, -1)).reshape(-1).astype(np.float32)
    gy, gx = np.gradient(model.depth)
    normal = np.stack([-gx, -gy, np.ones_like(gx)], axis=-1)
    normal /= np.linalg.norm(normal, axis=-1, keepdims=True)
    surface = (sx, sy, _sample(model.depth, sx, sy), _sample(normal, sx, sy))
    _SURFACES[id(model)] = (model, surface)
    return surface


def render_head(
    model: Head, yaw_deg: float, pitch_deg: float, screen_rgb: tuple[int, int, int], blink: bool
) -> np.ndarray:
    """One frame: the head turned in 3D, lit by ambient light plus the screen (see the module docstring).

    Every surface point is moved forward (rotated, projected orthographically) and drawn with a depth
    buffer: where two points land on one pixel the nearer one shows, so the nose hides the cheek behind
    it and the far side of the face goes out of view, as on a real head. (An earlier version inverted the
    map by fixed-point iteration, which does not converge where the nose is steep and smeared the nose
    across the cheek in a turn.) Pixels the stretched surface leaves empty are filled from neighbours.
    """
    height, width = model.depth.shape
    cx, cy = model.centre
    yaw, pitch = math.radians(yaw_deg), math.radians(pitch_deg)
    sx, sy, z, normal = _surface(model)
    x, y = sx - cx, sy - cy
    # Yaw about the vertical axis, then pitch about the horizontal one.
    x_turned = x * math.cos(yaw) + z * math.sin(yaw)
    z_turned = z * math.cos(yaw) - x * math.sin(yaw)
    y_seen = y * math.cos(pitch) - z_turned * math.sin(pitch)
    z_seen = z_turned * math.cos(pitch) + y * math.sin(pitch)
    u = np.round(cx + x_turned).astype(np.int64)
    v = np.round(cy + y_seen).astype(np.int64)
    on_frame = np.flatnonzero((u >= 0) & (u < width) & (v >= 0) & (v < height))
    pixel = v[on_frame] * width + u[on_frame]
    order = np.lexsort((-z_seen[on_frame], pixel))  # by pixel, nearest first
    nearest = np.ones(order.size, dtype=bool)
    nearest[1:] = pixel[order][1:] != pixel[order][:-1]
    shown = on_frame[order[nearest]]
    albedo = _sample(model.eyes_shut if blink else model.albedo, sx[shown], sy[shown])
    # The surface normal turned with the head; its part towards the camera (and the screen beside it).
    n = normal[shown]
    nz = n[:, 2] * math.cos(yaw) - n[:, 0] * math.sin(yaw)
    facing = np.clip(nz * math.cos(pitch) + n[:, 1] * math.sin(pitch), 0, 1)
    screen = _linear(np.array(screen_rgb, dtype=np.uint8).reshape(1, 3))
    head_light = np.zeros((height * width, 3), dtype=np.float32)
    head_light[pixel[order[nearest]]] = albedo * (1.0 + SCREEN_LIGHT * screen * facing[:, None])
    on_head = np.zeros(height * width, dtype=bool)
    on_head[pixel[order[nearest]]] = True
    lit, on_head = _fill_gaps(head_light.reshape(height, width, 3), on_head.reshape(height, width))
    light_wall = 1.0 + SCREEN_LIGHT * WALL_SCREEN_SHARE * screen.reshape(1, 1, 3)
    norm = 1.0 + SCREEN_LIGHT * 0.5
    out = np.where(on_head[..., None], lit, model.wall * light_wall) / norm
    return out.astype(np.float32)


def _fill_gaps(image: np.ndarray, filled: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Empty pixels with at least half their 8 neighbours drawn take those neighbours' mean (twice over)."""
    for _round in range(2):
        total = np.zeros_like(image)
        count = np.zeros(filled.shape, dtype=np.float32)
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                total += np.roll(image * filled[..., None], (dy, dx), axis=(0, 1))
                count += np.roll(filled, (dy, dx), axis=(0, 1))
        gap = ~filled & (count >= 4)
        image = image.copy()
        image[gap] = total[gap] / count[gap, None]
        filled = filled | gap
    return image, filled


def timeline(challenge: Challenge, seconds: float | None = None, fps: int = FPS) -> list[tuple[float, Step | None]]:
    """(clip time in ms, the step shown on the screen then), frame by frame."""
    total_ms = RECORDING_LEAD_MS + challenge.duration_ms + 400 if seconds is None else seconds * 1000
    return [
        (i * 1000 / fps, _step_at(challenge, i * 1000 / fps - RECORDING_LEAD_MS))
        for i in range(int(total_ms * fps / 1000))
    ]


def _step_at(challenge: Challenge, ms: float) -> Step | None:
    for step in challenge.steps:
        if step.start_ms <= ms < step.end_ms:
            return step
    return None


def pose_at(challenge: Challenge, ms: float) -> tuple[float, float, bool]:
    """(yaw, pitch, eyes shut) of a person following the challenge: each move eases in after a reaction
    time, is held, and eases back by 200 ms after its step ends. A slight natural sway throughout."""
    at = ms - RECORDING_LEAD_MS
    yaw = 2.0 * math.sin(at / 700)
    pitch = 1.0 * math.sin(at / 900)
    shut = False
    for step in challenge.steps:
        start, end = step.start_ms + REACTION_MS, step.end_ms + 200
        if not start <= at < end:
            continue
        if step.move == "blink":
            shut = start + 100 <= at < start + 400
            continue
        if step.move not in MOVE_ANGLES:
            continue
        ease_in = min(1.0, (at - start) / 350)
        ease_out = min(1.0, (end - at) / 300)
        share = max(0.0, min(ease_in, ease_out))
        move_yaw, move_pitch = MOVE_ANGLES[step.move]
        yaw += move_yaw * share
        pitch += move_pitch * share
    return yaw, pitch, shut


def _noise(frame: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return np.clip(frame.astype(np.float32) + rng.normal(0, 2.0, frame.shape), 0, 255).astype(np.uint8)


def genuine_frames(name: str, challenge: Challenge, fps: int = FPS) -> list[np.ndarray]:
    """A person following the challenge, lit by the page's colours (synthetic: see the module docstring)."""
    model = head(name)
    rng = np.random.default_rng(1)
    frames = []
    for ms, step in timeline(challenge, fps=fps):
        yaw, pitch, shut = pose_at(challenge, ms)
        screen = step.screen_rgb if step else (255, 255, 255)
        frames.append(_noise(_encoded(render_head(model, yaw, pitch, screen, shut)), rng))
    return frames


def genuine_clip(name: str, challenge: Challenge) -> bytes:
    return encode_clip(genuine_frames(name, challenge), fps=FPS)


# --- Attacks, all from one still photo ----------------------------------------------------------------


def _still(name: str) -> np.ndarray:
    return _encoded(head(name).albedo)


def frozen_frames(name: str, challenge: Challenge) -> list[np.ndarray]:
    still = _still(name)
    return [still for _ in timeline(challenge)]


def jittered_frames(name: str, challenge: Challenge) -> list[np.ndarray]:
    """The photo shaken a little every frame (moved, turned and scaled by a few per cent), as by a hand."""
    still = Image.fromarray(_still(name))
    rng = np.random.default_rng(5)
    frames = []
    for _item in timeline(challenge):
        angle, dx, dy, zoom = rng.normal(0, 3), rng.normal(0, 6), rng.normal(0, 6), 1 + rng.normal(0, 0.03)
        moved = still.rotate(angle, resample=Image.Resampling.BILINEAR, translate=(dx, dy))
        size = (round(CANVAS[0] * zoom), round(CANVAS[1] * zoom))
        scaled = moved.resize(size, Image.Resampling.BILINEAR)
        framed = Image.new("RGB", CANVAS)
        framed.paste(scaled, ((CANVAS[0] - size[0]) // 2, (CANVAS[1] - size[1]) // 2))
        frames.append(np.asarray(framed))
    return frames


def _print_view(
    linear: np.ndarray, yaw_deg: float, pitch_deg: float, fold_deg: float, fold_x: float
) -> tuple[np.ndarray, np.ndarray]:
    """A paper print, possibly folded at x = fold_x (both halves bent back by fold_deg), turned in 3D and
    seen in perspective from 2.5 widths away. Returns (linear image, cos of each point's normal to the camera)."""
    height, width = linear.shape[:2]
    distance = 2.5 * width
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    cx, cy = fold_x, height / 2
    fold = math.radians(fold_deg)
    yaw, pitch = math.radians(yaw_deg), math.radians(pitch_deg)

    def project(sx: np.ndarray, sy: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        x, y = sx - cx, sy - cy
        z = -np.abs(x) * math.sin(fold)
        x = x * math.cos(fold)
        x, z = x * math.cos(yaw) + z * math.sin(yaw), z * math.cos(yaw) - x * math.sin(yaw)
        y, z = y * math.cos(pitch) - z * math.sin(pitch), z * math.cos(pitch) + y * math.sin(pitch)
        scale = distance / (distance - z)
        return cx + x * scale, cy + y * scale, z

    # Inverse map by iteration: find the paper point that lands on each output pixel.
    sx, sy = xs.copy(), ys.copy()
    for _iteration in range(12):
        px, py, _z = project(sx, sy)
        sx, sy = sx + (xs - px) * 0.9, sy + (ys - py) * 0.9
    image = _sample(linear, sx, sy)
    # Each half's normal: (±sin(fold), 0, cos(fold)) turned by yaw and pitch.
    side = np.where(sx < cx, -1.0, 1.0)
    nx, nz = side * math.sin(fold), math.cos(fold) * np.ones_like(side)
    nz = nz * math.cos(yaw) - nx * math.sin(yaw)
    facing = np.clip(nz * math.cos(pitch), 0, 1)
    return image, facing.astype(np.float32)


def print_frames(name: str, challenge: Challenge, *, folded: bool) -> list[np.ndarray]:
    """A print of the photo (filling the view) held before the phone, turned, tilted or nodded to follow
    the asked moves; paper reflects the screen's light like skin does, face and margin alike."""
    still = _linear(_still(name))
    fold_x = float(_landmarks68(_still(name))[30, 0])
    rng = np.random.default_rng(2)
    frames = []
    for ms, step in timeline(challenge):
        yaw, pitch, _shut = pose_at(challenge, ms)
        image, facing = _print_view(still, yaw, pitch, 25.0 if folded else 0.0, fold_x)
        screen = _linear(np.array(step.screen_rgb if step else (255, 255, 255), dtype=np.uint8).reshape(1, 1, 3))
        lit = image * (1.0 + SCREEN_LIGHT * screen * facing[..., None]) / (1.0 + SCREEN_LIGHT * 0.5)
        frames.append(_noise(_encoded(lit), rng))
    return frames


@cache
def _warped(name: str, yaw_deg: float) -> np.ndarray:
    still = _still(name)
    (face,) = engines.face_verifier().find_faces(still)
    return head_turn(still, face.box, face.landmarks, yaw_deg)


def warp_frames(name: str, challenge: Challenge) -> list[np.ndarray]:
    """synthetic.py's 2D warp of the photo, turned left and right when the challenge asks (it cannot nod or blink)."""
    frames = []
    for ms, _step in timeline(challenge):
        yaw, _pitch, _shut = pose_at(challenge, ms)
        frames.append(_warped(name, float(round(yaw / 5) * 5)))
    return frames


def animated_frames(name: str, challenge: Challenge, *, tinted: bool) -> list[np.ndarray]:
    """The photo animated in 3D to do every move on time (the genuine renderer) with no screen light on
    it, as a virtual camera would inject it; tinted: the whole frame coloured by the screen's sequence."""
    model = head(name)
    rng = np.random.default_rng(3)
    frames = []
    for ms, step in timeline(challenge):
        yaw, pitch, shut = pose_at(challenge, ms)
        linear = render_head(model, yaw, pitch, (0, 0, 0), shut) * (1.0 + SCREEN_LIGHT * 0.5)
        if tinted:
            screen = _linear(np.array(step.screen_rgb if step else (255, 255, 255), dtype=np.uint8).reshape(1, 1, 3))
            linear = linear * (1.0 + SCREEN_LIGHT * screen) / (1.0 + SCREEN_LIGHT * 0.5)
        frames.append(_noise(_encoded(linear), rng))
    return frames


def off_a_screen(frames: list[np.ndarray], challenge: Challenge) -> list[np.ndarray]:
    """The frames as filmed off another screen held before the phone: the replaying screen's gamma and
    contrast, a blur, moiré from its pixel grid, and the phone's own screen colour reflected on its glass."""
    height, width = frames[0].shape[:2]
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    moire = 1.0 + 0.06 * np.sin(xs * 0.9 + ys * 0.35) * np.sin(xs * 0.31 - ys * 0.83)
    glare_spot = np.exp(-(((xs - width * 0.7) / (width * 0.2)) ** 2 + ((ys - height * 0.25) / (height * 0.2)) ** 2))
    out = []
    for frame, (_ms, step) in zip(frames, timeline(challenge), strict=False):
        screen = np.array(step.screen_rgb if step else (255, 255, 255), dtype=np.float32) / 255
        image = np.asarray(Image.fromarray(frame).filter(ImageFilter.GaussianBlur(1.0)), dtype=np.float32) / 255
        image = 0.08 + 0.85 * image**1.15  # a screen's black is grey, and its curve is not the camera's
        image = image * moire[..., None]
        image = image + 0.04 * screen + 0.10 * glare_spot[..., None] * screen
        out.append((np.clip(image, 0, 1) * 255).round().astype(np.uint8))
    return out


ATTACKS = ("frozen", "jittered", "flat_print", "folded_print", "warp", "animated", "animated_tinted")


def attack_frames(kind: str, name: str, challenge: Challenge) -> list[np.ndarray]:
    if kind == "frozen":
        return frozen_frames(name, challenge)
    if kind == "jittered":
        return jittered_frames(name, challenge)
    if kind in ("flat_print", "folded_print"):
        return print_frames(name, challenge, folded=kind == "folded_print")
    if kind == "warp":
        return warp_frames(name, challenge)
    if kind in ("animated", "animated_tinted"):
        return animated_frames(name, challenge, tinted=kind == "animated_tinted")
    raise ValueError(kind)


def attack_clip(kind: str, name: str, challenge: Challenge, *, filmed_off_screen: bool = False) -> bytes:
    frames = attack_frames(kind, name, challenge)
    if filmed_off_screen:
        frames = off_a_screen(frames, challenge)
    return encode_clip(frames, fps=FPS)
