"""Enqueue periodic jobs when they are due, until stopped. Any number may run: each run is enqueued once."""

import logging
import os
import secrets
import signal
import socket
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections

from onward.jobs.services import scheduler_tick

logger = logging.getLogger(__name__)

SCHEDULER_TICK_SECONDS = 5.0


class Command(BaseCommand):
    help = "Run the scheduler: every few seconds, enqueue the periodic jobs that are due. Stops on SIGTERM or Ctrl+C."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Tick once and exit (for cron or a test).")
        parser.add_argument("--interval", type=float, default=SCHEDULER_TICK_SECONDS, help="Seconds between ticks.")

    def handle(self, *args: Any, **options: Any) -> None:
        runner_id = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        stopping = threading.Event()
        if not options["once"]:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stopping.set())
            logger.info("Scheduler %s started", runner_id)
        while not stopping.is_set():
            close_old_connections()
            try:
                enqueued = scheduler_tick(runner_id)
            except DatabaseError:  # busy or briefly unreachable database: try again next tick
                logger.exception("Scheduler %s could not tick", runner_id)
                enqueued = []
            if enqueued and options["verbosity"] > 1:
                self.stdout.write(f"Enqueued: {', '.join(enqueued)}")
            if options["once"]:
                break
            stopping.wait(options["interval"])
        close_old_connections()
        logger.info("Scheduler %s stopped", runner_id)
