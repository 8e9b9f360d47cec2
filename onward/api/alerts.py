"""Alerts for staff: their own or their team's, one alert with its notes, acknowledge, add a note, close.

Staff only (their signed-in browser session); a person's device token is refused. An alert outside the
caller's scope and one that does not exist get the same 404, so ids cannot be probed.
"""

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from ninja import Field, P, PathEx, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict, StringConstraints

from onward.alerts import selectors, services
from onward.alerts.models import Alert, AlertKind, AlertState, Decision, Severity
from onward.api.auth import api_caller
from onward.api.errors import BAD_REQUEST, NOT_FOUND, UNPROCESSABLE, responses
from onward.api.permissions import permission
from onward.api.schemas import DATABASE_ID_MAX, PlainText

router = Router(tags=["alerts"])

ALERTS_PAGE_SIZE_MAX = 200
AlertId = PathEx[int, P(ge=1, le=DATABASE_ID_MAX)]


class AlertsQuery(Schema):
    model_config = ConfigDict(extra="forbid")

    scope: Literal["mine", "team"] = Field(
        "mine", description="mine: assigned or escalated to the caller; team: every alert about people they reach."
    )
    state: AlertState | Literal["all"] | None = Field(
        None, description="Only alerts in this state; 'all' for every state. Open or acknowledged if not given."
    )
    severity: Severity | None = None
    kind: AlertKind | None = None
    limit: int = Field(50, ge=1, le=ALERTS_PAGE_SIZE_MAX)
    offset: int = Field(0, ge=0, le=1_000_000)


class AlertOut(Schema):
    id: int
    kind: AlertKind
    kind_label: str
    severity: Severity
    state: AlertState
    person_id: int
    person_reference: str
    summary: str
    cause_url: str = Field(description="The page of what caused the alert (empty when none).")
    cause_label: str
    created_at: dt.datetime
    assigned_to_id: int | None
    assigned_unit_id: int | None
    acknowledged_by_id: int | None
    acknowledged_at: dt.datetime | None
    escalated_at: dt.datetime | None
    closed_by_id: int | None
    closed_at: dt.datetime | None
    decision: Decision | None
    reason: str


class AlertNoteOut(Schema):
    id: int
    author_id: int | None
    text: str
    created_at: dt.datetime


class AlertDetailOut(AlertOut):
    escalated_to_ids: list[int]
    notes: list[AlertNoteOut]


class AlertsOut(Schema):
    count: int
    alerts: list[AlertOut]


class NoteIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[PlainText, StringConstraints(min_length=1, max_length=services.NOTE_MAX_CHARS)]


class CloseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    decision: Decision
    reason: Annotated[PlainText, StringConstraints(min_length=1, max_length=services.REASON_MAX_CHARS)]


@router.get("/alerts", response=responses({200: AlertsOut}, UNPROCESSABLE), summary="The caller's alerts")
@permission("alert.view")
def alert_list(request: HttpRequest, query: Query[AlertsQuery]) -> AlertsOut:
    """Most serious first, then oldest first."""
    wanted = selectors.AlertFilter(
        team=query.scope == "team",
        state=str(query.state) if query.state else "",
        severity=str(query.severity) if query.severity else "",
        kind=str(query.kind) if query.kind else "",
    )
    found = selectors.alerts_for(api_caller(request), wanted)
    page = list(found[query.offset : query.offset + query.limit])
    return AlertsOut(count=found.count(), alerts=[_out(alert) for alert in page])


@router.get(
    "/alerts/{alert_id}", response=responses({200: AlertDetailOut}, NOT_FOUND, UNPROCESSABLE), summary="One alert"
)
@permission("alert.view")
def alert_get(request: HttpRequest, alert_id: AlertId) -> AlertDetailOut:
    return _detail(api_caller(request), alert_id)


@router.post(
    "/alerts/{alert_id}/acknowledge",
    response=responses({200: AlertDetailOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Acknowledge an alert",
)
@permission("alert.act")
def alert_acknowledge(request: HttpRequest, alert_id: AlertId) -> AlertDetailOut:
    """Acknowledging twice changes nothing; a closed alert cannot be acknowledged (400)."""
    user = api_caller(request)
    alert = selectors.alert_get(user, alert_id)
    _service(lambda: services.alert_acknowledge(actor=user, alert=alert))
    return _detail(user, alert_id)


@router.post(
    "/alerts/{alert_id}/notes",
    response=responses({201: AlertDetailOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Add a note to an alert",
)
@permission("alert.act")
def alert_note(request: HttpRequest, alert_id: AlertId, body: NoteIn) -> Status[AlertDetailOut]:
    """A closed alert takes no more notes (400)."""
    user = api_caller(request)
    alert = selectors.alert_get(user, alert_id)
    _service(lambda: services.alert_note_add(actor=user, alert=alert, text=body.text))
    return Status(201, _detail(user, alert_id))


@router.post(
    "/alerts/{alert_id}/close",
    response=responses({200: AlertDetailOut}, BAD_REQUEST, NOT_FOUND, UNPROCESSABLE),
    summary="Close an alert with a decision and the reason for it",
)
@permission("alert.act")
def alert_close(request: HttpRequest, alert_id: AlertId, body: CloseIn) -> AlertDetailOut:
    """An alert already closed cannot be closed again (400)."""
    user = api_caller(request)
    alert = selectors.alert_get(user, alert_id)
    _service(lambda: services.alert_close(actor=user, alert=alert, decision=body.decision, reason=body.reason))
    return _detail(user, alert_id)


def _service(call: Callable[[], object]) -> None:
    try:
        call()
    except DjangoValidationError as error:
        raise HttpError(BAD_REQUEST, " ".join(error.messages)) from None


def _detail(user: object, alert_id: int) -> AlertDetailOut:
    alert = selectors.alert_get(user, alert_id)
    return AlertDetailOut(
        **_out(alert).model_dump(),
        escalated_to_ids=[u.pk for u in alert.escalated_to.all()],
        notes=[
            AlertNoteOut(id=n.pk, author_id=n.author_id, text=n.text, created_at=n.created_at)
            for n in alert.notes.all()
        ],
    )


def _out(alert: Alert) -> AlertOut:
    return AlertOut(
        id=alert.pk,
        kind=AlertKind(alert.kind),
        kind_label=str(alert.get_kind_display()),
        severity=Severity(alert.severity),
        state=AlertState(alert.state),
        person_id=alert.person_id,
        person_reference=alert.person.reference,
        summary=alert.summary,
        cause_url=selectors.alert_cause_url(alert),
        cause_label=alert.cause_label,
        created_at=alert.created_at,
        assigned_to_id=alert.assigned_to_id,
        assigned_unit_id=alert.assigned_unit_id,
        acknowledged_by_id=alert.acknowledged_by_id,
        acknowledged_at=alert.acknowledged_at,
        escalated_at=alert.escalated_at,
        closed_by_id=alert.closed_by_id,
        closed_at=alert.closed_at,
        decision=Decision(alert.decision) if alert.decision else None,
        reason=alert.reason,
    )
