"""Caseload and person-record reads for a large probation delivery unit, and audit writes.

Prints: caseload_page_p50_ms, caseload_page_p95_ms, caseload_queries, person_record_p95_ms,
audit_events_per_second, audit_verify_events_per_second.
"""

import time

from _setup import django_with_fresh_database, percentile

PEOPLE = 5000
RUNS = 60


def main() -> None:
    django_with_fresh_database()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from onward.accounts.tests.factories import StaffFactory, TOTPDeviceFactory
    from onward.audit.services import audit_record, audit_verify
    from onward.core.audit_actions import AuditAction
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
            for i in range(PEOPLE)
        ],
        batch_size=1000,
    )
    client = Client()
    client.force_login(senior)
    session = client.session
    # Stand in for the authenticator step: mark the session as verified the way django-otp does.
    session["otp_device_id"] = senior.totpdevice_set.get().persistent_id
    session.save()

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


if __name__ == "__main__":
    main()
