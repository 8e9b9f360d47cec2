"""The evidence pack: one ZIP with a PDF summary, fixes with distances, zones, check-in media with SHA-256, audit."""

import csv
import hashlib
import io
import json
import zipfile
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from onward.accounts.services import person_account_ensure
from onward.alerts.models import Alert, AlertKind
from onward.audit.models import AuditEvent
from onward.checkins.tests.factories import CheckInFactory, CheckInMediaFactory, EnrolmentFactory
from onward.core.audit_actions import AuditAction
from onward.curfew.evaluation import FixIn, fixes_ingest
from onward.curfew.tests.conftest import HOME
from onward.learning.tests.factories import pdf_text

pytestmark = pytest.mark.django_db
NIGHT = datetime(2026, 6, 10, 20, 0, tzinfo=UTC)
AWAY = (HOME[0] + 0.03, HOME[1])  # about 3 km north


def test_the_pack_holds_the_evidence_and_its_hashes(case: dict[str, Any], terms: Any, staff_client: Any) -> None:
    person = case["person"]
    fixes_ingest(
        actor=person_account_ensure(person),
        person=person,
        device="synthetic-phone",
        fixes=[FixIn(NIGHT, *AWAY, 20.0), FixIn(NIGHT + timedelta(minutes=7), *AWAY, 25.0)],
        now=NIGHT + timedelta(hours=1),
    )
    alert = Alert.objects.get(kind=AlertKind.CURFEW)
    checkin = CheckInFactory(
        enrolment=EnrolmentFactory(person=person),
        person=person,
        opens_at=NIGHT,
        closes_at=NIGHT + timedelta(minutes=15),
    )
    media = CheckInMediaFactory(checkin=checkin)
    response = staff_client(case["practitioner"]).get(f"/staff/alerts/{alert.pk}/evidence/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"summary.pdf", "fixes.csv", "zones.geojson", "curfew.json", "audit.json", "manifest.json"} <= names
    manifest = json.loads(archive.read("manifest.json"))
    for name, digest in manifest["sha256"].items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest
    rows = list(csv.DictReader(io.StringIO(archive.read("fixes.csv").decode())))
    assert len(rows) == 2
    assert rows[0]["against"] == "True"
    home_zone = terms.zones.get(is_curfew_address=True).pk
    assert 2800 < float(rows[0][f"zone_{home_zone}_edge_distance_m"]) < 3400
    media_files = [n for n in names if n.startswith("media/")]
    assert len(media_files) == 1
    assert manifest["summary"]["media"][0]["sha256_recorded"] == media.sha256
    text = pdf_text(archive.read("summary.pdf"))
    assert "Evidence pack" in text
    assert person.last_name in text
    assert "violation_min_minutes" in text
    actions = {e["action"] for e in json.loads(archive.read("audit.json"))}
    assert AuditAction.LOCATION_VIOLATION_OPENED in actions
    assert AuditEvent.objects.filter(action=AuditAction.LOCATION_EVIDENCE_DOWNLOADED, person=person).count() == 1


def test_someone_outside_the_case_gets_no_pack(case: dict[str, Any], terms: Any, staff_client: Any) -> None:
    person = case["person"]
    fixes_ingest(
        actor=person_account_ensure(person),
        person=person,
        device="synthetic-phone",
        fixes=[FixIn(NIGHT, *AWAY, 20.0)],
        now=NIGHT + timedelta(hours=1),
    )
    alert = Alert.objects.get(kind=AlertKind.CURFEW)
    response = staff_client(case["stranger"]).get(f"/staff/alerts/{alert.pk}/evidence/")
    assert response.status_code in (403, 404)
    assert not AuditEvent.objects.filter(action=AuditAction.LOCATION_EVIDENCE_DOWNLOADED).exists()
