"""The evidence pack of an alert: one ZIP for a breach hearing, with a PDF summary and the files behind it.

In the ZIP: `summary.pdf` (the alert, the decision and notes, the violation, the curfew and zones in force,
the thresholds, the fixes with accuracy and distance to each zone's edge, the check-ins with their media's
SHA-256), `fixes.csv`, `zones.geojson`, `curfew.json`, each check-in's photos and videos under `media/`,
`audit.json` (the audit-chain entries about the person over the period, with their hashes, so anyone can
check the chain links up) and `manifest.json` (the SHA-256 of every other file). Downloading it is audited.
"""

import csv
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import font_source_sans_pro
import numpy as np
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone
from fpdf import FPDF

from onward.alerts.models import Alert
from onward.audit.models import AuditEvent
from onward.audit.services import audit_record
from onward.checkins.models import CheckIn, CheckInMedia, Verification
from onward.core.audit_actions import AuditAction
from onward.core.permissions import require
from onward.curfew.evaluation import terms_in_force, thresholds_in_force, variations_between
from onward.curfew.models import LocationFix, SpoofFlag, Violation, Zone
from onward.curfew.windows import LONDON
from onward.curfew.words import windows_words
from onward.location.zones import to_bng_many, zone_shape_from_wkb
from onward.people.rules import acting_role

FONT = "SourceSans"
AROUND = timedelta(hours=2)
OTHER_ALERT_BEFORE = timedelta(hours=24)
PDF_FIXES_MAX = 300
MEDIA_MAX = 50


@dataclass(frozen=True)
class EvidencePack:
    filename: str
    content: bytes


def evidence_pack(*, actor: Any, alert: Alert) -> EvidencePack:
    """Build the pack for one alert (the caller checked `alert.view`); staff must also see the person's location."""
    require(actor, "location.view", alert.person)
    violations = list(Violation.objects.filter(alert=alert).select_related("zone"))
    if violations:
        start = min(v.started_at for v in violations) - AROUND
        end = max(v.ended_at or v.last_evidence_at for v in violations) + AROUND
    else:
        start, end = alert.created_at - OTHER_ALERT_BEFORE, alert.created_at + AROUND
    person = alert.person
    fixes = list(LocationFix.objects.filter(person=person, recorded_at__range=(start, end)).order_by("recorded_at"))
    flags: dict[int, list[str]] = {}
    for fix_id, kind in SpoofFlag.objects.filter(fix__in=[f.pk for f in fixes]).values_list("fix_id", "kind"):
        flags.setdefault(fix_id, []).append(kind)
    terms = terms_in_force(person, start, end)
    zone_ids = [info.pk for version in terms for info, _shape in version.zones]
    zones = list(Zone.objects.filter(pk__in=zone_ids).order_by("pk"))
    variations = variations_between(person, start, end)
    checkins = list(
        CheckIn.objects.filter(person=person, opens_at__lte=end, closes_at__gte=start)
        .select_related("review")
        .order_by("opens_at")
    )
    media = list(
        CheckInMedia.objects.filter(checkin__in=checkins, deleted_at__isnull=True, source__isnull=True).order_by(
            "uploaded_at"
        )[:MEDIA_MAX]
    )
    engines = sorted(
        {
            f"{engine} {version}".strip()
            for engine, version in Verification.objects.filter(checkin__in=checkins).values_list(
                "engine", "model_version"
            )
        }
    )
    # The period's entries, and everything about the person from just before the alert until now (the
    # violation that raised it, the acknowledgement, notes, the decision).
    audit = list(
        AuditEvent.objects.filter(person=person)
        .filter(Q(at__range=(start, end)) | Q(at__gte=alert.created_at - AROUND))
        .order_by("seq")
    )
    distances = _distances(fixes, zones)
    files: dict[str, bytes] = {}
    files["fixes.csv"] = _fixes_csv(fixes, zones, distances, flags)
    files["zones.geojson"] = _json(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    **zone.geojson,
                    "properties": {
                        **(zone.geojson.get("properties") or {}),
                        "kind": zone.kind,
                        "applies": zone.applies,
                        "label": zone.label,
                        "zone_id": zone.pk,
                    },
                }
                for zone in zones
            ],
        }
    )
    files["curfew.json"] = _json(
        {
            "versions": [
                {"issued_at": v.issued_at, "windows": [[w.weekday, w.start, w.end] for w in v.windows]} for v in terms
            ],
            "variations": [[v.night, v.start, v.end] for v in variations],
            "time_zone": "Europe/London",
        }
    )
    media_rows = []
    for item in media:
        try:
            with default_storage.open(item.file.name, "rb") as handle:
                data = handle.read()
        except (FileNotFoundError, OSError):
            continue
        name = f"media/checkin-{item.checkin_id}/{item.pk}-{Path(item.file.name).name}"
        files[name] = data
        media_rows.append(
            {
                "file": name,
                "checkin": item.checkin_id,
                "sha256_recorded": item.sha256,
                "sha256_now": hashlib.sha256(data).hexdigest(),
                "uploaded_at": item.uploaded_at,
            }
        )
    files["audit.json"] = _json(
        [
            {
                "seq": e.seq,
                "at": e.at,
                "action": e.action,
                "actor_id": e.actor_id,
                "actor_system": e.actor_system,
                "object": f"{e.object_type}:{e.object_id}",
                "data": e.data,
                "prev_hash": e.prev_hash,
                "hash": e.hash,
            }
            for e in audit
        ]
    )
    summary = {
        "alert": {
            "id": alert.pk,
            "kind": alert.kind,
            "summary": alert.summary,
            "state": alert.state,
            "raised": alert.created_at,
            "decision": alert.decision,
            "reason": alert.reason,
            "notes": [[n.created_at, n.text] for n in alert.notes.all()],
        },
        "violations": [
            {
                "kind": v.kind,
                "zone": v.zone.label if v.zone else "",
                "started_at": v.started_at,
                "ended_at": v.ended_at,
                "fixes": v.fixes,
                "thresholds": v.thresholds,
            }
            for v in violations
        ],
        "thresholds_now": thresholds_in_force(),
        "engines": engines,
        "checkins": [
            {
                "id": c.pk,
                "kind": c.kind,
                "opens_at": c.opens_at,
                "closes_at": c.closes_at,
                "state": c.state,
                "face": c.face_decision,
                "liveness_passed": c.liveness_passed,
                "location": c.location_line,
                "review": getattr(getattr(c, "review", None), "decision", ""),
                "review_notes": getattr(getattr(c, "review", None), "notes", ""),
            }
            for c in checkins
        ],
        "media": media_rows,
        "period": [start, end],
        "curfew": [windows_words(v.windows) for v in terms if v.windows],
        "variations": [[v.night, v.start, v.end] for v in variations],
    }
    files["summary.pdf"] = _pdf(alert, summary, fixes, zones, distances, flags)
    manifest = {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())}
    files["manifest.json"] = _json({"summary": summary, "sha256": manifest, "made_at": timezone.now()})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    audit_record(
        actor=actor,
        role=acting_role(actor, person),
        action=AuditAction.LOCATION_EVIDENCE_DOWNLOADED,
        person=person,
        target=alert,
        data={"files": len(files), "fixes": len(fixes), "media": len(media_rows)},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return EvidencePack(f"evidence-alert-{alert.pk}-{stamp}.zip", buffer.getvalue())


def _distances(fixes: list[LocationFix], zones: list[Zone]) -> dict[int, list[float]]:
    """Metres from each fix to each zone's edge (British National Grid)."""
    if not fixes or not zones:
        return {}
    x, y = to_bng_many(np.array([f.latitude for f in fixes]), np.array([f.longitude for f in fixes]))
    found = {}
    for zone in zones:
        shape = zone_shape_from_wkb(zone.bng_wkb, zone.radius_m)
        found[zone.pk] = [round(float(d), 1) for d in shape.distance_to_edge_m(x, y)]
    return found


def _fixes_csv(
    fixes: list[LocationFix], zones: list[Zone], distances: dict[int, list[float]], flags: dict[int, list[str]]
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "time_utc",
            "latitude",
            "longitude",
            "accuracy_m",
            "source",
            "device",
            "mock_location",
            "developer_mode",
            "curfew_night",
            "against",
            "flags",
        ]
        + [f"zone_{z.pk}_verdict" for z in zones]
        + [f"zone_{z.pk}_edge_distance_m" for z in zones]
    )
    for i, fix in enumerate(fixes):
        writer.writerow(
            [
                fix.recorded_at.isoformat(),
                fix.latitude,
                fix.longitude,
                fix.accuracy_m,
                fix.source,
                fix.device,
                fix.mock_location,
                fix.developer_mode,
                fix.curfew_night or "",
                fix.against,
                " ".join(flags.get(fix.pk, [])),
            ]
            + [fix.verdicts.get(str(z.pk), "") for z in zones]
            + [distances.get(z.pk, [""] * len(fixes))[i] for z in zones]
        )
    return out.getvalue().encode()


def _json(value: Any) -> bytes:
    return json.dumps(value, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


def _pdf(
    alert: Alert,
    summary: dict[str, Any],
    fixes: list[LocationFix],
    zones: list[Zone],
    distances: dict[int, list[float]],
    flags: dict[int, list[str]],
) -> bytes:
    """Staff-facing summary in English (evidence for a hearing)."""
    pdf = FPDF(unit="mm", format="A4")
    folder = Path(font_source_sans_pro.__file__).parent / "files"
    pdf.add_font(FONT, "", str(folder / "SourceSansPro-Regular.ttf"))
    pdf.add_font(FONT, "B", str(folder / "SourceSansPro-Bold.ttf"))
    pdf.set_title(f"Evidence pack: alert {alert.pk}")
    pdf.set_author(settings.ONWARD_SERVICE_NAME)
    pdf.add_page()

    def heading(text: str) -> None:
        pdf.set_font(FONT, "B", 13)
        pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 10)

    def line(text: str) -> None:
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")

    pdf.set_font(FONT, "B", 18)
    pdf.multi_cell(0, 10, f"Evidence pack: {alert.get_kind_display()}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    person = alert.person
    line(f"Person: {person.full_name} ({person.reference})")
    line(f"Alert {alert.pk}: {alert.summary}")
    line(f"Raised {_local(alert.created_at)}; state {alert.get_state_display()}")
    if alert.decision:
        line(f"Decision: {alert.get_decision_display()}. Reason: {alert.reason}")
    for created, text in summary["alert"]["notes"]:
        line(f"Note ({_local(created)}): {text}")
    line("Automated checks inform; the practitioner decides. Nothing here records a breach by itself.")
    heading("Violations")
    for v in summary["violations"]:
        ended = _local(v["ended_at"]) if v["ended_at"] else "still open"
        line(f"{v['kind']} {v['zone']}: {_local(v['started_at'])} to {ended}, {v['fixes']} fixes")
        line("Thresholds in force: " + ", ".join(f"{k} = {val}" for k, val in v["thresholds"].items()))
    if not summary["violations"]:
        line("None linked to this alert.")
    heading("Zones and curfew in force")
    for zone in zones:
        line(f"Zone {zone.pk}: {zone.get_kind_display()}, {zone.get_applies_display()}: {zone.label}")
    for words in summary["curfew"]:
        line(f"Curfew (London time): {words}")
    for night, begins, ends in summary["variations"]:
        line(f"Variation for the night of {night}: {f'{begins:%H:%M} to {ends:%H:%M}' if begins else 'no curfew'}")
    heading("Engines")
    line(", ".join(summary["engines"]) or "No face or liveness checks in this period.")
    heading("Check-ins")
    for c in summary["checkins"]:
        line(
            f"{c['id']} ({c['kind']}): {_local(c['opens_at'])} to {_local(c['closes_at'])}, {c['state']}; face "
            f"{c['face'] or '-'}, liveness {c['liveness_passed']}; {c['location']}; review {c['review'] or '-'} "
            f"{c['review_notes']}"
        )
    for m in summary["media"]:
        line(f"{m['file']}: SHA-256 {m['sha256_now']} (recorded {m['sha256_recorded']})")
    heading(f"Fixes ({len(fixes)}; all in fixes.csv)")
    pdf.set_font(FONT, "", 8)
    for i, fix in enumerate(fixes[:PDF_FIXES_MAX]):
        edges = "; ".join(f"zone {z.pk} {fix.verdicts.get(str(z.pk), '-')} {distances[z.pk][i]} m" for z in zones)
        marks = " ".join(flags.get(fix.pk, []))
        line(
            f"{_local(fix.recorded_at)}  {fix.latitude:.5f}, {fix.longitude:.5f}  ±{fix.accuracy_m:.0f} m  "
            f"{fix.source}  {edges}  {'AGAINST' if fix.against else ''} {marks}"
        )
    return bytes(pdf.output())


def _local(value: datetime) -> str:
    return value.astimezone(LONDON).strftime("%d %b %Y %H:%M:%S")
