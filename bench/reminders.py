"""Planning and sending appointment reminders for 200,000 appointments (a national day) to the log channel.

Prints: reminders_200k_seconds (plan + send), reminders_plan_seconds, reminders_send_seconds,
queries_per_reminder, queries_per_batch.
"""

import datetime as dt
import os
import tempfile
import time

from _setup import django_with_fresh_database

APPOINTMENTS = int(os.environ.get("BENCH_REMINDER_APPOINTMENTS", "200000"))
PEOPLE = max(1, APPOINTMENTS // 10)
BUILD_BATCH = 5000


def main() -> None:
    django_with_fresh_database()
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from onward.accounts.models import User
    from onward.appointments.models import Appointment
    from onward.core.actors import UserKind
    from onward.notifications.models import Reminder, ReminderState
    from onward.notifications.reminders import REMINDER_BATCH_SIZE, reminders_plan, reminders_send
    from onward.organisations.tests.factories import OfficeFactory, PduFactory
    from onward.people.models import Person, Status

    # One reminder per appointment (2 hours before), so the run is 200,000 reminders: a national day.
    settings.APPOINTMENT_REMINDER_OFFSETS_MINUTES = [120]
    settings.APPOINTMENT_REMINDER_OFFSETS_MINUTES_BY_KIND = {}
    settings.SMS_LOG_PATH = tempfile.mkdtemp(prefix="onward-bench-sms-") + "/sms.log"
    office = OfficeFactory.create(parent=PduFactory.create())
    born = dt.date(1990, 1, 1)
    verified_at = timezone.now()
    for start in range(0, PEOPLE, BUILD_BATCH):
        Person.objects.bulk_create(
            [
                Person(
                    first_name=f"Person{i}",
                    last_name=f"Surname{i % 997}",
                    date_of_birth=born,
                    crn=f"X{i:06d}",
                    status=Status.LICENCE,
                    unit=office,
                    phone=f"07700{i:06d}",
                    phone_verified_at=verified_at,  # reminders go only to checked numbers
                )
                for i in range(start, min(start + BUILD_BATCH, PEOPLE))
            ]
        )
    person_ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    User.objects.bulk_create(
        [User(username=f"person-{pk}", kind=UserKind.PERSON, person_id=pk, password="!") for pk in person_ids],  # noqa: S106 - unusable
        batch_size=BUILD_BATCH,
    )
    # Start times spread over one hour from noon tomorrow (London), so every reminder is due by 11:00.
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    base = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(12, 0)))
    for start in range(0, APPOINTMENTS, BUILD_BATCH):
        Appointment.objects.bulk_create(
            [
                Appointment(
                    person_id=person_ids[i % len(person_ids)],
                    kind="supervision",
                    with_name="Practitioner",
                    address="Northgate probation office",
                    starts_at=base + dt.timedelta(seconds=(i * 3600) // APPOINTMENTS),
                    ends_at=base + dt.timedelta(seconds=(i * 3600) // APPOINTMENTS + 2700),
                )
                for i in range(start, min(start + BUILD_BATCH, APPOINTMENTS))
            ]
        )
    plan_at = timezone.now()
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        planned = reminders_plan(now=plan_at)["planned"]
        plan_seconds = time.perf_counter() - started
        # The minute's scheduler run after the last reminder fell due: one job sends them all, batch by batch.
        started = time.perf_counter()
        result = reminders_send(now=base - dt.timedelta(minutes=30))
        send_seconds = time.perf_counter() - started
    sent = Reminder.objects.filter(state=ReminderState.SENT).count()
    assert planned == APPOINTMENTS, planned
    assert sent == result["sent"] == APPOINTMENTS, (sent, result)
    with open(settings.SMS_LOG_PATH, encoding="utf-8") as log:
        assert sum(1 for _ in log) == sent
    queries = counter.count
    batches = -(-APPOINTMENTS // REMINDER_BATCH_SIZE)
    print(f"appointments = {APPOINTMENTS}")
    print(f"reminders_200k_seconds = {(plan_seconds + send_seconds) * 200000 / APPOINTMENTS:.1f}")
    print(f"reminders_plan_seconds = {plan_seconds:.1f}")
    print(f"reminders_send_seconds = {send_seconds:.1f}")
    print(f"reminders_sent = {sent}")
    print(f"queries_per_reminder = {queries / APPOINTMENTS:.4f}")
    print(f"queries_per_batch = {queries / batches:.1f}  # planning and sending one batch of {REMINDER_BATCH_SIZE}")


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.count += 1
        return execute(sql, params, many, context)


if __name__ == "__main__":
    main()
