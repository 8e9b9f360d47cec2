"""Remote check-ins: the enrolment, each check-in with its answers, results and review, and the media.

The face and voice templates themselves are not exported (it is a vector of numbers, not something a person can
read); the export says whether one is held. Photos and clips still held are included as files. A review the
practitioner marked sensitive keeps its decision and date but not its notes, and says nothing of the mark.
"""

from typing import Any

from onward.checkins.models import (
    Answer,
    CheckIn,
    CheckInMedia,
    Enrolment,
    ExtraQuestion,
    Review,
    SuitabilityScreen,
    Verification,
)
from onward.core.subject_access import Section, rows, subject_access_section
from onward.people.models import Person


@subject_access_section("check_ins", covers=[Enrolment, ExtraQuestion, CheckIn, SuitabilityScreen])
def checkins_section(person: Person) -> Section:
    enrolment = Enrolment.objects.filter(person=person).first()
    files: list[tuple[str, str]] = []
    enrolled: dict[str, Any] | None = None
    if enrolment is not None:
        enrolled = {
            "schedule": enrolment.schedule,
            "weekdays": enrolment.weekdays,
            "starts_on": enrolment.starts_on,
            "window_hours": enrolment.window_hours,
            "contact_preference": enrolment.contact_preference,
            "office_visits": enrolment.office_visits,
            "office_visits_reason": enrolment.office_visits_reason,
            "active": enrolment.active,
            "enrolled_at": enrolment.enrolled_at,
            "face_template_held": bool(enrolment.template_encrypted),
            "face_engine": enrolment.engine,
            "voice_status": enrolment.voice_status,
            "voice_template_held": bool(enrolment.voice_template_encrypted),
            "voice_exempt_reason": enrolment.voice_exempt_reason,
        }
        if enrolment.reference_photo:
            files.append((enrolment.reference_photo.name, "check-ins/reference-photo"))
    checkins = rows(
        CheckIn.objects.filter(person=person).order_by("due_date"),
        "id",
        "due_date",
        "state",
        "opens_at",
        "closes_at",
        "submitted_at",
        "submitted_anyway",
        "face_decision",
        "face_distance",
        "liveness_passed",
        "location_consent",
        "latitude",
        "longitude",
        "accuracy_m",
        "location_verdict",
        "flag_reasons",
        "state_reason",
    )
    by_checkin: dict[int, dict[str, list[dict[str, Any]]]] = {c["id"]: {} for c in checkins}
    related: list[tuple[str, Any, tuple[str, ...]]] = [
        ("answers", Answer, ("question__key", "extra_question__text", "value", "comment", "flagged")),
        (
            "results",
            Verification,
            ("created_at", "decision", "distance", "liveness_passed", "message", "voice_decision", "voice_similarity"),
        ),
        ("review", Review, ("decision", "notes", "reviewed_at", "sensitive")),
    ]
    for key, model, fields in related:
        for row in rows(model.objects.filter(checkin__person=person).order_by("pk"), "checkin_id", *fields):
            if model is Review and row.pop("sensitive"):
                row.pop("notes")
            by_checkin[row.pop("checkin_id")].setdefault(key, []).append(row)
    media = CheckInMedia.objects.filter(checkin__person=person, deleted_at__isnull=True).exclude(file="")
    for item in media.order_by("pk"):
        files.append((item.file.name, f"check-ins/{item.checkin_id}/{item.kind}-{item.pk}"))
    return Section(
        {
            "enrolment": enrolled,
            "extra_questions": rows(ExtraQuestion.objects.filter(person=person), "text", "created_at"),
            "check_ins": [{**c, **by_checkin[c["id"]]} for c in checkins],
            "suitability_screens": rows(
                SuitabilityScreen.objects.filter(person=person).order_by("screened_at", "pk"),
                "screened_at",
                "very_high_rosh",
                "mappa_level",
                "domestic_abuse",
                "sexual_offending",
                "youth_case",
                "child_protection",
                "rationale",
                "outcome",
                "reasons",
                "approved_at",
                "approval_rationale",
            ),
        },
        files=files,
    )
