"""The resettlement plan's pages: the person's to-do list, and the staff page to assess and manage.
Thin: parse, call a service or selector, render.

Also the requests' pages: the person makes requests and reads each one's history; prison staff work the queue.
And documents and ID applications: staff and the person add documents; each download goes through a checked view."""

import secrets
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onward.accounts.actors import signed_in_user
from onward.core.audit_actions import AuditAction
from onward.core.permissions import can, permission
from onward.people.models import Person
from onward.people.selectors import person_get
from onward.resettlement import documents, prison_requests, selectors, services
from onward.resettlement.applications import APPLICATION_KINDS, APPLICATION_KINDS_BY_CODE
from onward.resettlement.handover import handover_pdf, release_checklist, release_pack_pdf
from onward.resettlement.models import (
    Application,
    AssessmentKind,
    Document,
    DocumentKind,
    Need,
    NeedStatus,
    PlanAction,
    PrisonRequest,
)
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
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_RESETTLEMENT)
    return render(request, "resettlement/person_plan.html", _staff_context(request, person))


@permission("resettlement.manage")
def person_assess(request: HttpRequest, person_id: int) -> HttpResponse:
    """Record a new version of the needs assessment: tick the needs found, per pathway."""
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_FOR_PLAN_CHANGE)
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
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_FOR_PLAN_CHANGE)
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
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_FOR_PLAN_CHANGE)
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
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_FOR_PLAN_CHANGE)
    services.action_mark(
        actor=signed_in_user(request), action=_action(person, action_id), done=request.POST.get("done") == "yes"
    )
    return redirect("resettlement:person_plan", person_id=person.pk)


@permission("resettlement.self")
def my_release_pack(request: HttpRequest) -> HttpResponse:
    """The release pack to print or keep: next appointments, how to sign in, the service's address."""
    return _pdf_response(release_pack_pdf(_me(request)), "release-pack.pdf")


@permission("resettlement.view")
def person_handover_pdf(request: HttpRequest, person_id: int) -> HttpResponse:
    """The handover summary for the community practitioner: checklist, needs, actions and history."""
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_RESETTLEMENT)
    return _pdf_response(handover_pdf(person), f"handover-{person.reference}.pdf")


@permission("resettlement.view")
def person_release_pack(request: HttpRequest, person_id: int) -> HttpResponse:
    """Staff print the person's release pack (in the person's language)."""
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_RESETTLEMENT)
    with translation.override(person.preferred_language):
        body = release_pack_pdf(person)
    return _pdf_response(body, f"release-pack-{person.reference}.pdf")


# --- Requests: the person ----------------------------------------------------------------------


@permission("resettlement.self")
def my_requests(request: HttpRequest) -> HttpResponse:
    """My requests, newest first, and the form to make one. The same form posted twice makes one request."""
    person = _me(request, AuditAction.PERSON_VIEW_OWN_REQUESTS)
    error, kind, text = "", "", ""
    if request.method == "POST":
        kind, text = request.POST.get("kind", ""), request.POST.get("text", "")
        try:
            made = prison_requests.request_submit(
                actor=signed_in_user(request),
                person=person,
                kind=kind,
                text=text,
                idempotency_key=request.POST.get("idempotency_key", ""),
            )
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(
                request,
                _("Your request has been sent. You will get an answer by %(date)s.")
                % {"date": timezone.localtime(made.due_at).strftime("%d/%m/%Y")},
            )
            return redirect("resettlement:my_request", request_id=made.pk)
    context = {
        "requests": selectors.requests_for_person(request.user, person),
        "kinds": prison_requests.kinds_offered(person),
        "in_custody": person.in_custody,
        "error": error,
        "kind": kind,
        "text": text,
        "key": _new_key(),
    }
    return render(request, "resettlement/my_requests.html", context, status=400 if error else 200)


@permission("resettlement.self")
def my_request(request: HttpRequest, request_id: int) -> HttpResponse:
    person = _me(request, AuditAction.PERSON_VIEW_OWN_REQUESTS)
    found = _mine(request, person, request_id)
    context = {"r": found, "history": selectors.request_history(found), "now": timezone.now()}
    return render(request, "resettlement/my_request.html", context)


@permission("resettlement.self")
@require_POST
def my_request_withdraw(request: HttpRequest, request_id: int) -> HttpResponse:
    person = _me(request, AuditAction.PERSON_VIEW_OWN_REQUESTS)
    try:
        prison_requests.request_withdraw(actor=signed_in_user(request), request=_mine(request, person, request_id))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You have withdrawn this request."))
    return redirect("resettlement:my_request", request_id=request_id)


# --- Requests: staff ---------------------------------------------------------------------------


@permission("requests.handle")
def staff_requests(request: HttpRequest) -> HttpResponse:
    department = _int(request.GET.get("department"))
    context = {
        "requests": selectors.request_queue(request.user, department_id=department),
        "departments": selectors.departments_for(request.user),
        "department": department,
        "now": timezone.now(),
    }
    return render(request, "resettlement/staff_requests.html", context)


@permission("requests.handle")
def staff_request(request: HttpRequest, request_id: int) -> HttpResponse:
    found = selectors.request_for_staff(request.user, request_id)
    if request.method == "POST":
        actor = signed_in_user(request)
        action = request.POST.get("action", "")
        try:
            if action == "assign":
                prison_requests.request_assign(actor=actor, request=found)
                messages.success(request, _("You have taken this request on."))
            elif action == "reply":
                prison_requests.request_reply(actor=actor, request=found, text=request.POST.get("text", ""))
                messages.success(request, _("Reply sent."))
            elif action == "close":
                prison_requests.request_close(actor=actor, request=found, note=request.POST.get("text", ""))
                messages.success(request, _("Request closed."))
            else:
                messages.error(request, _("Choose what to do."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("resettlement:staff_request", request_id=found.pk)
    context = {"r": found, "history": selectors.request_history(found), "now": timezone.now()}
    return render(request, "resettlement/staff_request.html", context)


# --- helpers ------------------------------------------------------------------------------------


def _staff_context(request: HttpRequest, person: Person) -> dict[str, Any]:
    return {
        "checklist": release_checklist(person),
        "person": person,
        "plan": selectors.plan_for_staff(request.user, person),
        "may_manage": can(request.user, "resettlement.manage", person),
        "may_see_documents": can(request.user, "resettlement.documents", person),
        "statuses": NeedStatus.choices,
        "owners": Owner.choices,
        "staff_words": selectors.staff_words,
        "today": selectors.today(),
    }


def _mine(request: HttpRequest, person: Person, request_id: int) -> PrisonRequest:
    try:
        return selectors.request_for_person(request.user, person, request_id)
    except PrisonRequest.DoesNotExist:
        raise Http404 from None


def _pdf_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _new_key() -> str:
    return secrets.token_urlsafe(16)


def _me(request: HttpRequest, purpose: AuditAction = AuditAction.PERSON_VIEW_OWN_PLAN) -> Person:
    person_id = getattr(request.user, "person_id", None)
    if person_id is None:
        raise PermissionDenied("resettlement.self")
    return person_get(request.user, int(person_id), purpose=purpose)


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
    """An id from the address, or None when it is not one (no database holds an id outside 1 to 2**63 - 1)."""
    try:
        number = int(value) if value else None
    except ValueError:
        return None
    return number if number is not None and 0 < number < 2**63 else None


# --- ID and bank account applications, and documents --------------------------------------------


@permission("resettlement.self")
def my_documents(request: HttpRequest) -> HttpResponse:
    """My documents to download, my applications in plain words, and the form to add a document."""
    person = _me(request, AuditAction.PERSON_VIEW_OWN_DOCUMENTS)
    error, status = "", 200
    if request.method == "POST":
        try:
            documents.document_upload(
                actor=signed_in_user(request),
                person=person,
                upload=_one_file(request),
                kind=request.POST.get("kind", ""),
                title=request.POST.get("title", ""),
            )
        except ValidationError as refused:
            error, status = " ".join(refused.messages), 400
        else:
            messages.success(request, _("Your document has been saved."))
            return redirect("resettlement:my_documents")
    context = {
        "documents": documents.documents_for(request.user, person),
        "applications": selectors.applications_for(person),
        "kinds": DocumentKind.choices,
        "kind_words": APPLICATION_KINDS_BY_CODE,
        "error": error,
        "max_mb": settings.RESETTLEMENT_DOCUMENT_MAX_BYTES // (1024 * 1024),
        "me": request.user,
    }
    return render(request, "resettlement/my_documents.html", context, status=status)


@permission("resettlement.self")
def my_document_download(request: HttpRequest, document_id: int) -> FileResponse:
    person = _me(request, AuditAction.PERSON_VIEW_OWN_DOCUMENTS)
    return document_response(request.user, _document(request, document_id, person))


@permission("resettlement.self")
@require_POST
def my_document_remove(request: HttpRequest, document_id: int) -> HttpResponse:
    person = _me(request, AuditAction.PERSON_VIEW_OWN_DOCUMENTS)
    try:
        documents.document_remove(actor=signed_in_user(request), document=_document(request, document_id, person))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The document has been removed."))
    return redirect("resettlement:my_documents")


@permission("resettlement.documents")
def person_documents(request: HttpRequest, person_id: int) -> HttpResponse:
    """Staff: the person's ID and bank account applications, and their documents."""
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_DOCUMENTS)
    return render(request, "resettlement/person_documents.html", _documents_context(request, person))


@permission("resettlement.manage")
@require_POST
def person_document_upload(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_DOCUMENTS)
    application_id = _int(request.POST.get("application"))
    try:
        documents.document_upload(
            actor=signed_in_user(request),
            person=person,
            upload=_one_file(request),
            kind=request.POST.get("kind", ""),
            title=request.POST.get("title", ""),
            application=_application(person, application_id) if application_id else None,
        )
    except ValidationError as refused:
        context = _documents_context(request, person)
        context["upload_error"] = " ".join(refused.messages)
        return render(request, "resettlement/person_documents.html", context, status=400)
    messages.success(request, _("Document saved."))
    return redirect("resettlement:person_documents", person_id=person.pk)


@permission("resettlement.documents")
def person_document_download(request: HttpRequest, person_id: int, document_id: int) -> FileResponse:
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_DOCUMENTS)
    return document_response(request.user, _document(request, document_id, person))


@permission("resettlement.manage")
@require_POST
def person_document_remove(request: HttpRequest, person_id: int, document_id: int) -> HttpResponse:
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_DOCUMENTS)
    documents.document_remove(actor=signed_in_user(request), document=_document(request, document_id, person))
    messages.success(request, _("Document removed."))
    return redirect("resettlement:person_documents", person_id=person.pk)


@permission("resettlement.manage")
@require_POST
def application_start(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_FOR_PLAN_CHANGE)
    try:
        services.application_start(
            actor=signed_in_user(request),
            person=person,
            kind=request.POST.get("kind", ""),
            owner=request.POST.get("owner", ""),
            reference=request.POST.get("reference", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Application added."))
    return redirect("resettlement:person_documents", person_id=person.pk)


@permission("resettlement.manage")
@require_POST
def application_change(request: HttpRequest, person_id: int, application_id: int) -> HttpResponse:
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_FOR_PLAN_CHANGE)
    try:
        services.application_status_change(
            actor=signed_in_user(request),
            application=_application(person, application_id),
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
            reference=request.POST.get("reference"),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Application updated."))
    return redirect("resettlement:person_documents", person_id=person.pk)


def _documents_context(request: HttpRequest, person: Person) -> dict[str, Any]:
    applications = selectors.applications_for(person)
    return {
        "person": person,
        "applications": applications,
        "documents": documents.documents_for(request.user, person),
        "may_manage": can(request.user, "resettlement.manage", person),
        "application_kinds": APPLICATION_KINDS,
        "kind_words": APPLICATION_KINDS_BY_CODE,
        "next_statuses": {a.pk: selectors.application_next_statuses(a) for a in applications},
        "document_kinds": DocumentKind.choices,
        "owners": Owner.choices,
        "upload_error": "",
        "max_mb": settings.RESETTLEMENT_DOCUMENT_MAX_BYTES // (1024 * 1024),
    }


def _one_file(request: HttpRequest) -> Any:
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError(_("Choose a file to add."))
    return upload


def _document(request: HttpRequest, document_id: int, person: Person) -> Document:
    """A document of this person's that the user may see; 404 for anything else (another's, removed)."""
    try:
        found = documents.document_get(request.user, document_id)
    except Document.DoesNotExist:
        raise Http404 from None
    if found.person_id != person.pk:
        raise Http404
    return found


def document_response(user: Any, document: Document) -> FileResponse:
    """The file as an attachment in its real type, never sniffed or cached (the page and the API send it)."""
    response = FileResponse(documents.document_open(user, document), content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _application(person: Person, application_id: int | None) -> Application:
    try:
        return selectors.application_in_plan(person, application_id or 0)
    except Application.DoesNotExist:
        raise Http404 from None
