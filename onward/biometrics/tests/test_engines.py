import numpy as np
import pytest
from django.test import override_settings

from onward.biometrics import api, engines
from onward.biometrics.tests.clips import photo_bytes, photo_rgb, turned


class AlwaysSameVerifier:
    """A stand-in engine an operator might plug in: one face in the middle, always distance 0.55."""

    engine = "test-always-same"
    model_version = "1"

    def find_faces(self, rgb):
        height, width = rgb.shape[:2]
        box = (width // 4, height // 4, 3 * width // 4, 3 * height // 4)
        marks = ((100.0, 100.0), (120.0, 100.0), (200.0, 100.0), (180.0, 100.0), (150.0, 160.0))
        return [engines.FoundFace(box=box, box_size_at_detection_px=width / 2, landmarks=marks, detection_scale=1.0)]

    def descriptor(self, rgb, face):
        return np.zeros(128)

    def distance(self, template, descriptor):
        return 0.55


def test_the_default_engines_are_dlib_and_the_challenge_checker():
    from onward.biometrics.liveness import ChallengeLivenessChecker

    assert isinstance(engines.face_verifier(), engines.DlibFaceVerifier)
    assert isinstance(engines.liveness_checker(), ChallengeLivenessChecker)


def test_models_load_once_per_process():
    assert engines.face_verifier() is engines.face_verifier()


@override_settings(FACE_VERIFIER="onward.biometrics.tests.test_engines.AlwaysSameVerifier")
def test_an_operator_can_plug_in_another_face_engine(templates):
    result = api.verify_photo(templates["obama_1"], photo_bytes("biden"))

    assert result.face.engine == "test-always-same"
    assert result.face.distance == 0.55
    assert result.face.decision == "review"


@override_settings(FACE_MATCH_MAX_DISTANCE=0.30, FACE_REVIEW_MAX_DISTANCE=0.40)
def test_the_decision_bands_come_from_settings(templates):
    result = api.verify_photo(templates["obama_1"], photo_bytes("obama_2"))  # distance about 0.37

    assert result.face.decision == "review"
    assert "will look at it" in result.message


def test_a_template_round_trips_exactly():
    descriptor = np.linspace(-0.2, 0.2, 128)

    assert np.array_equal(engines.descriptor_from_template(engines.template_from_descriptor(descriptor)), descriptor)


def test_yaw_is_positive_when_the_person_turns_to_their_own_left():
    verifier = engines.face_verifier()
    (frontal,) = verifier.find_faces(photo_rgb("obama_1"))
    (their_left,) = verifier.find_faces(turned("obama_1", 30.0))
    (their_right,) = verifier.find_faces(turned("obama_1", -30.0))

    assert abs(engines.yaw_deg(frontal)) < 5
    assert engines.yaw_deg(their_left) > 15
    assert engines.yaw_deg(their_right) < -15
    # Their left is the right-hand side of an unmirrored frame: the nose moves right.
    assert their_left.landmarks[4][0] > frontal.landmarks[4][0]


def test_a_tilted_head_is_not_read_as_a_turn():
    from PIL import Image

    tilted = np.asarray(Image.fromarray(photo_rgb("obama_1")).rotate(15, resample=Image.Resampling.BILINEAR))
    (face,) = engines.face_verifier().find_faces(tilted)

    assert abs(engines.yaw_deg(face)) < 6


@pytest.mark.parametrize("name", ["obama_1", "grace_hopper"])
def test_a_synthetic_turn_stays_the_same_person(templates, name):
    verifier = engines.face_verifier()
    rgb = turned(name, 30.0)
    (face,) = verifier.find_faces(rgb)

    assert verifier.distance(templates[name], verifier.descriptor(rgb, face)) < 0.50


@pytest.mark.parametrize(("fixture", "sign"), [("obama_1_turned_their_left", 1), ("obama_1_turned_their_right", -1)])
def test_the_committed_turned_photos_read_as_turned_and_match(templates, fixture, sign):
    verifier = engines.face_verifier()
    rgb = photo_rgb(fixture)
    (face,) = verifier.find_faces(rgb)

    assert sign * engines.yaw_deg(face) > 15
    assert verifier.distance(templates["obama_1"], verifier.descriptor(rgb, face)) <= 0.50
