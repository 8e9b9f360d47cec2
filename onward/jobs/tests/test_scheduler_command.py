"""The run_scheduler command: one tick on demand; a loop that stops cleanly on SIGTERM."""

import os
import signal
import threading
import time

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from onward.jobs.models import ScheduledJob
from onward.jobs.schedule import PERIODIC_JOBS

pytestmark = pytest.mark.usefixtures("restore_signal_handlers")


@pytest.mark.django_db(transaction=True)  # the command manages its connection like a real process
def test_run_scheduler_once_enqueues_the_due_jobs():
    call_command("run_scheduler", once=True)
    assert DBTaskResult.objects.count() == len(PERIODIC_JOBS)
    assert set(ScheduledJob.objects.values_list("last_run_by", flat=True)) != {""}


@pytest.mark.django_db(transaction=True)
def test_run_scheduler_loops_until_sigterm():
    timer = threading.Timer(1.0, os.kill, args=(os.getpid(), signal.SIGTERM))
    timer.start()
    started = time.monotonic()
    try:
        call_command("run_scheduler", interval=0.1)
    finally:
        timer.cancel()
    assert time.monotonic() - started < 120, "the scheduler hung after SIGTERM (a hang check, not a timing)"
    assert DBTaskResult.objects.count() == len(PERIODIC_JOBS), "ticks after the first find nothing due"
