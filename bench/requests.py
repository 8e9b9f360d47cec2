"""Requests ("apps") made and routed: people at one prison send requests of every kind, one after another.

Each request is checked, routed to its department at the person's prison with a working-day deadline,
saved with its first history event and audited, in its own transaction: as the page does it.

Prints: requests_made, requests_per_second (wall clock; target ≥ 300 on SQLite), requests_per_cpu_second
(this process's CPU time, steadier on a shared machine), request_submit_queries (statements for one
request, savepoints included), requests_escalated and requests_escalate_seconds (one run of the
escalation job when a tenth of them are late).
"""

import datetime as dt
import os
import time

from _setup import django_with_fresh_database

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "3000"))
PEOPLE = 300
WINGS = 6


def main() -> None:
    django_with_fresh_database()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from onward.accounts.services import person_account_ensure
    from onward.organisations.tests.factories import PrisonFactory, RegionFactory, WingFactory
    from onward.people.models import Person, Status
    from onward.resettlement.models import PrisonRequest, RequestKind
    from onward.resettlement.prison_requests import request_submit, request_types_ensure, requests_escalate

    prison = PrisonFactory.create(parent=RegionFactory.create())
    wings = [WingFactory.create(parent=prison) for _ in range(WINGS)]
    request_types_ensure(prison)
    Person.objects.bulk_create(
        [
            Person(
                first_name=f"Synthetic{i}",
                last_name="Bench",
                date_of_birth=dt.date(1990, 1, 1),
                prison_number=f"A{i:04d}BC",
                status=Status.SENTENCED,
                unit=wings[i % WINGS],
            )
            for i in range(PEOPLE)
        ]
    )
    people = list(Person.objects.select_related("unit__parent").order_by("pk"))
    users = [person_account_ensure(person) for person in people]
    kinds = list(RequestKind.values)
    # Monday 30 November 2026, 09:00 London: the deadlines are working days from then.
    monday = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
    with CaptureQueriesContext(connection) as one:
        request_submit(actor=users[0], person=people[0], kind=RequestKind.OTHER, text="Counted", now=monday)
    started, cpu_started = time.perf_counter(), time.process_time()
    for i in range(REQUESTS):
        request_submit(
            actor=users[i % PEOPLE],
            person=people[i % PEOPLE],
            kind=kinds[i % len(kinds)],
            text=f"Synthetic benchmark request {i}",
            now=monday + dt.timedelta(seconds=i),
        )
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    assert PrisonRequest.objects.count() == REQUESTS + 1
    late = list(PrisonRequest.objects.order_by("pk").values_list("pk", flat=True)[: REQUESTS // 10])
    PrisonRequest.objects.filter(pk__in=late).update(due_at=monday)
    started = time.perf_counter()
    result = requests_escalate(now=monday + dt.timedelta(hours=1))
    escalate_seconds = time.perf_counter() - started
    print(f"requests_made = {REQUESTS}")
    print(f"requests_per_second = {REQUESTS / elapsed:.0f}")
    print(f"requests_per_cpu_second = {REQUESTS / cpu:.0f}")
    print(f"request_submit_queries = {len(one.captured_queries)}")
    print(f"requests_escalated = {result['escalated']}")
    print(f"requests_escalate_seconds = {escalate_seconds:.2f}")


if __name__ == "__main__":
    main()
