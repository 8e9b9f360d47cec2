"""Requests ("apps"): routing per prison, working-day deadlines, the state machine, escalation to an alert
(with a frozen clock: every time here is given, never read from the machine), and who sees what."""

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from onward.alerts.models import Alert, AlertKind
from onward.resettlement import prison_requests as requests
from onward.resettlement import selectors
from onward.resettlement.models import (
    REQUEST_TRANSITIONS,
    Department,
    PrisonRequest,
    RequestEvent,
    RequestEventKind,
    RequestKind,
    RequestState,
    RequestType,
    request_transition_allowed,
)

pytestmark = pytest.mark.django_db
LONDON = dt.timezone(dt.timedelta(hours=0))  # 30 November to 4 December 2026 is GMT: London time is UTC
MONDAY_10 = dt.datetime(2026, 11, 30, 10, 0, tzinfo=LONDON)
FRIDAY_16 = dt.datetime(2026, 12, 4, 16, 0, tzinfo=LONDON)


def _submit(world: dict[str, Any], kind: str = RequestKind.VISITS, at: dt.datetime = MONDAY_10, **kw: Any) -> Any:
    return requests.request_submit(
        actor=world["user"], person=world["person"], kind=kind, text="Can my mum visit on Saturday?", now=at, **kw
    )


def test_a_request_goes_to_the_prisons_department_for_its_kind_with_a_working_day_deadline(plan_world):
    made = _submit(plan_world)
    assert made.prison == plan_world["org"]["ngt"]  # the prison above the person's wing
    assert made.department.name == "Visits"
    # 3 working days from Monday 10:00 is Thursday 10:00.
    assert made.due_at == dt.datetime(2026, 12, 3, 10, 0, tzinfo=LONDON)
    assert RequestEvent.objects.get(request=made).kind == RequestEventKind.SUBMITTED


def test_a_request_on_friday_afternoon_is_not_due_over_the_weekend(plan_world):
    made = _submit(plan_world, RequestKind.HEALTHCARE, at=FRIDAY_16)  # 2 working days
    assert made.due_at == dt.datetime(2026, 12, 8, 16, 0, tzinfo=LONDON)


def test_routing_is_data_per_prison(plan_world):
    prison = plan_world["org"]["ngt"]
    requests.request_types_ensure(prison)
    chaplaincy = Department.objects.create(prison=prison, name="Chaplaincy")
    RequestType.objects.filter(prison=prison, kind=RequestKind.OTHER).update(
        department=chaplaincy, response_working_days=1
    )
    made = _submit(plan_world, RequestKind.OTHER)
    assert made.department == chaplaincy
    assert made.due_at == dt.datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
    other_prison = plan_world["org"]["stn"]
    assert requests.request_routing(other_prison, RequestKind.OTHER).department.name == "Wing office"


def test_a_kind_turned_off_goes_where_something_else_goes(plan_world):
    prison = plan_world["org"]["ngt"]
    requests.request_types_ensure(prison)
    RequestType.objects.filter(prison=prison, kind=RequestKind.MONEY).update(active=False)
    assert _submit(plan_world, RequestKind.MONEY).department.name == "Wing office"


def test_the_same_submission_twice_makes_one_request(plan_world):
    first = _submit(plan_world, idempotency_key="tap-1")
    second = _submit(plan_world, idempotency_key="tap-1")
    assert first.pk == second.pk
    assert PrisonRequest.objects.count() == 1


def test_bad_requests_are_refused_in_plain_words(plan_world):
    with pytest.raises(ValidationError, match="Write what you are asking for"):
        requests.request_submit(actor=plan_world["user"], person=plan_world["person"], kind="visits", text=" ")
    with pytest.raises(ValidationError, match="Choose what your request is about"):
        requests.request_submit(actor=plan_world["user"], person=plan_world["person"], kind="pizza", text="Hi")
    with pytest.raises(PermissionDenied):
        requests.request_submit(actor=plan_world["other_user"], person=plan_world["person"], kind="visits", text="Hi")


@pytest.mark.parametrize("start", RequestState.values)
@pytest.mark.parametrize("move", ["assign", "reply", "close", "withdraw"])
def test_the_request_state_machine_moves_only_as_its_table_allows(plan_world, start, move):
    made = _submit(plan_world)
    PrisonRequest.objects.filter(pk=made.pk).update(state=start)
    made.refresh_from_db()
    target = {
        "assign": RequestState.ASSIGNED,
        "reply": RequestState.ANSWERED,
        "close": RequestState.CLOSED,
        "withdraw": RequestState.WITHDRAWN,
    }[move]
    pom, user = plan_world["pom"], plan_world["user"]
    call = {
        "assign": lambda: requests.request_assign(actor=pom, request=made),
        "reply": lambda: requests.request_reply(actor=pom, request=made, text="Yes, booked for 2pm."),
        "close": lambda: requests.request_close(actor=pom, request=made),
        "withdraw": lambda: requests.request_withdraw(actor=user, request=made),
    }[move]
    if request_transition_allowed(start, target):
        assert call().state == target
    else:
        with pytest.raises(ValidationError):
            call()
        made.refresh_from_db()
        assert made.state == start


def test_finished_requests_stay_finished():
    assert REQUEST_TRANSITIONS[RequestState.CLOSED] == frozenset()
    assert REQUEST_TRANSITIONS[RequestState.WITHDRAWN] == frozenset()


def test_a_late_request_escalates_once_to_an_alert_and_the_person_sees_it_in_the_history(plan_world):
    made = _submit(plan_world)  # due Thursday 10:00
    assert requests.requests_escalate(now=made.due_at - dt.timedelta(minutes=1)) == {"escalated": 0}
    assert requests.requests_escalate(now=made.due_at) == {"escalated": 1}
    assert requests.requests_escalate(now=made.due_at + dt.timedelta(days=1)) == {"escalated": 0}
    alert = Alert.objects.get(kind=AlertKind.REQUEST_LATE)
    assert alert.person == plan_world["person"]
    assert alert.assigned_to == plan_world["pom"]  # the person's worker, as nobody had taken it on
    kinds = [e.kind for e in selectors.request_history(made)]
    assert kinds == [RequestEventKind.SUBMITTED, RequestEventKind.ESCALATED]


def test_an_answered_request_does_not_escalate(plan_world):
    made = _submit(plan_world)
    requests.request_reply(actor=plan_world["keyworker"], request=made, text="Booked.")
    assert requests.requests_escalate(now=made.due_at + dt.timedelta(days=3)) == {"escalated": 0}
    assert not Alert.objects.exists()


def test_a_late_request_someone_took_on_alerts_them(plan_world):
    made = _submit(plan_world)
    requests.request_assign(actor=plan_world["keyworker"], request=made)
    requests.requests_escalate(now=made.due_at)
    assert Alert.objects.get().assigned_to == plan_world["keyworker"]


def test_only_staff_at_the_prison_handle_its_requests(plan_world):
    made = _submit(plan_world)
    assert [r.pk for r in selectors.request_queue(plan_world["keyworker"])] == [made.pk]
    assert selectors.request_queue(plan_world["outsider"]) == []
    with pytest.raises(PermissionDenied):
        requests.request_reply(actor=plan_world["outsider"], request=made, text="Not my prison")
    with pytest.raises(PermissionDenied):
        selectors.request_for_staff(plan_world["outsider"], made.pk)
    with pytest.raises(PermissionDenied):
        requests.request_reply(actor=plan_world["practitioner"], request=made, text="Probation")


def test_the_person_sees_only_their_own_requests(plan_world):
    mine = _submit(plan_world)
    theirs = requests.request_submit(
        actor=plan_world["other_user"], person=plan_world["other"], kind="money", text="My canteen", now=MONDAY_10
    )
    assert [r.pk for r in selectors.requests_for_person(plan_world["user"], plan_world["person"])] == [mine.pk]
    with pytest.raises(PrisonRequest.DoesNotExist):
        selectors.request_for_person(plan_world["user"], plan_world["person"], theirs.pk)


def test_people_in_the_community_cannot_make_prison_requests(plan_world, org):
    from onward.accounts.services import person_account_ensure
    from onward.people.tests.factories import CommunityPersonFactory

    person = CommunityPersonFactory(unit=org["office_n"])
    with pytest.raises(ValidationError, match="while you are in prison"):
        requests.request_submit(actor=person_account_ensure(person), person=person, kind="visits", text="Hi")
