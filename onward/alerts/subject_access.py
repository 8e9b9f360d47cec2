"""A person's alerts in their subject access export: what was raised about them, the notes and decisions."""

from typing import Any

from onward.alerts.models import Alert, AlertNote
from onward.core.subject_access import Section, rows, subject_access_section


@subject_access_section("alerts", covers=[Alert, AlertNote])
def alerts_section(person: Any) -> Section:
    alerts = Alert.objects.filter(person=person).order_by("created_at", "pk")
    return Section(
        data={
            "alerts": rows(
                alerts,
                "id",
                "kind",
                "severity",
                "state",
                "summary",
                "created_at",
                "acknowledged_at",
                "escalated_at",
                "closed_at",
                "decision",
                "reason",
            ),
            "notes": rows(
                AlertNote.objects.filter(alert__person=person).order_by("created_at", "pk"),
                "alert_id",
                "text",
                "created_at",
            ),
        }
    )
