"""The liveness challenge: random and unpredictable, its JSON form, and the measures it is judged by."""

import itertools
import json
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from django.test import override_settings

from onward.biometrics import liveness
from onward.biometrics.liveness import Challenge, TrackedFrame, challenge_new

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_a_challenge_has_a_nonce_an_expiry_a_few_minutes_away_and_at_least_four_steps():
    challenge = challenge_new(now=NOON)

    assert len(challenge.nonce) == 32
    assert challenge.issued_at == NOON
    assert timedelta(minutes=1) <= challenge.expires_at - NOON <= timedelta(minutes=5)
    assert len(challenge.steps) >= 4
    assert challenge.steps[0].start_ms == 0
    assert all(a.end_ms == b.start_ms for a, b in zip(challenge.steps, challenge.steps[1:], strict=False))
    assert challenge.duration_ms <= 7500  # with the lead-in and tail it fits the 8-second clip
    assert len(challenge.digits) == 6
    assert challenge.digits.isdigit()


def test_challenges_differ_and_follow_their_rules():
    made = [challenge_new(now=NOON) for _ in range(200)]

    assert len({c.nonce for c in made}) == 200
    assert len({tuple(s.move for s in c.steps) for c in made}) > 100
    for challenge in made:
        moves = [s.move for s in challenge.steps]
        colours = [s.screen_rgb for s in challenge.steps]
        assert set(moves) <= set(liveness.MOVES)
        assert {"turn_left", "turn_right"} & set(moves)
        assert "blink" in moves
        assert all(a != b for a, b in itertools.pairwise(moves))
        assert all(a != b for a, b in itertools.pairwise(colours))
    every_move = {s.move for c in made for s in c.steps}
    assert every_move == set(liveness.MOVES)


def test_a_seed_makes_the_same_challenge_for_an_operators_tests():
    assert challenge_new(seed=5, now=NOON) == challenge_new(seed=5, now=NOON)
    assert challenge_new(seed=5, now=NOON) != challenge_new(seed=6, now=NOON)


def test_the_json_form_round_trips_and_says_the_expiry_in_iso_8601():
    challenge = challenge_new(seed=3, now=NOON)

    data = json.loads(json.dumps(challenge.to_dict()))

    assert data["expires_at"] == challenge.expires_at.isoformat()
    assert set(data["steps"][0]) == {"start_ms", "end_ms", "move", "screen_rgb"}
    assert Challenge.from_dict(data) == challenge


@pytest.mark.parametrize(
    "broken",
    [
        [],
        {"nonce": "x", "expires_at": "2026-03-02T12:03:00+00:00", "steps": []},
        {"nonce": "x", "expires_at": "2026-03-02T12:03:00", "steps": "no"},
        {"nonce": "x", "expires_at": "soon", "steps": []},
    ],
)
def test_something_that_is_not_a_challenge_is_refused_in_plain_words(broken):
    with pytest.raises(ValueError, match="challenge"):
        Challenge.from_dict(broken)


def test_an_unknown_move_or_a_naive_time_is_refused():
    data = challenge_new(seed=3, now=NOON).to_dict()
    data["steps"][0]["move"] = "dance"
    with pytest.raises(ValueError, match="step"):
        Challenge.from_dict(data)
    data = challenge_new(seed=3, now=NOON).to_dict()
    data["expires_at"] = "2026-03-02T12:03:00"
    data["issued_at"] = "2026-03-02T12:00:00"
    with pytest.raises(ValueError, match="time zone"):
        Challenge.from_dict(data)


def test_expiry_is_judged_at_the_time_given():
    challenge = challenge_new(now=NOON)

    assert not challenge.expired(NOON + timedelta(seconds=10))
    assert challenge.expired(challenge.expires_at)


def _frames_lit(challenge: Challenge, face_gain: float, wall_gain: float, offset_ms: int = 250) -> list[TrackedFrame]:
    """Made-up measurements: face and wall colours that follow the screen by the given gains."""
    frames = []
    for i in range(int((challenge.duration_ms + offset_ms) / 100)):
        ms = i * 100 - offset_ms
        step = next((s for s in challenge.steps if s.start_ms <= ms < s.end_ms), None)
        screen = np.asarray(step.screen_rgb if step else (255, 255, 255), dtype=np.float32) / 255
        face = np.array([150.0, 110.0, 90.0]) * (1 + face_gain * screen)
        wall = np.array([120.0, 120.0, 120.0]) * (1 + wall_gain * screen)
        frames.append(TrackedFrame(i / 10, np.zeros((68, 2)), face, wall, np.zeros((2, 2))))
    return frames


def test_face_light_that_follows_the_screen_passes_the_colour_check_and_finds_the_offset():
    challenge = challenge_new(seed=8, now=NOON)

    colour = liveness.colour_response(_frames_lit(challenge, 0.15, 0.01), challenge)

    assert colour.correlation > 0.9
    assert abs(colour.offset_ms - 250) <= 100
    assert liveness.colour_passed(colour)


@pytest.mark.parametrize(("face_gain", "wall_gain"), [(0.0, 0.0), (0.15, 0.15), (0.003, 0.0)])
def test_no_light_light_on_everything_or_too_little_light_fails(face_gain, wall_gain):
    challenge = challenge_new(seed=8, now=NOON)

    colour = liveness.colour_response(_frames_lit(challenge, face_gain, wall_gain), challenge)

    assert not liveness.colour_passed(colour)


def test_light_that_follows_another_challenge_fails():
    challenge, other = challenge_new(seed=8, now=NOON), challenge_new(seed=9, now=NOON)

    colour = liveness.colour_response(_frames_lit(other, 0.15, 0.01), challenge)

    assert not liveness.colour_passed(colour)


def test_the_eye_aspect_ratio_falls_when_the_eyelids_close():
    points = np.zeros((68, 2))
    for eye, left in ((range(36, 42), 0.0), (range(42, 48), 60.0)):
        outline = [(left, 0), (left + 10, -6), (left + 20, -6), (left + 30, 0), (left + 20, 6), (left + 10, 6)]
        points[list(eye)] = outline
    open_eyes = liveness.eye_openness(points)
    points[[37, 38, 43, 44], 1] = -1
    points[[40, 41, 46, 47], 1] = 1

    assert open_eyes == pytest.approx(0.4)
    assert liveness.eye_openness(points) < 0.5 * open_eyes


@override_settings(BIOMETRIC_VIDEO_MIRRORED=True)
def test_a_mirrored_source_flips_the_yaw():
    points = np.zeros((68, 2))
    points[36:42] = (0.0, 0.0)
    points[42:48] = (60.0, 0.0)
    points[33] = (40.0, 30.0)  # the nose to the right of the eyes' middle

    assert liveness.pose(points)[0] < 0


def _judged(move: str, pitches: list[float], own: int) -> liveness.StepResult:
    """One step judged on made-up pitches; the first `own` frames are the step's own time, the rest its late tail."""
    step = liveness.Step(0, 1200, move, (255, 40, 40))
    values = np.array(pitches)
    zeros = np.zeros(len(values))
    return liveness._step_result(step, zeros, values, np.ones(len(values)), zeros[:own], values[:own])


def test_the_next_move_starting_in_a_steps_late_tail_does_not_fail_it():
    # Look down, then look up: the person lifts their head for the next step before this one's tail ends.
    judged = _judged("look_down", [0, -12, -20, -20, -8, 0, 6, 11], own=6)

    assert judged.passed, judged.measured


def test_a_move_the_wrong_way_in_the_steps_own_time_fails_it():
    judged = _judged("look_down", [0, 11, 0, -20, -20, 0, 0, 0], own=6)

    assert not judged.passed


def test_a_one_frame_jump_of_the_points_is_smoothed_away_and_a_held_move_is_kept():
    jumpy = np.array([0.0, 0.0, 14.0, 0.0, -20.0, -20.0, -20.0, 0.0])

    smoothed = liveness._median_of_three(jumpy)

    assert smoothed.max() < 1.0
    assert smoothed.min() == -20.0
