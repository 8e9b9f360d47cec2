"""Start the whole platform in one command: web server, task worker and scheduler, supervised together.

The web server is gunicorn with threaded workers: a thread waits for a slow client's request while the
others serve, and a client that sends nothing is handed back to gunicorn's poller, so a few slow
connections cannot stall the site. Bodies over the limit are refused before they are read
(onward/core/body_limit.py, in config/wsgi.py). A child that stops is started again after a pause that
grows while it keeps failing (at most RESTART_DELAY_MAX_SECONDS); Ctrl+C or SIGTERM stops them all.
Production runs this behind a buffering reverse proxy (docs/deployment.md).
"""

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

POLL_SECONDS = 0.5
RESTART_DELAY_FIRST_SECONDS = 1.0
RESTART_DELAY_MAX_SECONDS = 30.0
# A child that ran this long before stopping starts again after the first, short pause.
HEALTHY_RUN_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 10


@dataclass
class Child:
    name: str
    command: list[str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restart_at: float | None = None
    delay: float = RESTART_DELAY_FIRST_SECONDS
    restarts: int = field(default=0)


class Command(BaseCommand):
    help = "Serve the web app with gunicorn, plus a task worker and the scheduler, restarting any that stops."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--web-workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
        parser.add_argument("--web-threads", type=int, default=int(os.environ.get("WEB_THREADS", "8")))

    def handle(self, *args: Any, **options: Any) -> None:
        python = sys.executable
        manage = str(settings.BASE_DIR / "manage.py")
        children = [
            Child("web", web_command(python, options)),
            Child("worker", [python, manage, "run_worker"]),
            Child("scheduler", [python, manage, "run_scheduler"]),
        ]
        stopping = False

        def stop(*_: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        for child in children:
            self._start(child)
        self.stdout.write(f"Onward is running on http://{options['host']}:{options['port']} (Ctrl+C stops it)")
        self.stdout.flush()
        try:
            while not stopping:
                now = time.monotonic()
                for child in children:
                    self._supervise(child, now)
                time.sleep(POLL_SECONDS)
        finally:
            for child in children:
                if child.process is not None and child.process.poll() is None:
                    child.process.terminate()
            for child in children:
                if child.process is None:
                    continue
                try:
                    child.process.wait(timeout=STOP_TIMEOUT_SECONDS)
                except subprocess.TimeoutExpired:
                    child.process.kill()

    def _start(self, child: Child) -> None:
        child.process = subprocess.Popen(child.command, cwd=settings.BASE_DIR)  # noqa: S603 (our own commands)
        child.started_at = time.monotonic()
        child.restart_at = None
        self.stdout.write(f"started {child.name} (pid {child.process.pid})")
        self.stdout.flush()

    def _supervise(self, child: Child, now: float) -> None:
        if child.restart_at is not None:
            if now >= child.restart_at:
                child.restarts += 1
                self._start(child)
            return
        if child.process is None or child.process.poll() is None:
            return
        if now - child.started_at >= HEALTHY_RUN_SECONDS:
            child.delay = RESTART_DELAY_FIRST_SECONDS
        self.stderr.write(
            f"{child.name} stopped (exit {child.process.returncode}); starting it again in {child.delay:.0f} s."
        )
        child.restart_at = now + child.delay
        child.delay = min(child.delay * 2, RESTART_DELAY_MAX_SECONDS)


def web_command(python: str, options: dict[str, Any]) -> list[str]:
    return [
        python,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"{options['host']}:{options['port']}",
        "--workers",
        str(options["web_workers"]),
        # Threads: one slow client holds one thread at most, never a whole worker.
        "--worker-class",
        "gthread",
        "--threads",
        str(options["web_threads"]),
        "--timeout",
        "60",
        "--keep-alive",
        "5",
        "--access-logfile",
        "-",
        # Paths only: query strings can hold names typed into a search.
        "--access-logformat",
        '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms',
        "--forwarded-allow-ips",
        "127.0.0.1",
    ]
