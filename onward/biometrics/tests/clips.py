"""Test photos and clips: the committed fixtures, and videos encoded here with PyAV."""

from __future__ import annotations

import io
from fractions import Fraction
from functools import cache
from pathlib import Path

import av
import numpy as np
from PIL import Image

from onward.biometrics import engines, media
from onward.biometrics.tests.synthetic import head_turn

FIXTURES = Path(__file__).parent / "fixtures"
CLIP_FPS = 10


def photo_bytes(name: str) -> bytes:
    return (FIXTURES / f"{name}.jpg").read_bytes()


def photo_rgb(name: str) -> np.ndarray:
    return media.image_load(photo_bytes(name))


def jpeg(rgb: np.ndarray, **save_options: object) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="JPEG", quality=90, **save_options)
    return buffer.getvalue()


@cache
def turned(name: str, yaw_deg: float) -> np.ndarray:
    """The fixture with its head turned by yaw_deg (positive: to the person's own left)."""
    rgb = photo_rgb(name)
    (face,) = engines.face_verifier().find_faces(rgb)
    return head_turn(rgb, face.box, face.landmarks, yaw_deg)


def turn_frames(name: str, to_yaw_deg: float, seconds: float = 3.0, fps: int = CLIP_FPS) -> list[np.ndarray]:
    """Hold still half a second, turn smoothly over 1.5 s, hold the turn: synthetic.py's 2D warp of one
    still photo. An ATTACK (a photo made to look as if it turned), not a real head turn."""
    count = round(seconds * fps)
    frames = []
    for i in range(count):
        t = i / fps
        progress = min(1.0, max(0.0, (t - 0.5) / 1.5))
        yaw = round(to_yaw_deg * progress / 5) * 5  # 5° steps keep the cache small
        frames.append(turned(name, float(yaw)))
    return frames


def still_frames(name: str, seconds: float = 3.0) -> list[np.ndarray]:
    return [photo_rgb(name)] * round(seconds * CLIP_FPS)


def encode_clip(frames: list[np.ndarray], kind: str = "webm", fps: int = CLIP_FPS) -> bytes:
    """A clip as a browser would send it: webm with VP8 or VP9, or mp4 with H.264."""
    container_format, codec = {
        "webm": ("webm", "libvpx"),
        "webm-vp9": ("webm", "libvpx-vp9"),
        "mp4": ("mp4", "libx264"),
    }[kind]
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=container_format) as container:
        stream = container.add_stream(codec, rate=fps)
        stream.width, stream.height = frames[0].shape[1], frames[0].shape[0]
        stream.pix_fmt = "yuv420p"
        stream.time_base = Fraction(1, fps)
        # Fast settings, as a phone's real-time encoder would use. The speed is fixed (a negative cpu-used):
        # with a positive one, libvpx's real-time mode picks its speed from how long each frame took, so the
        # same frames came out differently on a busy machine, and a clip that passed alone failed in a full
        # run. Speed 4 is what it picked on an idle machine (byte for byte). Other speeds move some rendered
        # readings near their thresholds: see FALSE_REJECTS in test_verify_video.py.
        if codec.startswith("libvpx"):
            stream.bit_rate = 1_500_000
            stream.options = {"deadline": "realtime", "cpu-used": "-4"}
        else:
            stream.options = {"preset": "ultrafast"}
        for index, rgb in enumerate(frames):
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            frame.pts = index
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buffer.getvalue()


def on_camera_canvas(rgb: np.ndarray, width: int = 640, height: int = 480, share: float = 1.0) -> np.ndarray:
    """The photo as a phone's front camera would frame it: centred, `share` of the frame's height."""
    side = round(min(width, height) * share)
    face = np.asarray(Image.fromarray(rgb).resize((side, side), Image.Resampling.BILINEAR))
    canvas = np.zeros((height, width, 3), dtype=np.uint8)
    left, top = (width - side) // 2, (height - side) // 2
    canvas[top : top + side, left : left + side] = face
    return canvas


def y4m(frames: list[np.ndarray], fps: int) -> bytes:
    """Frames as an uncompressed Y4M file (4:2:0), which Chromium's fake camera plays in a loop."""
    height, width = frames[0].shape[:2]
    chunks = [f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode()]
    for rgb in frames:
        ycbcr = np.asarray(Image.fromarray(rgb).convert("YCbCr"), dtype=np.float32)
        chroma = ycbcr[:, :, 1:].reshape(height // 2, 2, width // 2, 2, 2).mean(axis=(1, 3)).round().astype(np.uint8)
        chunks += [b"FRAME\n", ycbcr[:, :, 0].astype(np.uint8).tobytes()]
        chunks += [chroma[:, :, 0].tobytes(), chroma[:, :, 1].tobytes()]
    return b"".join(chunks)
