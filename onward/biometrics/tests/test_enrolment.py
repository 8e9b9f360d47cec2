import io

import numpy as np
import pytest
from django.test import override_settings
from PIL import Image, ImageFilter

from onward.biometrics import api
from onward.biometrics.tests.clips import jpeg, photo_bytes, photo_rgb

FIXTURE_PEOPLE = ["obama_1", "obama_2", "obama_3", "biden", "grace_hopper", "eileen_collins"]


@pytest.mark.parametrize("name", FIXTURE_PEOPLE)
def test_each_fixture_enrols_with_a_128_float_template(name):
    outcome = api.enrol_reference_photo(photo_bytes(name))

    assert outcome.ok
    assert outcome.reason_code == "ok"
    assert outcome.template is not None
    assert len(outcome.template) == 128 * 8
    assert np.isfinite(np.frombuffer(outcome.template, dtype="<f8")).all()
    assert outcome.engine == "dlib-resnet-v1"
    assert "dlib" in outcome.model_version
    assert outcome.timings_ms["total"] > 0


def test_enrolment_is_repeatable():
    first = api.enrol_reference_photo(photo_bytes("obama_1"))
    second = api.enrol_reference_photo(photo_bytes("obama_1"))

    assert first.template == second.template


def test_a_file_that_is_not_an_image_is_refused_in_plain_words():
    outcome = api.enrol_reference_photo(b"%PDF-1.4 this is a document, not a photo")

    assert not outcome.ok
    assert outcome.reason_code == "not_an_image"
    assert outcome.template is None
    assert "JPEG" in outcome.message


def test_an_empty_upload_is_not_an_image():
    assert api.enrol_reference_photo(b"").reason_code == "not_an_image"


@override_settings(BIOMETRIC_MAX_IMAGE_BYTES=10_000)
def test_an_oversized_photo_is_refused_before_decoding():
    outcome = api.enrol_reference_photo(photo_bytes("obama_1"))

    assert outcome.reason_code == "too_large"
    assert "too big" in outcome.message


def test_a_plain_colour_image_has_no_face():
    outcome = api.enrol_reference_photo(jpeg(np.full((320, 320, 3), (90, 140, 200), dtype=np.uint8)))

    assert outcome.reason_code == "no_face"
    assert outcome.message.startswith("We could not see a face.")


def test_two_people_side_by_side_are_refused():
    composite = np.hstack([photo_rgb("obama_1"), photo_rgb("grace_hopper")])

    outcome = api.enrol_reference_photo(jpeg(composite))

    assert outcome.reason_code == "many_faces"
    assert outcome.template is None


def test_a_face_far_from_the_camera_is_too_small():
    small_face = np.asarray(Image.fromarray(photo_rgb("grace_hopper")).resize((150, 150)))
    canvas = np.full((640, 640, 3), 128, dtype=np.uint8)
    canvas[245:395, 245:395] = small_face

    outcome = api.enrol_reference_photo(jpeg(canvas))

    assert outcome.reason_code == "face_too_small"


def test_a_blurred_photo_is_refused():
    blurred = Image.fromarray(photo_rgb("obama_1")).filter(ImageFilter.GaussianBlur(1.5))

    outcome = api.enrol_reference_photo(jpeg(np.asarray(blurred)))

    assert outcome.reason_code == "blurred", outcome.sharpness
    assert "blurred" in outcome.message


def test_a_png_is_accepted_like_a_jpeg():
    buffer = io.BytesIO()
    Image.fromarray(photo_rgb("eileen_collins")).save(buffer, format="PNG")

    assert api.enrol_reference_photo(buffer.getvalue()).ok
