from unittest import mock

import av
import pytest
from django.test import override_settings

from onward.biometrics import api
from onward.biometrics.tests.clips import encode_clip, still_frames, turn_frames

# Positive yaw turns the head to the person's own left (the nose moves right in the frame).
TURN_TO_THEIR_LEFT_DEG = 30.0

CODECS = [
    pytest.param("webm", id="webm-vp8"),
    pytest.param("webm-vp9", id="webm-vp9"),
    pytest.param("mp4", id="mp4-h264"),
]


def test_this_pyav_build_can_make_browser_clips():
    assert {"libvpx", "libvpx-vp9", "libx264"} <= av.codecs_available


@pytest.mark.parametrize("kind", CODECS)
@pytest.mark.parametrize(("turn_deg", "challenge"), [(30.0, "turn_left"), (-30.0, "turn_right")])
def test_a_real_head_turn_the_asked_way_passes(templates, kind, turn_deg, challenge):
    clip = encode_clip(turn_frames("obama_1", turn_deg), kind)

    result = api.verify_video(templates["obama_2"], clip, challenge)

    assert result.media_problem == ""
    assert result.face.decision == "match"
    assert result.liveness is not None
    assert result.liveness.passed, result.liveness
    assert result.liveness.reason_code == "ok"
    assert result.liveness.challenge == challenge
    assert abs(result.liveness.yaw_peak_deg - result.liveness.yaw_start_deg) >= 15
    assert result.message == "Thank you. Your check-in has been sent."
    assert 1 <= len(result.best_frames_jpeg) <= 3
    assert result.face.frames_with_face == result.face.frames_checked >= 6


@pytest.mark.parametrize(("turn_deg", "challenge"), [(30.0, "turn_right"), (-30.0, "turn_left")])
def test_a_head_turn_the_other_way_fails_liveness(templates, turn_deg, challenge):
    result = api.verify_video(templates["obama_1"], encode_clip(turn_frames("obama_1", turn_deg)), challenge)

    assert result.face.decision == "match"
    assert result.liveness is not None
    assert not result.liveness.passed
    assert result.liveness.reason_code == "wrong_direction"
    assert result.message == result.liveness.message


def test_the_yaw_sign_follows_the_documented_convention(templates):
    result = api.verify_video(
        templates["obama_1"], encode_clip(turn_frames("obama_1", TURN_TO_THEIR_LEFT_DEG)), "turn_left"
    )

    assert result.liveness is not None
    assert result.liveness.yaw_peak_deg > result.liveness.yaw_start_deg + 15


@override_settings(BIOMETRIC_VIDEO_MIRRORED=True)
def test_a_mirrored_source_flips_the_direction(templates):
    result = api.verify_video(
        templates["obama_1"], encode_clip(turn_frames("obama_1", TURN_TO_THEIR_LEFT_DEG)), "turn_right"
    )

    assert result.liveness is not None
    assert result.liveness.passed


@pytest.mark.parametrize("kind", CODECS)
def test_a_still_photo_held_to_the_camera_fails_as_a_still_image(templates, kind):
    result = api.verify_video(templates["obama_1"], encode_clip(still_frames("obama_2"), kind), "turn_left")

    assert result.face.decision == "match"  # the right face, but not a live one
    assert result.liveness is not None
    assert result.liveness.reason_code == "still_image"
    assert "did not move" in result.message


def test_no_turn_in_a_moving_clip_is_no_turn(templates):
    # The light changes (so the clip is not a still) but the head does not turn.
    frames = [(frame * (1 - i / 60)).astype(frame.dtype) for i, frame in enumerate(still_frames("obama_1"))]

    result = api.verify_video(templates["obama_1"], encode_clip(frames), "turn_left")

    assert result.liveness is not None
    assert result.liveness.reason_code == "no_turn"


def test_a_clip_of_another_person_does_not_match(templates):
    result = api.verify_video(templates["obama_1"], encode_clip(turn_frames("biden", 30.0)), "turn_left")

    assert result.face.decision == "no_match"
    assert result.face.distance is not None
    assert result.face.distance > 0.60
    assert result.liveness is not None
    assert result.liveness.reason_code == "different_person"


def test_a_clip_with_no_face_says_so(templates):
    import numpy as np

    frames = [np.full((240, 320, 3), 30 + 5 * i, dtype=np.uint8) for i in range(30)]

    result = api.verify_video(templates["obama_1"], encode_clip(frames), "turn_left")

    assert result.face.decision == "no_face"
    assert result.liveness is not None
    assert result.liveness.reason_code == "no_face"
    assert result.message == "We could not see your face clearly. Try again in better light."
    assert len(result.best_frames_jpeg) == 3


@pytest.mark.parametrize(("kind", "keep_bytes"), [("webm", 200), ("mp4", 200), ("mp4", 0.5)])
def test_a_broken_upload_is_unreadable_with_a_plain_message(templates, kind, keep_bytes):
    clip = encode_clip(turn_frames("obama_1", 30.0), kind)
    cut = keep_bytes if isinstance(keep_bytes, int) else int(len(clip) * keep_bytes)

    result = api.verify_video(templates["obama_1"], clip[:cut], "turn_left")

    assert result.media_problem == "unreadable"
    assert result.message == "We could not play your video. Please record it again."
    assert result.face.decision == "no_face"
    assert result.liveness is None


def test_a_webm_cut_off_part_way_is_judged_on_what_arrived(templates):
    # webm is a streaming format: the frames before the cut still play, here about 1.5 of 3 seconds.
    clip = encode_clip(turn_frames("obama_1", 30.0), "webm")

    result = api.verify_video(templates["obama_1"], clip[: len(clip) // 2], "turn_left")

    assert result.media_problem == "too_short"
    assert result.message == "The video was too short. Record it again for about 4 seconds."


def test_bytes_that_are_no_video_at_all_are_not_a_video(templates):
    result = api.verify_video(templates["obama_1"], b"hello, this is text", "turn_left")

    assert result.media_problem == "not_a_video"


def test_a_one_second_clip_is_too_short(templates):
    result = api.verify_video(templates["obama_1"], encode_clip(turn_frames("obama_1", 30.0, seconds=1.0)), "turn_left")

    assert result.media_problem == "too_short"
    assert "too short" in result.message


def test_a_ten_second_clip_is_too_long(templates):
    result = api.verify_video(templates["obama_1"], encode_clip(still_frames("obama_1", seconds=10.0)), "turn_left")

    assert result.media_problem == "too_long"


@override_settings(BIOMETRIC_MAX_VIDEO_BYTES=1000)
def test_an_oversized_clip_is_refused(templates):
    result = api.verify_video(templates["obama_1"], b"\x1a\x45\xdf\xa3" + bytes(2000), "turn_left")

    assert result.media_problem == "too_large"


def test_an_unknown_challenge_is_a_programming_error(templates):
    with pytest.raises(ValueError, match="challenge"):
        api.verify_video(templates["obama_1"], b"", "nod")


def test_turning_the_other_way_and_back_to_the_front_is_not_the_asked_turn(templates):
    there = turn_frames("obama_1", -30.0, seconds=2.0)
    back = list(reversed(there))

    result = api.verify_video(templates["obama_1"], encode_clip(there + back), "turn_left")

    assert result.liveness is not None
    assert result.liveness.reason_code == "wrong_direction"


def test_a_clip_that_starts_late_still_shows_the_turn(templates):
    # The camera starts while the head is still turned from a first try, then the person turns again.
    first_try = list(reversed(turn_frames("obama_1", 30.0, seconds=2.0)))
    second_try = turn_frames("obama_1", 30.0, seconds=2.5)

    result = api.verify_video(templates["obama_1"], encode_clip(first_try + second_try), "turn_left")

    assert result.liveness is not None
    assert result.liveness.passed, result.liveness


@pytest.mark.parametrize("challenge", ["turn_left", "turn_right"])
def test_the_fake_camera_file_for_the_browser_test_meets_its_challenge(templates, challenge):
    from onward.biometrics.tests.clips import fake_camera_y4m

    y4m = fake_camera_y4m(challenge)

    assert y4m.startswith(b"YUV4MPEG2 W480 H360 F10:1")
    result = api.verify_video(templates["obama_2"], y4m, challenge)  # PyAV reads Y4M as well
    assert result.face.decision == "match"
    assert result.liveness is not None
    assert result.liveness.passed, result.liveness


def test_a_phone_sized_clip_with_a_small_face_is_followed_frame_to_frame(templates):
    from onward.biometrics.tests.clips import on_camera_canvas

    # 1280 x 720 with the face a third of the frame's height: after the first frame the face is
    # looked for near where it was, in a crop of the frame, and the results are the same.
    frames = [on_camera_canvas(frame, 1280, 720, share=0.75) for frame in turn_frames("obama_1", -30.0)]
    found_near = []
    real_face_near = api._face_near

    def face_near(*args, **kwargs):
        face = real_face_near(*args, **kwargs)
        found_near.append(face is not None)
        return face

    with mock.patch.object(api, "_face_near", face_near):
        result = api.verify_video(templates["obama_3"], encode_clip(frames, "mp4"), "turn_right")

    assert all(found_near)
    assert len(found_near) == result.face.frames_checked - 1
    assert result.face.decision == "match"
    assert result.face.frames_with_face == result.face.frames_checked
    assert result.liveness is not None
    assert result.liveness.passed, result.liveness
