"""Escalation after working hours, with the clock given to the job (`now=`): no waiting, no real time."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from onward.alerts.models import Alert, AlertState, Severity
from onward.alerts.selectors import AlertFilter, alerts_for, alerts_waiting_count
from onward.alerts.services import alert_acknowledge, alerts_escalate
from onward.alerts.tests.factories import AlertFactory
from onward.alerts.working_time import is_working_day, working_deadline
from onward.audit.models import AuditEvent
from onward.core.permissions import can
from onward.jobs.schedule import periodic_jobs

LONDON = ZoneInfo("Europe/London")


def _at(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=LONDON)


# --- Working time ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "minutes", "deadline"),
    [
        (_at(2026, 11, 24, 10, 0), 240, _at(2026, 11, 24, 14, 0)),  # a Tuesday morning: the same afternoon
        (_at(2026, 11, 24, 7, 30), 240, _at(2026, 11, 24, 13, 0)),  # before nine: counted from nine
        (_at(2026, 11, 24, 16, 0), 240, _at(2026, 11, 25, 12, 0)),  # one hour today, three tomorrow
        (_at(2026, 11, 24, 19, 0), 240, _at(2026, 11, 25, 13, 0)),  # in the evening: from nine tomorrow
        (_at(2026, 11, 27, 16, 0), 240, _at(2026, 11, 30, 12, 0)),  # Friday 16:00: over the weekend to Monday
        (_at(2026, 11, 28, 11, 0), 240, _at(2026, 11, 30, 13, 0)),  # raised on a Saturday
        # Thursday before Easter: Good Friday and Easter Monday are bank holidays, so Tuesday (in BST).
        (_at(2026, 4, 2, 15, 0), 240, _at(2026, 4, 7, 11, 0)),
        # Christmas Eve: Christmas Day (Friday), the weekend and Boxing Day (Monday 28th) are skipped.
        (_at(2026, 12, 24, 15, 0), 240, _at(2026, 12, 29, 11, 0)),
        (_at(2026, 11, 24, 10, 0), 8 * 60 * 2, _at(2026, 11, 26, 10, 0)),  # two whole working days
    ],
)
def test_working_deadline(start, minutes, deadline):
    assert working_deadline(start, minutes) == deadline


def test_working_days_skip_weekends_and_england_and_wales_bank_holidays():
    assert is_working_day(dt.date(2026, 11, 24))
    assert not is_working_day(dt.date(2026, 11, 28))  # Saturday
    assert not is_working_day(dt.date(2026, 8, 31))  # Summer bank holiday
    assert is_working_day(dt.date(2026, 11, 30))  # St Andrew's Day is Scotland's, not England and Wales's


def test_a_naive_start_is_a_programming_error():
    with pytest.raises(ValueError, match="timezone-aware"):
        working_deadline(dt.datetime(2026, 11, 24, 10, 0), 60)


# --- The job ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_escalates_once_after_four_working_hours_across_a_weekend(case):
    alert = AlertFactory(person=case["person"], assigned_to=case["practitioner"], created_at=_at(2026, 11, 27, 16, 0))
    assert alerts_escalate(now=_at(2026, 11, 28, 12, 0)) == {"escalated": 0}  # Saturday: only one working hour
    assert alerts_escalate(now=_at(2026, 11, 30, 11, 59)) == {"escalated": 0}
    assert alerts_escalate(now=_at(2026, 11, 30, 12, 0)) == {"escalated": 1}
    assert alerts_escalate(now=_at(2026, 11, 30, 12, 5)) == {"escalated": 0}  # exactly once
    alert.refresh_from_db()
    assert alert.escalated_at == _at(2026, 11, 30, 12, 0)
    assert alert.state == AlertState.OPEN  # escalation is recorded, not a move
    assert list(alert.escalated_to.all()) == [case["senior"]]
    events = AuditEvent.objects.filter(action="alert.escalated")
    assert events.count() == 1
    assert events.get().data["to"] == [case["senior"].pk]
    assert (events.get().actor, events.get().actor_system) == (None, "alerts_escalate")  # the job, as the system
    # The senior now has it as their own, and may act on it; the senior of another PDU does not.
    assert list(alerts_for(case["senior"])) == [alert]
    assert alerts_waiting_count(case["senior"]) == 1
    assert can(case["senior"], "alert.act", alert)
    assert not can(case["other_senior"], "alert.view", alert)


@pytest.mark.django_db
def test_escalation_waits_over_a_bank_holiday_weekend(case):
    alert = AlertFactory(person=case["person"], created_at=_at(2026, 4, 2, 15, 0))
    assert alerts_escalate(now=_at(2026, 4, 6, 16, 0)) == {"escalated": 0}  # Easter Monday
    assert alerts_escalate(now=_at(2026, 4, 7, 10, 59)) == {"escalated": 0}
    assert alerts_escalate(now=_at(2026, 4, 7, 11, 0)) == {"escalated": 1}
    alert.refresh_from_db()
    assert alert.escalated_at is not None


@pytest.mark.django_db
def test_only_open_high_severity_alerts_escalate(case):
    created = _at(2026, 11, 24, 9, 0)
    later = _at(2026, 11, 26, 9, 0)
    medium = AlertFactory(person=case["person"], severity=Severity.MEDIUM, created_at=created)
    acknowledged = AlertFactory(person=case["person"], created_at=created)
    alert_acknowledge(actor=case["practitioner"], alert=acknowledged)
    closed = AlertFactory(
        person=case["person"],
        created_at=created,
        state=AlertState.CLOSED,
        decision="no_action",
        reason="x",
        closed_at=created,
    )
    assert alerts_escalate(now=later) == {"escalated": 0}
    assert not Alert.objects.filter(pk__in=[medium.pk, acknowledged.pk, closed.pk], escalated_at__isnull=False).exists()


@pytest.mark.django_db
def test_the_wait_is_a_setting(case, settings):
    settings.ALERT_ESCALATION_WORKING_MINUTES = 30
    AlertFactory(person=case["person"], created_at=_at(2026, 11, 24, 10, 0))
    assert alerts_escalate(now=_at(2026, 11, 24, 10, 29)) == {"escalated": 0}
    assert alerts_escalate(now=_at(2026, 11, 24, 10, 30)) == {"escalated": 1}


@pytest.mark.django_db
def test_with_no_senior_above_the_unit_it_is_still_escalated_once(org, make_staff):
    from onward.people.tests.factories import CommunityPersonFactory

    alert = AlertFactory(person=CommunityPersonFactory(unit=org["office_s"]), created_at=_at(2026, 11, 24, 9, 0))
    assert alerts_escalate(now=_at(2026, 11, 25, 9, 0)) == {"escalated": 1}
    assert alerts_escalate(now=_at(2026, 11, 25, 9, 5)) == {"escalated": 0}
    alert.refresh_from_db()
    assert alert.escalated_at is not None
    assert list(alert.escalated_to.all()) == []


def test_the_scheduler_runs_the_escalation_job():
    job = periodic_jobs()["alerts_escalate"]
    assert job.function_path == "onward.alerts.services.alerts_escalate"


@pytest.mark.django_db
def test_the_team_list_shows_escalated_alerts_to_the_senior_too(case: dict[str, Any]):
    alert = AlertFactory(person=case["person"], created_at=_at(2026, 11, 24, 9, 0))
    assert list(alerts_for(case["senior"], AlertFilter(team=True))) == [alert]
