"""Random curfew check-ins: spaced by the gap, planned once a night, asked by push and text; a missed one alerts."""

import itertools
import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from onward.alerts.models import Alert, AlertKind
from onward.checkins.models import CheckIn, CheckInKind, State
from onward.checkins.services import checkins_expire
from onward.checkins.tests.factories import EnrolmentFactory
from onward.curfew.models import CurfewPrompt, PromptState
from onward.curfew.prompts import curfew_prompts_plan, curfew_prompts_send, random_checkins_set, random_times
from onward.curfew.windows import Interval
from onward.notifications.models import OutboxMessage

GAP = timedelta(hours=1)
WINDOW = timedelta(minutes=15)


@settings(max_examples=100, deadline=None)
@given(hours=st.floats(0.1, 16), count=st.integers(1, 6), seed=st.integers(0, 2**32))
def test_random_times_are_inside_the_night_and_never_within_an_hour(hours: float, count: int, seed: int) -> None:
    start = datetime(2026, 3, 28, 19, tzinfo=UTC)
    interval = Interval(date(2026, 3, 28), start, start + timedelta(hours=hours))
    times = random_times(interval, count, gap=GAP, window=WINDOW, rng=random.Random(seed))
    assert len(times) <= count
    assert all(interval.start <= at and at + WINDOW <= interval.end + timedelta(seconds=1) for at in times)
    assert all(later - earlier >= GAP - timedelta(seconds=1) for earlier, later in itertools.pairwise(times))
    if hours * 60 >= 15 + 60 * (count - 1) + 1:
        assert len(times) == count  # a night long enough gets them all


def test_random_times_differ_from_night_to_night() -> None:
    start = datetime(2026, 6, 1, 18, tzinfo=UTC)
    interval = Interval(date(2026, 6, 1), start, start + timedelta(hours=12))
    rng = random.Random(7)
    nights = {tuple(random_times(interval, 3, gap=GAP, window=WINDOW, rng=rng)) for _ in range(20)}
    assert len(nights) == 20


@pytest.mark.django_db
def test_random_check_ins_are_planned_once_asked_by_push_and_text_and_a_missed_one_alerts(
    case: dict[str, Any], terms: Any
) -> None:
    person = case["person"]
    person.phone, person.phone_verified_at = "07700900123", datetime(2026, 1, 1, tzinfo=UTC)
    person.save()
    EnrolmentFactory(person=person)
    random_checkins_set(actor=case["practitioner"], person=person, per_night=2)
    evening = datetime(2026, 6, 10, 17, 30, tzinfo=UTC)  # 18:30 London, before the 19:00 curfew
    assert curfew_prompts_plan(now=evening) == {"people": 1, "planned": 2}
    assert curfew_prompts_plan(now=evening + timedelta(minutes=30))["planned"] == 0  # once a night
    prompts = list(CurfewPrompt.objects.filter(person=person).order_by("due_at"))
    assert prompts[1].due_at - prompts[0].due_at >= GAP
    first = prompts[0]
    assert curfew_prompts_send(now=first.due_at + timedelta(minutes=1))["sent"] == 1
    assert curfew_prompts_send(now=first.due_at + timedelta(minutes=2))["sent"] == 0  # asked once
    first.refresh_from_db()
    checkin = first.checkin
    assert first.state == PromptState.SENT
    assert checkin.kind == CheckInKind.CURFEW_PROMPT
    assert checkin.closes_at - checkin.opens_at == timedelta(minutes=15)
    channels = set(OutboxMessage.objects.filter(person=person).values_list("channel", flat=True))
    assert {"sms", "in_app"} <= channels
    checkins_expire(now=checkin.closes_at + timedelta(seconds=1))
    checkin.refresh_from_db()
    assert checkin.state == State.EXPIRED
    assert Alert.objects.filter(person=person, kind=AlertKind.CHECKIN_MISSED).count() == 1


@pytest.mark.django_db
def test_a_scheduled_check_in_and_curfew_prompts_share_a_day(case: dict[str, Any], terms: Any) -> None:
    from onward.checkins.services import checkin_create, checkin_prompt_open

    enrolment = EnrolmentFactory(person=case["person"])
    scheduled, _created = checkin_create(enrolment=enrolment, due_date=date.today())
    prompt_a = checkin_prompt_open(enrolment=enrolment, window_minutes=15, key="synthetic-a")
    prompt_b = checkin_prompt_open(enrolment=enrolment, window_minutes=15, key="synthetic-b")
    again = checkin_prompt_open(enrolment=enrolment, window_minutes=15, key="synthetic-a")
    assert len({scheduled.pk, prompt_a.pk, prompt_b.pk}) == 3
    assert again.pk == prompt_a.pk
    assert checkin_create(enrolment=enrolment, due_date=date.today())[0].pk == scheduled.pk
    assert CheckIn.objects.filter(person=case["person"]).count() == 3


@pytest.mark.django_db
def test_a_prompt_for_someone_not_enrolled_is_not_sent(case: dict[str, Any], terms: Any) -> None:
    random_checkins_set(actor=case["practitioner"], person=case["person"], per_night=1)
    evening = datetime(2026, 6, 10, 17, 30, tzinfo=UTC)
    curfew_prompts_plan(now=evening)
    prompt = CurfewPrompt.objects.get()
    assert curfew_prompts_send(now=prompt.due_at) == {"sent": 0, "skipped": 1}


@pytest.mark.django_db
def test_the_count_a_night_is_limited(case: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        random_checkins_set(actor=case["practitioner"], person=case["person"], per_night=9)
