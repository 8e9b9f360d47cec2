"""Alerts at the scale of a large region: 100,000 alerts about 20,000 people in 100 offices.

Prints: alerts_total, alerts_list_p95_ms (a practitioner's first page of their team's open alerts, sorted
by severity then age), alerts_list_queries, alerts_escalate_seconds and alerts_escalated (one run of the
job when 5,000 high-severity alerts are past their working-time limit).
"""

import datetime as dt
import os
import random
import time

from _setup import django_with_fresh_database, percentile

ALERTS = int(os.environ.get("BENCH_ALERTS", "100000"))
PEOPLE = max(1, ALERTS // 5)
OFFICES = 100
DUE = 5000
RUNS = 100
BATCH = 5000
SEED = 20261205


def main() -> None:
    django_with_fresh_database()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from onward.accounts.tests.factories import StaffFactory, StaffRoleFactory
    from onward.alerts.models import Alert, AlertKind, Severity
    from onward.alerts.selectors import AlertFilter, alerts_for
    from onward.alerts.services import alerts_escalate
    from onward.organisations.models import Role
    from onward.organisations.tests.factories import OfficeFactory, PduFactory
    from onward.people.models import Person, Status

    random.seed(SEED)
    pdu = PduFactory.create()
    offices = [OfficeFactory.create(parent=pdu) for _ in range(OFFICES)]
    practitioner = StaffFactory.create()
    StaffRoleFactory.create(user=practitioner, role=Role.PRACTITIONER, unit=offices[0])
    StaffRoleFactory.create(user=StaffFactory.create(), role=Role.SENIOR, unit=pdu)
    born = dt.date(1990, 1, 1)
    for start in range(0, PEOPLE, BATCH):
        Person.objects.bulk_create(
            [
                Person(
                    first_name=f"Synthetic{i}",
                    last_name=f"Person{i % 997}",
                    date_of_birth=born,
                    crn=f"X{i:06d}",
                    status=Status.LICENCE,
                    unit=offices[i % OFFICES],
                )
                for i in range(start, min(start + BATCH, PEOPLE))
            ]
        )
    people = list(Person.objects.values_list("pk", flat=True))
    # Created on Monday 23 November 2026 from 09:00, so the job below finds the due ones on the Friday.
    monday = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    kinds = list(AlertKind.values)
    severities = [Severity.LOW, Severity.MEDIUM]
    for start in range(0, ALERTS, BATCH):
        Alert.objects.bulk_create(
            [
                Alert(
                    kind=random.choice(kinds),
                    severity=Severity.HIGH if i < DUE else random.choice(severities),
                    person_id=people[i % len(people)],
                    summary="Synthetic benchmark alert",
                    key=f"bench:{i}",
                    created_at=monday + dt.timedelta(seconds=i),
                )
                for i in range(start, min(start + BATCH, ALERTS))
            ]
        )
    practitioner.is_verified = lambda: True
    wanted = AlertFilter(team=True)
    timings = []
    for _ in range(RUNS):
        began = time.perf_counter()
        list(alerts_for(practitioner, wanted)[:50])
        timings.append((time.perf_counter() - began) * 1000)
    with CaptureQueriesContext(connection) as queries:
        list(alerts_for(practitioner, wanted)[:50])
    began = time.perf_counter()
    result = alerts_escalate(now=dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC))
    escalate_seconds = time.perf_counter() - began
    print(f"alerts_total = {Alert.objects.count()}")
    print(f"alerts_list_p95_ms = {percentile(timings, 95):.1f}")
    print(f"alerts_list_queries = {len(queries)}")
    print(f"alerts_escalate_seconds = {escalate_seconds:.2f}")
    print(f"alerts_escalated = {result['escalated']}")


if __name__ == "__main__":
    main()
