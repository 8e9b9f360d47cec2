"""The scheduler and the housekeeping jobs it runs.

`scheduler_tick` is safe to run from any number of scheduler processes at once: each due run is
claimed with a compare-and-swap UPDATE on `next_run_at`, in the same transaction as the enqueue,
so exactly one scheduler enqueues it (SQLite serialises writers; PostgreSQL re-checks the WHERE
clause after waiting for the other writer's row lock).
"""

import logging
from datetime import datetime, timedelta
from typing import Any

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from onward.audit.services import audit_verify
from onward.jobs.heartbeat import WORKER_HEARTBEAT_INTERVAL_SECONDS
from onward.jobs.models import ScheduledJob, WorkerHeartbeat
from onward.jobs.schedule import PeriodicJob, periodic_jobs

logger = logging.getLogger(__name__)

TASK_RESULTS_KEEP_DAYS = 14
# A worker silent this long (several missed heartbeats) is taken for dead, and so are the tasks it was running.
WORKER_DEAD_AFTER_SECONDS = 6 * WORKER_HEARTBEAT_INTERVAL_SECONDS
# A task whose worker died this many times is failed, not run again: it may be what kills the worker.
TASK_RUNS_MAX = 2
AUDIT_PROBLEMS_LOGGED_MAX = 50
ERROR_TEXT_MAX_CHARS = 2000


class AuditChainBroken(Exception):
    """The audit trail's hash chain does not verify: someone or something altered it."""


def scheduler_tick(runner_id: str, now: datetime | None = None) -> list[str]:
    """Enqueue every periodic job that is due and that no other scheduler has claimed. Returns their names."""
    from onward.jobs.tasks import run_periodic_job

    at = now or timezone.now()
    jobs = periodic_jobs()
    _schedule_rows_ensure(jobs, at)
    due = list(ScheduledJob.objects.filter(name__in=jobs, next_run_at__lte=at).values_list("name", "next_run_at"))
    enqueued = []
    for name, next_run_at in due:
        job = jobs[name]
        with transaction.atomic():
            claimed = ScheduledJob.objects.filter(name=name, next_run_at=next_run_at).update(
                next_run_at=_following_run(next_run_at, job.interval_seconds, at),
                last_run_at=at,
                last_run_by=runner_id[:100],
                interval_seconds=job.interval_seconds,
            )
            if claimed:
                run_periodic_job.enqueue(name)
        if claimed:
            enqueued.append(name)
            logger.info("Scheduler %s enqueued periodic job %s", runner_id, name)
    return enqueued


def periodic_job_run(name: str) -> Any:
    """Run one periodic job now (in a worker) and keep its summary or its error on its row."""
    job = periodic_jobs().get(name)
    if job is None:
        raise LookupError(f"No periodic job called {name!r}")
    function = import_string(job.function_path)
    try:
        result = function()
    except Exception as error:
        ScheduledJob.objects.filter(name=name).update(
            last_finished_at=timezone.now(),
            last_result=None,
            last_error=f"{type(error).__name__}: {error}"[:ERROR_TEXT_MAX_CHARS],
        )
        raise
    ScheduledJob.objects.filter(name=name).update(last_finished_at=timezone.now(), last_result=result, last_error="")
    return result


def audit_chain_check() -> dict[str, int]:
    """Verify the audit trail's hash chain (a daily job). Raises, and logs each break by id, if broken."""

    checked, problems = audit_verify()
    for problem in problems[:AUDIT_PROBLEMS_LOGGED_MAX]:
        logger.error("Audit chain broken at event seq=%s id=%s: %s", problem.seq, problem.event_id, problem.problem)
    if problems:
        raise AuditChainBroken(f"Audit chain broken: {len(problems)} problem(s) in {checked} events.")
    logger.info("Audit chain intact: %s events checked", checked)
    return {"checked": checked}


class WorkerLost(Exception):
    """The worker running a task stopped (killed, out of memory, host lost) before the task finished."""


def tasks_stuck_sweep(now: datetime | None = None) -> dict[str, int]:
    """Tasks left "running" by a worker that died: run each again, or fail it plainly after TASK_RUNS_MAX tries.

    A worker is dead when its heartbeat is gone or silent for WORKER_DEAD_AFTER_SECONDS. A periodic job.
    """
    at = now or timezone.now()
    silent_since = at - timedelta(seconds=WORKER_DEAD_AFTER_SECONDS)
    alive = set(WorkerHeartbeat.objects.filter(beat_at__gte=silent_since).values_list("worker_id", flat=True))
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=silent_since).values_list(
        "id", "worker_ids", "task_path"
    )
    requeued = failed = 0
    for task_id, worker_ids, task_path in list(running):
        if worker_ids and worker_ids[-1] in alive:
            continue
        still_running = DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.RUNNING)
        if len(worker_ids) < TASK_RUNS_MAX:
            if still_running.update(status=TaskResultStatus.READY, started_at=None):
                requeued += 1
                logger.warning("Task %s (%s) lost its worker; queued again", task_id, task_path)
        elif still_running.update(
            status=TaskResultStatus.FAILED,
            finished_at=at,
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            traceback=f"WorkerLost: the worker running this task stopped {len(worker_ids)} times; not run again.",
            return_value=None,
        ):
            failed += 1
            logger.error("Task %s (%s) lost its worker %s times; failed", task_id, task_path, len(worker_ids))
    return {"requeued": requeued, "failed": failed}


def task_results_prune() -> dict[str, int]:
    """Delete finished task results older than TASK_RESULTS_KEEP_DAYS, with django_tasks_db's own command."""
    call_command("prune_db_task_results", queue_name="*", min_age_days=TASK_RESULTS_KEEP_DAYS, verbosity=0)
    return {"min_age_days": TASK_RESULTS_KEEP_DAYS}


def _schedule_rows_ensure(jobs: dict[str, PeriodicJob], at: datetime) -> None:
    """Give each declared job its row, due now. Two schedulers may race: the unique name settles it."""
    existing = set(ScheduledJob.objects.filter(name__in=jobs).values_list("name", flat=True))
    missing = [
        ScheduledJob(name=job.name, interval_seconds=job.interval_seconds, next_run_at=at)
        for job in jobs.values()
        if job.name not in existing
    ]
    if missing:
        ScheduledJob.objects.bulk_create(missing, ignore_conflicts=True)


def _following_run(previous: datetime, interval_seconds: int, at: datetime) -> datetime:
    """Keep to the job's rhythm (a daily job stays at its time of day); after a long stop, start again from now."""
    following = previous + timedelta(seconds=interval_seconds)
    if following <= at:
        following = at + timedelta(seconds=interval_seconds)
    return following
