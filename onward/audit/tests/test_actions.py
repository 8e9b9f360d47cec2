"""The audit vocabulary: only its members are recorded, and staff read their meaning, not their code."""

from html import unescape

import pytest
from django.db import connection

from onward.audit.models import AuditEvent
from onward.audit.services import audit_record, audit_verify
from onward.audit.subject_access import audit_section
from onward.core.audit_actions import AuditAction, audit_action_label, audit_actions_described_by
from onward.organisations.models import Role
from onward.people.tests.factories import PersonFactory


def test_every_action_has_a_meaning_of_its_own():
    labels = [str(action.label) for action in AuditAction]
    assert all(label and label != action.value for label, action in zip(labels, AuditAction, strict=True))
    assert len(set(labels)) == len(labels), "two actions read the same to staff"


def test_codes_are_short_enough_for_the_stored_column():
    width = AuditEvent._meta.get_field("action").max_length
    assert all(len(action.value) <= width for action in AuditAction)


@pytest.mark.django_db
def test_a_string_that_is_not_an_action_is_refused_and_nothing_is_written():
    with pytest.raises(ValueError, match=r"'person\.peeked' is not an audit action"):
        audit_record(actor=None, action="person.peeked")
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_stored_code_is_stored_as_plain_text_and_the_chain_still_verifies():
    code = "person.view"  # as a caller that has not moved to the enum yet would pass it
    event = audit_record(actor=None, action=code)  # type: ignore[arg-type]
    assert event.action == AuditAction.PERSON_VIEW
    stored = AuditEvent.objects.values_list("action", flat=True).get()
    assert stored == "person.view"
    assert type(stored) is str
    assert audit_verify() == (1, [])


@pytest.mark.django_db
def test_an_event_from_before_the_vocabulary_shows_its_code():
    event = audit_record(actor=None, action=AuditAction.PERSON_VIEW)
    with connection.cursor() as cursor:  # an old row with a code that is no longer in the vocabulary
        cursor.execute("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["test.retired", event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action_label == "test.retired"
    assert audit_action_label("person.view") == "Opened a person's record"


def test_words_find_the_actions_they_describe():
    assert audit_actions_described_by("reset A PERSON'S pin") == ["account.pin_reset"]
    assert "checkin.expired" in audit_actions_described_by("missed")
    assert audit_actions_described_by("   ") == []


@pytest.mark.django_db
def test_the_audit_trail_page_shows_meanings_and_searches_by_them(org, make_staff, staff_client):
    person = PersonFactory(unit=org["stn_wing"])
    audit_record(actor=None, action=AuditAction.PERSON_VIEW_FOR_CHECKIN_ENROLMENT, person=person)
    audit_record(actor=None, action=AuditAction.ACCOUNT_PIN_RESET, person=person)
    client = staff_client(make_staff(Role.ADMINISTRATOR, org["north"]))

    page = unescape(client.get("/staff/audit/", {"person": person.prison_number}).content.decode())
    assert "Opened a person's record to set up check-ins" in page
    assert "person.view_for_checkin_enrolment" not in page

    page = unescape(client.get("/staff/audit/", {"action": "set up check-ins"}).content.decode())
    assert "1 event" in page
    assert "Opened a person's record to set up check-ins" in page
    page = unescape(client.get("/staff/audit/", {"action": "account."}).content.decode())  # codes still work
    assert "1 event" in page
    assert "Reset a person's PIN" in page


@pytest.mark.django_db
def test_the_subject_access_export_keeps_the_codes(org):
    person = PersonFactory(unit=org["stn_wing"])
    audit_record(actor=None, action=AuditAction.ACCOUNT_PIN_RESET, person=person)
    assert [row["action"] for row in audit_section(person).data] == ["account.pin_reset"]


@pytest.mark.django_db
def test_a_persons_recent_activity_reads_as_words(org, make_staff, staff_client):
    worker = make_staff(Role.KEY_WORKER, org["ngt"])
    person = PersonFactory(unit=org["wing_a"])
    audit_record(actor=worker, action=AuditAction.ACCOUNT_PIN_RESET, person=person)
    page = unescape(staff_client(worker).get(f"/staff/people/{person.pk}/").content.decode())
    assert "Reset a person's PIN" in page
    assert "account.pin_reset" not in page
