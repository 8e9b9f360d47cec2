"""Thin task wrappers: the work is in services.py."""

from typing import Any

from django_tasks import task


@task()
def run_periodic_job(name: str) -> Any:
    from onward.jobs.services import periodic_job_run

    return periodic_job_run(name)
