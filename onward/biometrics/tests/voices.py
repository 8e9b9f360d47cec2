"""Test voices: flite's synthetic speakers (see fixtures/voices/PROVENANCE.md), and ways to send them.

Each "speaker" is one of Debian flite's voices, not a person: awb (Scottish English, male), rms
(US English, male), slt (US English, female), kal16 (US English, male, diphone).
"""

import io
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

VOICES = ("awb", "rms", "slt", "kal16")
FOLDER = Path(__file__).parent / "fixtures" / "voices"
RATE_HZ = 16_000
DIGITS_READ = {"digits_1": "472918", "digits_2": "603582"}  # what the digits_N fixtures say (generate.sh)


def voice_path(voice: str, name: str) -> Path:
    """name: "phrase_1".."phrase_3" (the enrolment phrases), "digits_1", "digits_2" (six digits read out:
    DIGITS_READ), or "digit_0".."digit_9" (one digit: DIGIT_VOICES only)."""
    return FOLDER / f"{voice}_{name}.wav"


def voice_bytes(voice: str, name: str) -> bytes:
    return voice_path(voice, name).read_bytes()


def enrolment_phrases(voice: str) -> list[bytes]:
    return [voice_bytes(voice, f"phrase_{n}") for n in (1, 2, 3)]


def samples_of(voice: str, name: str) -> np.ndarray:
    """The fixture's samples as float32 in [-1, 1] (16 kHz mono, as flite wrote them)."""
    with av.open(str(voice_path(voice, name))) as container:
        frames = [f.to_ndarray().reshape(-1) for f in container.decode(audio=0)]
    return (np.concatenate(frames).astype(np.float32) / 32768).astype(np.float32)


DIGIT_VOICES = ("rms", "slt")  # the voices with one file a digit


def read_digits(voice: str, digits: str) -> np.ndarray:
    """The voice reading a number digit by digit, as a person reads the one on the screen: a short pause
    between digits and a longer one after the third (samples at RATE_HZ, half a second of quiet each end)."""
    pieces = [np.zeros(RATE_HZ // 2, dtype=np.float32)]
    for index, digit in enumerate(digits):
        pieces.append(samples_of(voice, f"digit_{digit}"))
        pieces.append(np.zeros(int(RATE_HZ * (0.35 if index == 2 else 0.15)), dtype=np.float32))
    pieces.append(np.zeros(RATE_HZ // 2, dtype=np.float32))
    return np.concatenate(pieces)


def wav_bytes(samples: np.ndarray, rate_hz: int = RATE_HZ) -> bytes:
    """16-bit mono WAV of float samples (clipped to [-1, 1])."""
    return encode_audio(samples, "wav", rate_hz=rate_hz)


def encode_audio(samples: np.ndarray, container_format: str, rate_hz: int = RATE_HZ) -> bytes:
    """Samples in a container as a browser or phone sends them: webm/ogg (Opus), mp4 (AAC), wav (PCM)."""
    codec, sample_format, out_rate = {
        "webm": ("libopus", "s16", 48_000),
        "ogg": ("libopus", "s16", 48_000),
        "mp4": ("aac", "fltp", 44_100),
        "wav": ("pcm_s16le", "s16", rate_hz),
    }[container_format]
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=container_format) as container:
        stream = container.add_stream(codec, rate=out_rate, layout="mono")
        _write_audio(container, stream, samples, rate_hz, sample_format, out_rate)
    return buffer.getvalue()


def clip_with_sound(samples: np.ndarray | None, seconds: float = 3.0, container_format: str = "webm") -> bytes:
    """A check-in clip: a plain moving picture (VP8 or H.264) with the samples as its sound track, or none."""
    buffer = io.BytesIO()
    fps = 10
    with av.open(buffer, mode="w", format=container_format) as container:
        video = container.add_stream("libvpx" if container_format == "webm" else "libx264", rate=fps)
        video.width, video.height, video.pix_fmt = 160, 120, "yuv420p"
        audio = None
        if samples is not None:
            codec = "libopus" if container_format == "webm" else "aac"
            audio = container.add_stream(codec, rate=48_000, layout="mono")
        for index in range(int(seconds * fps)):
            picture = np.full((120, 160, 3), (index * 7) % 255, dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            frame.pts = index
            frame.time_base = Fraction(1, fps)
            for packet in video.encode(frame):
                container.mux(packet)
        for packet in video.encode():
            container.mux(packet)
        if audio is not None and samples is not None:
            sample_format = "s16" if container_format == "webm" else "fltp"
            _write_audio(container, audio, samples, RATE_HZ, sample_format, 48_000)
    return buffer.getvalue()


def white_noise(seconds: float, level: float, seed: int) -> np.ndarray:
    return (np.random.default_rng(seed).standard_normal(int(seconds * RATE_HZ)) * level).astype(np.float32)


def with_noise(samples: np.ndarray, snr_db: float, seed: int) -> np.ndarray:
    """The samples with white noise added at snr_db below the speech's own power (measured over its voiced part)."""
    loud = samples[np.abs(samples) > 0.01]
    speech_power = float(np.mean(loud.astype(np.float64) ** 2))
    noise_level = np.sqrt(speech_power / 10 ** (snr_db / 10))
    return (samples + white_noise(len(samples) / RATE_HZ, noise_level, seed)).astype(np.float32)


def _write_audio(
    container: av.container.OutputContainer,
    stream: av.AudioStream,
    samples: np.ndarray,
    rate_hz: int,
    sample_format: str,
    out_rate: int,
) -> None:
    pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16).reshape(1, -1)
    frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
    frame.sample_rate = rate_hz
    resampler = av.AudioResampler(format=sample_format, layout="mono", rate=out_rate, frame_size=960)
    for converted in [*resampler.resample(frame), *resampler.resample(None)]:
        converted.pts = None
        for packet in stream.encode(converted):
            container.mux(packet)
    for packet in stream.encode(None):
        container.mux(packet)
