"""Caseload and person-record reads for a large probation delivery unit, and audit writes.

Prints: caseload_page_p50_ms, caseload_page_p95_ms, caseload_queries, person_record_p95_ms,
audit_events_per_second, audit_verify_events_per_second; then, among 250,000 people (national volume,
synthetic, made with bulk_create), what needs attention for a practitioner with 80 cases:
attention_caseload_p95_ms (the caseload page filtered to who needs attention, most urgent first),
attention_caseload_api_p95_ms (the same through /api/v1/caseload), attention_caseload_cpu_p95_ms (the
page's processor time, which a busy machine does not inflate) and attention_caseload_queries.
"""

import sys
import time
from typing import Any

from _setup import django_with_fresh_database, percentile

PEOPLE = 5000
RUNS = 60
NATIONAL_PEOPLE = 250_000
PRACTITIONER_OFFICE_PEOPLE = 60  # with 20 more assigned from other offices: 80 cases
PRACTITIONER_ASSIGNED_ELSEWHERE = 20


def main() -> None:
    django_with_fresh_database()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from onward.audit.services import audit_record, audit_verify
    from onward.core.audit_actions import AuditAction
    from onward.people.models import Person

    client = senior_over_delivery_unit(PEOPLE)

    timings = []
    for i in range(RUNS):
        started = time.perf_counter()
        response = client.get("/staff/", {"q": "Surname1" if i % 2 else "", "sort": "name"})
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/staff/")
    caseload_queries = len(queries)
    assert response.status_code == 200
    person_ids = list(Person.objects.values_list("pk", flat=True)[:RUNS])
    record_timings = []
    for pk in person_ids:
        started = time.perf_counter()
        response = client.get(f"/staff/people/{pk}/")
        record_timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200

    events = 2000
    started = time.perf_counter()
    for i in range(events):
        audit_record(actor=None, action=AuditAction.PERSON_VIEW, data={"i": i})
    audit_rate = events / (time.perf_counter() - started)
    started = time.perf_counter()
    checked, problems = audit_verify()
    verify_rate = checked / (time.perf_counter() - started)
    assert not problems

    print(f"caseload_people = {PEOPLE}")
    print(f"caseload_page_p50_ms = {percentile(timings, 50):.1f}")
    print(f"caseload_page_p95_ms = {percentile(timings, 95):.1f}")
    print(f"caseload_queries = {caseload_queries}")
    print(f"person_record_p95_ms = {percentile(record_timings, 95):.1f}")
    print(f"audit_events_per_second = {audit_rate:.0f}")
    print(f"audit_verify_events_per_second = {verify_rate:.0f}")
    attention_bench()


def senior_over_delivery_unit(people: int) -> Any:
    """A signed-in test client for a senior practitioner over a delivery unit of `people` people (10 offices)."""
    from django.test import Client

    from onward.accounts.tests.factories import StaffFactory, TOTPDeviceFactory
    from onward.core.database import database_statistics_refresh
    from onward.organisations.models import Role, StaffRole
    from onward.organisations.tests.factories import OfficeFactory, PduFactory
    from onward.people.models import Person
    from onward.people.tests.factories import CommunityPersonFactory

    pdu = PduFactory.create()
    offices = [OfficeFactory.create(parent=pdu) for _ in range(10)]
    senior = StaffFactory.create()
    StaffRole.objects.create(user=senior, role=Role.SENIOR, unit=pdu)
    TOTPDeviceFactory.create(user=senior)
    template = CommunityPersonFactory.build(unit=offices[0])
    Person.objects.bulk_create(
        [
            Person(
                first_name=f"Person{i}",
                last_name=f"Surname{i % 997}",
                date_of_birth=template.date_of_birth,
                crn=f"X{i:06d}",
                status=template.status,
                unit=offices[i % 10],
                conditional_release_date=template.conditional_release_date,
            )
            for i in range(people)
        ],
        batch_size=1000,
    )
    # A live system's statistics are at most an hour old (the `database_statistics` job); so are these.
    database_statistics_refresh()
    client = Client()
    client.force_login(senior)
    session = client.session
    # Stand in for the authenticator step: mark the session as verified the way django-otp does.
    session["otp_device_id"] = senior.totpdevice_set.get().persistent_id
    session.save()
    return client


def attention_bench() -> None:
    """250,000 people with alerts, check-ins, messages, appointments and licences around them; one
    practitioner whose 80 cases are 60 at their office and 20 assigned from elsewhere."""
    import datetime as dt
    import random

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from onward.accounts.models import User
    from onward.accounts.tests.factories import StaffFactory, TOTPDeviceFactory
    from onward.alerts.models import Alert, AlertState, Severity
    from onward.appointments.models import Appointment, AppointmentKind, AppointmentState
    from onward.checkins.models import CheckIn, Enrolment, Questionnaire, State
    from onward.checkins.tests.factories import questionnaire_ensure
    from onward.core.actors import UserKind
    from onward.core.database import database_statistics_refresh
    from onward.messaging.models import AuthorKind, Conversation, Message, MessageRead
    from onward.organisations.models import OrgUnit, Role, StaffRole, UnitKind
    from onward.organisations.tests.factories import OfficeFactory, PduFactory
    from onward.people.models import AssignmentRole, LicenceVersion, Person, StaffAssignment, Status

    rng = random.Random(11)  # the same synthetic world every run
    now = timezone.now()
    today = timezone.localdate()
    pdus = [PduFactory.create() for _ in range(10)]
    offices = [OfficeFactory.create(parent=pdus[i % 10]) for i in range(250)]
    home_office = offices[0]
    started = time.perf_counter()
    people: list[Person] = []
    for i in range(NATIONAL_PEOPLE):
        unit = home_office if i < PRACTITIONER_OFFICE_PEOPLE else offices[1 + i % (len(offices) - 1)]
        people.append(
            Person(
                first_name=f"Synthetic{i}",
                last_name=f"National{i % 4999}",
                date_of_birth=dt.date(1980, 1, 1) + dt.timedelta(days=i % 9000),
                crn=f"N{i:06d}",
                status=Status.LICENCE if i % 3 else Status.SENTENCED,
                unit=unit,
                conditional_release_date=today + dt.timedelta(days=(i % 400) - 200),
            )
        )
    Person.objects.bulk_create(people, batch_size=2000)
    ids = list(Person.objects.filter(crn__startswith="N").order_by("pk").values_list("pk", flat=True))

    password = make_password("synthetic-bench-password")
    colleagues = User.objects.bulk_create(
        [
            User(kind=UserKind.STAFF, username=f"bench-colleague{n}@justice.example", password=password)
            for n in range(200)
        ]
    )
    practitioner = StaffFactory.create()
    StaffRole.objects.create(user=practitioner, role=Role.PRACTITIONER, unit=home_office)
    TOTPDeviceFactory.create(user=practitioner)
    elsewhere = rng.sample(ids[PRACTITIONER_OFFICE_PEOPLE:], PRACTITIONER_ASSIGNED_ELSEWHERE)
    elsewhere_set = set(elsewhere)
    StaffAssignment.objects.bulk_create(
        [
            StaffAssignment(
                person_id=pk,
                staff=practitioner if pk in elsewhere_set else colleagues[n % len(colleagues)],
                role=AssignmentRole.PRACTITIONER,
            )
            for n, pk in enumerate(ids)
        ],
        batch_size=5000,
    )
    cases = ids[:PRACTITIONER_OFFICE_PEOPLE] + elsewhere

    # Around everyone: alerts (most closed), check-ins (most reviewed), messages (most read),
    # appointments over two months and licences (most confirmed); the practitioner's cases like anyone's.
    alerts = []
    for n, pk in enumerate(rng.sample(ids, 40_000)):
        closed = n % 3 != 0
        alerts.append(
            Alert(
                kind="checkin_missed",
                severity=(Severity.HIGH, Severity.MEDIUM, Severity.LOW)[n % 3],
                state=AlertState.CLOSED if closed else AlertState.OPEN,
                person_id=pk,
                summary="Synthetic bench alert",
                key=f"bench-alert:{n}",
                closed_at=now if closed else None,
                decision="no_action" if closed else "",
                reason="Synthetic" if closed else "",
            )
        )
    Alert.objects.bulk_create(alerts, batch_size=5000)

    questionnaire_ensure()
    questionnaire = Questionnaire.objects.get(active=True)
    enrolled = rng.sample(ids, 25_000)
    Enrolment.objects.bulk_create(
        [Enrolment(person_id=pk, office_visits="supplements", office_visits_reason="Synthetic") for pk in enrolled],
        batch_size=5000,
    )
    enrolment_of = dict(Enrolment.objects.values_list("person_id", "pk"))
    states = [State.REVIEWED] * 12 + [State.EXPIRED, State.SUBMITTED, State.CLOSED, State.CREATED]
    checkins = []
    for pk in enrolled:
        for week in range(8):
            state = rng.choice(states) if week == 0 else State.REVIEWED
            opens = now - dt.timedelta(weeks=week, hours=1)
            checkins.append(
                CheckIn(
                    person_id=pk,
                    enrolment_id=enrolment_of[pk],
                    questionnaire=questionnaire,
                    due_date=today - dt.timedelta(weeks=week),
                    state=state,
                    opens_at=opens,
                    closes_at=opens + dt.timedelta(hours=72),
                    state_reason="Synthetic" if state == State.CLOSED else "",
                )
            )
    CheckIn.objects.bulk_create(checkins, batch_size=5000)

    talking = rng.sample(ids, 50_000)
    Conversation.objects.bulk_create([Conversation(person_id=pk, last_message_at=now) for pk in talking], 5000)
    conversation_of = dict(Conversation.objects.values_list("person_id", "pk"))
    writers = User.objects.bulk_create(
        [
            User(kind=UserKind.PERSON, username=f"bench-person{n}", person_id=pk, password=password)
            for n, pk in enumerate(talking)
        ],
        batch_size=5000,
    )
    messages = []
    for writer in writers:
        for n in range(4):
            from_person = n % 2 == 0
            messages.append(
                Message(
                    conversation_id=conversation_of[writer.person_id],
                    author_kind=AuthorKind.PERSON if from_person else AuthorKind.STAFF,
                    author_user=writer if from_person else colleagues[writer.pk % len(colleagues)],
                    body="Synthetic bench message",
                    state="delivered",
                    created_at=now - dt.timedelta(days=4 - n),
                )
            )
    Message.objects.bulk_create(messages, batch_size=5000)
    from_people = Message.objects.filter(author_kind=AuthorKind.PERSON).values_list("pk", flat=True)
    MessageRead.objects.bulk_create(
        [MessageRead(message_id=pk, user=colleagues[pk % len(colleagues)]) for pk in from_people if pk % 7],
        batch_size=5000,
    )

    appointments = []
    for n, pk in enumerate(rng.sample(ids, 100_000)):
        starts = now.replace(hour=9, minute=0) + dt.timedelta(days=(n % 61) - 30, minutes=30 * (n % 16))
        appointments.append(
            Appointment(
                person_id=pk,
                kind=AppointmentKind.SUPERVISION,
                address="Synthetic office",
                starts_at=starts,
                ends_at=starts + dt.timedelta(minutes=30),
                state=AppointmentState.BOOKED if starts > now - dt.timedelta(days=1) else AppointmentState.ATTENDED,
            )
        )
    Appointment.objects.bulk_create(appointments, batch_size=5000)
    LicenceVersion.objects.bulk_create(
        [
            LicenceVersion(person_id=pk, number=1, confirmed_at=None if n % 10 == 0 else now)
            for n, pk in enumerate(rng.sample(ids, 60_000))
        ],
        batch_size=5000,
    )
    built_s = time.perf_counter() - started
    database_statistics_refresh()  # as the hourly job would have done on a live system
    assert OrgUnit.objects.filter(kind=UnitKind.OFFICE).count() >= 250
    print(f"attention_people = {NATIONAL_PEOPLE}")
    print(f"attention_data_built_s = {built_s:.0f}")
    attention_measure(practitioner, len(cases))


def attention_measure(practitioner: Any, cases: int) -> None:
    """Time the practitioner's caseload filtered to who needs attention: the page, and the API."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(practitioner)
    session = client.session
    session["otp_device_id"] = practitioner.totpdevice_set.get().persistent_id
    session.save()
    page_timings = []
    page_cpu = []
    api_timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        cpu_started = time.process_time()
        response = client.get("/staff/", {"needs_attention": "on"})
        page_cpu.append((time.process_time() - cpu_started) * 1000)
        page_timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        started = time.perf_counter()
        response = client.get("/api/v1/caseload", {"needs_attention": "true"})
        api_timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    everyone = client.get("/api/v1/caseload", {"page_size": 100}).json()
    assert everyone["count"] == cases, everyone["count"]
    needing = response.json()
    assert 0 < needing["count"] < cases, needing["count"]
    with CaptureQueriesContext(connection) as queries:
        client.get("/staff/", {"needs_attention": "on"})

    print(f"attention_practitioner_cases = {cases}")
    print(f"attention_cases_needing_attention = {needing['count']}")
    print(f"attention_caseload_p50_ms = {percentile(page_timings, 50):.1f}")
    print(f"attention_caseload_p95_ms = {percentile(page_timings, 95):.1f}")
    print(f"attention_caseload_api_p95_ms = {percentile(api_timings, 95):.1f}")
    # The processor time this process spent per page (SQLite runs in it): what a busy machine does not inflate.
    print(f"attention_caseload_cpu_p95_ms = {percentile(page_cpu, 95):.1f}")
    print(f"attention_caseload_queries = {len(queries)}")


if __name__ == "__main__":
    if "--attention-only" in sys.argv:  # while working on it: only the national-volume part
        django_with_fresh_database()
        attention_bench()
    else:
        main()
