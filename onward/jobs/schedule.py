"""The periodic jobs, declared in code. Schedulers enqueue each when due; workers run it.

A job is a function that takes no arguments and returns a small JSON-able summary (kept on its
ScheduledJob row); it raises to say the run failed. Add a line here to schedule a new one.
"""

from dataclasses import dataclass

MINUTE_SECONDS = 60
DAY_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    function_path: str
    interval_seconds: int


PERIODIC_JOBS: tuple[PeriodicJob, ...] = (
    PeriodicJob("outbox_sweep", "onward.notifications.delivery.outbox_sweep", MINUTE_SECONDS),
    PeriodicJob("retention_run", "onward.core.retention.retention_run", DAY_SECONDS),
    PeriodicJob("audit_chain_verify", "onward.jobs.services.audit_chain_check", DAY_SECONDS),
    PeriodicJob("audit_checkpoint", "onward.audit.checkpoints.checkpoint_write", 60 * MINUTE_SECONDS),
    PeriodicJob("task_results_prune", "onward.jobs.services.task_results_prune", DAY_SECONDS),
    PeriodicJob("worker_heartbeats_prune", "onward.jobs.heartbeat.worker_heartbeats_prune", DAY_SECONDS),
    PeriodicJob("checkins_create_due", "onward.checkins.services.checkins_create_due", 15 * MINUTE_SECONDS),
    PeriodicJob("checkins_stale_sweep", "onward.checkins.services.verifications_stale_sweep", 5 * MINUTE_SECONDS),
    PeriodicJob("tasks_stuck_sweep", "onward.jobs.services.tasks_stuck_sweep", 5 * MINUTE_SECONDS),
    PeriodicJob("checkins_expire", "onward.checkins.services.checkins_expire", 5 * MINUTE_SECONDS),
    PeriodicJob("reminders_send", "onward.notifications.reminders.reminders_send", 5 * MINUTE_SECONDS),
    PeriodicJob("reminders_plan", "onward.notifications.reminders.reminders_plan", 60 * MINUTE_SECONDS),
    PeriodicJob("curfew_prompts_plan", "onward.curfew.prompts.curfew_prompts_plan", 30 * MINUTE_SECONDS),
    PeriodicJob("curfew_prompts_send", "onward.curfew.prompts.curfew_prompts_send", MINUTE_SECONDS),
    PeriodicJob("alerts_escalate", "onward.alerts.services.alerts_escalate", 5 * MINUTE_SECONDS),
    PeriodicJob("requests_escalate", "onward.resettlement.prison_requests.requests_escalate", 5 * MINUTE_SECONDS),
    PeriodicJob("database_statistics", "onward.core.database.database_statistics_refresh", 60 * MINUTE_SECONDS),
    PeriodicJob("rotl_overdue_alert", "onward.opportunities.services.rotl_overdue_alert", 5 * MINUTE_SECONDS),
    PeriodicJob("reports_refresh", "onward.reports.services.reports_refresh", 60 * MINUTE_SECONDS),
    PeriodicJob("library_publish_due", "onward.library.services.items_publish_due", 5 * MINUTE_SECONDS),
)


def periodic_jobs() -> dict[str, PeriodicJob]:
    return {job.name: job for job in PERIODIC_JOBS}
