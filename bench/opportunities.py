"""Early release: every person in custody at one 1,200-person prison assessed for HDC and ROTL at once.

Each person has a sentence (lengths, dates, flags and offences varied), a tenth have a decision; the
prison's ranked list (`unit_opportunities`, as the staff page and the API call it) is built for a
prison offender manager. Its cost in queries does not grow with the prison.

Prints: eligibility_people (how many were assessed), eligibility_people_per_second (wall clock, best of
the runs; target ≥ 2,000 on SQLite), eligibility_queries (statements for the whole prison).

Each figure has its own function (`eligibility_bench`), so other figures can be added to this file.
"""

import datetime as dt
import os
import time

from _setup import django_with_fresh_database

PEOPLE = int(os.environ.get("BENCH_ELIGIBILITY_PEOPLE", "1200"))
WINGS = 8
RUNS = 5
TODAY = dt.date(2026, 12, 1)


def main() -> None:
    django_with_fresh_database()
    eligibility_bench()


def eligibility_bench() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from onward.accounts.tests.factories import StaffFactory, StaffRoleFactory
    from onward.opportunities.models import Decision, OffenceCategory, RuleSet, Sentence
    from onward.opportunities.selectors import unit_opportunities
    from onward.organisations.models import Role
    from onward.organisations.tests.factories import PrisonFactory, RegionFactory, WingFactory
    from onward.people.models import Person, Status

    prison = PrisonFactory.create(parent=RegionFactory.create())
    wings = [WingFactory.create(parent=prison) for _ in range(WINGS)]
    pom = StaffFactory.create()
    StaffRoleFactory.create(user=pom, role=Role.POM, unit=prison)
    Person.objects.bulk_create(
        [
            Person(
                first_name=f"Synthetic{i}",
                last_name="Bench",
                date_of_birth=dt.date(1990, 1, 1),
                prison_number=f"B{i:04d}BC",
                status=Status.REMAND if i % 20 == 0 else Status.SENTENCED,
                unit=wings[i % WINGS],
            )
            for i in range(PEOPLE)
        ]
    )
    people = list(Person.objects.order_by("pk"))
    categories = list(OffenceCategory.values)
    Sentence.objects.bulk_create(
        [
            Sentence(
                person=person,
                sentenced_on=TODAY - dt.timedelta(days=30 + (i * 7) % 700),
                term_months=3 + i % 60,
                term_days=i % 28,
                remand_days=i % 90,
                offence_categories=[categories[i % len(categories)]] if i % 9 == 0 else [],
                sds40_excluded=None if i % 13 == 0 else bool(i % 4 == 0),
                sex_offender_registration=None if i % 17 == 0 else i % 50 == 0,
                liable_to_removal=i % 40 == 0,
                recalled_from_hdc=False,
                failed_to_return=False,
                security_category="BCD"[i % 3],
            )
            for i, person in enumerate(people)
            if i % 25  # a few have no sentence recorded yet
        ]
    )
    hdc = RuleSet.objects.get(scheme="hdc", version=4)
    Decision.objects.bulk_create(
        [
            Decision(person=person, scheme="hdc", outcome="refused", reason="Synthetic", ruleset=hdc)
            for person in people[::10]
        ]
    )
    pom.is_verified = lambda: True
    with CaptureQueriesContext(connection) as counted:
        rows = unit_opportunities(pom, prison, TODAY)
    assert len(rows) == PEOPLE
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        rows = unit_opportunities(pom, prison, TODAY)
        timings.append(time.perf_counter() - started)
    print(f"eligibility_people = {len(rows)}")
    print(f"eligibility_people_per_second = {len(rows) / min(timings):.0f}")
    print(f"eligibility_queries = {len(counted.captured_queries)}")


if __name__ == "__main__":
    main()
