"""The managers' reports page over 250,000 people (national volume, synthetic, made with bulk_create).

Prints: reports_people, reports_data_built_s, reports_refresh_s (the hourly job that rebuilds the monthly
rollup from every app's tables), reports_rollup_rows, and reports_page_p95_ms (the page for a region
over six months, and for one probation delivery unit, alternately; target 500 ms on SQLite).
The lead merges `reports_bench` into bench/opportunities.py; this file runs it on its own too.
"""

import time
from typing import Any

from _setup import django_with_fresh_database, percentile

NATIONAL_PEOPLE = 250_000
RUNS = 40
MONTHS_SHOWN = 6


def reports_bench() -> None:
    import datetime as dt
    import random

    from django.contrib.auth.hashers import make_password
    from django.test import Client
    from django.utils import timezone

    from onward.accounts.models import SignInAttempt, SignInMethod, User
    from onward.accounts.tests.factories import StaffFactory, TOTPDeviceFactory
    from onward.appointments.models import Appointment, AppointmentKind, AppointmentState
    from onward.checkins.models import CheckIn, CheckInMedia, Enrolment, Questionnaire, Review, State, Verification
    from onward.checkins.tests.factories import questionnaire_ensure
    from onward.core.actors import UserKind
    from onward.learning.models import LessonProgress
    from onward.learning.tests.factories import LessonFactory
    from onward.messaging.models import AuthorKind, Conversation, Message
    from onward.organisations.models import Role, StaffRole
    from onward.organisations.tests.factories import OfficeFactory, PduFactory, PrisonFactory, RegionFactory
    from onward.people.models import Person, Status
    from onward.reports.months import month_add, month_key, month_start
    from onward.reports.services import reports_refresh
    from onward.resettlement.models import Department, PlanEvent, PlanEventKind, PrisonRequest, RequestKind

    rng = random.Random(17)  # the same synthetic world every run
    now = timezone.now()
    today = timezone.localdate()
    region = RegionFactory.create()
    pdus = [PduFactory.create(parent=region) for _ in range(10)]
    offices = [OfficeFactory.create(parent=pdus[i % 10]) for i in range(250)]
    prisons = [PrisonFactory.create(parent=region) for _ in range(10)]
    started = time.perf_counter()

    def days_ago(days: float) -> dt.datetime:
        return now - dt.timedelta(days=days)

    Person.objects.bulk_create(
        [
            Person(
                first_name=f"Synthetic{i}",
                last_name=f"Report{i % 4999}",
                date_of_birth=dt.date(1980, 1, 1) + dt.timedelta(days=i % 9000),
                crn=f"R{i:06d}",
                status=Status.SENTENCED if i % 4 == 0 else Status.LICENCE,
                unit=prisons[i % 10] if i % 4 == 0 else offices[i % 250],
            )
            for i in range(NATIONAL_PEOPLE)
        ],
        batch_size=5000,
    )
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    in_custody = [pk for n, pk in enumerate(ids) if n % 4 == 0]
    in_community = [pk for n, pk in enumerate(ids) if n % 4]

    password = make_password("synthetic-bench-password")
    signed_up = rng.sample(ids, 100_000)
    users = User.objects.bulk_create(
        [
            User(kind=UserKind.PERSON, username=f"report-person{n}", person_id=pk, password=password)
            for n, pk in enumerate(signed_up)
        ],
        batch_size=5000,
    )
    SignInAttempt.objects.bulk_create(
        [
            SignInAttempt(
                at=days_ago(rng.uniform(0, 180)),
                method=SignInMethod.PIN,
                identifier="x",
                user=user,
                succeeded=n % 10 != 0,
            )
            for user in users
            for n in range(4)
        ],
        batch_size=5000,
    )
    talking = users[:50_000]
    Conversation.objects.bulk_create([Conversation(person_id=u.person_id) for u in talking], batch_size=5000)
    conversation_of = dict(Conversation.objects.values_list("person_id", "pk"))
    Message.objects.bulk_create(
        [
            Message(
                conversation_id=conversation_of[u.person_id],
                author_kind=AuthorKind.PERSON,
                author_user=u,
                body="Synthetic bench message",
                state="delivered",
                created_at=days_ago(rng.uniform(0, 180)),
            )
            for u in talking
            for _ in range(4)
        ],
        batch_size=5000,
    )
    lessons = [LessonFactory.create() for _ in range(5)]
    LessonProgress.objects.bulk_create(
        [
            LessonProgress(person_id=pk, lesson=lessons[n % 5], completed_at=days_ago(rng.uniform(0, 180)))
            for n, pk in enumerate(rng.sample(ids, 60_000))
        ],
        batch_size=5000,
    )

    questionnaire_ensure()
    questionnaire = Questionnaire.objects.get(active=True)
    enrolled = rng.sample(in_community, 25_000)
    Enrolment.objects.bulk_create(
        [Enrolment(person_id=pk, office_visits="supplements", office_visits_reason="Synthetic") for pk in enrolled],
        batch_size=5000,
    )
    enrolment_of = dict(Enrolment.objects.values_list("person_id", "pk"))
    states = [State.REVIEWED] * 10 + [State.EXPIRED, State.SUBMITTED, State.CLOSED]
    checkins = []
    for pk in enrolled:
        for week in range(24):
            state = rng.choice(states)
            opens = now - dt.timedelta(weeks=week, hours=1)
            done = state in (State.REVIEWED, State.SUBMITTED)
            checkins.append(
                CheckIn(
                    person_id=pk,
                    enrolment_id=enrolment_of[pk],
                    questionnaire=questionnaire,
                    due_date=today - dt.timedelta(weeks=week),
                    state=state,
                    opens_at=opens,
                    closes_at=opens + dt.timedelta(hours=72),
                    submitted_at=opens + dt.timedelta(hours=rng.uniform(0, 48)) if done else None,
                    state_reason="Synthetic" if state == State.CLOSED else "",
                )
            )
    CheckIn.objects.bulk_create(checkins, batch_size=5000)
    reviewed = list(CheckIn.objects.filter(state=State.REVIEWED).values_list("pk", "opens_at")[:100_000])
    CheckInMedia.objects.bulk_create(
        [
            CheckInMedia(checkin_id=pk, kind="photo", content_type="image/jpeg", size_bytes=1, sha256="0" * 64)
            for pk, _ in reviewed
        ],
        batch_size=5000,
    )
    media_of = dict(CheckInMedia.objects.values_list("checkin_id", "pk"))
    Verification.objects.bulk_create(
        [
            Verification(
                media_id=media_of[pk],
                checkin_id=pk,
                status="done",
                decision=("match", "no_match", "review")[n % 3],
                engine="dlib",
                model_version=("1.0", "1.1")[n % 2],
                created_at=opens,
            )
            for n, (pk, opens) in enumerate(reviewed)
        ],
        batch_size=5000,
    )
    Review.objects.bulk_create(
        [Review(checkin_id=pk, decision=("match", "no_match")[n % 7 == 0]) for n, (pk, _) in enumerate(reviewed)],
        batch_size=5000,
    )
    appointments = []
    for n, pk in enumerate(rng.sample(in_community, 150_000)):
        starts = days_ago(rng.uniform(0, 180))
        appointments.append(
            Appointment(
                person_id=pk,
                kind=AppointmentKind.SUPERVISION,
                address="Synthetic office",
                starts_at=starts,
                ends_at=starts + dt.timedelta(minutes=30),
                state=(AppointmentState.ATTENDED, AppointmentState.ATTENDED, AppointmentState.FAILED_TO_ATTEND)[n % 3],
            )
        )
    Appointment.objects.bulk_create(appointments, batch_size=5000)
    departments = [Department.objects.create(prison=prison, name="Wing office") for prison in prisons]
    requests = []
    for n, pk in enumerate(rng.sample(in_custody, 50_000)):
        created = days_ago(rng.uniform(5, 180))
        prison = n % 10
        requests.append(
            PrisonRequest(
                person_id=pk,
                prison=prisons[prison],
                kind=RequestKind.OTHER,
                department=departments[prison],
                text="Synthetic",
                state="closed",
                created_at=created,
                due_at=created + dt.timedelta(days=5),
                closed_at=created + dt.timedelta(days=rng.uniform(0, 20)),
            )
        )
    PrisonRequest.objects.bulk_create(requests, batch_size=5000)
    PlanEvent.objects.bulk_create(
        [
            PlanEvent(
                person_id=pk,
                kind=PlanEventKind.HANDED_OVER,
                at=days_ago(rng.uniform(0, 180)),
                data={"checklist_missing": ["address"] if n % 5 == 0 else []},
            )
            for n, pk in enumerate(rng.sample(in_community, 20_000))
        ],
        batch_size=5000,
    )
    print(f"reports_people = {NATIONAL_PEOPLE}")
    print(f"reports_data_built_s = {time.perf_counter() - started:.0f}")

    started = time.perf_counter()
    summary = reports_refresh()
    print(f"reports_refresh_s = {time.perf_counter() - started:.1f}")
    print(f"reports_rollup_rows = {summary['rows']}")

    manager = StaffFactory.create()
    StaffRole.objects.create(user=manager, role=Role.SENIOR, unit=region)
    TOTPDeviceFactory.create(user=manager)
    client = _signed_in(Client(), manager)
    last = month_start(today)
    first = month_add(last, 1 - MONTHS_SHOWN)
    timings = []
    for run in range(RUNS):
        unit = region if run % 2 == 0 else pdus[run % 10]
        started = time.perf_counter()
        response = client.get(
            "/staff/reports/", {"unit": unit.pk, "date_from": month_key(first), "date_to": month_key(last)}
        )
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    print(f"reports_page_p95_ms = {percentile(timings, 95):.1f}")


def _signed_in(client: Any, user: Any) -> Any:
    client.force_login(user)
    session = client.session
    # Stand in for the authenticator step: mark the session as verified the way django-otp does.
    session["otp_device_id"] = user.totpdevice_set.get().persistent_id
    session.save()
    return client


if __name__ == "__main__":
    django_with_fresh_database()
    reports_bench()
