"""manage.py liveness: a challenge as JSON, and a clip checked against one (the clip here is SYNTHETIC,
rendered with render.py's lighting model from a fixture photo)."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from onward.biometrics.liveness import Challenge
from onward.biometrics.tests import render
from onward.biometrics.tests.clips import FIXTURES


def _run(*args: str) -> dict:
    out = io.StringIO()
    call_command("liveness", *args, stdout=out)
    return json.loads(out.getvalue())


def test_challenge_prints_json_in_the_documented_shape():
    printed = _run("challenge", "--seed", "7")

    assert {"nonce", "expires_at", "steps"} <= set(printed)
    assert set(printed["steps"][0]) == {"start_ms", "end_ms", "move", "screen_rgb"}
    assert printed["steps"][0]["start_ms"] == 0
    assert _run("challenge", "--seed", "7")["steps"] == printed["steps"]
    assert _run("challenge")["nonce"] != _run("challenge")["nonce"]


def test_check_passes_a_clip_made_for_the_challenge(tmp_path):
    challenge = Challenge.from_dict(_run("challenge", "--seed", "7"))
    (tmp_path / "ch.json").write_text(json.dumps(challenge.to_dict()))
    (tmp_path / "clip.webm").write_bytes(render.genuine_clip("eileen_collins", challenge))

    printed = _run(
        "check",
        "--reference",
        str(FIXTURES / "eileen_collins.jpg"),
        "--clip",
        str(tmp_path / "clip.webm"),
        "--challenge",
        str(tmp_path / "ch.json"),
    )

    assert printed["passed"] is True, printed
    assert printed["reason_code"] == "ok"
    assert printed["face"]["decision"] == "match"
    assert 0 <= printed["face"]["distance"] < 0.5
    assert printed["ms"] > 0
    assert len(printed["steps"]) == len(challenge.steps)


def test_an_expired_challenge_fails_unless_told_to_ignore_the_expiry(tmp_path):
    challenge = Challenge.from_dict(_run("challenge", "--seed", "7"))
    old = {
        **challenge.to_dict(),
        "issued_at": (challenge.issued_at - timedelta(hours=1)).isoformat(),
        "expires_at": (challenge.expires_at - timedelta(hours=1)).isoformat(),
    }
    (tmp_path / "ch.json").write_text(json.dumps(old))
    (tmp_path / "clip.webm").write_bytes(render.attack_clip("frozen", "eileen_collins", challenge))
    args = ["--reference", str(FIXTURES / "eileen_collins.jpg"), "--clip", str(tmp_path / "clip.webm")]

    expired = _run("check", *args, "--challenge", str(tmp_path / "ch.json"))
    judged = _run("check", *args, "--challenge", str(tmp_path / "ch.json"), "--ignore-expiry")

    assert (expired["passed"], expired["reason_code"]) == (False, "expired")
    assert judged["reason_code"] != "expired"
    assert judged["passed"] is False  # a frozen photo
    assert judged["face"]["decision"] == "match"


def test_a_file_that_is_not_a_challenge_is_a_plain_error(tmp_path):
    (tmp_path / "ch.json").write_text('{"nonce": "x"}')

    with pytest.raises(CommandError, match="not a challenge"):
        _run(
            "check",
            "--reference",
            str(FIXTURES / "eileen_collins.jpg"),
            "--clip",
            str(tmp_path / "none.webm"),
            "--challenge",
            str(tmp_path / "ch.json"),
        )
