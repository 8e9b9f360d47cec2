"""The system acting for a job is recorded as the system, with the job's name: never as a member of staff."""

import pytest
from django.db import connection

from onward.audit.models import AuditEvent
from onward.audit.services import audit_record, audit_verify
from onward.core.actors import SystemActor
from onward.core.audit_actions import AuditAction
from onward.organisations.models import Role

pytestmark = pytest.mark.django_db


def test_a_system_actor_is_recorded_as_the_system_with_its_job_name():
    event = audit_record(actor=SystemActor("checkins_expire"), action=AuditAction.CHECKIN_EXPIRED)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor, stored.actor_role, stored.actor_system) == (None, "system", "checkins_expire")
    assert audit_verify() == (1, [])


def test_a_role_given_with_the_system_actor_is_kept():
    event = audit_record(
        actor=SystemActor("library_publish_due"), role="scheduler", action=AuditAction.LIBRARY_ITEM_PUBLISHED
    )
    assert (event.actor_role, event.actor_system) == ("scheduler", "library_publish_due")


def test_events_without_a_system_actor_keep_their_hash_and_changing_the_job_name_is_found():
    by_nobody = audit_record(actor=None, action=AuditAction.AUDIT_SEARCHED)
    by_job = audit_record(actor=SystemActor("retention_run"), action=AuditAction.RETENTION_DELETED)
    assert by_nobody.actor_system == ""
    assert audit_verify() == (2, [])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET actor_system = %s WHERE id = %s", ["outbox_deliver", by_job.pk])
    _checked, problems = audit_verify()
    assert [(p.seq, "altered" in p.problem) for p in problems] == [(by_job.seq, True)]


def test_the_audit_search_names_the_job(org, make_staff, staff_client):
    audit_record(actor=SystemActor("checkins_expire"), action=AuditAction.CHECKIN_EXPIRED)
    page = staff_client(make_staff(Role.ADMINISTRATOR, org["north"])).get("/staff/audit/", {"action": "checkin"})
    assert page.status_code == 200
    assert "System: checkins_expire" in page.content.decode()
