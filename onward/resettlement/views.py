"""The resettlement plan's pages: the person's to-do list, and the staff page to assess and manage.
Thin: parse, call a service or selector, render."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onward.accounts.actors import signed_in_user
from onward.core.audit_actions import AuditAction
from onward.core.permissions import can, permission
from onward.people.models import Person
from onward.people.selectors import person_get
from onward.resettlement import selectors, services
from onward.resettlement.models import AssessmentKind, Need, NeedStatus, PlanAction
from onward.resettlement.needs import Owner, needs_by_pathway

# --- The person ---------------------------------------------------------------------------------


@permission("resettlement.self")
def my_plan(request: HttpRequest) -> HttpResponse:
    """The plan as a to-do list: what I do, what others do for me, what is done, and what to read."""
    person = _me(request)
    plan = selectors.plan_for_person(request.user, person, get_language())
    context = {"plan": plan, "words": selectors.plain_words, "error": "", "text": "", "due_on": ""}
    return render(request, "resettlement/my_plan.html", context)


@permission("resettlement.self")
@require_POST
def my_todo_add(request: HttpRequest) -> HttpResponse:
    person = _me(request)
    text, due_text = request.POST.get("text", ""), request.POST.get("due_on", "").strip()
    try:
        due_on = _date(due_text)
        services.action_add(actor=signed_in_user(request), person=person, text=text, due_on=due_on)
    except ValidationError as error:
        plan = selectors.plan_for_person(request.user, person, get_language())
        context = {"plan": plan, "words": selectors.plain_words, "error": " ".join(error.messages)}
        context.update(text=text, due_on=due_text)
        return render(request, "resettlement/my_plan.html", context, status=400)
    messages.success(request, _("Added to your list."))
    return redirect("resettlement:my_plan")


@permission("resettlement.self")
@require_POST
def my_action_mark(request: HttpRequest, action_id: int) -> HttpResponse:
    person = _me(request)
    action = _action(person, action_id)
    done = request.POST.get("done") == "yes"
    try:
        services.action_mark(actor=signed_in_user(request), action=action, done=done)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Well done. That is ticked off.") if done else _("That is back on your list."))
    return redirect("resettlement:my_plan")


# --- Staff --------------------------------------------------------------------------------------


@permission("resettlement.view")
def person_plan(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get(request.user, person_id, purpose=AuditAction.RESETTLEMENT_PLAN_VIEWED)
    return render(request, "resettlement/person_plan.html", _staff_context(request, person))


@permission("resettlement.manage")
def person_assess(request: HttpRequest, person_id: int) -> HttpResponse:
    """Record a new version of the needs assessment: tick the needs found, per pathway."""
    person = person_get(request.user, person_id, purpose=AuditAction.RESETTLEMENT_PLAN_VIEWED)
    if not can(request.user, "resettlement.manage", person):
        raise PermissionDenied("resettlement.manage")
    error, chosen, kind, notes = "", set(selectors.open_need_codes(person)), "", ""
    if request.method == "POST":
        chosen, kind, notes = (
            set(request.POST.getlist("needs")),
            request.POST.get("kind", ""),
            request.POST.get("notes", ""),
        )
        try:
            assessment = services.assessment_record(
                actor=signed_in_user(request), person=person, kind=kind, need_codes=sorted(chosen), notes=notes
            )
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("Assessment %(number)s recorded.") % {"number": assessment.number})
            return redirect("resettlement:person_plan", person_id=person.pk)
    context = {
        "person": person,
        "pathways": needs_by_pathway(),
        "kinds": AssessmentKind.choices,
        "chosen": chosen,
        "kind": kind or (AssessmentKind.RECEPTION if not selectors.has_assessment(person) else ""),
        "notes": notes,
        "error": error,
    }
    return render(request, "resettlement/person_assess.html", context, status=400 if error else 200)


@permission("resettlement.manage")
@require_POST
def need_change(request: HttpRequest, person_id: int, need_id: int) -> HttpResponse:
    person = person_get(request.user, person_id, purpose=AuditAction.RESETTLEMENT_PLAN_VIEWED)
    need = _need(person, need_id)
    actor = signed_in_user(request)
    try:
        if request.POST.get("owner"):
            services.need_owner_change(actor=actor, need=need, owner=request.POST["owner"])
        if request.POST.get("status"):
            services.need_status_change(
                actor=actor, need=need, status=request.POST["status"], note=request.POST.get("note", "")
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("resettlement:person_plan", person_id=person.pk)


@permission("resettlement.manage")
@require_POST
def action_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get(request.user, person_id, purpose=AuditAction.RESETTLEMENT_PLAN_VIEWED)
    need_id = _int(request.POST.get("need"))
    need = _need(person, need_id) if need_id else None
    try:
        services.action_add(
            actor=signed_in_user(request),
            person=person,
            need=need,
            text=request.POST.get("text", ""),
            owner=request.POST.get("owner", ""),
            due_on=_date(request.POST.get("due_on", "").strip()),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Action added."))
    return redirect("resettlement:person_plan", person_id=person.pk)


@permission("resettlement.manage")
@require_POST
def action_mark(request: HttpRequest, person_id: int, action_id: int) -> HttpResponse:
    person = person_get(request.user, person_id, purpose=AuditAction.RESETTLEMENT_PLAN_VIEWED)
    services.action_mark(
        actor=signed_in_user(request), action=_action(person, action_id), done=request.POST.get("done") == "yes"
    )
    return redirect("resettlement:person_plan", person_id=person.pk)


# --- helpers ------------------------------------------------------------------------------------


def _staff_context(request: HttpRequest, person: Person) -> dict[str, Any]:
    return {
        "person": person,
        "plan": selectors.plan_for_staff(request.user, person),
        "may_manage": can(request.user, "resettlement.manage", person),
        "statuses": NeedStatus.choices,
        "owners": Owner.choices,
        "staff_words": selectors.staff_words,
        "today": selectors.today(),
    }


def _me(request: HttpRequest) -> Person:
    person_id = getattr(request.user, "person_id", None)
    if person_id is None:
        raise PermissionDenied("resettlement.self")
    return person_get(request.user, int(person_id), purpose=AuditAction.RESETTLEMENT_PLAN_VIEWED)


def _need(person: Person, need_id: int | None) -> Need:
    try:
        return selectors.need_in_plan(person, need_id or 0)
    except Need.DoesNotExist:
        raise Http404 from None


def _action(person: Person, action_id: int) -> PlanAction:
    try:
        return selectors.action_in_plan(person, action_id)
    except PlanAction.DoesNotExist:
        raise Http404 from None


def _date(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(_("Enter a real date, like 2027-03-31.")) from None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
