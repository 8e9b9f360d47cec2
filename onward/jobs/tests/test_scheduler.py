"""The scheduler: each due periodic job is enqueued once, however many schedulers tick."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from onward.jobs.models import ScheduledJob
from onward.jobs.schedule import MINUTE_SECONDS, PERIODIC_JOBS
from onward.jobs.services import scheduler_tick
from onward.jobs.tests.factories import ScheduledJobFactory

RUN_TASK = "onward.jobs.tasks.run_periodic_job"
ALL_JOBS = sorted(job.name for job in PERIODIC_JOBS)
EVERY_MINUTE = sorted(job.name for job in PERIODIC_JOBS if job.interval_seconds == MINUTE_SECONDS)


def _enqueued() -> list[str]:
    return sorted(t.args_kwargs["args"][0] for t in DBTaskResult.objects.filter(task_path=RUN_TASK))


@pytest.mark.django_db
def test_first_tick_creates_each_jobs_row_and_enqueues_it():
    now = timezone.now()
    assert sorted(scheduler_tick("s1", now=now)) == ALL_JOBS
    assert _enqueued() == ALL_JOBS
    sweep = ScheduledJob.objects.get(name="outbox_sweep")
    assert sweep.interval_seconds == MINUTE_SECONDS
    assert sweep.last_run_at == now
    assert sweep.last_run_by == "s1"
    assert sweep.next_run_at == now + timedelta(seconds=MINUTE_SECONDS)


@pytest.mark.django_db
def test_a_job_is_not_enqueued_again_until_its_interval_has_passed():
    now = timezone.now()
    scheduler_tick("s1", now=now)
    assert scheduler_tick("s2", now=now) == []
    assert scheduler_tick("s1", now=now + timedelta(seconds=MINUTE_SECONDS - 1)) == []
    assert "outbox_sweep" in EVERY_MINUTE
    assert sorted(scheduler_tick("s2", now=now + timedelta(seconds=MINUTE_SECONDS))) == EVERY_MINUTE
    assert _enqueued().count("outbox_sweep") == 2
    assert _enqueued().count("audit_chain_verify") == 1


@pytest.mark.django_db
def test_a_daily_job_keeps_its_time_of_day_and_restarts_from_now_after_a_long_stop():
    start = timezone.now()
    scheduler_tick("s1", now=start)
    day = timedelta(days=1)
    scheduler_tick("s1", now=start + day + timedelta(seconds=3))  # a tick a few seconds late
    assert ScheduledJob.objects.get(name="audit_chain_verify").next_run_at == start + 2 * day
    later = start + 10 * day  # the scheduler was stopped for a week: one run, not seven
    assert "audit_chain_verify" in scheduler_tick("s1", now=later)
    assert _enqueued().count("audit_chain_verify") == 3
    assert ScheduledJob.objects.get(name="audit_chain_verify").next_run_at == later + day


@pytest.mark.django_db
def test_rows_of_jobs_no_longer_declared_are_ignored():
    ScheduledJobFactory(name="retired_job", next_run_at=timezone.now() - timedelta(days=1))
    assert "retired_job" not in scheduler_tick("s1")


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_ticking_at_the_same_time_enqueue_each_due_job_exactly_once():
    """Two scheduler threads, own connections, released together by a barrier, for three rounds."""
    start = timezone.now()
    rounds = [start, start + timedelta(seconds=61), start + timedelta(seconds=122)]
    schedulers = 2
    barrier = threading.Barrier(schedulers)
    claimed: dict[str, list[str]] = {f"scheduler-{i}": [] for i in range(schedulers)}
    errors: list[BaseException] = []

    def run(runner_id: str) -> None:
        try:
            for at in rounds:
                barrier.wait(timeout=10)
                claimed[runner_id].extend(scheduler_tick(runner_id, now=at))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(runner_id,)) for runner_id in claimed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    expected = sorted([*ALL_JOBS, *EVERY_MINUTE, *EVERY_MINUTE])  # the minute jobs are due in every round
    assert _enqueued() == expected
    assert sorted(claimed["scheduler-0"] + claimed["scheduler-1"]) == expected
    assert ScheduledJob.objects.count() == len(ALL_JOBS)
