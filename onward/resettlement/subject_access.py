"""The resettlement plan (assessments, needs, actions, to-dos, history, requests); applications and documents."""

from onward.core.subject_access import Section, rows, subject_access_section
from onward.people.models import Person
from onward.resettlement.models import (
    Application,
    Assessment,
    Document,
    Need,
    PlanAction,
    PlanEvent,
    PrisonRequest,
    RequestEvent,
)


@subject_access_section("resettlement", covers=[Assessment, Need, PlanAction, PlanEvent, PrisonRequest, RequestEvent])
def resettlement_section(person: Person) -> Section:
    return Section(
        {
            "assessments": rows(
                Assessment.objects.filter(person=person).order_by("number"),
                "number",
                "kind",
                "need_codes",
                "notes",
                "assessed_at",
            ),
            "needs": rows(
                Need.objects.filter(person=person).order_by("pk"), "code", "pathway", "status", "owner", "created_at"
            ),
            "actions": rows(
                PlanAction.objects.filter(person=person).order_by("pk"),
                "text",
                "owner",
                "due_on",
                "created_at",
                "done_at",
            ),
            "history": rows(PlanEvent.objects.filter(person=person).order_by("at", "pk"), "kind", "data", "note", "at"),
            "requests": rows(
                PrisonRequest.objects.filter(person=person).order_by("created_at"),
                "kind",
                "department__name",
                "text",
                "state",
                "created_at",
                "due_at",
                "answered_at",
                "closed_at",
            ),
            "request_history": rows(
                RequestEvent.objects.filter(request__person=person).order_by("at", "pk"),
                "request_id",
                "kind",
                "text",
                "at",
            ),
        }
    )


@subject_access_section("documents", covers=[Application, Document])
def documents_section(person: Person) -> Section:
    """ID and bank account applications, and the documents kept for the person (with their files)."""
    documents = Document.objects.filter(person=person, removed_at__isnull=True).order_by("pk")
    return Section(
        {
            "applications": rows(
                Application.objects.filter(person=person).order_by("pk"),
                "kind",
                "status",
                "owner",
                "reference",
                "reason",
                "created_at",
                "requested_at",
                "submitted_at",
                "received_at",
                "finished_at",
            ),
            "documents": rows(documents, "id", "kind", "title", "content_type", "size_bytes", "uploaded_at"),
        },
        files=[(d.file.name, f"documents/{d.filename}") for d in documents if d.file],
    )
