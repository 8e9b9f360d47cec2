"""The person's record, who has worked with them, and their licence conditions."""

from typing import Any

from onward.core.subject_access import Section, rows, subject_access_section
from onward.people.models import ContactCode, LicenceCondition, LicenceVersion, Person, StaffAssignment


@subject_access_section("record", covers=[StaffAssignment, LicenceVersion, ContactCode])
def record_section(person: Person) -> Section:
    details = {
        field: getattr(person, field)
        for field in (
            "prison_number",
            "crn",
            "first_name",
            "last_name",
            "date_of_birth",
            "preferred_language",
            "status",
            "address",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
            "address_precision_m",
            "phone",
            "phone_verified_at",
            "email",
            "email_verified_at",
            "risk_level",
            "sentence_date",
            "conditional_release_date",
            "hdc_eligibility_date",
            "hdc_actual_date",
            "rotl_eligibility_date",
            "parole_eligibility_date",
            "release_date",
            "licence_expiry_date",
            "sentence_expiry_date",
            "created_at",
        )
    }
    details["unit"] = person.unit.name
    assignments = rows(
        StaffAssignment.objects.filter(person=person).order_by("started_at"),
        "role",
        "staff__first_name",
        "staff__last_name",
        "started_at",
        "ended_at",
    )
    conditions: dict[int, list[dict[str, Any]]] = {}
    for condition in LicenceCondition.objects.filter(version__person=person).order_by("version", "position"):
        conditions.setdefault(condition.version_id, []).append(
            {"kind": condition.kind, "text": condition.text, "explanation": condition.explanation}
        )
    licence = [
        {**version, "conditions": conditions.get(version["id"], [])}
        for version in rows(
            LicenceVersion.objects.filter(person=person).order_by("number"),
            "id",
            "number",
            "issued_at",
            "confirmed_at",
        )
    ]
    codes = rows(
        ContactCode.objects.filter(person=person).order_by("created_at"),
        "channel",
        "address",
        "created_at",
        "expires_at",
        "used_at",
    )
    photo = [(person.photo.name, f"record/photo-{person.photo.name.rsplit('/', 1)[-1]}")] if person.photo else []
    return Section({"details": details, "staff": assignments, "licence": licence, "contact_codes": codes}, files=photo)
