"""Face verification of check-ins on one core: a selfie (verify_photo) and a 3-second video (verify_video).

Prints: photo_checkin_p50_ms, photo_checkin_p95_ms, video_checkin_p50_ms, video_checkin_p95_ms,
photo_checkins_per_second, video_checkins_per_second, worker_processes; and the same latencies in
CPU time (*_cpu_*), which other busy processes on the machine do not inflate. Needs no database.
"""

import os
import sys
import time

from _setup import ROOT, percentile

PHOTO_RUNS = 40
VIDEO_RUNS = 12
CLIP_FPS = 30


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
    from onward.biometrics import api
    from onward.biometrics.tests.clips import encode_clip, on_camera_canvas, photo_bytes, turn_frames

    template = api.enrol_reference_photo(photo_bytes("obama_1")).template
    assert template is not None
    selfie = photo_bytes("obama_2")
    # As a browser records it: 640 x 480 at 30 frames a second, VP8 in webm, face a third of the height.
    frames = [on_camera_canvas(f, share=0.75) for f in turn_frames("obama_1", 30.0, seconds=3.0, fps=CLIP_FPS)]
    clip = encode_clip(frames, "webm", fps=CLIP_FPS)
    warm = api.verify_video(template, clip, "turn_left")  # loads the models once, as a worker would
    assert warm.face.decision == "match"
    assert warm.liveness is not None
    assert warm.liveness.passed

    photo_ms, photo_cpu_ms = _timed(PHOTO_RUNS, lambda: api.verify_photo(template, selfie))
    video_ms, video_cpu_ms = _timed(VIDEO_RUNS, lambda: api.verify_video(template, clip, "turn_left"))

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


if __name__ == "__main__":
    main()
