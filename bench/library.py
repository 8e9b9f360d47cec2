"""Information and education: "near me" in the services directory, then library search.

Builds 10,000 services with weekday opening times: half scattered across England and Wales, half
clustered around ten city centres (the harder case: more candidates inside the box), then times
"near me" as a person's search runs it (the box query on indexed columns, exact distances, the
nearest 50 with their opening times and open-now status), from city centres and from anywhere.

Prints: near_me_p50_ms, near_me_p95_ms, near_me_queries, near_me_page_p95_ms (the whole page for a
typed postcode, offline postcode lookup included); then search_p50_ms and search_p95_ms over 5,000
articles (bench/_library_search.py).
"""

import random
import time

from _library_search import search_benchmark
from _setup import django_with_fresh_database, percentile

SERVICES = 10_000
RUNS = 300
PAGE_RUNS = 60
SEED = 20261127
# Approximate British National Grid centres (metres) of ten cities.
CITIES = [
    (429_300, 433_300),  # Leeds
    (383_800, 398_300),  # Manchester
    (407_000, 286_800),  # Birmingham
    (530_000, 180_000),  # London
    (435_300, 387_200),  # Sheffield
    (358_800, 172_900),  # Bristol
    (342_000, 390_500),  # Liverpool
    (424_900, 564_300),  # Newcastle
    (318_500, 176_500),  # Cardiff
    (457_000, 340_000),  # Nottingham
]
ENGLAND_AND_WALES = ((150_000, 650_000), (30_000, 620_000))
CITY_SPREAD_M = 8_000


def main() -> None:
    django_with_fresh_database()
    import datetime as dt

    from django.db import connection
    from django.test import Client

    from onward.accounts.services import person_account_ensure
    from onward.directory.models import Category, OpeningPeriod, Service
    from onward.directory.selectors import Origin, service_search
    from onward.location.address import from_bng
    from onward.organisations.tests.factories import OfficeFactory
    from onward.people.tests.factories import CommunityPersonFactory

    rng = random.Random(SEED)  # repeatable benchmark data
    positions = []
    for i in range(SERVICES):
        if i % 2:
            x, y = rng.choice(CITIES)
            positions.append((rng.gauss(x, CITY_SPREAD_M), rng.gauss(y, CITY_SPREAD_M)))
        else:
            (x0, x1), (y0, y1) = ENGLAND_AND_WALES
            positions.append((rng.uniform(x0, x1), rng.uniform(y0, y1)))
    categories = list(Category.values)
    services = []
    for i, (easting, northing) in enumerate(positions):
        latitude, longitude = from_bng(easting, northing)
        services.append(
            Service(
                name=f"Service {i}",
                category=categories[i % len(categories)],
                description="A local service.",
                address=f"{i} High Street",
                latitude=latitude,
                longitude=longitude,
                easting=easting,
                northing=northing,
            )
        )
    Service.objects.bulk_create(services, batch_size=1000)
    OpeningPeriod.objects.bulk_create(
        [
            OpeningPeriod(service=s, weekday=day, opens=dt.time(9), closes=dt.time(17))
            for s in Service.objects.only("pk")
            for day in range(5)
        ],
        batch_size=2000,
    )
    person = CommunityPersonFactory.create(unit=OfficeFactory.create())
    user = person_account_ensure(person)

    origins = []
    for i in range(RUNS):
        if i % 2:
            x, y = rng.choice(CITIES)
            origins.append(Origin(rng.gauss(x, 2_000), rng.gauss(y, 2_000)))
        else:
            origins.append(Origin(*rng.choice(positions)))
    service_search(user, origin=origins[0])  # warm up: caches, prepared statements
    timings = []
    found = 0
    for origin in origins:
        started = time.perf_counter()
        rows = service_search(user, origin=origin)
        timings.append((time.perf_counter() - started) * 1000)
        found += len(rows)
    queries: list[str] = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        service_search(user, origin=Origin(*CITIES[0]))

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page_timings = []
    for i in range(PAGE_RUNS):
        started = time.perf_counter()
        response = client.get("/me/services/", {"postcode": "LS1 4AP" if i % 2 else "M1 1AE"})
        page_timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code

    print(f"near_me_p50_ms = {percentile(timings, 50):.1f}")
    print(f"near_me_p95_ms = {percentile(timings, 95):.1f}")
    print(f"near_me_queries = {len(queries)}")
    print(f"near_me_results_mean = {found / RUNS:.1f}")
    print(f"near_me_page_p95_ms = {percentile(page_timings, 95):.1f}")
    search_benchmark()


if __name__ == "__main__":
    main()
