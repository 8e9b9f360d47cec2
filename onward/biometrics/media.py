"""Turning uploaded bytes into upright RGB pixels: photos with Pillow, clips with PyAV.

A problem the person can fix (not a photo, too big, too short) raises MediaProblem with a reason
code; the API turns it into plain words.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import av
import numpy as np
from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

# The first bytes of webm/mkv (EBML), Ogg and AVI files; mp4 and mov say "ftyp" at byte 4.
VIDEO_SIGNATURES = (b"\x1a\x45\xdf\xa3", b"OggS", b"RIFF")


class MediaProblem(Exception):
    def __init__(self, reason_code: str) -> None:
        super().__init__(reason_code)
        self.reason_code = reason_code


@dataclass(frozen=True)
class VideoFrame:
    time_s: float
    rgb: np.ndarray  # height x width x 3, uint8, upright


def image_load(image_bytes: bytes) -> np.ndarray:
    """An upright RGB array (EXIF orientation applied), or MediaProblem("not_an_image"/"too_large")."""
    if len(image_bytes) > settings.BIOMETRIC_MAX_IMAGE_BYTES:
        raise MediaProblem("too_large")
    if not image_bytes:
        raise MediaProblem("not_an_image")
    try:
        with Image.open(io.BytesIO(image_bytes)) as image:
            if image.width * image.height > settings.BIOMETRIC_MAX_IMAGE_PIXELS:
                raise MediaProblem("too_large")
            upright = ImageOps.exif_transpose(image)
            rgb = upright.convert("RGB")
            rgb.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise MediaProblem("not_an_image") from error
    return np.asarray(rgb)


def video_frames(
    video_bytes: bytes, sample_fps: float | None = None, max_frames: int | None = None
) -> list[VideoFrame]:
    """Frames sampled a few times a second (sample_fps, default BIOMETRIC_VIDEO_SAMPLE_FPS) from a
    browser clip (webm VP8/VP9, mp4 H.264), upright; at most max_frames (BIOMETRIC_VIDEO_MAX_FRAMES).

    Raises MediaProblem: "too_large", "not_a_video", "unreadable", "too_short", "too_long".
    """
    if len(video_bytes) > settings.BIOMETRIC_MAX_VIDEO_BYTES:
        raise MediaProblem("too_large")
    if not video_bytes:
        raise MediaProblem("not_a_video")
    try:
        container = av.open(io.BytesIO(video_bytes), mode="r")
    except (av.FFmpegError, ValueError, OSError) as error:
        # Bytes that start like a video but do not open are a broken upload, not the wrong file.
        raise MediaProblem("unreadable" if _looks_like_video(video_bytes) else "not_a_video") from error
    with container:
        if not container.streams.video:
            raise MediaProblem("not_a_video")
        frames = _sample(container, sample_fps or settings.BIOMETRIC_VIDEO_SAMPLE_FPS)
    if not frames:
        raise MediaProblem("unreadable")
    return _thin(frames, max_frames or settings.BIOMETRIC_VIDEO_MAX_FRAMES)


def media_probe(data: bytes, *, is_video: bool) -> None:
    """A quick look, at upload, that a photo's header or a clip's first frame opens (no faces, no full decode).

    Raises MediaProblem like image_load and video_frames, so a broken file is refused before it uses a try.
    """
    if not data:
        raise MediaProblem("not_a_video" if is_video else "not_an_image")
    if is_video:
        _video_first_frame(data)
        return
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > settings.BIOMETRIC_MAX_IMAGE_PIXELS:
                raise MediaProblem("too_large")
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise MediaProblem("not_an_image") from error


def _video_first_frame(video_bytes: bytes) -> None:
    try:
        container = av.open(io.BytesIO(video_bytes), mode="r")
    except (av.FFmpegError, ValueError, OSError) as error:
        raise MediaProblem("unreadable" if _looks_like_video(video_bytes) else "not_a_video") from error
    with container:
        if not container.streams.video:
            raise MediaProblem("not_a_video")
        try:
            next(container.decode(container.streams.video[0]))
        except (av.FFmpegError, StopIteration, ValueError, OSError) as error:
            raise MediaProblem("unreadable") from error


def _looks_like_video(head: bytes) -> bool:
    return head.startswith(VIDEO_SIGNATURES) or head[4:8] == b"ftyp"


def _sample(container: av.container.InputContainer, sample_fps: float) -> list[VideoFrame]:
    stream = container.streams.video[0]
    interval_s = 1.0 / sample_fps
    max_s = settings.BIOMETRIC_VIDEO_MAX_SECONDS
    sampled: list[VideoFrame] = []
    first_s: float | None = None
    last_s = 0.0
    next_sample_s = 0.0
    decoded = 0
    try:
        for frame in container.decode(stream):
            if frame.time is None:
                continue
            if first_s is None:
                first_s = frame.time
            elapsed_s = frame.time - first_s
            decoded += 1
            last_s = elapsed_s
            if elapsed_s > max_s + interval_s:
                raise MediaProblem("too_long")
            if elapsed_s + 1e-6 >= next_sample_s:
                sampled.append(VideoFrame(time_s=elapsed_s, rgb=_upright_rgb(frame)))
                next_sample_s = elapsed_s + interval_s
    except av.FFmpegError as error:
        # A clip cut short (a lost connection) still decodes up to the break; keep what we have
        # only if it is long enough to judge, otherwise the person must send it again.
        if decoded == 0:
            raise MediaProblem("unreadable") from error
    if first_s is None or not sampled:
        raise MediaProblem("unreadable")
    duration_s = last_s + (1.0 / float(stream.average_rate) if stream.average_rate else 0.0)
    if duration_s < settings.BIOMETRIC_VIDEO_MIN_SECONDS:
        raise MediaProblem("too_short")
    if duration_s > max_s:
        raise MediaProblem("too_long")
    return sampled


def _upright_rgb(frame: av.VideoFrame) -> np.ndarray:
    width, height = frame.width, frame.height
    scale = min(1.0, settings.BIOMETRIC_FRAME_MAX_SIDE_PX / max(width, height))
    out_width, out_height = max(2, round(width * scale)), max(2, round(height * scale))
    rgb = frame.to_ndarray(format="rgb24", width=out_width, height=out_height)
    # Phones record sideways and say so in a display matrix; rotation is counter-clockwise degrees.
    turns = round((frame.rotation or 0) / 90) % 4
    return np.ascontiguousarray(np.rot90(rgb, k=turns)) if turns else rgb


def _thin(frames: list[VideoFrame], most: int) -> list[VideoFrame]:
    if len(frames) <= most:
        return frames
    picks = np.linspace(0, len(frames) - 1, most).round().astype(int)
    return [frames[i] for i in sorted(set(picks.tolist()))]
