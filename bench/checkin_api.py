"""A person's check-in through the API (/api/v1/me/check-ins/…), as a phone's app calls it with its token.

Each of PEOPLE people does one check-in: the open one, answers, the move, a 3-second WebM clip, the
position, the status, the send. The face check itself runs in a job and is measured by
checkin_verify.py; here the upload's quick look that the clip opens (media_problem) is included.

Prints, per step: checkin_api_<step>_p95_ms and checkin_api_<step>_queries (the most queries one call
made), plus media_probe_clip_p95_ms and media_probe_photo_p95_ms.
"""

import time
from collections import defaultdict
from typing import Any

from _setup import django_with_fresh_database, percentile

PEOPLE = 40
PROBE_RUNS = 50
ANSWERS = {"mood": "very_well", "help": ["none"], "call_back": "no"}
HOME = (53.8008, -1.5491)


def main() -> None:
    django_with_fresh_database()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from onward.accounts.services import device_token_create, person_account_ensure
    from onward.biometrics.api import media_problem
    from onward.biometrics.tests.clips import encode_clip, photo_bytes, turn_frames
    from onward.checkins.tests.factories import CheckInFactory, EnrolmentFactory, questionnaire_ensure
    from onward.organisations.tests.factories import OfficeFactory
    from onward.people.tests.factories import CommunityPersonFactory

    questionnaire_ensure()
    clip = encode_clip(turn_frames("obama_1", 30.0))
    photo = photo_bytes("obama_2")
    office = OfficeFactory.create()
    phones = []
    for _ in range(PEOPLE):
        person = CommunityPersonFactory.create(unit=office, address_latitude=HOME[0], address_longitude=HOME[1])
        checkin = CheckInFactory.create(enrolment=EnrolmentFactory.create(person=person))
        token = device_token_create(actor=person_account_ensure(person), name="Bench phone").token
        phones.append((checkin.pk, {"Authorization": f"Bearer {token}"}))

    timings: dict[str, list[float]] = defaultdict(list)
    queries: dict[str, int] = defaultdict(int)
    client = Client()
    for checkin_id, headers in phones:
        steps = _steps(client, checkin_id, headers, clip)
        for name, call in steps:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = call()
                timings[name].append((time.perf_counter() - started) * 1000)
            if response.status_code >= 300:
                raise SystemExit(f"{name} answered {response.status_code}: {response.content[:300]!r}")
            queries[name] = max(queries[name], len(captured))

    probes: dict[str, list[float]] = {"clip": [], "photo": []}
    for _ in range(PROBE_RUNS):
        for name, data, is_video in (("clip", clip, True), ("photo", photo, False)):
            started = time.perf_counter()
            assert media_problem(data, is_video=is_video) == ""
            probes[name].append((time.perf_counter() - started) * 1000)

    for name, values in timings.items():
        print(f"checkin_api_{name}_p95_ms = {percentile(values, 95):.1f}")
        print(f"checkin_api_{name}_queries = {queries[name]}")
    for name, values in probes.items():
        print(f"media_probe_{name}_p95_ms = {percentile(values, 95):.2f}")


def _steps(client: Any, checkin_id: int, headers: dict[str, str], clip: bytes) -> list[tuple[str, Any]]:
    """One person's check-in, step by step, as calls to make."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    base = f"/api/v1/me/check-ins/{checkin_id}"
    as_json = "application/json"
    here = {"latitude": HOME[0], "longitude": HOME[1], "accuracy_m": 15, "consent": True}
    return [
        ("current", lambda: client.get("/api/v1/me/check-ins/current", headers=headers)),
        ("answers", lambda: client.put(f"{base}/answers", {"answers": ANSWERS}, as_json, headers=headers)),
        ("challenge", lambda: client.post(f"{base}/challenge", headers=headers)),
        ("media", lambda: client.post(f"{base}/media", {"media": SimpleUploadedFile("c.webm", clip)}, headers=headers)),
        ("location", lambda: client.post(f"{base}/location", here, as_json, headers=headers)),
        ("status", lambda: client.get(f"{base}/status", headers=headers)),
        (
            "submit",
            lambda: client.post(
                f"{base}/submit", {"idempotency_key": f"bench-{checkin_id:08d}"}, as_json, headers=headers
            ),
        ),
    ]


if __name__ == "__main__":
    main()
