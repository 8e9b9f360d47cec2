"""Reads of the services directory: search by words and category, "near me" ordered by distance.

"Near me" runs in a fixed number of queries whatever the directory's size: one for the candidates
inside a square box on the indexed easting and northing columns (ids and positions only), then the
nearest few in full with their opening times. Exact distances are worked out in Python, in metres
on the British National Grid. Directory reads are not audited: they are not about a person.
"""

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from onward.directory.models import OpeningException, OpeningPeriod, Service, ServiceState
from onward.directory.opening import Hours, OpeningStatus, opening_status
from onward.directory.rules import services_visible_to


@dataclass(frozen=True)
class Origin:
    """Where "near me" is measured from, in British National Grid metres."""

    easting: float
    northing: float


@dataclass(frozen=True)
class ServiceRow:
    service: Service
    distance_m: float | None
    status: OpeningStatus
    hours: Hours


def service_search(
    user: Any,
    *,
    words: str = "",
    category: str = "",
    origin: Origin | None = None,
    open_now: bool = False,
    include_withdrawn: bool = False,
    at: dt.datetime | None = None,
    limit: int | None = None,
) -> list[ServiceRow]:
    """Published services (and withdrawn ones for editors who ask) matching the words and category.

    With an origin: only those within DIRECTORY_NEAR_ME_RADIUS_KM, nearest first. Without: by name.
    """
    now = at or timezone.now()
    most = limit or settings.DIRECTORY_RESULTS_MAX
    # "Open now" is worked out in Python, so it looks through more rows before it keeps `most`.
    scan = settings.DIRECTORY_OPEN_NOW_SCAN_MAX if open_now else most
    rows = services_visible_to(user)
    if not include_withdrawn:
        rows = rows.filter(state=ServiceState.PUBLISHED)
    if category:
        rows = rows.filter(category=category)
    for word in words.split()[: settings.DIRECTORY_SEARCH_WORDS_MAX]:
        rows = rows.filter(
            Q(name__icontains=word)
            | Q(description__icontains=word)
            | Q(description_cy__icontains=word)
            | Q(what_to_bring__icontains=word)
            | Q(address__icontains=word)
            | Q(postcode__icontains=word)
        )
    if origin is None:
        ordered = list(rows.order_by("name", "pk")[:scan])
        hours = _hours_of([s.pk for s in ordered], now)
        found = [_row(s, None, hours[s.pk], now) for s in ordered]
    else:
        distances = _nearest(rows, origin, scan)
        services = {s.pk: s for s in Service.objects.filter(pk__in=list(distances))}
        hours = _hours_of(list(services), now)
        found = [_row(services[pk], distance, hours[pk], now) for pk, distance in distances.items() if pk in services]
    if open_now:
        found = [r for r in found if r.status.is_open]
    return found[:most]


def service_get(user: Any, service_id: int, *, at: dt.datetime | None = None, all_exceptions: bool = False) -> Service:
    """One entry the user may see, with its opening times (the same refusal whether it exists or not)."""
    rows = services_visible_to(user).filter(pk=service_id)
    found = (
        rows.prefetch_related("opening_periods", "opening_exceptions")
        if all_exceptions
        else _with_hours(rows, at or timezone.now())
    )
    service = found.select_related("last_checked_by").first()
    if service is None:
        raise PermissionDenied("directory.view")
    return service


def distance_between(origin: Origin, service: Service) -> float | None:
    if not service.has_position:
        return None
    return math.hypot(float(service.easting) - origin.easting, float(service.northing) - origin.northing)  # type: ignore[arg-type]


def _nearest(rows: QuerySet[Service], origin: Origin, limit: int) -> dict[int, float]:
    """The ids of the services within the radius, nearest first, with their distances in metres."""
    radius = settings.DIRECTORY_NEAR_ME_RADIUS_KM * 1000.0
    candidates = rows.filter(
        easting__gte=origin.easting - radius,
        easting__lte=origin.easting + radius,
        northing__gte=origin.northing - radius,
        northing__lte=origin.northing + radius,
    ).values_list("pk", "easting", "northing")
    measured = []
    for pk, easting, northing in candidates:
        distance = math.hypot(float(easting) - origin.easting, float(northing) - origin.northing)  # type: ignore[arg-type]
        if distance <= radius:
            measured.append((distance, pk))
    measured.sort()
    measured = measured[:limit]
    return {pk: distance for distance, pk in measured}


def _row(service: Service, distance: float | None, hours: Hours, now: dt.datetime) -> ServiceRow:
    return ServiceRow(service, distance, opening_status(hours, now), hours)


def _hours_of(service_ids: list[int], now: dt.datetime) -> dict[int, Hours]:
    """Opening times for many services in two queries, as plain rows (no model objects: this is hot)."""
    periods: dict[int, list[tuple[int, dt.time, dt.time]]] = {pk: [] for pk in service_ids}
    for service_id, weekday, opens, closes in OpeningPeriod.objects.filter(service_id__in=service_ids).values_list(
        "service_id", "weekday", "opens", "closes"
    ):
        periods[service_id].append((weekday, opens, closes))
    exceptions: dict[int, list[tuple[dt.date, bool, dt.time | None, dt.time | None, str]]] = {
        pk: [] for pk in service_ids
    }
    soon = timezone.localdate(now) - dt.timedelta(days=1)
    for service_id, *row in OpeningException.objects.filter(service_id__in=service_ids, date__gte=soon).values_list(
        "service_id", "date", "closed", "opens", "closes", "note"
    ):
        exceptions[service_id].append(tuple(row))  # type: ignore[arg-type]
    return {pk: Hours.from_rows(periods[pk], exceptions[pk]) for pk in service_ids}


def _with_hours(rows: QuerySet[Service], now: dt.datetime) -> QuerySet[Service]:
    """Prefetch the weekly periods and only the exceptions that can matter from now on."""
    soon = timezone.localdate(now) - dt.timedelta(days=1)
    return rows.prefetch_related(
        "opening_periods",
        Prefetch("opening_exceptions", queryset=OpeningException.objects.filter(date__gte=soon)),
    )
