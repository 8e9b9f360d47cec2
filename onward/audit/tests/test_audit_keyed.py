"""The chain is keyed outside the database, checkpointed to an append-only file, and (on PostgreSQL) the
application's role cannot change or remove events."""

import json

import pytest
from django.db import DatabaseError, connection, transaction

from onward.audit.checkpoints import checkpoint_write
from onward.audit.models import AuditChainHead, AuditEvent
from onward.audit.services import audit_record, audit_verify, event_hash
from onward.core.audit_actions import AuditAction
from onward.jobs.schedule import periodic_jobs
from onward.jobs.services import periodic_job_run

pytestmark = pytest.mark.django_db

KEY_A = "a1:synthetic-test-audit-key-aaaaaaaaaaaaaaaaaaaaaaaa"
KEY_B = "b2:synthetic-test-audit-key-bbbbbbbbbbbbbbbbbbbbbbbb"


@pytest.fixture
def checkpoints(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_PATH = str(tmp_path / "checkpoints.jsonl")
    return tmp_path / "checkpoints.jsonl"


def _events(n):
    return [audit_record(actor=None, action=AuditAction.PERSON_VIEW, data={"i": i}) for i in range(n)]


def _rewrite_from(events, index, new_hash):
    """What someone with write access to the database does: change one event and re-hash it and every later one."""
    previous = events[index - 1].hash if index else "0" * 64
    with connection.cursor() as cursor:
        for position, event in enumerate(events[index:]):
            stored = AuditEvent.objects.get(pk=event.pk)
            if position == 0:
                stored.reason = "covered up"
            stored.prev_hash = previous
            previous = new_hash(stored)
            cursor.execute(
                "UPDATE audit_auditevent SET reason = %s, prev_hash = %s, hash = %s, key_id = %s WHERE id = %s",
                [stored.reason, stored.prev_hash, previous, stored.key_id, stored.pk],
            )
    AuditChainHead.objects.filter(id=1).update(hash=previous)


def _plain_sha256(event):
    event.key_id = ""
    return event_hash(event)


def test_events_are_sealed_with_the_current_key(settings):
    settings.AUDIT_KEYS = [KEY_A]
    event = _events(1)[0]
    assert event.key_id == "a1"
    assert audit_verify() == (1, [])


def test_rewriting_an_event_and_rehashing_the_rest_without_the_key_is_found(settings):
    settings.AUDIT_KEYS = [KEY_A]
    events = _events(5)
    _rewrite_from(events, 2, _plain_sha256)
    checked, problems = audit_verify()
    assert checked == 5
    assert problems, "a chain re-hashed without the key passed"
    assert {p.seq for p in problems} >= {events[3].seq}


def test_rewriting_with_a_guessed_key_is_found(settings):
    settings.AUDIT_KEYS = [KEY_A]
    events = _events(4)
    settings.AUDIT_KEYS = ["a1:a-guess-at-the-key-that-is-wrong-xxxxxxxxxxxxxxxx"]
    _rewrite_from(events, 1, event_hash)
    settings.AUDIT_KEYS = [KEY_A]
    _, problems = audit_verify()
    assert [p.seq for p in problems if "altered" in p.problem] == [e.seq for e in events[1:]]


def test_cutting_the_tail_after_a_checkpoint_is_found(settings, checkpoints):
    settings.AUDIT_KEYS = [KEY_A]
    events = _events(5)
    assert checkpoint_write() == {"written": True, "seq": 5}
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq > 3")
    AuditChainHead.objects.filter(id=1).update(seq=3, hash=events[2].hash)
    _, problems = audit_verify()
    assert any("cut short" in p.problem and p.seq == 5 for p in problems)


def test_rewriting_with_the_key_after_a_checkpoint_is_found(settings, checkpoints):
    settings.AUDIT_KEYS = [KEY_A]
    events = _events(4)
    checkpoint_write()
    _rewrite_from(events, 1, event_hash)  # an insider who also holds the key
    _, problems = audit_verify()
    assert [p.seq for p in problems] == [4]
    assert "rewritten" in problems[0].problem


def test_an_edited_checkpoint_file_is_found(settings, checkpoints):
    settings.AUDIT_KEYS = [KEY_A]
    _events(2)
    checkpoint_write()
    line = json.loads(checkpoints.read_text())
    line["seq"] = 1
    checkpoints.write_text(json.dumps(line) + "\n")
    _, problems = audit_verify()
    assert any("does not match its seal" in p.problem for p in problems)


def test_checkpoints_are_appended_hourly_by_the_scheduler(settings, checkpoints):
    settings.AUDIT_KEYS = [KEY_A]
    assert periodic_jobs()["audit_checkpoint"].interval_seconds == 3600
    _events(2)
    periodic_job_run("audit_checkpoint")
    _events(1)
    periodic_job_run("audit_checkpoint")
    lines = [json.loads(text) for text in checkpoints.read_text().splitlines()]
    assert [line["seq"] for line in lines] == [2, 3]
    assert {line["key_id"] for line in lines} == {"a1"}
    assert audit_verify() == (3, [])


def test_rotating_the_key_keeps_older_events_verifiable(settings, checkpoints):
    settings.AUDIT_KEYS = [KEY_A]
    old = _events(2)
    checkpoint_write()
    settings.AUDIT_KEYS = [KEY_B, KEY_A]  # the new key first, the old one kept for verifying
    new = _events(2)
    checkpoint_write()
    assert [e.key_id for e in old + new] == ["a1", "a1", "b2", "b2"]
    assert audit_verify() == (4, [])
    settings.AUDIT_KEYS = [KEY_B]  # the old key dropped too early
    _, problems = audit_verify()
    assert {p.seq for p in problems if "not in AUDIT_KEYS" in p.problem and p.event_id} == {1, 2}
    assert any("checkpoint line 1" in p.problem for p in problems)


def test_events_written_before_the_chain_was_keyed_still_verify(settings):
    settings.AUDIT_KEYS = [KEY_A]
    events = _events(3)
    previous = "0" * 64
    with connection.cursor() as cursor:  # as the chain stood before keys: plain SHA-256, no key id
        for event in AuditEvent.objects.filter(pk__in=[e.pk for e in events]).order_by("seq"):
            event.prev_hash = previous
            previous = _plain_sha256(event)
            cursor.execute(
                "UPDATE audit_auditevent SET prev_hash = %s, hash = %s, key_id = '' WHERE id = %s",
                [event.prev_hash, previous, event.pk],
            )
    AuditChainHead.objects.filter(id=1).update(hash=previous)
    assert audit_verify() == (3, [])
    _events(1)
    assert audit_verify() == (4, [])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="grants are a PostgreSQL feature; SQLite has no roles")
def test_the_application_role_cannot_update_or_delete_audit_events_on_postgresql(settings):
    event = _events(1)[0]
    role = connection.ops.quote_name(settings.DATABASE_APP_ROLE)
    for statement in (
        "UPDATE audit_auditevent SET reason = 'covered up' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {role}")
            with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
                cursor.execute(statement, [event.pk])
            cursor.execute("RESET ROLE")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {role}")
        added = audit_record(actor=None, action=AuditAction.PERSON_VIEW)  # adding still works
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert added.seq == event.seq + 1
