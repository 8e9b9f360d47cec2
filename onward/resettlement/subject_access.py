"""The resettlement plan: assessments, needs, actions and to-dos, and the plan's history."""

from onward.core.subject_access import Section, rows, subject_access_section
from onward.people.models import Person
from onward.resettlement.models import Assessment, Need, PlanAction, PlanEvent, PrisonRequest, RequestEvent


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
