"""A person's curfew, zones, variations, location fixes, flags and violations in their subject access export."""

from typing import Any

from onward.core.subject_access import Section, rows, subject_access_section
from onward.curfew.models import (
    CurfewPrompt,
    CurfewTerms,
    CurfewVariation,
    CurfewWindow,
    LocationFix,
    RandomCheckins,
    SpoofFlag,
    Violation,
    Zone,
)


@subject_access_section(
    "curfew",
    covers=[
        CurfewPrompt,
        RandomCheckins,
        CurfewTerms,
        CurfewWindow,
        CurfewVariation,
        Zone,
        LocationFix,
        SpoofFlag,
        Violation,
    ],
)
def curfew_section(person: Any) -> Section:
    return Section(
        data={
            "curfew_terms": rows(
                CurfewTerms.objects.filter(person=person).order_by("issued_at"), "id", "address", "issued_at"
            ),
            "curfew_windows": rows(
                CurfewWindow.objects.filter(terms__person=person).order_by("terms_id", "weekday"),
                "terms_id",
                "weekday",
                "start",
                "end",
            ),
            "curfew_variations": rows(
                CurfewVariation.objects.filter(person=person).order_by("night"),
                "night",
                "start",
                "end",
                "reason",
                "state",
                "approved_at",
            ),
            "zones": rows(
                Zone.objects.filter(person=person).order_by("terms_id", "pk"),
                "terms_id",
                "kind",
                "applies",
                "description",
                "geojson",
            ),
            "location_fixes": rows(
                LocationFix.objects.filter(person=person).order_by("recorded_at"),
                "device",
                "recorded_at",
                "latitude",
                "longitude",
                "accuracy_m",
                "source",
                "mock_location",
                "developer_mode",
                "curfew_night",
                "verdicts",
            ),
            "location_flags": rows(
                SpoofFlag.objects.filter(person=person).order_by("created_at"), "fix_id", "kind", "detail", "created_at"
            ),
            "random_checkins": rows(RandomCheckins.objects.filter(person=person), "per_night", "changed_at"),
            "curfew_prompts": rows(
                CurfewPrompt.objects.filter(person=person).order_by("due_at"), "night", "due_at", "state", "checkin_id"
            ),
            "violations": rows(
                Violation.objects.filter(person=person).order_by("started_at"),
                "kind",
                "started_at",
                "ended_at",
                "fixes",
            ),
        }
    )
