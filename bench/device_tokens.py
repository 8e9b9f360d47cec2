"""A phone's API call with its device token: the token check, with and without replacing the token.

Each of PEOPLE people calls GET /api/v1/me CALLS times, first as usual (the token is replaced at most
every DEVICE_TOKEN_ROTATE_MINUTES, so nearly every call only checks it), then with
DEVICE_TOKEN_ROTATE_MINUTES=0 (a new token on every call, the app storing each one).

Prints: device_token_call_p95_ms, device_token_call_queries, device_token_rotating_call_p95_ms,
device_token_rotating_call_queries (the most queries one call made).
"""

import time

from _setup import django_with_fresh_database, percentile

PEOPLE = 20
CALLS = 25


def main() -> None:
    django_with_fresh_database()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from onward.accounts.services import device_token_create, person_account_ensure
    from onward.api.auth import NEW_TOKEN_HEADER
    from onward.organisations.tests.factories import OfficeFactory
    from onward.people.tests.factories import CommunityPersonFactory

    office = OfficeFactory.create()
    people = [CommunityPersonFactory.create(unit=office) for _ in range(PEOPLE)]
    for label, rotate in (
        ("device_token_call", settings.DEVICE_TOKEN_ROTATE_MINUTES),
        ("device_token_rotating_call", 0),
    ):
        settings.DEVICE_TOKEN_ROTATE_MINUTES = rotate
        timings, most_queries = [], 0
        for person in people:
            token = device_token_create(actor=person_account_ensure(person), name="Bench phone").token
            client = Client()
            for _ in range(CALLS):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
                    timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.content[:200]
                token = response.headers.get(NEW_TOKEN_HEADER, token)
                most_queries = max(most_queries, len(queries))
        print(f"{label}_p95_ms = {percentile(timings, 95):.1f}")
        print(f"{label}_queries = {most_queries}")


if __name__ == "__main__":
    main()
