"""A check-in's position becomes a location fix (source "checkin"), judged like a device's fixes."""

from typing import Any

import pytest

from onward.accounts.services import person_account_ensure
from onward.alerts.models import Alert, AlertKind
from onward.audit.models import AuditEvent
from onward.checkins import services
from onward.checkins.events import CheckinLocationShared
from onward.checkins.tests.factories import CheckInFactory, EnrolmentFactory
from onward.core.audit_actions import AuditAction
from onward.core.events import subscribers_of
from onward.curfew.models import FixSource, LocationFix, Violation, ViolationKind
from onward.curfew.subscribers import checkin_position_judged
from onward.curfew.tests.conftest import HOME, KEEP_OUT

pytestmark = pytest.mark.django_db


def _share(person: Any, latitude: float, longitude: float, accuracy_m: float = 15) -> Any:
    account = person_account_ensure(person)
    checkin = CheckInFactory(enrolment=EnrolmentFactory(person=person), person=person)
    services.checkin_location_save(
        actor=account, checkin=checkin, latitude=latitude, longitude=longitude, accuracy_m=accuracy_m, consent=True
    )
    return checkin


def test_curfew_listens_for_a_shared_position() -> None:
    assert checkin_position_judged in subscribers_of(CheckinLocationShared)


def test_a_position_shared_with_a_check_in_is_kept_as_a_judged_fix(case: dict[str, Any], terms: Any) -> None:
    checkin = _share(case["person"], *HOME)
    fix = LocationFix.objects.get(person=case["person"])
    assert fix.source == FixSource.CHECKIN
    assert fix.device == f"checkin-{checkin.pk}"
    assert (fix.latitude, fix.longitude, fix.accuracy_m) == (HOME[0], HOME[1], 15)
    keep_out = next(zone for zone in terms.zones.all() if zone.kind == "exclusion")
    assert fix.verdicts[str(keep_out.pk)] == "outside"
    assert not fix.against
    assert AuditEvent.objects.filter(
        action=AuditAction.LOCATION_FIXES_RECEIVED, person=case["person"], data__device=fix.device
    ).exists()


def test_a_check_in_inside_an_exclusion_zone_raises_a_zone_alert(case: dict[str, Any], terms: Any) -> None:
    _share(case["person"], *KEEP_OUT, accuracy_m=10)  # one accurate fix is sustained evidence
    fix = LocationFix.objects.get(person=case["person"])
    assert fix.against
    # During curfew hours (the test may run then) it is evidence against the curfew too: its own violation.
    violation = Violation.objects.get(person=case["person"], kind=ViolationKind.EXCLUSION)
    assert violation.zone is not None
    assert violation.zone.kind == "exclusion"
    assert Alert.objects.filter(person=case["person"], kind=AlertKind.ZONE).count() == 1


def test_without_curfew_or_zones_the_position_stays_with_the_check_in_alone(case: dict[str, Any]) -> None:
    checkin = _share(case["person"], *KEEP_OUT)
    checkin.refresh_from_db()
    assert checkin.latitude == KEEP_OUT[0]
    assert not LocationFix.objects.exists()


def test_a_position_the_fix_format_refuses_still_saves_the_check_in(case: dict[str, Any], terms: Any) -> None:
    checkin = _share(case["person"], *HOME, accuracy_m=0)
    checkin.refresh_from_db()
    assert checkin.location_consent
    assert checkin.accuracy_m == 0
    assert not LocationFix.objects.exists()
