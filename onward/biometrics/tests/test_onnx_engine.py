"""The ONNX engine: an operator's own model file, run by onnxruntime, behind the same interface.

The models here are built in the test with the onnx package: small real ONNX graphs (pooling and
a fixed random projection), not face models. They prove the adapter's own work: loading and
checking the file, aligning the face, preparing the pixels as the model expects, reading the
embedding, and refusing a template made by another engine. Recognition quality is the model's,
measured by the operator with `manage.py face evaluate`.
"""

from pathlib import Path

import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from onward.biometrics import api, engines
from onward.biometrics.onnx_engine import CHIP_POINTS, OnnxFaceVerifier, face_chip, similarity_transform
from onward.biometrics.tests.clips import photo_bytes, photo_rgb

onnx = pytest.importorskip("onnx")  # a pinned requirement: present in every install
ENGINE_PATH = "onward.biometrics.onnx_engine.OnnxFaceVerifier"
POOL = 8
EMBEDDING = 64


def _projection(size: int, channels: int = 3) -> np.ndarray:
    features = channels * (size // POOL) ** 2
    return np.random.default_rng(7).standard_normal((features, EMBEDDING)).astype(np.float32)


def _model_file(folder: Path, size: int = 112, input_shape: list[object] | None = None) -> Path:
    """A real ONNX model: average-pool 8 x 8, flatten, project to 64 numbers."""
    from onnx import TensorProto, helper, numpy_helper

    shape = input_shape or [1, 3, size, size]
    channels = shape[1] if isinstance(shape[1], int) else 3
    graph = helper.make_graph(
        [
            helper.make_node("AveragePool", ["face"], ["pooled"], kernel_shape=[POOL, POOL], strides=[POOL, POOL]),
            helper.make_node("Flatten", ["pooled"], ["flat"], axis=1),
            helper.make_node("MatMul", ["flat", "projection"], ["embedding"]),
        ],
        "test-face-embedding",
        [helper.make_tensor_value_info("face", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, [shape[0], EMBEDDING])],
        [numpy_helper.from_array(_projection(size, channels), "projection")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    path = folder / f"test-model-{size}.onnx"
    onnx.save(model, str(path))
    return path


def _reference_embedding(chip: np.ndarray, size: int) -> np.ndarray:
    """What the model should say, computed with numpy alone: the pixels as the settings describe."""
    pixels = (chip.astype(np.float32) - 127.5) / 127.5
    planes = pixels.transpose(2, 0, 1)
    cells = size // POOL
    pooled = planes.reshape(3, cells, POOL, cells, POOL).mean(axis=(2, 4))
    embedding = pooled.reshape(-1) @ _projection(size)
    return embedding / np.linalg.norm(embedding)


@pytest.fixture
def onnx_engine(tmp_path, settings):
    settings.FACE_VERIFIER = ENGINE_PATH
    settings.FACE_ONNX_MODEL_PATH = str(_model_file(tmp_path))
    engines._built.cache_clear()
    yield engines.face_verifier()
    engines._built.cache_clear()


@pytest.mark.django_db
def test_the_model_file_is_run_on_the_aligned_face(onnx_engine):
    rgb = photo_rgb("obama_1")
    face = onnx_engine.find_faces(rgb)[0]

    descriptor = onnx_engine.descriptor(rgb, face)

    assert descriptor.shape == (EMBEDDING,)
    assert np.linalg.norm(descriptor) == pytest.approx(1.0)
    expected = _reference_embedding(face_chip(rgb, face, 112), 112)
    assert np.allclose(descriptor, expected, atol=1e-4)


@pytest.mark.django_db
def test_the_engine_names_its_model_so_templates_stay_with_it(onnx_engine, settings):
    assert onnx_engine.engine.startswith("onnx-")
    assert Path(settings.FACE_ONNX_MODEL_PATH).name in onnx_engine.model_version

    outcome = api.enrol_reference_photo(photo_bytes("obama_1"))
    assert outcome.ok
    assert outcome.engine == onnx_engine.engine
    assert outcome.template is not None
    assert len(outcome.template) == EMBEDDING * 8

    same = api.verify_photo(outcome.template, photo_bytes("obama_1"))
    other = api.verify_photo(outcome.template, photo_bytes("grace_hopper"))
    assert same.face.engine == onnx_engine.engine
    assert same.face.distance == pytest.approx(0.0, abs=1e-6)
    assert same.face.decision == "match"
    assert other.face.distance > same.face.distance


@pytest.mark.django_db
def test_a_template_from_another_engine_is_refused_with_a_plain_reason(onnx_engine, templates):
    dlib_template = templates["obama_1"]  # 128 numbers from dlib; this model makes 64

    with pytest.raises(ValueError, match="another face engine"):
        api.verify_photo(dlib_template, photo_bytes("obama_1"))


def test_alignment_puts_the_eyes_and_nose_in_their_places():
    finder = engines.DlibFaceFinder()
    rgb = photo_rgb("eileen_collins")
    face = finder.find_faces(rgb)[0]

    chip = face_chip(rgb, face, 448)
    # Found again in the chip (with a border, so the detector sees the whole head).
    framed = np.pad(chip, ((112, 112), (112, 112), (0, 0)), mode="edge")
    again = finder.find_faces(framed)
    assert len(again) == 1
    points = np.asarray(again[0].landmarks) - 112
    eyes = sorted([points[0:2].mean(axis=0), points[2:4].mean(axis=0)], key=lambda p: float(p[0]))
    found = np.array([eyes[0], eyes[1], points[4]])
    assert np.abs(found - CHIP_POINTS * 4).max() < 12  # pixels, in a 448 px chip


def test_the_similarity_transform_recovers_a_known_turn_and_scale():
    angle = np.radians(20)
    matrix = 1.7 * np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    source = np.array([(10.0, 20.0), (50.0, 22.0), (30.0, 45.0)])
    target = source @ matrix.T + np.array([5.0, -3.0])

    found_matrix, found_offset = similarity_transform(source, target)

    assert np.allclose(found_matrix, matrix)
    assert np.allclose(found_offset, [5.0, -3.0])


def test_a_missing_model_file_is_a_plain_configuration_error(tmp_path):
    with (
        override_settings(FACE_ONNX_MODEL_PATH=str(tmp_path / "nowhere.onnx")),
        pytest.raises(ImproperlyConfigured, match="FACE_ONNX_MODEL_PATH"),
    ):
        OnnxFaceVerifier()


def test_a_file_that_is_not_a_model_is_refused(tmp_path):
    path = tmp_path / "photo.onnx"
    path.write_bytes(photo_bytes("biden"))
    with override_settings(FACE_ONNX_MODEL_PATH=str(path)), pytest.raises(ImproperlyConfigured, match="not a model"):
        OnnxFaceVerifier()


def test_a_model_that_does_not_take_face_chips_is_refused(tmp_path):
    path = _model_file(tmp_path, input_shape=[1, 1, 112, 112])
    with override_settings(FACE_ONNX_MODEL_PATH=str(path)), pytest.raises(ImproperlyConfigured, match="batch, 3"):
        OnnxFaceVerifier()


def test_a_model_with_a_dynamic_size_uses_the_size_setting(tmp_path):
    path = _model_file(tmp_path, size=96, input_shape=["batch", 3, "height", "width"])
    with override_settings(FACE_ONNX_MODEL_PATH=str(path), FACE_ONNX_INPUT_SIZE=96):
        engine = OnnxFaceVerifier()
    assert engine.chip_size == 96


@pytest.mark.django_db
def test_a_template_of_the_same_size_from_another_model_is_refused_by_its_engine_name(onnx_engine, tmp_path):
    outcome = api.enrol_reference_photo(photo_bytes("obama_1"))
    assert outcome.template is not None

    with pytest.raises(ValueError, match="another face engine"):
        api.verify_photo(outcome.template, photo_bytes("obama_1"), enrolled_engine="onnx-0000000000000000")
    assert api.verify_photo(outcome.template, photo_bytes("obama_1"), enrolled_engine=outcome.engine).face.decision
