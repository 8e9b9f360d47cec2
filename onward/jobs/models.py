"""Periodic jobs and worker heartbeats: operational records, no personal data."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ScheduledJob(models.Model):
    """When a periodic job (declared in onward.jobs.schedule) runs next, and how its last run went.

    Schedulers claim a due run by moving `next_run_at` forward with a compare-and-swap UPDATE, so
    one run is enqueued once however many schedulers are running.
    """

    name = models.CharField(max_length=100, unique=True)
    interval_seconds = models.PositiveIntegerField()
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True, help_text=_("When a scheduler last enqueued it."))
    last_run_by = models.CharField(max_length=100, blank=True, help_text=_("Which scheduler enqueued it."))
    last_finished_at = models.DateTimeField(null=True, blank=True, help_text=_("When a worker last finished it."))
    last_result = models.JSONField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]


class WorkerHeartbeat(models.Model):
    """A running task worker says it is alive every few seconds; /readyz reads the newest."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    queues = models.CharField(max_length=200)
    started_at = models.DateTimeField(default=timezone.now)
    beat_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-beat_at"]
