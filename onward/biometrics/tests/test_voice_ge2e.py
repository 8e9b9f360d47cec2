"""The NumPy GE2E encoder: the weights loader, the mel front end and the network, against references.

References written here from the definitions, independently of the fast code: the LSTM one sample
and one step at a time in float64 in torch's gate order, the spectrum by an explicit DFT sum.
"""

import hashlib
import io
import math
import pickle
import struct
import sys
from pathlib import Path

import numpy as np
import pytest

from onward.biometrics import voice_ge2e as ge2e


@pytest.fixture(scope="module")
def weights() -> ge2e.Ge2eWeights:
    return ge2e.weights_load()


def test_weights_come_from_the_installed_wheel_without_torch_or_resemblyzer_code(weights):
    path = ge2e.weights_path()
    assert path.name == "pretrained.pt"
    assert path.parent.name == "resemblyzer"
    assert weights.sha256 == ge2e.WEIGHTS_SHA256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert weights.package_version == "0.1.4"
    assert len(weights.layers) == 3
    assert weights.layers[0].w_ih.shape == (1024, 40)
    assert weights.layers[2].w_hh.shape == (1024, 256)
    assert weights.linear_w.shape == (256, 256)
    assert "torch" not in sys.modules
    assert "resemblyzer" not in sys.modules  # found by its metadata, never imported


def test_a_tampered_weights_file_is_refused(tmp_path):
    raw = bytearray(ge2e.weights_path().read_bytes())
    raw[-1000] ^= 0x01  # one bit of one weight
    tampered = tmp_path / "pretrained.pt"
    tampered.write_bytes(bytes(raw))
    with pytest.raises(ge2e.WeightsRefused, match="not the pinned"):
        ge2e.weights_load(tampered)


def test_a_missing_weights_file_is_refused(tmp_path):
    with pytest.raises(ge2e.WeightsRefused, match="Cannot read"):
        ge2e.weights_load(tmp_path / "absent.pt")


def test_the_unpickler_refuses_any_global_a_state_dict_does_not_need(tmp_path):
    """Even a file whose hash an operator pinned by mistake cannot run code: the unpickler refuses it."""
    ran = tmp_path / "ran"
    evil = _legacy_file(_pickle_calling("os", "system", f"touch {ran}"))
    path = tmp_path / "evil.pt"
    path.write_bytes(evil)
    with pytest.raises(ge2e.WeightsRefused, match=r"os\.system"):
        ge2e.weights_load(path, expected_sha256=hashlib.sha256(evil).hexdigest())
    assert not ran.exists()


def test_a_truncated_file_with_a_matching_hash_is_refused(tmp_path):
    raw = ge2e.weights_path().read_bytes()[:-4096]
    path = tmp_path / "short.pt"
    path.write_bytes(raw)
    with pytest.raises(ge2e.WeightsRefused, match="ends early"):
        ge2e.weights_load(path, expected_sha256=hashlib.sha256(raw).hexdigest())


def test_the_lstm_matches_a_step_by_step_reference(weights):
    rng = np.random.default_rng(13)
    mels = rng.gamma(0.5, 0.02, size=(2, 12, 40)).astype(np.float32)  # power-like, non-negative
    fast = ge2e.lstm_last_hidden(weights.layers, mels)
    for sample in range(2):
        reference = _naive_lstm(weights, mels[sample].astype(np.float64))
        np.testing.assert_allclose(fast[sample], reference, atol=2e-5)


def test_the_embedding_matches_a_step_by_step_reference(weights):
    rng = np.random.default_rng(7)
    mels = rng.gamma(0.5, 0.02, size=(1, 10, 40)).astype(np.float32)
    fast = ge2e.Ge2eEncoder(weights).embed_partials(mels)[0]
    hidden = _naive_lstm(weights, mels[0].astype(np.float64))
    raw = np.maximum(weights.linear_w.astype(np.float64) @ hidden + weights.linear_b, 0)
    np.testing.assert_allclose(fast, raw / np.linalg.norm(raw), atol=2e-5)
    assert np.linalg.norm(fast) == pytest.approx(1.0, abs=1e-5)
    assert (fast >= 0).all()


def test_the_mel_spectrogram_matches_an_explicit_dft():
    rng = np.random.default_rng(3)
    wav = (rng.standard_normal(1600) * 0.1).astype(np.float32)
    mel = ge2e.mel_spectrogram(wav)
    assert mel.shape == (1 + 1600 // 160, 40)
    filters = ge2e.mel_filterbank()
    padded = np.pad(wav.astype(np.float64), (200, 200))
    for frame in (0, 4, 10):
        chunk = padded[frame * 160 : frame * 160 + 400]
        power = []
        for k in range(201):
            total = sum(
                chunk[n] * (0.5 - 0.5 * math.cos(2 * math.pi * n / 400)) * complex(math.cos(a), -math.sin(a))
                for n, a in ((n, 2 * math.pi * k * n / 400) for n in range(400))
            )
            power.append(abs(total) ** 2)
        np.testing.assert_allclose(mel[frame], filters @ np.array(power), rtol=1e-4, atol=1e-9)


def test_the_mel_filters_follow_the_slaney_scale():
    filters = ge2e.mel_filterbank()
    assert filters.shape == (40, 201)
    bin_hz = 8000 / 200
    # Slaney's scale: 15 mels at 1 kHz, linear below; logarithmic above with 27 steps per factor 6.4.
    top_mel = 15 + math.log(8) / (math.log(6.4) / 27)
    centres_mel = np.linspace(0, top_mel, 42)[1:-1]
    centres_hz = [m * 200 / 3 if m < 15 else 1000 * math.exp((m - 15) * math.log(6.4) / 27) for m in centres_mel]
    for band in (0, 10, 20, 39):
        assert abs(np.argmax(filters[band]) * bin_hz - centres_hz[band]) <= bin_hz
    # Area-normalised: every triangle's height is 2 / its width in Hz, so wider bands are lower.
    assert filters[39].max() < filters[0].max()


def test_a_tone_lights_the_band_at_its_pitch():
    t = np.arange(16000) / 16000
    wav = (0.1 * np.sin(2 * np.pi * 1000 * t)).astype(np.float32)
    band = int(np.argmax(ge2e.mel_spectrogram(wav).mean(axis=0)))
    filters = ge2e.mel_filterbank()
    assert filters[band, 25] > 0  # bin 25 is 1,000 Hz


@pytest.mark.parametrize(
    ("seconds", "expected_starts"),
    [(0.5, [0]), (1.6, [0]), (3.0, [0, 77, 154]), (4.0, [0, 77, 154, 231])],
)
def test_partial_utterances_slide_at_the_papers_rate(seconds, expected_starts):
    slices = ge2e.partial_slices(int(seconds * 16000))
    assert [s.start for s in slices] == expected_starts
    assert all(s.stop - s.start == 160 for s in slices)


def _naive_lstm(weights: ge2e.Ge2eWeights, frames: np.ndarray) -> np.ndarray:
    """torch.nn.LSTM's equations, one frame at a time, float64: i, f, g, o = split(W_ih x + W_hh h + b)."""

    def sigmoid(v: float) -> float:
        return 1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v))

    sequence = list(frames)
    hidden = np.zeros(256)
    for layer in weights.layers:
        w_ih, w_hh, bias = (a.astype(np.float64) for a in (layer.w_ih, layer.w_hh, layer.bias))
        hidden, cell, outputs = np.zeros(256), np.zeros(256), []
        for x in sequence:
            gates = w_ih @ x + w_hh @ hidden + bias
            new_cell = np.empty(256)
            new_hidden = np.empty(256)
            for unit in range(256):
                i = sigmoid(gates[unit])
                f = sigmoid(gates[256 + unit])
                g = math.tanh(gates[512 + unit])
                o = sigmoid(gates[768 + unit])
                new_cell[unit] = f * cell[unit] + i * g
                new_hidden[unit] = o * math.tanh(new_cell[unit])
            hidden, cell = new_hidden, new_cell
            outputs.append(hidden)
        sequence = outputs
    return hidden


def _pickle_calling(module: str, name: str, argument: str) -> bytes:
    """A protocol-2 pickle that would call module.name(argument) when loaded."""
    text = argument.encode()
    return (
        b"\x80\x02c" + module.encode() + b"\n" + name.encode() + b"\n"
        b"X" + struct.pack("<I", len(text)) + text + b"\x85R."
    )


def _legacy_file(payload: bytes) -> bytes:
    """torch's legacy layout around a payload: magic number, protocol, system info, payload, keys."""
    out = io.BytesIO()
    for header in (0x1950A86A20F9469CFC6C, 1001, {"protocol_version": 1001, "little_endian": True}):
        pickle.dump(header, out, protocol=2)
    out.write(payload)
    pickle.dump([], out, protocol=2)
    return out.getvalue()


def test_helpers_build_a_file_the_loader_can_parse(tmp_path):
    """The evil-file test above is honest only if a harmless file of the same shape gets past the header."""
    harmless = _legacy_file(pickle.dumps({"model_state": {}}, protocol=2))
    path = tmp_path / "empty.pt"
    path.write_bytes(harmless)
    with pytest.raises(ge2e.WeightsRefused, match="should have shape"):
        ge2e.weights_load(path, expected_sha256=hashlib.sha256(harmless).hexdigest())
    assert Path(path).exists()


def test_the_mel_spectrogram_matches_librosa_as_resemblyzer_calls_it():
    """Reference computed once with librosa 0.11.0 (see fixtures/voices/PROVENANCE.md); no librosa here."""
    from onward.biometrics.tests.voices import FOLDER, samples_of

    reference = np.load(FOLDER / "reference_awb_digits_1.npz")["librosa_mel"]
    ours = ge2e.mel_spectrogram(samples_of("awb", "digits_1"))
    assert ours.shape == reference.shape == (307, 40)
    np.testing.assert_allclose(ours, reference, rtol=1e-5, atol=1e-6 * float(reference.max()))
