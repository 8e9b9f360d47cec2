"""The GE2E speaker encoder (Wan et al., 2018) with the weights that ship in the `resemblyzer` wheel, in NumPy.

Nothing here imports torch or resemblyzer's own code. The weights file (`resemblyzer/pretrained.pt`)
is found through the package's metadata, checked against a pinned SHA-256 before a byte of it is
unpickled, and read by a restricted unpickler that knows only the three names a state dict needs.
The front end and network follow resemblyzer's hyper-parameters:

- audio at 16 kHz; a mel power spectrogram (not log) with 40 bands, 25 ms Hann windows, 10 ms hop,
  Slaney-style mel scale and area-normalised filters, frames centred by zero padding;
- a 3-layer LSTM (hidden size 256) read to the end, its last hidden state through a linear layer
  (256 → 256), ReLU and L2 normalisation;
- an utterance's embedding is the L2-normalised mean of the embeddings of 1.6 s partial utterances
  taken 1.3 times a second (the paper's sliding-window inference).

File format (torch's legacy serialisation, before zip files): five pickles one after another
(magic number, protocol version, system info, the object, the list of storage keys), then each
storage in key order as an int64 element count and its raw little-endian bytes.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import struct
from collections import OrderedDict
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

WEIGHTS_PACKAGE = "resemblyzer"
WEIGHTS_FILE = "resemblyzer/pretrained.pt"
# resemblyzer 0.1.4's pretrained.pt (also in the wheel's RECORD). Another file is refused.
WEIGHTS_SHA256 = "39373b86598fa3da9fcddee6142382efe09777e8d37dc9c0561f41f0070f134e"

SAMPLE_RATE_HZ = 16_000
MEL_WINDOW_SAMPLES = SAMPLE_RATE_HZ * 25 // 1000  # 25 ms
MEL_HOP_SAMPLES = SAMPLE_RATE_HZ * 10 // 1000  # 10 ms
MEL_BANDS = 40
PARTIAL_FRAMES = 160  # 1.6 s of mel frames per partial utterance
PARTIALS_PER_SECOND = 1.3
PARTIAL_MIN_COVERAGE = 0.75  # a last partial shorter than this share of PARTIAL_FRAMES is dropped
HIDDEN_SIZE = 256
LAYERS = 3
EMBEDDING_SIZE = 256

_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
_FLOAT32_BYTES = 4


class WeightsRefused(Exception):
    """The weights file is missing, is not the pinned file, or holds something other than the encoder."""


@dataclass(frozen=True)
class LstmLayer:
    w_ih: np.ndarray  # (4 * hidden, input) in torch's gate order: input, forget, cell, output
    w_hh: np.ndarray  # (4 * hidden, hidden)
    bias: np.ndarray  # (4 * hidden,): b_ih + b_hh


@dataclass(frozen=True)
class Ge2eWeights:
    layers: tuple[LstmLayer, ...]
    linear_w: np.ndarray  # (embedding, hidden)
    linear_b: np.ndarray  # (embedding,)
    sha256: str
    package_version: str


def weights_path() -> Path:
    """Where the installed resemblyzer wheel keeps pretrained.pt (found without importing the package)."""
    try:
        located = metadata.distribution(WEIGHTS_PACKAGE).locate_file(WEIGHTS_FILE)
    except metadata.PackageNotFoundError as error:
        raise WeightsRefused("The resemblyzer package is not installed: pip install it (see requirements).") from error
    return Path(str(located))


def weights_load(path: Path | None = None, expected_sha256: str = WEIGHTS_SHA256) -> Ge2eWeights:
    """The encoder's weights from the pinned file; WeightsRefused if the file is not exactly that file."""
    path = path or weights_path()
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise WeightsRefused(f"Cannot read the voice encoder weights at {path}: {error}") from error
    digest = hashlib.sha256(raw).hexdigest()
    if digest != expected_sha256:
        raise WeightsRefused(
            f"The voice encoder weights at {path} have SHA-256 {digest}, not the pinned {expected_sha256}: "
            "the file was changed or is another model. Reinstall resemblyzer at the pinned version."
        )
    tensors = _state_dict_read(raw)
    try:
        version = metadata.version(WEIGHTS_PACKAGE)
    except metadata.PackageNotFoundError:
        version = "unknown"
    return _weights_from_state(tensors, digest, version)


class Ge2eEncoder:
    """Speaker embeddings (256 numbers, non-negative, unit length) from 16 kHz mono float audio."""

    def __init__(self, weights: Ge2eWeights) -> None:
        self.weights = weights
        self._mel_filters = mel_filterbank()
        self._window = hann_window(MEL_WINDOW_SAMPLES)
        self._layers = tuple(_GateOrdered.of(layer) for layer in weights.layers)

    def embed_utterance(self, wav: np.ndarray) -> np.ndarray:
        """The L2-normalised mean of the partial utterances' embeddings (audio already cleaned by the caller)."""
        mel_slices = partial_slices(len(wav))
        needed = mel_slices[-1].stop * MEL_HOP_SAMPLES
        if needed >= len(wav):
            wav = np.pad(wav, (0, needed - len(wav)))
        mel = mel_spectrogram(wav, self._mel_filters, self._window)
        partials = np.stack([mel[s] for s in mel_slices])
        embeddings = self.embed_partials(partials)
        mean = embeddings.mean(axis=0)
        return mean / np.linalg.norm(mean)

    def embed_partials(self, mels: np.ndarray) -> np.ndarray:
        """(batch, frames, 40) mel spectrograms → (batch, 256) unit-length embeddings."""
        last_hidden = _lstm_run(self._layers, mels.astype(np.float32, copy=False))
        raw = np.maximum(last_hidden @ self.weights.linear_w.T + self.weights.linear_b, 0.0)
        norms = np.linalg.norm(raw, axis=1, keepdims=True)
        return raw / np.maximum(norms, np.finfo(np.float32).tiny)


def lstm_last_hidden(layers: tuple[LstmLayer, ...], x: np.ndarray) -> np.ndarray:
    """The top layer's hidden state after the last frame, for a batch (batch, frames, features).

    Each layer's input projection is one matrix product over all frames; only the recurrent
    product runs frame by frame.
    """
    return _lstm_run(tuple(_GateOrdered.of(layer) for layer in layers), x)


@dataclass(frozen=True)
class _GateOrdered:
    """A layer with its gate rows reordered to input, forget, output, cell (one sigmoid covers three)."""

    w_ih_t: np.ndarray
    w_hh_t: np.ndarray
    bias: np.ndarray

    @classmethod
    def of(cls, layer: LstmLayer) -> _GateOrdered:
        size = layer.w_hh.shape[1]
        order = np.r_[0 : 2 * size, 3 * size : 4 * size, 2 * size : 3 * size]
        return cls(
            w_ih_t=np.ascontiguousarray(layer.w_ih[order].T),
            w_hh_t=np.ascontiguousarray(layer.w_hh[order].T),
            bias=layer.bias[order],
        )


def _lstm_run(layers: tuple[_GateOrdered, ...], x: np.ndarray) -> np.ndarray:
    sequence = x
    batch, frames = x.shape[:2]
    size = HIDDEN_SIZE
    hidden = np.zeros((batch, size), dtype=np.float32)
    for index, layer in enumerate(layers):
        projected = sequence @ layer.w_ih_t + layer.bias  # (batch, frames, 4 * hidden)
        hidden = np.zeros((batch, size), dtype=np.float32)
        cell = np.zeros((batch, size), dtype=np.float32)
        outputs = np.empty((batch, frames, size), dtype=np.float32) if index < len(layers) - 1 else None
        for t in range(frames):
            gates = projected[:, t] + hidden @ layer.w_hh_t
            sig = _sigmoid(gates[:, : 3 * size])
            cell = sig[:, size : 2 * size] * cell + sig[:, :size] * np.tanh(gates[:, 3 * size :])
            hidden = sig[:, 2 * size :] * np.tanh(cell)
            if outputs is not None:
                outputs[:, t] = hidden
        if outputs is not None:
            sequence = outputs
    return hidden


def mel_spectrogram(wav: np.ndarray, filters: np.ndarray | None = None, window: np.ndarray | None = None) -> np.ndarray:
    """(frames, 40) mel power spectrogram, float32; frames = 1 + len(wav) // hop (centred frames)."""
    filters = mel_filterbank() if filters is None else filters
    window = hann_window(MEL_WINDOW_SAMPLES) if window is None else window
    half = MEL_WINDOW_SAMPLES // 2
    padded = np.pad(np.asarray(wav, dtype=np.float32), (half, half))
    frames = np.lib.stride_tricks.sliding_window_view(padded, MEL_WINDOW_SAMPLES)[::MEL_HOP_SAMPLES]
    spectrum = np.fft.rfft(frames * window, axis=1)
    power = spectrum.real**2 + spectrum.imag**2
    return (power @ filters.T).astype(np.float32)


def hann_window(length: int) -> np.ndarray:
    """The periodic Hann window (as used for spectral analysis)."""
    return (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(length) / length)).astype(np.float32)


def mel_filterbank(
    sample_rate_hz: int = SAMPLE_RATE_HZ, n_fft: int = MEL_WINDOW_SAMPLES, bands: int = MEL_BANDS
) -> np.ndarray:
    """(bands, n_fft // 2 + 1) triangular filters on the Slaney mel scale, each scaled to unit area."""
    fft_hz = np.linspace(0, sample_rate_hz / 2, n_fft // 2 + 1)
    edges_hz = _mel_to_hz(np.linspace(_hz_to_mel(0.0), _hz_to_mel(sample_rate_hz / 2), bands + 2))
    widths = np.diff(edges_hz)
    offsets = edges_hz[:, None] - fft_hz[None, :]
    filters = np.zeros((bands, fft_hz.size))
    for band in range(bands):
        rising = -offsets[band] / widths[band]
        falling = offsets[band + 2] / widths[band + 1]
        filters[band] = np.maximum(0, np.minimum(rising, falling))
    filters *= (2.0 / (edges_hz[2 : bands + 2] - edges_hz[:bands]))[:, None]
    return filters.astype(np.float32)


def partial_slices(n_samples: int) -> list[slice]:
    """Mel-frame ranges of the partial utterances covering n_samples of audio (at least one)."""
    n_frames = int(np.ceil((n_samples + 1) / MEL_HOP_SAMPLES))
    step = int(np.round((SAMPLE_RATE_HZ / PARTIALS_PER_SECOND) / MEL_HOP_SAMPLES))
    starts = range(0, max(1, n_frames - PARTIAL_FRAMES + step + 1), step)
    slices = [slice(start, start + PARTIAL_FRAMES) for start in starts]
    last_start_sample = slices[-1].start * MEL_HOP_SAMPLES
    coverage = (n_samples - last_start_sample) / (PARTIAL_FRAMES * MEL_HOP_SAMPLES)
    if coverage < PARTIAL_MIN_COVERAGE and len(slices) > 1:
        slices.pop()
    return slices


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # no overflow for large negative x


# Slaney's mel scale: linear below 1 kHz, logarithmic above.
_MEL_LINEAR_HZ_PER_MEL = 200.0 / 3
_MEL_BREAK_HZ = 1000.0
_MEL_BREAK = _MEL_BREAK_HZ / _MEL_LINEAR_HZ_PER_MEL
_MEL_LOG_STEP = np.log(6.4) / 27.0


def _hz_to_mel(hz: float) -> float:
    if hz < _MEL_BREAK_HZ:
        return hz / _MEL_LINEAR_HZ_PER_MEL
    return float(_MEL_BREAK + np.log(hz / _MEL_BREAK_HZ) / _MEL_LOG_STEP)


def _mel_to_hz(mels: np.ndarray) -> np.ndarray:
    linear = mels * _MEL_LINEAR_HZ_PER_MEL
    logarithmic = _MEL_BREAK_HZ * np.exp(_MEL_LOG_STEP * (mels - _MEL_BREAK))
    return np.where(mels >= _MEL_BREAK, logarithmic, linear)


# --- Reading the state dict without torch ---------------------------------------------------------


@dataclass(frozen=True)
class _StorageRef:
    key: str
    elements: int


@dataclass(frozen=True)
class _TensorRef:
    storage: _StorageRef
    offset: int
    shape: tuple[int, ...]
    stride: tuple[int, ...]


class _FloatStorageType:
    """Stands for torch.FloatStorage in the pickle: the only storage type the encoder uses."""


def _rebuild_tensor(
    storage: _StorageRef, offset: int, shape: tuple[int, ...], stride: tuple[int, ...], *_: Any
) -> _TensorRef:
    if not isinstance(storage, _StorageRef):
        raise WeightsRefused("A tensor in the weights file does not point at a storage.")
    return _TensorRef(storage, int(offset), tuple(int(s) for s in shape), tuple(int(s) for s in stride))


class _StateDictUnpickler(pickle.Unpickler):
    """Builds only an OrderedDict of tensor references; any other global in the file is refused."""

    ALLOWED = {
        ("collections", "OrderedDict"): OrderedDict,
        ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor,
        ("torch", "FloatStorage"): _FloatStorageType,
    }

    def __init__(self, file: io.BytesIO) -> None:
        super().__init__(file)
        self.storages: dict[str, int] = {}

    def find_class(self, module: str, name: str) -> Any:
        try:
            return self.ALLOWED[(module, name)]
        except KeyError:
            raise WeightsRefused(
                f"The weights file asks for {module}.{name}, which a state dict never needs."
            ) from None

    def persistent_load(self, pid: Any) -> _StorageRef:
        if not (isinstance(pid, tuple) and len(pid) >= 5 and pid[0] == "storage" and pid[1] is _FloatStorageType):
            raise WeightsRefused("The weights file holds a storage that is not float32.")
        key, elements = str(pid[2]), int(pid[4])
        self.storages[key] = elements
        return _StorageRef(key, elements)


class _PlainUnpickler(pickle.Unpickler):
    """For the header pickles and the key list: plain data only."""

    def find_class(self, module: str, name: str) -> Any:
        raise WeightsRefused(f"The weights file asks for {module}.{name} where only plain data belongs.")


def _state_dict_read(raw: bytes) -> dict[str, np.ndarray]:
    stream = io.BytesIO(raw)
    try:
        if _PlainUnpickler(stream).load() != _LEGACY_MAGIC:
            raise WeightsRefused("The weights file is not in torch's legacy format.")
        _PlainUnpickler(stream).load()  # protocol version
        info = _PlainUnpickler(stream).load()
        if not (isinstance(info, dict) and info.get("little_endian") is True):
            raise WeightsRefused("The weights file is not little-endian.")
        reader = _StateDictUnpickler(stream)
        checkpoint = reader.load()
        keys = _PlainUnpickler(stream).load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError) as error:
        raise WeightsRefused(f"The weights file cannot be read: {error}") from error
    if not (isinstance(checkpoint, dict) and isinstance(checkpoint.get("model_state"), dict)):
        raise WeightsRefused("The weights file has no model_state.")
    if not isinstance(keys, list) or set(keys) != set(reader.storages):
        raise WeightsRefused("The weights file's storage list does not match its tensors.")
    needed = {t.storage.key for t in checkpoint["model_state"].values() if isinstance(t, _TensorRef)}
    buffers: dict[str, np.ndarray] = {}
    for key in keys:
        header = stream.read(8)
        if len(header) != 8:
            raise WeightsRefused("The weights file ends early.")
        (elements,) = struct.unpack("<q", header)
        if elements != reader.storages[key]:
            raise WeightsRefused("A storage in the weights file has the wrong size.")
        data = stream.read(elements * _FLOAT32_BYTES)
        if len(data) != elements * _FLOAT32_BYTES:
            raise WeightsRefused("The weights file ends early.")
        if key in needed:
            buffers[key] = np.frombuffer(data, dtype="<f4")
    if stream.read(1):
        raise WeightsRefused("The weights file has bytes after its last storage.")
    return {
        name: _tensor(ref, buffers) for name, ref in checkpoint["model_state"].items() if isinstance(ref, _TensorRef)
    }


def _tensor(ref: _TensorRef, buffers: dict[str, np.ndarray]) -> np.ndarray:
    buffer = buffers[ref.storage.key]
    if any(s < 0 for s in ref.shape + ref.stride) or ref.offset < 0:
        raise WeightsRefused("A tensor in the weights file has a negative size.")
    last = ref.offset + sum((n - 1) * s for n, s in zip(ref.shape, ref.stride, strict=True)) if all(ref.shape) else 0
    if last >= buffer.size:
        raise WeightsRefused("A tensor in the weights file reaches past its storage.")
    strides = tuple(s * _FLOAT32_BYTES for s in ref.stride)
    view = np.lib.stride_tricks.as_strided(buffer[ref.offset :], shape=ref.shape, strides=strides)
    return np.array(view, dtype=np.float32)  # a copy: owned, writable, native order


def _weights_from_state(tensors: dict[str, np.ndarray], sha256: str, version: str) -> Ge2eWeights:
    def take(name: str, shape: tuple[int, ...]) -> np.ndarray:
        tensor = tensors.get(name)
        if tensor is None or tensor.shape != shape:
            found = None if tensor is None else tensor.shape
            raise WeightsRefused(f"The weights file's {name} should have shape {shape}, not {found}.")
        return tensor

    gates = 4 * HIDDEN_SIZE
    layers = []
    for n in range(LAYERS):
        inputs = MEL_BANDS if n == 0 else HIDDEN_SIZE
        layers.append(
            LstmLayer(
                w_ih=take(f"lstm.weight_ih_l{n}", (gates, inputs)),
                w_hh=take(f"lstm.weight_hh_l{n}", (gates, HIDDEN_SIZE)),
                bias=take(f"lstm.bias_ih_l{n}", (gates,)) + take(f"lstm.bias_hh_l{n}", (gates,)),
            )
        )
    return Ge2eWeights(
        layers=tuple(layers),
        linear_w=take("linear.weight", (EMBEDDING_SIZE, HIDDEN_SIZE)),
        linear_b=take("linear.bias", (EMBEDDING_SIZE,)),
        sha256=sha256,
        package_version=version,
    )
