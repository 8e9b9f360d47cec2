import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.test import Client

from onward.audit.models import AuditEvent
from onward.audit.services import audit_record, audit_verify
from onward.core.audit_actions import AuditAction
from onward.organisations.models import Role
from onward.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _events(n, person=None):
    return [audit_record(actor=None, action=AuditAction.PERSON_VIEW, person=person, data={"i": i}) for i in range(n)]


def test_events_form_a_chain():
    events = _events(3)
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert audit_verify() == (3, [])


def test_altering_a_stored_event_with_raw_sql_is_found_and_named(org):
    person = PersonFactory(unit=org["wing_a"])
    events = _events(5, person=person)
    target = events[2]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["covered up", target.pk])
    checked, problems = audit_verify()
    assert checked == 5
    assert [(p.seq, p.event_id) for p in problems] == [(target.seq, target.pk)]
    assert "altered" in problems[0].problem
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("audit_verify", stderr=err)
    assert f"seq={target.seq} id={target.pk}" in err.getvalue()


def test_deleting_an_event_with_raw_sql_is_found():
    events = _events(4)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    _, problems = audit_verify()
    assert any(p.seq == events[2].seq for p in problems)


def test_deleting_the_last_event_is_found():
    events = _events(3)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])
    _, problems = audit_verify()
    assert problems


def test_events_cannot_be_changed_or_deleted_through_the_orm():
    event = _events(1)[0]
    event.reason = "changed"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_the_event_rolls_back_with_the_change_it_describes():
    def change_that_fails():
        with transaction.atomic():
            audit_record(actor=None, action=AuditAction.RETENTION_DELETED)
            raise ValueError("the change failed")

    with pytest.raises(ValueError, match="the change failed"):
        change_that_fails()
    assert not AuditEvent.objects.filter(action=AuditAction.RETENTION_DELETED).exists()
    _events(1)
    assert audit_verify()[1] == []


def test_verify_command_reports_an_intact_chain():
    _events(2)
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "intact: 2 events" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain():
    errors = []

    def write(n):
        try:
            for i in range(n):
                audit_record(actor=None, action=AuditAction.PERSON_VIEW, data={"thread": threading.get_ident(), "i": i})
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(10,)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    checked, problems = audit_verify()
    assert checked == 30
    assert problems == []


# --- Search -------------------------------------------------------------------------------------


def test_security_searches_their_establishment_only(org, make_staff, staff_client):
    mine = PersonFactory(unit=org["wing_a"])
    theirs = PersonFactory(unit=org["stn_wing"])
    audit_record(actor=None, action=AuditAction.PERSON_VIEW, person=mine)
    audit_record(actor=None, action=AuditAction.PERSON_VIEW, person=theirs)
    security = make_staff(Role.SECURITY, org["ngt"])
    client = staff_client(security)
    page = client.get("/staff/audit/", {"action": "person.view"})
    body = page.content.decode()
    assert page.status_code == 200
    assert mine.prison_number in body
    assert theirs.prison_number not in body
    page = client.get("/staff/audit/", {"person": theirs.prison_number})
    assert "0 events" in page.content.decode()
    assert AuditEvent.objects.filter(action="audit.searched", actor=security).count() == 2


def test_administrator_searches_everything_by_person_actor_action_and_date(org, make_staff, staff_client):
    person = PersonFactory(unit=org["stn_wing"])
    worker = make_staff(Role.KEY_WORKER, org["stn"])
    audit_record(actor=worker, action=AuditAction.PERSON_VIEW, person=person)
    admin = make_staff(Role.ADMINISTRATOR, org["north"])
    client = staff_client(admin)
    today = AuditEvent.objects.first().at.date().isoformat()
    page = client.get(
        "/staff/audit/",
        {
            "person": person.prison_number,
            "actor": worker.username,
            "action": "person.",
            "date_from": today,
            "date_to": today,
        },
    )
    assert "1 event" in page.content.decode()
    page = client.get("/staff/audit/", {"date_from": "2020-01-01", "date_to": "2020-01-02"})
    assert "0 events" in page.content.decode()


def test_audit_search_validates_dates(org, make_staff, staff_client):
    client = staff_client(make_staff(Role.ADMINISTRATOR, org["north"]))
    page = client.get("/staff/audit/", {"date_from": "2026-02-30"})
    assert page.status_code == 400
    assert "Enter a date like" in page.content.decode()
    page = client.get("/staff/audit/", {"date_from": "2026-03-02", "date_to": "2026-03-01"})
    assert "same as or after" in page.content.decode()


def test_practitioners_cannot_search_the_audit_trail(org, make_staff, staff_client):
    client = staff_client(make_staff(Role.PRACTITIONER, org["office_n"]))
    assert client.get("/staff/audit/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in():
    response = Client().get("/staff/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_many_events_at_once_join_the_same_chain_in_a_fixed_number_of_queries(org, django_assert_max_num_queries):
    from onward.audit.services import AuditEntry, audit_record_many

    people = [PersonFactory(unit=org["wing_a"]) for _ in range(3)]
    before = _events(2)
    entries = [
        AuditEntry(audit_action=AuditAction.PERSON_UPDATED, person=people[i % 3], target=people[i % 3], data={"i": i})
        for i in range(50)
    ]
    with django_assert_max_num_queries(6):
        written = audit_record_many(actor=None, role="administrator", entries=entries)
    after = _events(1)
    assert written == 50
    stored = list(AuditEvent.objects.filter(action=AuditAction.PERSON_UPDATED).order_by("seq"))
    assert [e.seq for e in stored] == list(range(3, 53))
    assert stored[0].prev_hash == before[-1].hash
    assert after[0].prev_hash == stored[-1].hash
    assert [e.data["i"] for e in stored] == list(range(50))
    assert stored[7].person_id == people[1].pk
    assert stored[7].object_id == str(people[1].pk)
    assert audit_verify() == (53, [])


def test_many_events_refuse_an_action_outside_the_vocabulary_and_record_the_system_by_name(org):
    from onward.audit.services import AuditEntry, audit_record_many
    from onward.core.actors import SystemActor

    with pytest.raises(ValueError, match="not an audit action"):
        audit_record_many(actor=None, role="", entries=[AuditEntry(audit_action="made.up")])  # type: ignore[arg-type]
    assert not AuditEvent.objects.exists()
    audit_record_many(
        actor=SystemActor("people_import"),
        role="",
        entries=[AuditEntry(audit_action=AuditAction.PERSON_IMPORT_COMPLETED)],
    )
    event = AuditEvent.objects.get()
    assert (event.actor_id, event.actor_system, event.actor_role) == (None, "people_import", "system")
    assert audit_verify() == (1, [])


def test_nothing_to_record_writes_nothing():
    from onward.audit.services import audit_record_many

    assert audit_record_many(actor=None, role="", entries=[]) == 0
    assert not AuditEvent.objects.exists()
