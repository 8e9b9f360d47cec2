"""Tasks the worker tests enqueue (a task must live at module level)."""

from django_tasks import task

from onward.jobs.heartbeat import worker_heartbeat_age_seconds


@task()
def heartbeat_age_seen_by_a_task() -> float | None:
    return worker_heartbeat_age_seconds()
