"""Face verification of check-ins on one core: a selfie (verify_photo) and a challenge video (verify_video).

Prints: photo_checkin_p50_ms, photo_checkin_p95_ms, video_checkin_p50_ms, video_checkin_p95_ms,
photo_checkins_per_second, video_checkins_per_second, worker_processes; and the same latencies in
CPU time (*_cpu_*), which other busy processes on the machine do not inflate. Needs no database.
The video is an 8-second clip for a liveness challenge (640 x 480, 30 frames a second, VP8 webm),
rendered with the test lighting model (onward/biometrics/tests/render.py): liveness_video_p95_ms is its
whole check (decode, landmarks, face match, liveness; target <= 1,500 ms on one core).
Then the voice (voice_verify_*): the sound track of a 6-second check-in clip, a flite voice reading
six digits, against that voice's template, with the digits recognised and checked against the number
asked (target: voice_verify_p95_ms <= 300); voice_digits_cpu_p95_ms is the recogniser's share.
"""

import os
import sys
import time

from _setup import ROOT, percentile

PHOTO_RUNS = 40
VIDEO_RUNS = 8
CLIP_FPS = 30
VOICE_RUNS = 20


def main() -> None:
    # One core, one thread: what a single worker process gets. Set before numpy and dlib load.
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[variable] = "1"
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {max(os.sched_getaffinity(0))})
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    import numpy as np
    from PIL import Image

    from onward.biometrics import api
    from onward.biometrics.liveness import challenge_new
    from onward.biometrics.tests import render
    from onward.biometrics.tests.clips import encode_clip, photo_bytes

    template = api.enrol_reference_photo(photo_bytes("obama_2")).template
    assert template is not None
    selfie = photo_bytes("obama_1")
    # As a browser records it: 640 x 480 at 30 frames a second, VP8 in webm, about 8 seconds.
    challenge = challenge_new(seed=1)
    frames = [
        np.asarray(Image.fromarray(f).resize((640, 480), Image.Resampling.BILINEAR))
        for f in render.genuine_frames("obama_1", challenge, fps=CLIP_FPS)
    ]
    clip = encode_clip(frames, "webm", fps=CLIP_FPS)
    clip_seconds = len(frames) / CLIP_FPS
    warm = api.verify_video(template, clip, challenge)  # loads the models once, as a worker would
    assert warm.face.decision == "match"
    assert warm.liveness is not None
    assert warm.liveness.passed, warm.liveness.details()

    photo_ms, photo_cpu_ms = _timed(PHOTO_RUNS, lambda: api.verify_photo(template, selfie))
    video_ms, video_cpu_ms = _timed(VIDEO_RUNS, lambda: api.verify_video(template, clip, challenge))

    print(f"photo_checkin_p50_ms = {percentile(photo_ms, 50):.1f}")
    print(f"photo_checkin_p95_ms = {percentile(photo_ms, 95):.1f}")
    print(f"video_checkin_p50_ms = {percentile(video_ms, 50):.1f}")
    print(f"video_checkin_p95_ms = {percentile(video_ms, 95):.1f}")
    print(f"photo_checkins_per_second = {1000 * len(photo_ms) / sum(photo_ms):.2f}")
    print(f"video_checkins_per_second = {1000 * len(video_ms) / sum(video_ms):.2f}")
    print(f"photo_checkin_cpu_p50_ms = {percentile(photo_cpu_ms, 50):.1f}")
    print(f"photo_checkin_cpu_p95_ms = {percentile(photo_cpu_ms, 95):.1f}")
    print(f"video_checkin_cpu_p50_ms = {percentile(video_cpu_ms, 50):.1f}")
    print(f"video_checkin_cpu_p95_ms = {percentile(video_cpu_ms, 95):.1f}")
    print(f"video_frames_checked = {warm.face.frames_checked}")
    print(f"liveness_video_p50_ms = {percentile(video_ms, 50):.1f}")
    print(f"liveness_video_p95_ms = {percentile(video_ms, 95):.1f}")
    print(f"liveness_video_cpu_p95_ms = {percentile(video_cpu_ms, 95):.1f}")
    print(f"liveness_video_clip_seconds = {clip_seconds:.1f}")
    print("worker_processes = 1")


def _timed(runs: int, check_in: object) -> tuple[list[float], list[float]]:
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = check_in()  # type: ignore[operator]
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
        assert result.face.decision == "match", result.face
    return wall, cpu


def voice_main() -> None:
    """voice_verify_*: one check-in clip's sound track against an enrolled voice, on one core.

    Runs after main(), or alone: `python -c "import checkin_verify as b; b.voice_main()"` from bench/.
    """
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")  # no effect if numpy is already loaded (then main set them)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {max(os.sched_getaffinity(0))})
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    import numpy as np

    from onward.biometrics import voice
    from onward.biometrics.tests.voices import clip_with_sound, enrolment_phrases, samples_of

    enrolled = voice.enrol_voice(enrolment_phrases("rms"))  # loads the weights once, as a worker would
    assert enrolled.template is not None
    silence = np.zeros(16_000, dtype=np.float32)
    reading = np.concatenate([silence, samples_of("rms", "digits_1"), silence])  # about 5 s
    clip = clip_with_sound(reading, seconds=len(reading) / 16_000)
    recogniser = voice.digit_recogniser()
    assert recogniser is not None
    wall, cpu, digits_cpu = [], [], []
    for _ in range(VOICE_RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = voice.verify_voice(enrolled.template, clip, expected_digits="472918")  # what digits_1 says
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
        assert result.decision == "match", result
        assert result.digits_passed, result
        started_cpu = time.process_time()
        recogniser.digits(reading)
        digits_cpu.append((time.process_time() - started_cpu) * 1000)
    print(f"voice_verify_p50_ms = {percentile(wall, 50):.1f}")
    print(f"voice_verify_p95_ms = {percentile(wall, 95):.1f}")
    print(f"voice_verify_cpu_p95_ms = {percentile(cpu, 95):.1f}")
    print(f"voice_digits_cpu_p95_ms = {percentile(digits_cpu, 95):.1f}")
    print(f"voice_clip_seconds = {len(reading) / 16_000:.1f}")


if __name__ == "__main__":
    main()
    voice_main()
