"""Fixes in: idempotent per device and time, late and out of order, judged; violations open and close; spoofing."""

import json
import math
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from onward.accounts.services import person_account_ensure
from onward.alerts.models import Alert, AlertKind
from onward.curfew.evaluation import FixIn, fixes_ingest
from onward.curfew.models import LocationFix, SpoofFlag, SpoofKind, Violation, ViolationKind
from onward.curfew.tests.conftest import HOME, KEEP_OUT

pytestmark = pytest.mark.django_db

# A summer evening: curfew (19:00-07:00 London, BST) holds from 18:00 UTC. Fixes are "sent" at NOW.
NIGHT = datetime(2026, 6, 10, 20, 0, tzinfo=UTC)
NOW = NIGHT + timedelta(hours=3)
METRES_PER_DEGREE_LATITUDE = 111_200


def north_of(point: tuple[float, float], metres: float) -> tuple[float, float]:
    return point[0] + metres / METRES_PER_DEGREE_LATITUDE, point[1]


def fix(at: datetime, where: tuple[float, float], accuracy: float = 60.0, **signals: Any) -> FixIn:
    return FixIn(recorded_at=at, latitude=where[0], longitude=where[1], accuracy_m=accuracy, **signals)


def send(case: dict[str, Any], fixes: list[FixIn], device: str = "phone-1", ip: str | None = None) -> Any:
    user = person_account_ensure(case["person"])
    return fixes_ingest(actor=user, person=case["person"], device=device, fixes=fixes, ip=ip, now=NOW)


def test_the_same_device_and_time_is_kept_once_and_late_fixes_are_taken(case: dict[str, Any], terms: Any) -> None:
    batch = [fix(NIGHT + timedelta(minutes=m), HOME, 20) for m in (10, 0, 5)]  # out of order
    first = send(case, batch)
    again = send(case, [*batch, fix(NIGHT - timedelta(hours=2), HOME, 20)])  # the same, and one late
    other_device = send(case, batch[:1], device="tag-7")
    assert (first.accepted, first.duplicates) == (3, 0)
    assert (again.accepted, again.duplicates) == (1, 3)
    assert other_device.accepted == 1
    assert LocationFix.objects.filter(person=case["person"]).count() == 5


def test_each_fix_is_judged_against_the_zones_and_the_curfew(case: dict[str, Any], terms: Any) -> None:
    send(
        case,
        [
            fix(NIGHT, HOME, 10),  # at home in curfew
            fix(NIGHT + timedelta(minutes=1), north_of(HOME, 60), 40),  # near the edge: uncertain
            fix(NIGHT - timedelta(hours=5), KEEP_OUT, 10),  # in the exclusion zone, before curfew
        ],
    )
    rows = {row.recorded_at: row for row in LocationFix.objects.filter(person=case["person"])}
    home_zone = str(terms.zones.get(is_curfew_address=True).pk)
    keep_out = str(terms.zones.get(kind="exclusion").pk)
    assert rows[NIGHT].curfew_night is not None
    assert rows[NIGHT].verdicts[home_zone] == "inside"
    assert rows[NIGHT + timedelta(minutes=1)].verdicts[home_zone] == "uncertain"
    afternoon = rows[NIGHT - timedelta(hours=5)]
    assert afternoon.curfew_night is None
    assert home_zone not in afternoon.verdicts
    assert afternoon.verdicts[keep_out] == "inside"
    assert afternoon.against


def test_one_vague_fix_away_opens_nothing_but_two_five_minutes_apart_do(case: dict[str, Any], terms: Any) -> None:
    away = north_of(HOME, 3000)
    send(case, [fix(NIGHT, away, 120)])
    assert not Violation.objects.exists()
    send(case, [fix(NIGHT + timedelta(minutes=3), away, 120)])
    assert not Violation.objects.exists()  # two fixes, but only 3 minutes apart
    send(case, [fix(NIGHT + timedelta(minutes=6), away, 120)])
    violation = Violation.objects.get()
    assert violation.kind == ViolationKind.CURFEW
    assert violation.started_at == NIGHT
    assert violation.ended_at is None
    alert = Alert.objects.get(kind=AlertKind.CURFEW)
    assert alert.person_id == case["person"].pk
    assert violation.alert_id == alert.pk
    assert violation.thresholds["violation_min_minutes"] == 5.0


def test_one_precise_fix_is_enough_and_a_fix_at_home_closes_it(case: dict[str, Any], terms: Any) -> None:
    send(case, [fix(NIGHT, north_of(HOME, 3000), 20)])
    violation = Violation.objects.get()
    send(case, [fix(NIGHT + timedelta(minutes=30), HOME, 15)])
    violation.refresh_from_db()
    assert violation.ended_at == NIGHT + timedelta(minutes=30)
    assert Alert.objects.filter(kind=AlertKind.CURFEW).count() == 1  # closing it raises nothing new


def test_a_late_fix_at_home_between_two_away_fixes_means_no_sustained_evidence(
    case: dict[str, Any], terms: Any
) -> None:
    away = north_of(HOME, 3000)
    send(case, [fix(NIGHT, away, 120), fix(NIGHT + timedelta(minutes=10), away, 120)][1:])
    send(case, [fix(NIGHT + timedelta(minutes=5), HOME, 10)])  # arrives late, in the middle
    send(case, [fix(NIGHT, away, 120)])
    assert not Violation.objects.exists()


def test_the_exclusion_zone_opens_its_own_violation_at_any_time(case: dict[str, Any], terms: Any) -> None:
    afternoon = NIGHT - timedelta(hours=6)
    send(case, [fix(afternoon, KEEP_OUT, 30)])
    violation = Violation.objects.get()
    assert violation.kind == ViolationKind.EXCLUSION
    assert violation.zone.kind == "exclusion"
    assert Alert.objects.get().kind == AlertKind.ZONE
    assert "Synthetic victim" in Alert.objects.get().summary  # staff see their own name for the zone


def test_a_violation_never_records_a_breach_only_an_alert(case: dict[str, Any], terms: Any) -> None:
    send(case, [fix(NIGHT, KEEP_OUT, 30)])  # in curfew and in the exclusion zone: two alerts, no breach
    assert sorted(Alert.objects.values_list("kind", "state", "decision")) == [
        (AlertKind.CURFEW, "open", ""),
        (AlertKind.ZONE, "open", ""),
    ]


@pytest.mark.parametrize(
    ("signals", "accuracy", "kind"),
    [
        ({"mock_location": True}, 20.0, SpoofKind.MOCK_LOCATION),
        ({"developer_mode": True}, 20.0, SpoofKind.DEVELOPER_MODE),
        ({}, 1.0, SpoofKind.ACCURACY_TOO_GOOD),
    ],
)
def test_the_devices_signals_and_too_good_accuracy_are_flagged(
    case: dict[str, Any], terms: Any, signals: dict[str, bool], accuracy: float, kind: str
) -> None:
    result = send(case, [fix(NIGHT, HOME, accuracy, **signals)])
    assert result.flags == 1
    assert list(SpoofFlag.objects.values_list("kind", flat=True)) == [kind]
    assert Alert.objects.get().kind == AlertKind.LOCATION_SPOOFING


def test_impossible_speed_and_exact_repeats_are_flagged_even_out_of_order(case: dict[str, Any], terms: Any) -> None:
    london = (51.5072, -0.1276)  # about 270 km from Leeds
    send(case, [fix(NIGHT, HOME, 10)])
    send(case, [fix(NIGHT + timedelta(minutes=20), london, 10)])  # 270 km in 20 minutes
    send(case, [fix(NIGHT + timedelta(minutes=40), london, 10)])  # exactly the same again
    kinds = sorted(SpoofFlag.objects.values_list("kind", flat=True))
    assert kinds == [SpoofKind.EXACT_REPEAT, SpoofKind.IMPOSSIBLE_SPEED]


def test_walking_pace_is_not_flagged(case: dict[str, Any], terms: Any) -> None:
    steps = [fix(NIGHT + timedelta(minutes=m), north_of(HOME, 80 * m), 15 + m % 3) for m in range(10)]
    assert send(case, steps).flags == 0


def test_an_ip_country_lookup_can_be_plugged_in(case: dict[str, Any], terms: Any, settings: Any) -> None:
    settings.LOCATION_IP_COUNTRY_LOOKUP = "onward.curfew.tests.test_fixes.synthetic_country"
    send(case, [fix(NIGHT, HOME, 20)], ip="192.0.2.10")  # a documentation address (RFC 5737)
    send(case, [fix(NIGHT + timedelta(minutes=1), HOME, 21)], ip="198.51.100.10")
    assert list(SpoofFlag.objects.values_list("kind", "detail")) == [(SpoofKind.IP_COUNTRY, {"country": "FR"})]


def test_the_default_ip_lookup_knows_nothing_and_flags_nothing(case: dict[str, Any], terms: Any) -> None:
    assert send(case, [fix(NIGHT, HOME, 20)], ip="192.0.2.10").flags == 0


def synthetic_country(ip: str) -> str | None:
    """A made-up lookup for the test: one documentation range is "France", the other Great Britain."""
    return "FR" if ip.startswith("192.0.2.") else "GB"


def test_bad_fixes_are_refused_one_by_one_and_the_rest_kept(case: dict[str, Any], terms: Any) -> None:
    result = send(
        case,
        [
            fix(NIGHT, HOME, 20),
            fix(NOW + timedelta(hours=1), HOME, 20),
            fix(NIGHT, (math.nan, 0.0), 20),
            fix(NOW - timedelta(days=60), HOME, 20),
        ],
    )
    assert result.accepted == 1
    assert [index for index, _why in result.rejected] == [1, 2, 3]
    assert "future" in result.rejected[0][1]


def test_the_api_takes_a_batch_from_the_persons_device(case: dict[str, Any], terms: Any, token_for: Any) -> None:
    client = Client(headers={"Authorization": f"Bearer {token_for(case['person'])}"})
    now = datetime.now(UTC).replace(microsecond=0)
    body = {
        "device": "synthetic-phone",
        "fixes": [
            {
                "time": (now - timedelta(minutes=m)).isoformat(),
                "latitude": HOME[0],
                "longitude": HOME[1],
                "accuracy_m": 25,
            }
            for m in range(3)
        ],
    }
    first = client.post("/api/v1/location/fixes", json.dumps(body), content_type="application/json")
    again = client.post("/api/v1/location/fixes", json.dumps(body), content_type="application/json")
    assert first.status_code == 200
    assert first.json() == {"accepted": 3, "duplicates": 0, "refused": []}
    assert again.json() == {"accepted": 0, "duplicates": 3, "refused": []}


def test_the_api_refuses_staff_and_malformed_batches(case: dict[str, Any], token_for: Any, staff_client: Any) -> None:
    client = Client(headers={"Authorization": f"Bearer {token_for(case['person'])}"})
    wrong = client.post(
        "/api/v1/location/fixes",
        json.dumps({"device": "x", "fixes": [{"time": "yesterday", "latitude": 1, "longitude": 2, "accuracy_m": 5}]}),
        content_type="application/json",
    )
    assert wrong.status_code == 422
    assert "time" in json.dumps(wrong.json())
    staff = staff_client(case["practitioner"]).post(
        "/api/v1/location/fixes", json.dumps({"device": "x", "fixes": []}), content_type="application/json"
    )
    assert staff.status_code in (403, 422)
    assert not LocationFix.objects.exists()
