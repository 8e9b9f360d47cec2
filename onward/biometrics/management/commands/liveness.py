"""Operators' liveness tools: make a challenge, or check a recorded clip against one.

    manage.py liveness challenge [--seed N]
        {"nonce": "...", "issued_at": "...", "expires_at": "ISO-8601", "digits": "...",
         "steps": [{"start_ms": 0, "end_ms": 1300, "move": "turn_left", "screen_rgb": [255, 40, 40]}, ...]}
    manage.py liveness check --reference REF.jpg --clip CLIP --challenge CH.json [--ignore-expiry]
        {"passed": true|false, "reason_code": "...", "face": {"decision": "...", "distance": 0.0},
         "ms": 0.0, "steps": [...], "colour": {...}, "nose_depth": 0.0, "engine": "...", ...}

A seed gives the same challenge every time: for an operator's tests only (a check-in's challenge is
never seeded). A challenge past its expiry fails with reason_code "expired" unless --ignore-expiry
(for judging a clip recorded earlier, e.g. in the manual test protocol, docs/liveness_manual_test.md).
"""

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from onward.biometrics import api, engines, liveness


class Command(BaseCommand):
    help = "Make a liveness challenge, or check a clip against one (JSON out)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        challenge = actions.add_parser("challenge", help="a new challenge as JSON")
        challenge.add_argument("--seed", type=int, default=None, help="the same challenge for the same seed")
        check = actions.add_parser("check", help="judge a clip against a challenge and a reference photo")
        check.add_argument("--reference", required=True, help="a photo of the person (JPEG or PNG)")
        check.add_argument("--clip", required=True, help="the recorded clip (WebM or MP4)")
        check.add_argument("--challenge", required=True, help="the challenge's JSON, as `challenge` printed it")
        check.add_argument("--ignore-expiry", action="store_true", help="judge a clip recorded before now")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "challenge":
            result = liveness.challenge_new(seed=options["seed"]).to_dict()
        else:
            result = liveness_check(
                Path(options["reference"]),
                Path(options["clip"]),
                Path(options["challenge"]),
                ignore_expiry=options["ignore_expiry"],
            )
        self.stdout.write(json.dumps(result, indent=2))


def liveness_check(reference: Path, clip: Path, challenge_path: Path, *, ignore_expiry: bool) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        challenge = liveness.Challenge.from_dict(json.loads(_read(challenge_path)))
    except json.JSONDecodeError as error:
        raise CommandError(f"{challenge_path} is not JSON: {error}") from error
    except ValueError as error:
        raise CommandError(f"{challenge_path}: {error}") from error
    enrolled = api.enrol_reference_photo(_read(reference, binary=True))
    if not enrolled.ok or enrolled.template is None:
        raise CommandError(f"{reference} cannot be a reference photo: {enrolled.reason_code} ({enrolled.message})")
    if not ignore_expiry and challenge.expired(timezone.now()):
        checker = engines.liveness_checker()
        outcome = liveness.failed_outcome("expired", challenge, checker.engine, checker.model_version)
        return _printed(outcome, {"decision": "", "distance": None}, started)
    result = api.verify_video(enrolled.template, _read(clip, binary=True), challenge)
    if result.media_problem:
        raise CommandError(f"{clip}: {result.media_problem} ({result.message})")
    assert result.liveness is not None
    return _printed(result.liveness, {"decision": result.face.decision, "distance": result.face.distance}, started)


def _printed(outcome: liveness.LivenessOutcome, face: dict[str, Any], started: float) -> dict[str, Any]:
    details = outcome.details()
    return {
        "passed": outcome.passed,
        "reason_code": outcome.reason_code,
        "face": face,
        "ms": round((time.perf_counter() - started) * 1000, 1),
        **{key: value for key, value in details.items() if key != "reason_code"},
    }


def _read(path: Path, *, binary: bool = False) -> Any:
    try:
        return path.read_bytes() if binary else path.read_text()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}") from error
