"""Workers report that they are alive, in a small table; /readyz reads the newest report.

A table rather than the cache: it is shared by every host, and nothing evicts it.
"""

import logging
import os
import socket
import threading
from datetime import datetime, timedelta

from django.db import DatabaseError, connection
from django.db.models import Max
from django.utils import timezone

from onward.jobs.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

WORKER_HEARTBEAT_INTERVAL_SECONDS = 15
# Rows of workers that stopped without saying so (killed, host lost) go after a day.
WORKER_HEARTBEAT_KEEP_SECONDS = 24 * 60 * 60


def worker_heartbeat_record(worker_id: str, *, queues: str = "", now: datetime | None = None) -> None:
    """Say that this worker is alive now."""
    at = now or timezone.now()
    if WorkerHeartbeat.objects.filter(worker_id=worker_id).update(beat_at=at):
        return
    WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        hostname=socket.gethostname()[:255],
        pid=os.getpid(),
        queues=queues[:200],
        started_at=at,
        beat_at=at,
    )


def worker_heartbeat_forget(worker_id: str) -> None:
    """A worker stopping cleanly takes its heartbeat with it."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def worker_heartbeat_age_seconds(now: datetime | None = None) -> float | None:
    """Seconds since any worker last reported; None when none has."""
    newest = WorkerHeartbeat.objects.aggregate(newest=Max("beat_at"))["newest"]
    if newest is None:
        return None
    return max(0.0, ((now or timezone.now()) - newest).total_seconds())


def worker_heartbeats_prune(now: datetime | None = None) -> dict[str, int]:
    """Delete the heartbeats of workers that have been silent for a day (a periodic job)."""
    cutoff = (now or timezone.now()) - timedelta(seconds=WORKER_HEARTBEAT_KEEP_SECONDS)
    deleted, _ = WorkerHeartbeat.objects.filter(beat_at__lt=cutoff).delete()
    return {"deleted": deleted}


class WorkerHeartbeatThread(threading.Thread):
    """Beats for a worker in the background while the worker runs tasks in the main thread."""

    def __init__(self, worker_id: str, *, queues: str, interval_seconds: float = WORKER_HEARTBEAT_INTERVAL_SECONDS):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.queues = queues
        self.interval_seconds = interval_seconds
        self._stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self._stopping.wait(self.interval_seconds):
                try:
                    worker_heartbeat_record(self.worker_id, queues=self.queues)
                except DatabaseError:  # a busy or briefly unreachable database: try again next beat
                    logger.warning("Worker %s could not record its heartbeat", self.worker_id)
        finally:
            connection.close()

    def stop(self) -> None:
        self._stopping.set()
        self.join(timeout=self.interval_seconds + 5)
