"""Run a task worker for every queue in settings.TASKS, reporting a heartbeat for /readyz."""

import os
import secrets
import socket
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend

from onward.jobs.heartbeat import (
    WORKER_HEARTBEAT_INTERVAL_SECONDS,
    WorkerHeartbeatThread,
    worker_heartbeat_forget,
    worker_heartbeat_record,
)

WORKER_POLL_SECONDS = 1.0


class Command(BaseCommand):
    help = "Run tasks from the database queues (django_tasks_db's db_worker), with a heartbeat for /readyz."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queues", default="", help="Comma-separated queues (default: all in settings.TASKS).")
        parser.add_argument("--batch", action="store_true", help="Run every task that is ready, then exit.")
        parser.add_argument("--max-tasks", type=int, default=None, help="Exit after running this many tasks.")
        parser.add_argument("--interval", type=float, default=WORKER_POLL_SECONDS, help="Seconds between polls.")
        parser.add_argument(
            "--heartbeat-interval",
            type=float,
            default=WORKER_HEARTBEAT_INTERVAL_SECONDS,
            help="Seconds between heartbeats.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        if not isinstance(backend, DatabaseBackend):
            raise CommandError(
                f"The task backend is {type(backend).__name__}, not the database backend: no worker needed."
            )
        queues = options["queues"] or ",".join(sorted(backend.queues))
        worker_id = f"{socket.gethostname()[:40]}-{os.getpid()}-{secrets.token_hex(4)}"[:64]
        worker_heartbeat_record(worker_id, queues=queues)
        heartbeat = WorkerHeartbeatThread(worker_id, queues=queues, interval_seconds=options["heartbeat_interval"])
        heartbeat.start()
        try:
            call_command(
                "db_worker",
                queue_name=queues,
                worker_id=worker_id,
                batch=options["batch"],
                max_tasks=options["max_tasks"],
                interval=options["interval"],
                reload=False,
                startup_delay=not options["batch"],
                verbosity=options["verbosity"],
            )
        finally:
            heartbeat.stop()
            worker_heartbeat_forget(worker_id)
