"""What the periodic jobs do when a worker runs them, and how their outcome is kept."""

import inspect
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import get_commands
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from onward.audit.models import AuditEvent
from onward.audit.services import audit_record
from onward.core.audit_actions import AuditAction
from onward.jobs.models import ScheduledJob
from onward.jobs.schedule import PERIODIC_JOBS
from onward.jobs.services import TASK_RESULTS_KEEP_DAYS, AuditChainBroken, periodic_job_run, scheduler_tick
from onward.jobs.tasks import run_periodic_job
from onward.notifications.tasks import deliver_outbox_message

# --- The registry matches reality -------------------------------------------------------------


def test_every_periodic_job_is_a_function_callable_without_arguments():
    assert len({job.name for job in PERIODIC_JOBS}) == len(PERIODIC_JOBS)
    for job in PERIODIC_JOBS:
        function = import_string(job.function_path)
        required = [p for p in inspect.signature(function).parameters.values() if p.default is inspect.Parameter.empty]
        assert required == [], f"{job.name} must run without arguments"
        assert job.interval_seconds > 0


def test_the_required_periodic_jobs_are_scheduled():
    intervals = {job.name: job.interval_seconds for job in PERIODIC_JOBS}
    assert intervals["outbox_sweep"] == 60
    assert intervals["audit_chain_verify"] == 24 * 60 * 60
    assert "task_results_prune" in intervals


def test_every_task_queue_is_served_by_run_worker():
    queues = set(settings.TASKS["default"]["QUEUES"])
    assert run_periodic_job.queue_name in queues
    assert deliver_outbox_message.queue_name in queues


def test_the_commands_serve_starts_exist():
    commands = get_commands()
    assert commands["run_worker"] == "onward.jobs"
    assert commands["run_scheduler"] == "onward.jobs"


# --- Running them -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_job_run_keeps_its_summary():
    scheduler_tick("s1")
    assert periodic_job_run("audit_chain_verify") == {"checked": 0}
    job = ScheduledJob.objects.get(name="audit_chain_verify")
    assert job.last_result == {"checked": 0}
    assert job.last_error == ""
    assert job.last_finished_at is not None


@pytest.mark.django_db
def test_audit_verify_job_checks_the_chain():
    for n in range(3):
        audit_record(actor=None, action=AuditAction.PERSON_VIEW, data={"n": n})
    scheduler_tick("s1")
    assert periodic_job_run("audit_chain_verify") == {"checked": 3}


@pytest.mark.django_db
def test_a_broken_audit_chain_fails_the_job_and_is_recorded(caplog):
    for n in range(3):
        audit_record(actor=None, action=AuditAction.PERSON_VIEW, data={"n": n})
    AuditEvent.objects.filter(seq=2).update(reason="altered afterwards")
    scheduler_tick("s1")
    with pytest.raises(AuditChainBroken):
        periodic_job_run("audit_chain_verify")
    job = ScheduledJob.objects.get(name="audit_chain_verify")
    assert job.last_error.startswith("AuditChainBroken: Audit chain broken: 1 problem(s) in 3 events")
    assert job.last_result is None
    assert "seq=2" in caplog.text


@pytest.mark.django_db
def test_unknown_job_name_fails_loudly():
    with pytest.raises(LookupError):
        periodic_job_run("no_such_job")


@pytest.mark.django_db
def test_task_results_prune_deletes_old_finished_results_only():
    old = timezone.now() - timedelta(days=TASK_RESULTS_KEEP_DAYS + 1)
    finished_old = run_periodic_job.enqueue("outbox_sweep").db_result
    finished_new = run_periodic_job.enqueue("outbox_sweep").db_result
    waiting = run_periodic_job.enqueue("outbox_sweep").db_result
    DBTaskResult.objects.filter(pk=finished_old.pk).update(status="SUCCESSFUL", finished_at=old)
    DBTaskResult.objects.filter(pk=finished_new.pk).update(status="SUCCESSFUL", finished_at=timezone.now())
    scheduler_tick("s1")
    periodic_job_run("task_results_prune")
    remaining = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert finished_old.pk not in remaining
    assert {finished_new.pk, waiting.pk} <= remaining


@pytest.mark.django_db
def test_tasks_left_running_by_a_dead_worker_run_again_then_fail_plainly():
    from onward.jobs.models import WorkerHeartbeat
    from onward.jobs.services import WORKER_DEAD_AFTER_SECONDS, tasks_stuck_sweep

    now = timezone.now()
    long_ago = now - timedelta(seconds=WORKER_DEAD_AFTER_SECONDS * 2)
    WorkerHeartbeat.objects.create(worker_id="alive-1", hostname="h", pid=1, queues="default", beat_at=now)
    WorkerHeartbeat.objects.create(worker_id="silent-1", hostname="h", pid=2, queues="default", beat_at=long_ago)
    lost = run_periodic_job.enqueue("outbox_sweep").db_result
    silent = run_periodic_job.enqueue("outbox_sweep").db_result
    busy = run_periodic_job.enqueue("outbox_sweep").db_result
    DBTaskResult.objects.filter(pk=lost.pk).update(status="RUNNING", started_at=long_ago, worker_ids=["gone-1"])
    DBTaskResult.objects.filter(pk=silent.pk).update(status="RUNNING", started_at=long_ago, worker_ids=["silent-1"])
    DBTaskResult.objects.filter(pk=busy.pk).update(status="RUNNING", started_at=long_ago, worker_ids=["alive-1"])
    assert tasks_stuck_sweep(now=now) == {"requeued": 2, "failed": 0}
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert (statuses[lost.pk], statuses[silent.pk], statuses[busy.pk]) == ("READY", "READY", "RUNNING")
    # Run again, and its second worker dies too: failed in plain words, not run a third time.
    DBTaskResult.objects.filter(pk=lost.pk).update(
        status="RUNNING", started_at=long_ago, worker_ids=["gone-1", "gone-2"]
    )
    assert tasks_stuck_sweep(now=now) == {"requeued": 0, "failed": 1}
    failed = DBTaskResult.objects.get(pk=lost.pk)
    assert failed.status == "FAILED"
    assert failed.exception_class_path == "onward.jobs.services.WorkerLost"
    assert "stopped 2 times" in failed.traceback
    assert "tasks_stuck_sweep" in {job.name for job in PERIODIC_JOBS}
