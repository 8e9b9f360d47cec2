"""Location fixes in: stored once per device and time, judged against the curfew and zones, spoofing flagged.

`fixes_ingest` takes a batch (late and out of order are fine) and costs a fixed number of queries however
many fixes it holds: it reads the terms in force, the variations and the fixes already stored once, judges
every fix at once (numpy arrays on the British National Grid, prepared geometries), and writes the new
fixes and their flags in bulk. Only when a fix is evidence against a zone or the curfew, or a violation
is open, does it look at the person's fixes around the batch (`violations_refresh`).

A violation opens on sustained evidence (settings LOCATION_VIOLATION_*): certain fixes against the same zone
(or the curfew) at least N minutes apart with no certain fix the other way between them, or one fix whose
accuracy is better than the single-fix setting. It closes at the first certain fix the other way, or when
the night's curfew ends. Opening one raises an alert; it never records a breach.
"""

import json
import math
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onward.alerts.models import AlertKind
from onward.alerts.services import AlertCause, alert_raise
from onward.audit.services import audit_record
from onward.core.actors import SystemActor
from onward.core.audit_actions import AuditAction
from onward.core.permissions import require
from onward.curfew.ip_country import country_of
from onward.curfew.models import (
    CurfewTerms,
    CurfewVariation,
    FixSource,
    LocationFix,
    SpoofFlag,
    SpoofKind,
    VariationState,
    Violation,
    ViolationKind,
    Zone,
    ZoneApplies,
    ZoneKind,
)
from onward.curfew.windows import Interval, NightVariation, Window, interval_at, intervals, night_interval
from onward.location.zones import (
    INSIDE_CODE,
    OUTSIDE_CODE,
    UNCERTAIN_CODE,
    VERDICT_CODES,
    ZoneShape,
    to_bng_many,
    zone_shape_from_wkb,
)
from onward.people.models import Person

EVALUATION_ACTOR = SystemActor("location_evaluation")
CURFEW_SUBJECT = "curfew"
DEVICE_MAX_CHARS = 64
# The device name of a fix from a check-in: this prefix and the check-in's id.
CHECKIN_DEVICE_PREFIX = "checkin-"
# How far around a batch the violation check reads the person's other fixes.
VIOLATION_LOOKAROUND = timedelta(hours=12)
KMH_PER_MS = 3.6
SOURCES = frozenset(FixSource.values)


@dataclass(frozen=True)
class FixIn:
    recorded_at: datetime
    latitude: float
    longitude: float
    accuracy_m: float
    source: str = FixSource.GPS
    mock_location: bool | None = None
    developer_mode: bool | None = None


@dataclass
class IngestResult:
    accepted: int = 0
    duplicates: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (index in the batch, why in plain words)
    flags: int = 0
    violations_opened: int = 0
    violations_closed: int = 0


@dataclass(frozen=True)
class ZoneInfo:
    """What the evaluation needs of a zone, read without building model instances."""

    pk: int
    kind: str
    applies: str
    label: str


@dataclass
class _Terms:
    """The curfew and zones of one licence version, ready for the maths."""

    issued_at: datetime
    windows: list[Window]
    zones: list[tuple[ZoneInfo, ZoneShape]]


def fixes_ingest(
    *, actor: Any, person: Person, device: str, fixes: list[FixIn], ip: str | None = None, now: datetime | None = None
) -> IngestResult:
    """Store and judge a batch of fixes from one device; the same device and time again is a duplicate."""
    require(actor, "location.send", person)
    return _ingest(actor=actor, person=person, device=device, fixes=fixes, ip=ip, now=now)


def checkin_fix_record(
    *,
    actor: Any,
    person: Person,
    checkin_id: int,
    recorded_at: datetime,
    latitude: float,
    longitude: float,
    accuracy_m: float,
) -> IngestResult | None:
    """Keep the position shared with a check-in as a fix (source "checkin"), judged like any other.

    Called when checkins announces `CheckinLocationShared`, inside its transaction: the check-in's own
    permission was checked there. Only for people with curfew or zones set (no terms, nothing to judge, so
    the position stays with the check-in alone). A position the fix format would refuse (say an accuracy
    of 0) is left with the check-in and not kept as a fix.
    """
    if not CurfewTerms.objects.filter(person=person).exists():
        return None
    fix = FixIn(recorded_at, latitude, longitude, accuracy_m, source=FixSource.CHECKIN)
    return _ingest(actor=actor, person=person, device=f"{CHECKIN_DEVICE_PREFIX}{checkin_id}", fixes=[fix])


def _ingest(
    *, actor: Any, person: Person, device: str, fixes: list[FixIn], ip: str | None = None, now: datetime | None = None
) -> IngestResult:
    now = now or timezone.now()
    device = device.strip()[:DEVICE_MAX_CHARS] or "unnamed"
    result = IngestResult()
    valid: dict[datetime, FixIn] = {}
    limits = _Limits.now(now)
    for index, fix in enumerate(fixes):
        problem = _fix_problem(fix, limits)
        if problem:
            result.rejected.append((index, problem))
        elif fix.recorded_at in valid:
            result.duplicates += 1
        else:
            valid[fix.recorded_at] = fix
    if not valid:
        return result
    with transaction.atomic():
        stored, before = _stored_around(person.pk, device, min(valid), max(valid))
        result.duplicates += sum(1 for at in stored if at in valid)
        batch = sorted((fix for at, fix in valid.items() if at not in stored), key=lambda fix: fix.recorded_at)
        if not batch:
            return result
        # The fix before the first new one: the person's last before the batch, or a fix of this batch's
        # device already stored (sent again) if that is later and still before it.
        earlier = [(at, position) for at, position in stored.items() if at < batch[0].recorded_at]
        previous = max([*earlier, *([before] if before else [])], key=lambda item: item[0], default=None)
        country = country_of(ip)
        rows, violation_open = _evaluate(person, device, batch, country)
        doubts = _spoof_flags(rows, country, previous)
        _fixes_insert(rows)
        flags = _flags_save(person, device, doubts)
        if flags:
            _spoof_alert(person, flags)
        result.accepted = len(rows)
        result.flags = len(flags)
        audit_record(
            actor=actor,
            action=AuditAction.LOCATION_FIXES_RECEIVED,
            person=person,
            data={
                "device": device,
                "accepted": len(rows),
                "duplicates": result.duplicates,
                "from": rows[0].recorded_at.isoformat(),
                "to": rows[-1].recorded_at.isoformat(),
                "flags": len(flags),
            },
        )
        if violation_open or any(row.against for row in rows):
            opened, closed = violations_refresh(person, rows[0].recorded_at, rows[-1].recorded_at, now=now)
            result.violations_opened, result.violations_closed = opened, closed
    return result


def terms_in_force(person: Person, start: datetime, end: datetime) -> list[_Terms]:
    """Every version's curfew and zones that could be in force between start and end, oldest first (one query)."""
    return _terms_and_hints(person, start, end)[0]


def _terms_and_hints(person: Person, start: datetime, end: datetime) -> tuple[list[_Terms], bool, bool]:
    """The terms, and whether the person has variations near these nights or an open violation, in one query."""
    first_night, last_night = _nights_around(start, end)
    version, variation, violation = CurfewTerms, CurfewVariation, Violation
    t_person, t_issued = _col(version, "person"), _col(version, "issued_at")
    sql = (
        f"SELECT t.{t_issued}, t.{_col(version, 'snapshot')}, "  # noqa: S608 - names from _meta
        f"EXISTS(SELECT 1 FROM {_table(variation)} v WHERE v.{_col(variation, 'person')} = t.{t_person} "
        f"AND v.{_col(variation, 'state')} = %s AND v.{_col(variation, 'night')} BETWEEN %s AND %s), "
        f"EXISTS(SELECT 1 FROM {_table(violation)} w WHERE w.{_col(violation, 'person')} = t.{t_person} "
        f"AND w.{_col(violation, 'ended_at')} IS NULL) "
        f"FROM {_table(version)} t WHERE t.{t_person} = %s AND t.{t_issued} <= %s ORDER BY t.{t_issued}"
    )
    ops = connection.ops
    params = [
        str(VariationState.APPROVED),
        ops.adapt_datefield_value(first_night),
        ops.adapt_datefield_value(last_night),
        person.pk,
        ops.adapt_datetimefield_value(end),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        issued = [
            (_aware(at), snapshot if isinstance(snapshot, dict) else json.loads(snapshot), bool(varied), bool(violated))
            for at, snapshot, varied, violated in cursor.fetchall()
        ]
    # Versions replaced before `start` are not needed, except the last of them.
    first = max((i for i, row in enumerate(issued) if row[0] <= start), default=0)
    terms = [terms_from_snapshot(row[0], row[1]) for row in issued[first:]]
    varied = any(row[2] for row in issued)
    violated = any(row[3] for row in issued)
    return terms, varied, violated


def _nights_around(start: datetime, end: datetime) -> tuple[date, date]:
    return start.astimezone(UTC).date() - timedelta(days=2), end.astimezone(UTC).date() + timedelta(days=1)


def terms_from_snapshot(issued_at: datetime, snapshot: dict[str, Any]) -> _Terms:
    windows = [
        Window(day, time.fromisoformat(begins), time.fromisoformat(ends))
        for day, begins, ends in snapshot.get("windows", [])
    ]
    zones = [
        (ZoneInfo(pk, kind, applies, label), zone_shape_from_wkb(bytes.fromhex(wkb), radius))
        for pk, kind, applies, label, wkb, radius in snapshot.get("zones", [])
    ]
    return _Terms(issued_at=issued_at, windows=windows, zones=zones)


def variations_between(person: Person, start: datetime, end: datetime) -> list[NightVariation]:
    first, last = _nights_around(start, end)
    return [
        NightVariation(night, begins, ends)
        for night, begins, ends in CurfewVariation.objects.filter(
            person=person, state=VariationState.APPROVED, night__range=(first, last)
        )
        .order_by()
        .values_list("night", "start", "end")
    ]


def violations_refresh(
    person: Person, start: datetime, end: datetime, *, now: datetime | None = None
) -> tuple[int, int]:
    """Open and close the person's violations from their fixes around [start, end]. Returns (opened, closed)."""
    now = now or timezone.now()
    around_start, around_end = start - VIOLATION_LOOKAROUND, end + VIOLATION_LOOKAROUND
    fixes: list[dict[str, Any]] = [
        dict(row)
        for row in LocationFix.objects.filter(person=person, recorded_at__range=(around_start, around_end))
        .order_by("recorded_at", "pk")
        .values("pk", "recorded_at", "accuracy_m", "verdicts", "curfew_night", "against")
    ]
    zones = {
        zone.pk: zone
        for zone in Zone.objects.filter(person=person, terms__issued_at__lte=around_end)
        .order_by()
        .only("pk", "kind", "applies", "label", "terms_id")
    }
    runs = _runs(fixes, zones)
    existing = defaultdict(list)
    for violation in (
        Violation.objects.filter(person=person, started_at__lte=around_end)
        .exclude(ended_at__lt=around_start)
        .order_by("started_at")
    ):
        existing[violation.subject].append(violation)
    terms = terms_in_force(person, around_start, around_end)
    variations = variations_between(person, around_start, around_end)
    opened = closed = 0
    for run in runs:
        if not run.qualifies():
            continue
        ended_at = run.ended_at
        if ended_at is None and run.night is not None:
            interval = _night_interval_for(terms, variations, run.night)
            if interval is not None and interval.end <= now:
                ended_at = interval.end
        match = next(
            (v for v in existing[run.subject] if _overlaps(v, run.started_at, ended_at)),
            None,
        )
        if match is None:
            violation = Violation.objects.create(
                person=person,
                kind=run.kind,
                zone=zones.get(run.zone_id) if run.zone_id else None,
                subject=run.subject,
                started_at=run.started_at,
                last_evidence_at=run.last_at,
                ended_at=ended_at,
                fixes=run.count,
                thresholds=thresholds_in_force(),
            )
            existing[run.subject].append(violation)
            _violation_alert(person, violation)
            audit_record(
                actor=EVALUATION_ACTOR,
                action=AuditAction.LOCATION_VIOLATION_OPENED,
                person=person,
                target=violation,
                data={"subject": run.subject, "started_at": run.started_at.isoformat(), "fixes": run.count},
            )
            opened += 1
            if ended_at is not None:
                closed += 1
            continue
        was_open = match.ended_at is None
        match.started_at = min(match.started_at, run.started_at)
        match.last_evidence_at = max(match.last_evidence_at, run.last_at)
        match.fixes = max(match.fixes, run.count)
        if ended_at is not None and was_open:
            match.ended_at = ended_at
            audit_record(
                actor=EVALUATION_ACTOR,
                action=AuditAction.LOCATION_VIOLATION_CLOSED,
                person=person,
                target=match,
                data={"subject": run.subject, "ended_at": ended_at.isoformat()},
            )
            closed += 1
        match.save(update_fields=["started_at", "last_evidence_at", "fixes", "ended_at"])
    return opened, closed


def thresholds_in_force() -> dict[str, float]:
    """The settings that decide a violation and a spoofing flag, kept with what they decided."""
    return {
        "violation_min_fixes": settings.LOCATION_VIOLATION_MIN_FIXES,
        "violation_min_minutes": settings.LOCATION_VIOLATION_MIN_MINUTES,
        "violation_single_fix_accuracy_m": settings.LOCATION_VIOLATION_SINGLE_FIX_ACCURACY_M,
        "spoof_speed_max_kmh": settings.LOCATION_SPOOF_SPEED_MAX_KMH,
        "spoof_accuracy_min_m": settings.LOCATION_SPOOF_ACCURACY_MIN_M,
        "curfew_address_radius_m": settings.CURFEW_ADDRESS_RADIUS_M,
    }


# --- Judging a batch -------------------------------------------------------------------------------


@dataclass(slots=True)
class _NewFix:
    """A judged fix about to be stored (plain values: the hot path builds no model instances)."""

    person_id: int
    device: str
    recorded_at: datetime
    received_at: datetime
    latitude: float
    longitude: float
    accuracy_m: float
    source: str
    mock_location: bool | None
    developer_mode: bool | None
    ip_country: str
    curfew_night: date | None
    verdicts: dict[str, str]
    against: bool


_FIX_COLUMNS = tuple(f.name for f in _NewFix.__dataclass_fields__.values())


def _fixes_insert(rows: list["_NewFix"]) -> None:
    """All the batch's fixes in one INSERT of many rows, with values adapted as the ORM would adapt them."""
    ops = connection.ops
    received = ops.adapt_datetimefield_value(rows[0].received_at)
    table = connection.ops.quote_name(LocationFix._meta.db_table)
    columns = ", ".join(ops.quote_name(_column(name)) for name in _FIX_COLUMNS)
    placeholders = ", ".join(["%s"] * len(_FIX_COLUMNS))
    moment, day, verdicts = _datetime_adapter(), _date_adapter(), _json_adapter()
    values = [
        (
            row.person_id,
            row.device,
            moment(row.recorded_at),
            received,
            row.latitude,
            row.longitude,
            row.accuracy_m,
            row.source,
            row.mock_location,
            row.developer_mode,
            row.ip_country,
            day(row.curfew_night),
            verdicts(row.verdicts),
            row.against,
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", values)  # noqa: S608 - names from _meta


# On SQLite the ORM stores a datetime as the text of its UTC wall clock and JSON as text; the adapters below
# give the same text with fewer calls a fix (and the same verdicts text once a batch). Other databases take
# the ORM's own adapters.


def _datetime_adapter() -> Any:
    if connection.vendor != "sqlite" or connection.timezone != UTC:
        return connection.ops.adapt_datetimefield_value
    return lambda value: str(value.astimezone(UTC).replace(tzinfo=None))


def _date_adapter() -> Any:
    if connection.vendor != "sqlite":
        return connection.ops.adapt_datefield_value
    return lambda value: None if value is None else str(value)


def _json_adapter() -> Any:
    if connection.vendor != "sqlite":
        return lambda value: connection.ops.adapt_json_value(value, None)
    seen: dict[tuple[tuple[str, str], ...], str] = {}

    def adapt(value: dict[str, str]) -> str:
        key = tuple(value.items())
        text = seen.get(key)
        if text is None:
            text = seen[key] = json.dumps(value)
        return text

    return adapt


def _column(name: str) -> str:
    field = LocationFix._meta.get_field(name)
    return str(getattr(field, "column", name))


def _evaluate(person: Person, device: str, batch: list[FixIn], country: str | None) -> tuple[list[_NewFix], bool]:
    """The judged fixes, and whether the person has a violation open (learnt in the same query as the terms)."""
    start, end = batch[0].recorded_at, batch[-1].recorded_at
    terms, varied, violated = _terms_and_hints(person, start, end)
    latitudes = np.fromiter((fix.latitude for fix in batch), dtype=float, count=len(batch))
    longitudes = np.fromiter((fix.longitude for fix in batch), dtype=float, count=len(batch))
    accuracy = np.fromiter((fix.accuracy_m for fix in batch), dtype=float, count=len(batch))
    x, y = to_bng_many(latitudes, longitudes)
    times = [fix.recorded_at for fix in batch]
    verdicts: list[dict[str, str]] = [{} for _fix in batch]
    nights: list[date | None] = [None] * len(batch)
    against = np.zeros(len(batch), dtype=bool)
    if terms:
        variations = variations_between(person, start, end) if varied and any(t.windows for t in terms) else []
        starts = [t.issued_at for t in terms]
        version_of = np.array([max(bisect_right(starts, at) - 1, -1) for at in times])
        for index, version in enumerate(terms):
            chosen = np.nonzero(version_of == index)[0]
            if len(chosen):
                _judge(version, variations, chosen, times, x, y, accuracy, verdicts, nights, against)
    received = timezone.now()
    person_id = person.pk
    judged = [
        _NewFix(
            person_id=person_id,
            device=device,
            recorded_at=fix.recorded_at,
            received_at=received,
            latitude=fix.latitude,
            longitude=fix.longitude,
            accuracy_m=fix.accuracy_m,
            source=fix.source,
            mock_location=fix.mock_location,
            developer_mode=fix.developer_mode,
            ip_country=country or "",
            curfew_night=nights[i],
            verdicts=verdicts[i],
            against=bool(against[i]),
        )
        for i, fix in enumerate(batch)
    ]
    return judged, violated


def _judge(
    terms: _Terms,
    variations: list[NightVariation],
    chosen: np.ndarray,
    times: list[datetime],
    x: np.ndarray,
    y: np.ndarray,
    accuracy: np.ndarray,
    verdicts: list[dict[str, str]],
    nights: list[date | None],
    against: np.ndarray,
) -> None:
    """Judge the fixes `chosen` (indexes) against one version's zones and curfew, in place."""
    cx, cy, cacc = x[chosen], y[chosen], accuracy[chosen]
    in_curfew = np.zeros(len(chosen), dtype=bool)
    if terms.windows:
        found = intervals(terms.windows, variations, times[chosen[0]], times[chosen[-1]] + timedelta(seconds=1))
        for position, index in enumerate(chosen):
            interval = interval_at(found, times[index])
            if interval is not None:
                in_curfew[position] = True
                nights[index] = interval.night
    curfew_inside = np.zeros(len(chosen), dtype=bool)
    curfew_uncertain = np.zeros(len(chosen), dtype=bool)
    has_curfew_zone = False
    for zone, shape in terms.zones:
        applies = in_curfew if zone.applies == ZoneApplies.CURFEW else np.ones(len(chosen), dtype=bool)
        if not applies.any():
            continue
        codes = shape.verdicts(cx, cy, cacc)
        key = str(zone.pk)
        for index, code in zip(chosen[applies].tolist(), codes[applies].tolist(), strict=True):
            verdicts[index][key] = VERDICT_CODES[code]
        if zone.applies == ZoneApplies.CURFEW and zone.kind == ZoneKind.INCLUSION:
            has_curfew_zone = True
            curfew_inside |= codes == INSIDE_CODE
            curfew_uncertain |= codes == UNCERTAIN_CODE
        elif zone.kind == ZoneKind.EXCLUSION:
            against[chosen] |= applies & (codes == INSIDE_CODE)
        else:
            against[chosen] |= applies & (codes == OUTSIDE_CODE)
    if has_curfew_zone:
        # Away during curfew: certainly outside every zone that counts as home.
        against[chosen] |= in_curfew & ~curfew_inside & ~curfew_uncertain


@dataclass(frozen=True, slots=True)
class _Limits:
    """What a fix must meet, read from the settings once a batch (not once a fix)."""

    latest: datetime
    earliest: datetime
    max_age_days: int
    max_accuracy_m: float

    @classmethod
    def now(cls, now: datetime) -> "_Limits":
        return cls(
            latest=now + timedelta(minutes=settings.LOCATION_FIX_MAX_FUTURE_MINUTES),
            earliest=now - timedelta(days=settings.LOCATION_FIX_MAX_AGE_DAYS),
            max_age_days=settings.LOCATION_FIX_MAX_AGE_DAYS,
            max_accuracy_m=settings.LOCATION_FIX_MAX_ACCURACY_M,
        )


def _fix_problem(fix: FixIn, limits: _Limits) -> str:
    at = fix.recorded_at
    if at.tzinfo is None or at.utcoffset() is None:
        return _("The time must include a time zone, for example 2026-05-01T21:30:00Z.")
    if at > limits.latest:
        return _("The time is in the future.")
    if at < limits.earliest:
        return _("The fix is more than %(n)d days old.") % {"n": limits.max_age_days}
    latitude, longitude, accuracy = fix.latitude, fix.longitude, fix.accuracy_m
    if not (math.isfinite(latitude) and math.isfinite(longitude) and math.isfinite(accuracy)):
        return _("Latitude, longitude and accuracy must be numbers.")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return _("Latitude must be between -90 and 90, and longitude between -180 and 180.")
    if not 0 < accuracy <= limits.max_accuracy_m:
        return _("Accuracy must be more than 0 and at most %(n)d metres.") % {"n": limits.max_accuracy_m}
    if fix.source not in SOURCES:
        return _("Unknown source. Use one of: %(sources)s.") % {"sources": ", ".join(FixSource.values)}
    return ""


# --- Reading in one go ------------------------------------------------------------------------------
# The hot path reads with plain SQL (table and column names from the models' _meta): building the same
# ORM query for every batch cost more than running it. Values come back as the driver gives them.

Place = tuple[float, float, float]  # latitude, longitude, accuracy in metres


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _col(model: Any, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _aware(value: Any) -> datetime:
    """A datetime read with plain SQL: SQLite gives it naive in the connection's time zone (UTC)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=connection.timezone or UTC)
    return value


def _stored_around(
    person_id: int, device: str, first: datetime, last: datetime
) -> tuple[dict[datetime, Place], tuple[datetime, Place] | None]:
    """This device's fixes already stored between first and last (sent again), and the person's last fix
    before first (from any device), in one query."""
    fix = LocationFix
    table, person, at, dev = _table(fix), _col(fix, "person"), _col(fix, "recorded_at"), _col(fix, "device")
    place = f"{_col(fix, 'latitude')}, {_col(fix, 'longitude')}, {_col(fix, 'accuracy_m')}"
    sql = (
        f"SELECT 0, {at}, {place} FROM {table} WHERE {person} = %s AND {dev} = %s AND {at} BETWEEN %s AND %s "  # noqa: S608 - names from _meta
        f"UNION ALL SELECT 1, previous.* FROM (SELECT {at}, {place} FROM {table} "
        f"WHERE {person} = %s AND {at} < %s ORDER BY {at} DESC LIMIT 1) previous"
    )
    adapt = connection.ops.adapt_datetimefield_value
    low, high = adapt(first), adapt(last)
    with connection.cursor() as cursor:
        cursor.execute(sql, [person_id, device, low, high, person_id, low])
        found = cursor.fetchall()
    stored: dict[datetime, Place] = {}
    before = None
    for which, recorded, latitude, longitude, accuracy in found:
        if which:
            before = (_aware(recorded), (latitude, longitude, accuracy))
        else:
            stored[_aware(recorded)] = (latitude, longitude, accuracy)
    return stored, before


# --- Spoofing --------------------------------------------------------------------------------------


def _spoof_flags(
    rows: list["_NewFix"], country: str | None, previous: tuple[datetime, Place] | None
) -> list[tuple[datetime, str, dict[str, Any]]]:
    """Reasons to doubt each new fix: the phone's own signals, its accuracy, its speed, exact repeats, its IP.

    `previous` is the fix before the first new one (its time and place), for the first step's speed.
    """
    flags: list[tuple[datetime, str, dict[str, Any]]] = []
    count = len(rows)
    latitudes = np.fromiter((row.latitude for row in rows), dtype=float, count=count)
    longitudes = np.fromiter((row.longitude for row in rows), dtype=float, count=count)
    accuracy = np.fromiter((row.accuracy_m for row in rows), dtype=float, count=count)
    seconds = np.fromiter((row.recorded_at.timestamp() for row in rows), dtype=float, count=count)
    if previous is not None:
        at, (latitude, longitude, accuracy_m) = previous
        latitudes = np.concatenate(([latitude], latitudes))
        longitudes = np.concatenate(([longitude], longitudes))
        accuracy = np.concatenate(([accuracy_m], accuracy))
        seconds = np.concatenate(([at.timestamp()], seconds))
    x, y = to_bng_many(latitudes, longitudes)
    offset = len(latitudes) - count
    if len(latitudes) > 1:
        moved = np.hypot(np.diff(x), np.diff(y)) - accuracy[1:] - accuracy[:-1]
        elapsed = np.maximum(np.diff(seconds), 1.0)
        speed_kmh = np.maximum(moved, 0.0) / elapsed * KMH_PER_MS
        same = (np.diff(latitudes) == 0) & (np.diff(longitudes) == 0) & (np.diff(accuracy) == 0)
    else:
        speed_kmh = np.zeros(0)
        same = np.zeros(0, dtype=bool)
    too_fast = speed_kmh > settings.LOCATION_SPOOF_SPEED_MAX_KMH
    too_good = accuracy[offset:] < settings.LOCATION_SPOOF_ACCURACY_MIN_M
    allowed = {code.upper() for code in settings.LOCATION_IP_COUNTRIES_ALLOWED}
    foreign = bool(country) and country not in allowed
    # Most fixes raise nothing: look closely only at those with a reason.
    suspect = too_good.copy()
    if len(speed_kmh):
        steps = too_fast | same
        suspect |= steps[len(steps) - count :] if offset else np.concatenate(([False], steps))
    for position, row in enumerate(rows):
        if not (suspect[position] or row.mock_location or row.developer_mode or foreign):
            continue
        step = position + offset - 1  # the step from the fix before to this one
        if row.mock_location:
            flags.append((row.recorded_at, SpoofKind.MOCK_LOCATION, {}))
        if row.developer_mode:
            flags.append((row.recorded_at, SpoofKind.DEVELOPER_MODE, {}))
        if too_good[position]:
            flags.append((row.recorded_at, SpoofKind.ACCURACY_TOO_GOOD, {"accuracy_m": row.accuracy_m}))
        if step >= 0 and too_fast[step]:
            flags.append((row.recorded_at, SpoofKind.IMPOSSIBLE_SPEED, {"speed_kmh": round(float(speed_kmh[step]), 1)}))
        if step >= 0 and same[step]:
            flags.append((row.recorded_at, SpoofKind.EXACT_REPEAT, {}))
        if foreign:
            flags.append((row.recorded_at, SpoofKind.IP_COUNTRY, {"country": country}))
    return flags


def _flags_save(person: Person, device: str, doubts: list[tuple[datetime, str, dict[str, Any]]]) -> list[SpoofFlag]:
    """The spoofing flags, tied to the fixes just stored (one look-up for their ids, only when there are flags)."""
    if not doubts:
        return []
    ids = dict(
        LocationFix.objects.filter(
            person=person, device=device, recorded_at__in=list({at for at, _kind, _detail in doubts})
        ).values_list("recorded_at", "pk")
    )
    flags = [
        SpoofFlag(person=person, fix_id=ids[at], kind=kind, detail=detail) for at, kind, detail in doubts if at in ids
    ]
    SpoofFlag.objects.bulk_create(flags)
    return flags


def _spoof_alert(person: Person, flags: list[SpoofFlag]) -> None:
    day = timezone.localdate()
    kinds = sorted({flag.kind for flag in flags})
    alert_raise(
        kind=AlertKind.LOCATION_SPOOFING,
        person=person,
        key=f"location-spoofing:{person.pk}:{day.isoformat()}",
        summary=_("Location fixes look faked: %(reasons)s")
        % {"reasons": ", ".join(str(SpoofKind(kind).label) for kind in kinds)},
        cause=_day_cause(person, day),
        actor=EVALUATION_ACTOR,
    )
    audit_record(
        actor=EVALUATION_ACTOR,
        action=AuditAction.LOCATION_SPOOF_FLAGGED,
        person=person,
        data={"kinds": kinds, "fixes": len({flag.fix_id for flag in flags})},
    )


# --- Violations ------------------------------------------------------------------------------------


@dataclass
class _Run:
    subject: str
    kind: str
    zone_id: int | None
    night: date | None
    started_at: datetime
    last_at: datetime
    count: int = 1
    best_accuracy_m: float = math.inf
    ended_at: datetime | None = None

    def qualifies(self) -> bool:
        if self.best_accuracy_m < settings.LOCATION_VIOLATION_SINGLE_FIX_ACCURACY_M:
            return True
        span = (self.last_at - self.started_at).total_seconds() / 60
        return self.count >= settings.LOCATION_VIOLATION_MIN_FIXES and span >= settings.LOCATION_VIOLATION_MIN_MINUTES


def _runs(fixes: list[dict[str, Any]], zones: dict[int, Zone]) -> list[_Run]:
    """Stretches of certain evidence against each subject, ended by certain evidence the other way."""
    open_runs: dict[str, _Run] = {}
    done: list[_Run] = []
    for fix in fixes:
        evidence = _evidence(fix, zones)
        for subject, (kind, zone_id, verdict) in evidence.items():
            run = open_runs.get(subject)
            night = fix["curfew_night"] if subject == CURFEW_SUBJECT else None
            if run is not None and run.night != night:
                done.append(open_runs.pop(subject))
                run = None
            if verdict == "against":
                if run is None:
                    open_runs[subject] = _Run(
                        subject, kind, zone_id, night, fix["recorded_at"], fix["recorded_at"], 1, fix["accuracy_m"]
                    )
                else:
                    run.last_at = fix["recorded_at"]
                    run.count += 1
                    run.best_accuracy_m = min(run.best_accuracy_m, fix["accuracy_m"])
            elif verdict == "for" and run is not None:
                run.ended_at = fix["recorded_at"]
                done.append(open_runs.pop(subject))
    return done + list(open_runs.values())


def _evidence(fix: dict[str, Any], zones: dict[int, Zone]) -> dict[str, tuple[str, int | None, str]]:
    """What one fix says about each subject: "against", "for" or nothing (uncertain)."""
    found: dict[str, tuple[str, int | None, str]] = {}
    home = []
    for key, verdict in fix["verdicts"].items():
        zone = zones.get(int(key))
        if zone is None:
            continue
        if zone.applies == ZoneApplies.CURFEW and zone.kind == ZoneKind.INCLUSION:
            home.append(verdict)
            continue
        bad = "inside" if zone.kind == ZoneKind.EXCLUSION else "outside"
        good = "outside" if bad == "inside" else "inside"
        kind = ViolationKind.EXCLUSION if zone.kind == ZoneKind.EXCLUSION else ViolationKind.INCLUSION
        if verdict in (bad, good):
            found[f"zone:{zone.pk}"] = (kind, zone.pk, "against" if verdict == bad else "for")
    if home and fix["curfew_night"] is not None:
        if "inside" in home:
            found[CURFEW_SUBJECT] = (ViolationKind.CURFEW, None, "for")
        elif all(verdict == "outside" for verdict in home):
            found[CURFEW_SUBJECT] = (ViolationKind.CURFEW, None, "against")
    return found


def _night_interval_for(terms: list[_Terms], variations: list[NightVariation], night: date) -> Interval | None:
    version = None
    for candidate in terms:
        if candidate.issued_at.astimezone(UTC).date() <= night:
            version = candidate
    if version is None or not version.windows:
        return None
    windows = {w.weekday: w for w in version.windows}
    variation = next((v for v in variations if v.night == night), None)
    return night_interval(night, windows.get(night.weekday()), variation)


def _overlaps(violation: Violation, start: datetime, end: datetime | None) -> bool:
    violation_end = violation.ended_at
    return (violation_end is None or violation_end >= start) and (end is None or violation.started_at <= end)


def _violation_alert(person: Person, violation: Violation) -> None:
    at = timezone.localtime(violation.started_at)
    if violation.kind == ViolationKind.CURFEW:
        kind, summary = AlertKind.CURFEW, _("Away from the curfew address during curfew from %(time)s")
    elif violation.kind == ViolationKind.EXCLUSION:
        kind, summary = AlertKind.ZONE, _("Inside an exclusion zone (%(zone)s) from %(time)s")
    else:
        kind, summary = AlertKind.ZONE, _("Outside an inclusion zone (%(zone)s) from %(time)s")
    alert = alert_raise(
        kind=kind,
        person=person,
        key=f"location-violation:{violation.pk}",
        summary=summary % {"time": f"{at:%d %b %Y %H:%M}", "zone": violation.zone.label if violation.zone else ""},
        cause=_day_cause(person, at.date()),
        actor=EVALUATION_ACTOR,
    )
    violation.alert = alert
    violation.save(update_fields=["alert"])


def _day_cause(person: Person, day: date) -> AlertCause:
    return AlertCause("curfew:person_day", _("Fixes on the map"), [person.pk, day.isoformat()])
