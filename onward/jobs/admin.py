"""Scheduled jobs and worker heartbeats in the admin: read-only, they are written by the processes."""

from django.contrib import admin

from onward.core.admin_mixins import ReadOnlyAdmin
from onward.core.admin_site import admin_site
from onward.jobs.models import ScheduledJob, WorkerHeartbeat


@admin.register(ScheduledJob, site=admin_site)
class ScheduledJobAdmin(ReadOnlyAdmin):
    list_display = ["name", "interval_seconds", "next_run_at", "last_run_at", "last_run_by", "last_finished_at"]
    readonly_fields = [
        "name",
        "interval_seconds",
        "next_run_at",
        "last_run_at",
        "last_run_by",
        "last_finished_at",
        "last_result",
        "last_error",
    ]


@admin.register(WorkerHeartbeat, site=admin_site)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ["worker_id", "hostname", "pid", "queues", "started_at", "beat_at"]
    readonly_fields = ["worker_id", "hostname", "pid", "queues", "started_at", "beat_at"]
