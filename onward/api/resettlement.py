"""Resettlement: the person's plan and to-dos, their requests, documents and ID applications (device token
or session); staff read and assess a person's plan, track their applications, keep their documents and
work the request queue of their prisons (session).

A person's plan, request or action that is not theirs is a 404, like one that does not exist.
"""

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, Http404, HttpRequest
from ninja import File, Form, P, PathEx, Router, Schema, UploadedFile
from ninja.errors import HttpError
from pydantic import ConfigDict, StringConstraints

from onward.api.auth import DeviceTokenAuth, PersonOrStaffSessionAuth, api_user
from onward.api.errors import BAD_REQUEST, NOT_FOUND, UNPROCESSABLE, responses
from onward.api.permissions import permission
from onward.api.schemas import DATABASE_ID_MAX
from onward.core.audit_actions import AuditAction
from onward.people.models import Person
from onward.people.selectors import person_get
from onward.resettlement import documents, prison_requests, selectors, services
from onward.resettlement.applications import APPLICATION_KINDS_BY_CODE
from onward.resettlement.handover import release_checklist
from onward.resettlement.models import Application, Document, Need, PlanAction, PrisonRequest
from onward.resettlement.needs import NEEDS_BY_CODE

router = Router(auth=[DeviceTokenAuth(), PersonOrStaffSessionAuth()], tags=["resettlement"])
Id = PathEx[int, P(ge=1, le=DATABASE_ID_MAX)]
T = TypeVar("T")


# --- Schemas ------------------------------------------------------------------------------------


class ActionOut(Schema):
    id: int
    need: str | None
    text: str
    owner: str
    due_on: dt.date | None
    done_at: dt.datetime | None


class NeedOut(Schema):
    id: int
    code: str
    pathway: str
    status: str
    owner: str
    words: str


class ReadingOut(Schema):
    id: int
    title: str


class MyPlanOut(Schema):
    mine: list[ActionOut]
    others: list[ActionOut]
    done: list[ActionOut]
    needs: list[NeedOut]
    reading: list[ReadingOut]


class TodoIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, StringConstraints(max_length=1000)]
    due_on: dt.date | None = None


class DoneIn(Schema):
    model_config = ConfigDict(extra="forbid")

    done: bool


class ChecklistItemOut(Schema):
    code: str
    label: str
    done: bool


class StaffNeedOut(NeedOut):
    actions: list[ActionOut]


class StaffPlanOut(Schema):
    person_id: int
    needs: list[StaffNeedOut]
    own_todos: list[ActionOut]
    assessments: int
    pre_release_due_on: dt.date | None
    checklist: list[ChecklistItemOut]


class AssessmentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: Annotated[str, StringConstraints(max_length=20)]
    needs: list[Annotated[str, StringConstraints(max_length=40)]]
    notes: Annotated[str, StringConstraints(max_length=2000)] = ""


class RequestIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: Annotated[str, StringConstraints(max_length=20)]
    text: Annotated[str, StringConstraints(max_length=4000)]
    idempotency_key: Annotated[str, StringConstraints(max_length=64)] = ""


class RequestEventOut(Schema):
    kind: str
    text: str
    at: dt.datetime


class RequestOut(Schema):
    id: int
    kind: str
    department: str
    text: str
    state: str
    created_at: dt.datetime
    due_at: dt.datetime
    late: bool
    history: list[RequestEventOut]


class ReplyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, StringConstraints(max_length=4000)]


class ApplicationOut(Schema):
    id: int
    kind: str
    words: str
    status: str
    owner: str
    need: str | None
    reference: str
    reason: str
    created_at: dt.datetime
    requested_at: dt.datetime | None
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    finished_at: dt.datetime | None


class ApplicationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: Annotated[str, StringConstraints(max_length=40)]
    owner: Annotated[str, StringConstraints(max_length=20)] = ""
    reference: Annotated[str, StringConstraints(max_length=100)] = ""


class ApplicationStatusIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: Annotated[str, StringConstraints(max_length=20)]
    reason: Annotated[str, StringConstraints(max_length=2000)] = ""
    reference: Annotated[str, StringConstraints(max_length=100)] | None = None


class DocumentOut(Schema):
    id: int
    kind: str
    title: str
    content_type: str
    size_bytes: int
    uploaded_at: dt.datetime
    application: int | None


class DocumentsOut(Schema):
    documents: list[DocumentOut]
    applications: list[ApplicationOut]


FILE_RESPONSE = {
    "responses": {
        200: {
            "description": "The document, as an attachment, in its real type (PDF, JPEG or PNG).",
            "content": {
                content_type: {"schema": {"type": "string", "format": "binary"}}
                for content_type in ("application/pdf", "image/jpeg", "image/png")
            },
        }
    }
}


# --- The person ---------------------------------------------------------------------------------


@router.get("/me/plan", response=responses({200: MyPlanOut}), summary="The person's plan as a to-do list")
@permission("resettlement.self")
def my_plan(request: HttpRequest) -> MyPlanOut:
    user = api_user(request)
    person = _me(user)
    plan = selectors.plan_for_person(user, person, person.preferred_language)
    return MyPlanOut(
        mine=[_action_out(a) for a in plan.mine],
        others=[_action_out(a) for a in plan.others],
        done=[_action_out(a) for a in plan.done],
        needs=[_need_out(n) for n in plan.needs],
        reading=[ReadingOut(id=v.item.pk, title=v.text.title) for v in plan.reading],
    )


@router.post("/me/plan/todos", response=responses({200: ActionOut}, BAD_REQUEST, UNPROCESSABLE), summary="Add a to-do")
@permission("resettlement.self")
def my_todo_add(request: HttpRequest, body: TodoIn) -> ActionOut:
    user = api_user(request)
    person = _me(user)
    return _action_out(
        _service(lambda: services.action_add(actor=user, person=person, text=body.text, due_on=body.due_on))
    )


@router.post(
    "/me/plan/actions/{action_id}",
    response=responses({200: ActionOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Tick off one of the person's own actions, or untick it",
)
@permission("resettlement.self")
def my_action_mark(request: HttpRequest, action_id: Id, body: DoneIn) -> ActionOut:
    user = api_user(request)
    action = _found(lambda: selectors.action_in_plan(_me(user), action_id))
    return _action_out(_service(lambda: services.action_mark(actor=user, action=action, done=body.done)))


@router.get("/me/requests", response=responses({200: list[RequestOut]}), summary="The person's requests")
@permission("resettlement.self")
def my_requests(request: HttpRequest) -> list[RequestOut]:
    user = api_user(request)
    return [_request_out(r) for r in selectors.requests_for_person(user, _me(user))]


@router.post(
    "/me/requests", response=responses({200: RequestOut}, BAD_REQUEST, UNPROCESSABLE), summary="Make a request"
)
@permission("resettlement.self")
def my_request_submit(request: HttpRequest, body: RequestIn) -> RequestOut:
    """The same idempotency key twice makes one request."""
    user = api_user(request)
    person = Person.objects.select_related("unit__parent").get(pk=_me(user).pk)
    made = _service(
        lambda: prison_requests.request_submit(
            actor=user,
            person=person,
            kind=body.kind,
            text=body.text,
            idempotency_key=body.idempotency_key,
        )
    )
    return _request_out(made)


@router.get(
    "/me/requests/{request_id}", response=responses({200: RequestOut}, NOT_FOUND, UNPROCESSABLE), summary="One request"
)
@permission("resettlement.self")
def my_request(request: HttpRequest, request_id: Id) -> RequestOut:
    user = api_user(request)
    return _request_out(_found(lambda: selectors.request_for_person(user, _me(user), request_id)))


@router.get(
    "/me/documents", response=responses({200: DocumentsOut}), summary="The person's documents and ID applications"
)
@permission("resettlement.self")
def my_documents(request: HttpRequest) -> DocumentsOut:
    user = api_user(request)
    return _documents_out(user, _me(user))


@router.post(
    "/me/documents",
    response=responses({200: DocumentOut}, BAD_REQUEST, UNPROCESSABLE),
    summary="Add a document (multipart: file, kind, title)",
)
@permission("resettlement.self")
def my_document_upload(
    request: HttpRequest, file: File[UploadedFile], kind: Form[str], title: Form[str] = ""
) -> DocumentOut:
    """A JPEG, PNG or PDF, judged by its bytes, not its name; anything else, a broken file or one over the
    size limit is refused with 400 in plain words and nothing is kept."""
    user = api_user(request)
    person = _me(user)
    return _document_out(
        _service(lambda: documents.document_upload(actor=user, person=person, upload=file, kind=kind, title=title))
    )


@router.get(
    "/me/documents/{document_id}",
    response=responses({200: None}, NOT_FOUND, UNPROCESSABLE),
    summary="Download one of the person's documents",
    openapi_extra=FILE_RESPONSE,
)
@permission("resettlement.self")
def my_document_download(request: HttpRequest, document_id: Id) -> FileResponse:
    from onward.resettlement.views import document_response

    user = api_user(request)
    person = _me(user)
    found = _found(lambda: documents.document_get(user, document_id))
    if found.person_id != person.pk:
        raise Http404
    return document_response(user, found)


# --- Staff --------------------------------------------------------------------------------------


@router.get(
    "/people/{person_id}/documents",
    response=responses({200: DocumentsOut}, NOT_FOUND, UNPROCESSABLE),
    summary="A person's documents and ID and bank account applications",
)
@permission("resettlement.documents")
def person_documents(request: HttpRequest, person_id: Id) -> DocumentsOut:
    user = api_user(request)
    return _documents_out(user, _person(user, person_id, AuditAction.PERSON_VIEW_DOCUMENTS))


@router.post(
    "/people/{person_id}/documents",
    response=responses({200: DocumentOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Add a document for a person (multipart: file, kind, title)",
)
@permission("resettlement.manage")
def person_document_upload(
    request: HttpRequest, person_id: Id, file: File[UploadedFile], kind: Form[str], title: Form[str] = ""
) -> DocumentOut:
    """Checked by content like the person's own uploads: JPEG, PNG or PDF under the size limit."""
    user = api_user(request)
    person = _person(user, person_id, AuditAction.PERSON_VIEW_DOCUMENTS)
    return _document_out(
        _found(
            lambda: _service(
                lambda: documents.document_upload(actor=user, person=person, upload=file, kind=kind, title=title)
            )
        )
    )


@router.get(
    "/people/{person_id}/documents/{document_id}",
    response=responses({200: None}, NOT_FOUND, UNPROCESSABLE),
    summary="Download a person's document",
    openapi_extra=FILE_RESPONSE,
)
@permission("resettlement.documents")
def person_document_download(request: HttpRequest, person_id: Id, document_id: Id) -> FileResponse:
    from onward.resettlement.views import document_response

    user = api_user(request)
    person = _person(user, person_id, AuditAction.PERSON_VIEW_DOCUMENTS)
    found = _found(lambda: documents.document_get(user, document_id))
    if found.person_id != person.pk:
        raise Http404
    return document_response(user, found)


@router.post(
    "/people/{person_id}/applications",
    response=responses({200: ApplicationOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Start tracking an ID or bank account application",
)
@permission("resettlement.manage")
def application_start(request: HttpRequest, person_id: Id, body: ApplicationIn) -> ApplicationOut:
    user = api_user(request)
    person = _person(user, person_id, AuditAction.PERSON_VIEW_FOR_PLAN_CHANGE)
    started = _found(
        lambda: _service(
            lambda: services.application_start(
                actor=user, person=person, kind=body.kind, owner=body.owner, reference=body.reference
            )
        )
    )
    return _application_out(started)


@router.post(
    "/people/{person_id}/applications/{application_id}/status",
    response=responses({200: ApplicationOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Move an application on (a move the status table does not allow is refused with 400)",
)
@permission("resettlement.manage")
def application_status(
    request: HttpRequest, person_id: Id, application_id: Id, body: ApplicationStatusIn
) -> ApplicationOut:
    user = api_user(request)
    person = _person(user, person_id, AuditAction.PERSON_VIEW_FOR_PLAN_CHANGE)
    application = _found(lambda: selectors.application_in_plan(person, application_id))
    changed = _found(
        lambda: _service(
            lambda: services.application_status_change(
                actor=user, application=application, status=body.status, reason=body.reason, reference=body.reference
            )
        )
    )
    return _application_out(changed)


@router.get(
    "/people/{person_id}/plan",
    response=responses({200: StaffPlanOut}, NOT_FOUND, UNPROCESSABLE),
    summary="A person's resettlement plan and release checklist",
)
@permission("resettlement.view")
def person_plan(request: HttpRequest, person_id: Id) -> StaffPlanOut:
    user = api_user(request)
    person = _person(user, person_id, AuditAction.PERSON_VIEW_RESETTLEMENT)
    return _staff_plan_out(user, person)


@router.post(
    "/people/{person_id}/plan/assessments",
    response=responses({200: StaffPlanOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Record a new version of a person's needs assessment",
)
@permission("resettlement.manage")
def person_assess(request: HttpRequest, person_id: Id, body: AssessmentIn) -> StaffPlanOut:
    user = api_user(request)
    person = _person(user, person_id, AuditAction.PERSON_VIEW_FOR_PLAN_CHANGE)
    _found(
        lambda: _service(
            lambda: services.assessment_record(
                actor=user,
                person=person,
                kind=body.kind,
                need_codes=body.needs,
                notes=body.notes,
            )
        )
    )
    return _staff_plan_out(user, person)


@router.get(
    "/requests", response=responses({200: list[RequestOut]}), summary="Requests waiting at the caller's prisons"
)
@permission("requests.handle")
def request_queue(request: HttpRequest) -> list[RequestOut]:
    return [_request_out(r) for r in selectors.request_queue(api_user(request))]


@router.post(
    "/requests/{request_id}/reply",
    response=responses({200: RequestOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Answer a request",
)
@permission("requests.handle")
def request_reply(request: HttpRequest, request_id: Id, body: ReplyIn) -> RequestOut:
    user = api_user(request)
    found = _found(lambda: selectors.request_for_staff(user, request_id))
    return _request_out(_service(lambda: prison_requests.request_reply(actor=user, request=found, text=body.text)))


# --- helpers ------------------------------------------------------------------------------------


def _me(user: Any) -> Person:
    person = getattr(user, "person", None)
    if person is None:
        raise PermissionDenied("resettlement.self")
    return person


def _person(user: Any, person_id: int, purpose: AuditAction) -> Person:
    try:
        return person_get(user, person_id, purpose=purpose)
    except PermissionDenied:
        raise Http404 from None


def _found(call: Callable[[], T]) -> T:
    try:
        return call()
    except (
        PermissionDenied,
        PlanAction.DoesNotExist,
        PrisonRequest.DoesNotExist,
        Application.DoesNotExist,
        Document.DoesNotExist,
    ):
        raise Http404 from None


def _service(call: Callable[[], T]) -> T:
    try:
        return call()
    except DjangoValidationError as error:
        raise HttpError(BAD_REQUEST, " ".join(error.messages)) from None


def _action_out(action: PlanAction) -> ActionOut:
    return ActionOut(
        id=action.pk,
        need=action.need.code if action.need_id and action.need else None,
        text=action.text,
        owner=action.owner,
        due_on=action.due_on,
        done_at=action.done_at,
    )


def _need_out(need: Need) -> NeedOut:
    return NeedOut(
        id=need.pk,
        code=need.code,
        pathway=need.pathway,
        status=need.status,
        owner=need.owner,
        words=selectors.plain_words(need),
    )


def _staff_plan_out(user: Any, person: Person) -> StaffPlanOut:
    plan = selectors.plan_for_staff(user, person)
    needs = [
        StaffNeedOut(
            **_need_out(n).dict() | {"words": NEEDS_BY_CODE[n.code].staff_words if n.code in NEEDS_BY_CODE else n.code},
            actions=[_action_out(a) for a in n.actions.all()],
        )
        for p in plan.pathways
        for n in p.needs
    ]
    return StaffPlanOut(
        person_id=person.pk,
        needs=needs,
        own_todos=[_action_out(a) for a in plan.own_todos],
        assessments=len(plan.assessments),
        pre_release_due_on=plan.pre_release_due_on,
        checklist=[ChecklistItemOut(code=i.code, label=i.label, done=i.done) for i in release_checklist(person).items],
    )


def _request_out(found: PrisonRequest) -> RequestOut:
    return RequestOut(
        id=found.pk,
        kind=found.kind,
        department=found.department.name,
        text=found.text,
        state=found.state,
        created_at=found.created_at,
        due_at=found.due_at,
        late=found.is_late(),
        history=[RequestEventOut(kind=e.kind, text=e.text, at=e.at) for e in selectors.request_history(found)],
    )


def _documents_out(user: Any, person: Person) -> DocumentsOut:
    return DocumentsOut(
        documents=[_document_out(d) for d in documents.documents_for(user, person)],
        applications=[_application_out(a) for a in selectors.applications_for(person)],
    )


def _document_out(document: Document) -> DocumentOut:
    return DocumentOut(
        id=document.pk,
        kind=document.kind,
        title=document.title,
        content_type=document.content_type,
        size_bytes=document.size_bytes,
        uploaded_at=document.uploaded_at,
        application=document.application_id,
    )


def _application_out(application: Application) -> ApplicationOut:
    info = APPLICATION_KINDS_BY_CODE.get(application.kind)
    return ApplicationOut(
        id=application.pk,
        kind=application.kind,
        words=str(info.plain_words) if info else application.kind,
        status=application.status,
        owner=application.owner,
        need=application.need.code if application.need_id and application.need else None,
        reference=application.reference,
        reason=application.reason,
        created_at=application.created_at,
        requested_at=application.requested_at,
        submitted_at=application.submitted_at,
        received_at=application.received_at,
        finished_at=application.finished_at,
    )
