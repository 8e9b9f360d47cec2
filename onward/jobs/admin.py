"""Scheduled jobs and worker heartbeats in the admin: read-only, they are written by the processes."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from onward.core.admin_site import admin_site
from onward.jobs.models import ScheduledJob, WorkerHeartbeat


class ReadOnlyAdmin(admin.ModelAdmin):
    """Seen by whoever the policy lets into the admin (not Django's per-model permissions); changed by nobody."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return admin_site.has_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return admin_site.has_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
