import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from onward.accounts.services import person_account_ensure
from onward.alerts import services
from onward.alerts.models import TRANSITIONS, Alert, AlertKind, AlertNote, AlertState, Decision, Severity
from onward.alerts.retention import alerts_closed_delete
from onward.alerts.selectors import AlertFilter, alert_get, alerts_for, alerts_waiting_count
from onward.alerts.services import AlertCause, alert_acknowledge, alert_close, alert_note_add, alert_raise
from onward.alerts.tests.factories import AlertFactory
from onward.audit.models import AuditEvent
from onward.core.permissions import can

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _raise(case: dict[str, Any], key: str = "synthetic:1", **kwargs: Any) -> Alert:
    return alert_raise(
        kind=kwargs.pop("kind", AlertKind.CHECKIN_MISSED),
        person=case["person"],
        key=key,
        summary="Synthetic: a check-in was missed.",
        **kwargs,
    )


def test_the_same_cause_raises_one_alert_for_the_persons_practitioner(case):
    first = _raise(case, cause=AlertCause("people:person_detail", "Case record", [case["person"].pk]))
    second = _raise(case)
    assert first.pk == second.pk
    assert Alert.objects.count() == 1
    assert (first.severity, first.state, first.assigned_to) == (Severity.HIGH, AlertState.OPEN, case["practitioner"])
    assert AuditEvent.objects.filter(action="alert.raised").count() == 1


def test_an_alert_with_no_worker_goes_to_the_persons_unit(case, org):
    from onward.people.tests.factories import CommunityPersonFactory

    alone = CommunityPersonFactory(unit=org["office_n2"])
    alert = alert_raise(kind=AlertKind.ABSENCES, person=alone, key="synthetic:alone", summary="Synthetic.")
    assert alert.assigned_to is None
    assert alert.assigned_unit == org["office_n2"]


def test_a_cause_that_links_nowhere_and_an_unknown_kind_are_refused(case):
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        _raise(case, cause=AlertCause("people:no_such_page", "Nowhere"))
    with pytest.raises(ValueError, match="Unknown alert kind"):
        _raise(case, kind="made_up")
    assert not Alert.objects.exists()


def test_acknowledge_note_and_close_with_a_decision_and_reason(case):
    alert = _raise(case)
    practitioner = case["practitioner"]
    alert = alert_acknowledge(actor=practitioner, alert=alert)
    assert (alert.state, alert.acknowledged_by) == (AlertState.ACKNOWLEDGED, practitioner)
    alert_acknowledge(actor=practitioner, alert=alert)  # twice changes nothing
    assert AuditEvent.objects.filter(action="alert.acknowledged").count() == 1
    note = alert_note_add(actor=practitioner, alert=alert, text="  Rang him; no answer.  ")
    assert (note.text, note.author) == ("Rang him; no answer.", practitioner)
    alert = alert_close(actor=practitioner, alert=alert, decision=Decision.ACTION_TAKEN, reason="Home visit booked.")
    assert (alert.state, alert.decision, alert.reason, alert.closed_by) == (
        AlertState.CLOSED,
        Decision.ACTION_TAKEN,
        "Home visit booked.",
        practitioner,
    )
    closed = AuditEvent.objects.get(action="alert.closed")
    assert (closed.reason, closed.data["decision"], closed.data["from"]) == (
        "Home visit booked.",
        "action_taken",
        "acknowledged",
    )
    assert closed.actor == practitioner
    assert closed.actor_role == "practitioner"


def test_open_goes_straight_to_closed_only_with_a_decision_and_a_reason(case):
    alert = _raise(case)
    with pytest.raises(ValidationError) as refused:
        alert_close(actor=case["practitioner"], alert=alert, decision="", reason="   ")
    assert refused.value.messages == ["Choose a decision.", "Give a reason for your decision."]
    alert.refresh_from_db()
    assert alert.state == AlertState.OPEN
    alert_close(actor=case["practitioner"], alert=alert, decision=Decision.RAISED_IN_ERROR, reason="Phone was broken.")
    alert.refresh_from_db()
    assert alert.state == AlertState.CLOSED


def test_a_closed_alert_takes_no_more_moves_or_notes(case):
    alert = _raise(case)
    alert_close(actor=case["practitioner"], alert=alert, decision=Decision.NO_ACTION, reason="Explained.")
    with pytest.raises(ValidationError, match="already closed"):
        alert_acknowledge(actor=case["practitioner"], alert=alert)
    with pytest.raises(ValidationError, match="already closed"):
        alert_close(actor=case["practitioner"], alert=alert, decision=Decision.NO_ACTION, reason="Again.")
    with pytest.raises(ValidationError, match="closed"):
        alert_note_add(actor=case["practitioner"], alert=alert, text="Late note")
    assert not AlertNote.objects.exists()


def test_the_transition_table_is_the_one_services_follow():
    assert {
        "open": frozenset({"acknowledged", "closed"}),
        "acknowledged": frozenset({"closed"}),
        "closed": frozenset(),
    } == TRANSITIONS


def test_staff_outside_the_case_and_people_are_refused(case):
    alert = _raise(case)
    for outsider in (case["stranger"], case["other_senior"]):
        with pytest.raises(PermissionDenied):
            alert_acknowledge(actor=outsider, alert=alert)
        assert not can(outsider, "alert.view", alert)
    account = person_account_ensure(case["person"])
    assert not can(account, "alert.view")
    assert not can(account, "alert.view", alert)
    assert list(alerts_for(account, AlertFilter(team=True, state="all"))) == []
    alert.refresh_from_db()
    assert alert.state == AlertState.OPEN


def test_mine_and_my_teams_lists_sorted_by_severity_then_age(case, org):
    now = dt.datetime(2026, 11, 24, 12, 0, tzinfo=LONDON)
    person = case["person"]
    low_old = AlertFactory(person=person, severity=Severity.LOW, created_at=now - dt.timedelta(days=3))
    high_new = AlertFactory(person=person, severity=Severity.HIGH, created_at=now - dt.timedelta(hours=1))
    high_old = AlertFactory(person=person, severity=Severity.HIGH, created_at=now - dt.timedelta(days=2))
    medium = AlertFactory(person=person, severity=Severity.MEDIUM, created_at=now)
    closed = AlertFactory(
        person=person,
        state=AlertState.CLOSED,
        decision=Decision.NO_ACTION,
        reason="Synthetic",
        closed_at=now,
    )
    for alert in (low_old, high_new, high_old, medium, closed):
        Alert.objects.filter(pk=alert.pk).update(assigned_to=case["practitioner"])
    practitioner = case["practitioner"]
    assert list(alerts_for(practitioner)) == [high_old, high_new, medium, low_old]
    assert list(alerts_for(practitioner, AlertFilter(severity="high"))) == [high_old, high_new]
    assert list(alerts_for(practitioner, AlertFilter(state="closed"))) == [closed]
    assert alerts_waiting_count(practitioner) == 4
    # Not assigned to the senior, but about a person in their PDU: in their team's list, not in theirs.
    assert list(alerts_for(case["senior"])) == []
    assert list(alerts_for(case["senior"], AlertFilter(team=True))) == [high_old, high_new, medium, low_old]
    assert list(alerts_for(case["other_senior"], AlertFilter(team=True, state="all"))) == []
    with pytest.raises(Http404):
        alert_get(case["stranger"], high_old.pk)


def test_closed_alerts_go_after_their_retention_period(case, settings):
    settings.ALERT_RETENTION_CLOSED_DAYS = 30
    now = dt.datetime(2026, 11, 24, 12, 0, tzinfo=LONDON)
    old = AlertFactory(state=AlertState.CLOSED, decision="no_action", reason="x", closed_at=now - dt.timedelta(days=31))
    recent = AlertFactory(
        state=AlertState.CLOSED, decision="no_action", reason="x", closed_at=now - dt.timedelta(days=29)
    )
    still_open = AlertFactory(created_at=now - dt.timedelta(days=400))
    assert alerts_closed_delete(now) == 1
    assert set(Alert.objects.values_list("pk", flat=True)) == {recent.pk, still_open.pk}
    assert not Alert.objects.filter(pk=old.pk).exists()


def test_subject_access_has_the_alerts_and_notes(case):
    from onward.alerts.subject_access import alerts_section

    alert = _raise(case)
    alert_note_add(actor=case["practitioner"], alert=alert, text="Synthetic note")
    section = alerts_section(case["person"])
    assert [a["id"] for a in section.data["alerts"]] == [alert.pk]
    assert section.data["notes"][0]["text"] == "Synthetic note"


def test_responsible_staff_prefers_the_practitioner(case, make_staff, org):
    from onward.organisations.models import Role
    from onward.people.models import AssignmentRole
    from onward.people.tests.factories import StaffAssignmentFactory

    key_worker = make_staff(Role.KEY_WORKER, org["ngt"])
    StaffAssignmentFactory(person=case["person"], staff=key_worker, role=AssignmentRole.KEY_WORKER)
    assert services.responsible_staff(case["person"]) == case["practitioner"]
