"""The worker end to end: the real database queue, the real worker command, and its heartbeat."""

import os
import re
import signal
import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from onward.jobs.heartbeat import (
    WorkerHeartbeatThread,
    worker_heartbeat_age_seconds,
    worker_heartbeat_record,
    worker_heartbeats_prune,
)
from onward.jobs.models import ScheduledJob, WorkerHeartbeat
from onward.jobs.schedule import PERIODIC_JOBS
from onward.jobs.services import scheduler_tick
from onward.jobs.tests.factories import WorkerHeartbeatFactory
from onward.jobs.tests.sample_tasks import heartbeat_age_seen_by_a_task
from onward.notifications.models import Channel, OutboxMessage, OutboxStatus
from onward.notifications.services import notification_queue

pytestmark = pytest.mark.usefixtures("restore_signal_handlers")


def _run_worker_once() -> None:
    call_command("run_worker", batch=True, interval=0, verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_queued_email_is_sent_by_the_worker_through_the_database_queue():
    with transaction.atomic():
        message = notification_queue(
            channel=Channel.EMAIL, recipient="sam@example.com", subject="Hello", body="Welcome to Onward."
        )
    task = DBTaskResult.objects.get()
    assert task.status == "READY"
    assert task.queue_name == "notifications"
    _run_worker_once()
    message = OutboxMessage.objects.get(pk=message.pk)
    assert message.status == OutboxStatus.SENT
    assert [m.to for m in mail.outbox] == [["sam@example.com"]]
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert task.return_value == "sent"
    _run_worker_once()  # nothing left: nothing sent again
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_scheduled_jobs_run_in_the_worker_and_record_their_outcome():
    scheduler_tick("s1")
    _run_worker_once()
    jobs = {job.name: job for job in ScheduledJob.objects.all()}
    assert set(jobs) == {job.name for job in PERIODIC_JOBS}
    for job in jobs.values():
        assert job.last_finished_at is not None, job.name
        assert job.last_error == "", job.name
    assert jobs["audit_chain_verify"].last_result == {"checked": 0}
    assert jobs["outbox_sweep"].last_result == {"enqueued": 0, "reclaimed": 0, "failed": 0}


@pytest.mark.django_db(transaction=True)
def test_the_worker_reports_a_heartbeat_while_it_runs_and_forgets_it_when_it_stops():
    result = heartbeat_age_seen_by_a_task.enqueue()
    _run_worker_once()
    age = DBTaskResult.objects.get(pk=result.id).return_value
    assert age is not None
    assert age < 120, "a fresh heartbeat, not one left from long ago"
    assert not WorkerHeartbeat.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_stops_cleanly_on_sigterm():
    timer = threading.Timer(1.0, os.kill, args=(os.getpid(), signal.SIGTERM))
    timer.start()
    started = time.monotonic()
    try:
        with pytest.raises(SystemExit) as stopped:
            call_command("run_worker", interval=0.1, verbosity=0)
    finally:
        timer.cancel()
    assert stopped.value.code == 0
    assert time.monotonic() - started < 120, "the worker hung after SIGTERM (a hang check, not a timing)"
    assert not WorkerHeartbeat.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_beats_on_its_own_connection():
    long_ago = timezone.now() - timedelta(hours=1)
    worker_heartbeat_record("w1", queues="default", now=long_ago)
    beats = WorkerHeartbeatThread("w1", queues="default", interval_seconds=0.05)
    beats.start()
    # Wait for the beat to show, however busy the machine (a fixed sleep is a guess at its speed).
    deadline = time.monotonic() + 60
    while WorkerHeartbeat.objects.get(worker_id="w1").beat_at <= long_ago + timedelta(minutes=59):
        assert time.monotonic() < deadline, "the heartbeat thread never beat"
        time.sleep(0.05)
    beats.stop()
    assert not beats.is_alive()


@pytest.mark.django_db
def test_heartbeat_age_is_that_of_the_newest_worker():
    now = timezone.now()
    assert worker_heartbeat_age_seconds(now=now) is None
    worker_heartbeat_record("old", now=now - timedelta(seconds=500))
    worker_heartbeat_record("new", now=now - timedelta(seconds=7))
    assert worker_heartbeat_age_seconds(now=now) == pytest.approx(7)
    worker_heartbeat_record("old", now=now)
    assert worker_heartbeat_age_seconds(now=now) == 0
    assert WorkerHeartbeat.objects.count() == 2


@pytest.mark.django_db
def test_heartbeats_of_workers_silent_for_a_day_are_pruned():
    now = timezone.now()
    WorkerHeartbeatFactory(worker_id="gone", beat_at=now - timedelta(days=2))
    WorkerHeartbeatFactory(worker_id="alive", beat_at=now)
    assert worker_heartbeats_prune(now=now) == {"deleted": 1}
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]


# --- /readyz ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_readyz_is_ready_with_a_fresh_worker_heartbeat():
    worker_heartbeat_record("w1", now=timezone.now() - timedelta(seconds=3))
    response = Client().get("/readyz")
    worker = response.json()["checks"]["worker"]
    assert worker["ok"] is True
    assert re.fullmatch(r"last heartbeat [3-9] s ago", worker["detail"])
    assert response.status_code == 200, response.json()


@pytest.mark.django_db
def test_readyz_is_not_ready_without_any_worker():
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == {
        "ok": False,
        "detail": "no task worker has reported a heartbeat",
        "ms": response.json()["checks"]["worker"]["ms"],
    }


@pytest.mark.django_db
def test_readyz_is_not_ready_when_the_last_heartbeat_is_stale(settings):
    settings.WORKER_HEARTBEAT_STALE_SECONDS = 120
    worker_heartbeat_record("w1", now=timezone.now() - timedelta(seconds=300))
    response = Client().get("/readyz")
    assert response.status_code == 503
    worker = response.json()["checks"]["worker"]
    assert worker["ok"] is False
    assert worker["detail"] == "last task worker heartbeat 300 s ago (limit 120 s)"
