import io

import numpy as np
import pytest
from django.test import override_settings
from PIL import Image

from onward.biometrics import api, media
from onward.biometrics.tests.clips import jpeg, photo_rgb


class SidewaysFrame:
    """Stands in for a PyAV frame from a phone that recorded sideways and said so in a display matrix."""

    def __init__(self, rgb: np.ndarray, rotation: int) -> None:
        self.rgb, self.rotation = rgb, rotation
        self.height, self.width = rgb.shape[:2]

    def to_ndarray(self, format: str, width: int, height: int) -> np.ndarray:
        assert format == "rgb24"
        return np.asarray(Image.fromarray(self.rgb).resize((width, height)))


@pytest.mark.parametrize("rotation", [90, -90, 180])
def test_a_rotated_video_frame_is_turned_upright(rotation):
    upright = np.zeros((40, 20, 3), dtype=np.uint8)
    upright[:10] = 255  # white at the top
    stored = np.rot90(upright, k=-rotation // 90)  # how the phone stored it

    result = media._upright_rgb(SidewaysFrame(np.ascontiguousarray(stored), rotation))

    assert result.shape == upright.shape
    assert result[:10].mean() == pytest.approx(255, abs=2)
    assert result[10:].mean() == pytest.approx(0, abs=2)


@override_settings(BIOMETRIC_FRAME_MAX_SIDE_PX=320)
def test_video_frames_are_decoded_no_larger_than_the_setting():
    frame = SidewaysFrame(np.zeros((480, 640, 3), dtype=np.uint8), 0)

    assert media._upright_rgb(frame).shape == (240, 320, 3)


def test_a_huge_photo_is_refused_by_its_pixel_count():
    buffer = io.BytesIO()
    Image.new("L", (8000, 6000)).save(buffer, format="PNG")

    with pytest.raises(media.MediaProblem) as problem:
        media.image_load(buffer.getvalue())
    assert problem.value.reason_code == "too_large"


def test_a_truncated_jpeg_is_not_an_image():
    with pytest.raises(media.MediaProblem) as problem:
        media.image_load(jpeg(photo_rgb("obama_1"))[:500])
    assert problem.value.reason_code == "not_an_image"


def test_the_reviewer_frame_is_small_and_carries_no_metadata(templates):
    big = np.asarray(Image.fromarray(photo_rgb("obama_2")).resize((1600, 1600)))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make; GPS would travel the same way
    upload = jpeg(big, exif=exif)

    result = api.verify_photo(templates["obama_1"], upload)

    frame = Image.open(io.BytesIO(result.best_frames_jpeg[0]))
    assert max(frame.size) <= 640
    assert not frame.getexif()
    assert result.face.decision == "match"
