"""Location fixes for 10,000 people with 3 zones each: ingest and evaluation in batches of 100, one process.

Each batch is 100 fixes from one person's device (a phone or tag posting every few minutes), sent through
`fixes_ingest` as the API does: stored once per device and time, judged against the curfew and zones, spoofing
checked, audited. Most fixes are at home; some wander out (into curfew violations), so the violation path runs too.

Prints: fixes_per_second (ingest + evaluation), zone_eval_us_per_fix (the geometry alone, 3 zones),
queries_per_batch.
"""

import datetime as dt
import os
import random
import time

from _setup import django_with_fresh_database

PEOPLE = int(os.environ.get("BENCH_LOCATION_PEOPLE", "10000"))
BATCHES = int(os.environ.get("BENCH_LOCATION_BATCHES", "200"))
BATCH = 100
BUILD_BATCH = 2000
HOME = (53.7960, -1.5479)  # a made-up point in Leeds; each person's home is spread around it
METRES_PER_DEGREE = 111_200


def main() -> None:
    django_with_fresh_database()
    import numpy as np
    from django.db import connection
    from django.utils import timezone

    from onward.accounts.models import User
    from onward.core.actors import UserKind
    from onward.curfew.evaluation import FixIn, fixes_ingest
    from onward.curfew.models import CurfewTerms, CurfewWindow, LocationFix, Zone
    from onward.curfew.services import terms_snapshot
    from onward.curfew.windows import Window
    from onward.location.zones import circle_feature, to_bng_many, zone_shape_from_geojson
    from onward.organisations.tests.factories import OfficeFactory, PduFactory
    from onward.people.models import LicenceVersion, Person, Status

    rng = random.Random(14)
    office = OfficeFactory.create(parent=PduFactory.create())
    issued = timezone.now() - dt.timedelta(days=30)
    for start in range(0, PEOPLE, BUILD_BATCH):
        Person.objects.bulk_create(
            [
                Person(
                    first_name=f"Person{i}",
                    last_name=f"Surname{i % 997}",
                    date_of_birth=dt.date(1990, 1, 1),
                    crn=f"X{i:06d}",
                    status=Status.LICENCE,
                    unit=office,
                )
                for i in range(start, min(start + BUILD_BATCH, PEOPLE))
            ]
        )
    person_ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    User.objects.bulk_create(
        [User(username=f"person-{pk}", kind=UserKind.PERSON, person_id=pk, password="!") for pk in person_ids],  # noqa: S106 - unusable
        batch_size=BUILD_BATCH,
    )
    LicenceVersion.objects.bulk_create(
        [LicenceVersion(person_id=pk, number=1, issued_at=issued) for pk in person_ids], batch_size=BUILD_BATCH
    )
    versions = dict(LicenceVersion.objects.values_list("person_id", "pk"))
    CurfewTerms.objects.bulk_create(
        [
            CurfewTerms(person_id=pk, licence_version_id=versions[pk], address="Synthetic", issued_at=issued)
            for pk in person_ids
        ],
        batch_size=BUILD_BATCH,
    )
    terms = dict(CurfewTerms.objects.values_list("person_id", "pk"))
    CurfewWindow.objects.bulk_create(
        [
            CurfewWindow(terms_id=terms[pk], weekday=d, start=dt.time(19), end=dt.time(7))
            for pk in person_ids
            for d in range(7)
        ],
        batch_size=BUILD_BATCH * 7,
    )
    homes = {pk: (HOME[0] + rng.uniform(-0.05, 0.05), HOME[1] + rng.uniform(-0.08, 0.08)) for pk in person_ids}
    zones = []
    for pk in person_ids:
        lat, lon = homes[pk]
        square = [
            [lon + 0.02, lat - 0.004],
            [lon + 0.03, lat - 0.004],
            [lon + 0.03, lat + 0.004],
            [lon + 0.02, lat + 0.004],
        ]
        specs = [
            ("inclusion", "curfew", circle_feature(lat, lon, 75)),
            ("exclusion", "always", circle_feature(lat + 0.02, lon, 300)),
            (
                "exclusion",
                "always",
                {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [square + square[:1]]}},
            ),
        ]
        for kind, applies, feature in specs:
            shape = zone_shape_from_geojson(feature)
            zones.append(
                Zone(
                    terms_id=terms[pk],
                    person_id=pk,
                    kind=kind,
                    applies=applies,
                    label="Synthetic",
                    description="Synthetic",
                    geojson=feature,
                    bng_wkb=shape.to_wkb(),
                    radius_m=shape.radius_m,
                    is_curfew_address=applies == "curfew",
                )
            )
    Zone.objects.bulk_create(zones, batch_size=BUILD_BATCH)
    # The evaluation reads each version's snapshot, written as curfew_terms_set writes it.
    by_terms: dict[int, list] = {}
    for zone in Zone.objects.order_by("pk"):
        by_terms.setdefault(zone.terms_id, []).append(zone)
    nightly = [Window(d, dt.time(19), dt.time(7)) for d in range(7)]
    updated = [CurfewTerms(pk=pk, snapshot=terms_snapshot(nightly, found)) for pk, found in by_terms.items()]
    CurfewTerms.objects.bulk_update(updated, ["snapshot"], batch_size=BUILD_BATCH)
    users = {user.person_id: user for user in User.objects.filter(kind=UserKind.PERSON).select_related("person")}

    # Batches: a random person each, 100 fixes 2 minutes apart over the last few hours, mostly at home.
    now = timezone.now()
    batches = []
    for number in range(BATCHES):
        pk = rng.choice(person_ids)
        lat, lon = homes[pk]
        wander = rng.random() < 0.1
        first = now - dt.timedelta(minutes=2 * BATCH + rng.randint(0, 600), microseconds=number)
        fixes = []
        for i in range(BATCH):
            away = wander and 40 <= i < 60
            north = (1500 if away else rng.uniform(-10, 10)) / METRES_PER_DEGREE
            fixes.append(
                FixIn(
                    first + dt.timedelta(minutes=2 * i, seconds=rng.randint(0, 59)),
                    lat + north,
                    lon + rng.uniform(-0.0001, 0.0001),
                    rng.uniform(8, 40),
                )
            )
        rng.shuffle(fixes)  # out of order, as a device flushing a queue may send them
        batches.append((users[pk], fixes))

    # As in a running server, the URL configuration is loaded before the first request (alerts link to pages).
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - loads every URL module once
    sections = _sections_timed() if os.environ.get("BENCH_SECTIONS") else None
    counter = QueryCounter()
    profiler = None
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        for user, fixes in batches:
            fixes_ingest(actor=user, person=user.person, device="bench-device", fixes=fixes, ip="192.0.2.1")
        seconds = time.perf_counter() - started
    if profiler is not None:
        profiler.disable()
        profiler.print_stats(os.environ.get("BENCH_PROFILE_SORT", "cumulative"))
    stored = LocationFix.objects.count()
    assert stored == BATCHES * BATCH, stored

    # The geometry alone: 3 zones against 100,000 fixes, from stored shapes, as the evaluation does it.
    from onward.location.zones import zone_shape_from_wkb

    sample = list(Zone.objects.filter(person_id=person_ids[0]).values_list("bng_wkb", "radius_m"))
    shapes = [zone_shape_from_wkb(bytes(wkb), radius) for wkb, radius in sample]
    lat, lon = homes[person_ids[0]]
    count = 100_000
    latitudes = lat + np.random.default_rng(1).uniform(-0.02, 0.02, count)
    longitudes = lon + np.random.default_rng(2).uniform(-0.03, 0.03, count)
    accuracy = np.random.default_rng(3).uniform(5, 100, count)
    zone_started = time.perf_counter()
    x, y = to_bng_many(latitudes, longitudes)
    for shape in shapes:
        shape.verdicts(x, y, accuracy)
    zone_seconds = time.perf_counter() - zone_started

    if sections is not None:
        for name, spent in sorted(sections.items(), key=lambda item: -item[1]):
            print(f"# {name}: {spent / BATCHES * 1000:.2f} ms a batch")
    print(f"fixes_per_second = {stored / seconds:.0f}")
    print(f"zone_eval_us_per_fix = {zone_seconds / count * 1e6:.2f}")
    print(f"queries_per_batch = {counter.count / BATCHES:.1f}")


def _sections_timed() -> dict[str, float]:
    """For finding where a batch's time goes: wrap the evaluation's steps with timers (BENCH_SECTIONS=1)."""
    from onward.audit import services as audit_services
    from onward.curfew import evaluation

    spent: dict[str, float] = {}

    def wrap(module, name):  # type: ignore[no-untyped-def]
        original = getattr(module, name)

        def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - started

        setattr(module, name, timed)

    for name in (
        "terms_in_force",
        "variations_between",
        "_fixes_insert",
        "_spoof_flags",
        "violations_refresh",
        "_evaluate",
        "fixes_ingest",
    ):
        wrap(evaluation, name)
    evaluation.audit_record = audit_services.audit_record
    wrap(evaluation, "audit_record")
    return spent


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.count += 1
        return execute(sql, params, many, context)


if __name__ == "__main__":
    main()
