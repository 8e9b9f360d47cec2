"""A fake camera for Chromium: frames written as a Y4M file, played by
--use-fake-device-for-media-stream --use-file-for-fake-video-capture=<file>."""

from pathlib import Path

import numpy as np
from PIL import Image

FRAME_RATE = 15


def write_y4m(frames: list[Image.Image], path: Path, *, width: int = 640, height: int = 480) -> Path:
    """Write RGB images (resized to width × height) as a 4:2:0 Y4M clip, one image per frame."""
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F{FRAME_RATE}:1 Ip A1:1 C420jpeg\n".encode())
        for frame in frames:
            ycbcr = np.asarray(frame.convert("RGB").resize((width, height)).convert("YCbCr"))
            y, cb, cr = ycbcr[:, :, 0], ycbcr[:, :, 1], ycbcr[:, :, 2]
            # 4:2:0: chroma averaged over each 2 × 2 block.
            cb = cb.reshape(height // 2, 2, width // 2, 2).mean(axis=(1, 3)).astype(np.uint8)
            cr = cr.reshape(height // 2, 2, width // 2, 2).mean(axis=(1, 3)).astype(np.uint8)
            out.write(b"FRAME\n")
            out.write(y.tobytes())
            out.write(cb.tobytes())
            out.write(cr.tobytes())
    return path


def hold(image: Image.Image, seconds: float) -> list[Image.Image]:
    """The same image for a number of seconds of frames."""
    return [image] * max(1, round(seconds * FRAME_RATE))
