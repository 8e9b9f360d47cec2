"""`manage.py serve`, the real server of `make run`, started in a subprocess and spoken to over sockets.

Slow clients do not stall it, bodies over the limit are refused unread (announced or chunked), and a child
that dies is started again. No assertion depends on speed: timeouts are generous limits, not measurements.
"""

import contextlib
import os
import queue
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
BODY_LIMIT = 1024 * 1024  # a small limit for the test server, so a chunked body passes it quickly
DEADLINE_SECONDS = 120  # generous: the machine may be busy
ANSWER_TIMEOUT_SECONDS = 25  # the stall found by the outside test lasted 31 s


@dataclass
class Server:
    port: int
    process: subprocess.Popen[str]
    lines: "queue.Queue[str]"
    seen: list[str] = field(default_factory=list)

    def wait_for_line(self, pattern: str, after: int = 0) -> re.Match[str]:
        """The first line of serve's output (from line `after` on) matching `pattern`."""
        deadline = time.monotonic() + DEADLINE_SECONDS
        position = after
        while True:
            while position < len(self.seen):
                found = re.search(pattern, self.seen[position])
                position += 1
                if found:
                    return found
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"serve never printed {pattern!r}; it printed:\n" + "\n".join(self.seen[-40:]))
            try:
                self.seen.append(self.lines.get(timeout=min(remaining, 1.0)))
            except queue.Empty:
                continue

    def latest(self, pattern: str) -> re.Match[str]:
        """The last line printed so far that matches `pattern` (waiting for a first one if none has)."""
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        for line in reversed(self.seen):
            found = re.search(pattern, line)
            if found:
                return found
        return self.wait_for_line(pattern)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _request(port: int, raw: bytes, timeout: float = ANSWER_TIMEOUT_SECONDS) -> bytes:
    """Send `raw` and read the answer until the server closes or has sent its headers and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(raw)
        return _read_answer(sock)


def _read_answer(sock: socket.socket) -> bytes:
    answer = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        length = re.search(rb"(?i)content-length: *(\d+)", head)
        if length and len(body) >= int(length.group(1)):
            break
    return answer


def _get(port: int, path: str = "/healthz", timeout: float = ANSWER_TIMEOUT_SECONDS) -> bytes:
    return _request(port, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode(), timeout)


def _wait_until_answering(port: int) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        try:
            if _get(port, timeout=5).startswith(b"HTTP/1.1 200"):
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError("serve did not answer /healthz")
        time.sleep(0.5)


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("serve")
    database = folder / "onward.sqlite3"
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "CACHE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        ONWARD_PROFILE="development",
        ONWARD_VAR_DIR=str(folder),
        DEBUG="false",
        DATABASE_URL=f"sqlite:///{database}",
        REQUEST_BODY_MAX_BYTES=str(BODY_LIMIT),
        PYTHONUNBUFFERED="1",
    )
    if connection.vendor == "sqlite":
        # The tests' own database is migrated already: a copy saves migrating another.
        source_name = settings.DATABASES["default"]["NAME"]
        with django_db_blocker.unblock(), sqlite3.connect(source_name) as source, sqlite3.connect(database) as target:
            source.backup(target)
    else:
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([*manage, "createcachetable"], cwd=ROOT, env=env, check=True)
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port), "--web-workers", "2", "--web-threads", "4"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, so the teardown can stop every child it started
    )
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.rstrip("\n"))

    threading.Thread(target=pump, daemon=True).start()
    started = Server(port=port, process=process, lines=lines)
    try:
        started.wait_for_line(r"Onward is running")
        _wait_until_answering(port)
        yield started
    finally:
        process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # anything of ours left behind


def test_two_slow_connections_do_not_stall_the_site(server):
    slow = []
    try:
        for _ in range(2):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            sock.sendall(b"POST /me/sign-in/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Len")  # and then nothing more
            slow.append(sock)
        time.sleep(1)  # let the server take both before the normal request (not a measurement)
        assert _get(server.port).startswith(b"HTTP/1.1 200")
        assert _get(server.port).startswith(b"HTTP/1.1 200")
    finally:
        for sock in slow:
            sock.close()


def test_a_body_announced_over_the_limit_is_refused_unread(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=ANSWER_TIMEOUT_SECONDS) as sock:
        sock.sendall(
            b"POST /me/sign-in/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=synthetic\r\n"
            b"Content-Length: 1073741824\r\n\r\n--synthetic\r\n"  # announces 1 GiB, sends a few bytes
        )
        answer = _read_answer(sock)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"too large" in answer


def test_a_chunked_body_over_the_limit_is_refused(server):
    block = b"x" * 65536
    with socket.create_connection(("127.0.0.1", server.port), timeout=ANSWER_TIMEOUT_SECONDS) as sock:
        sock.sendall(
            b"POST /api/v1/me/check-ins/current HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        try:
            for _ in range(BODY_LIMIT // len(block) + 2):
                sock.sendall(b"%x\r\n%s\r\n" % (len(block), block))
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused while still sending: the answer is waiting
        answer = _read_answer(sock)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    head, _, body = answer.partition(b"\r\n\r\n")
    assert b"application/json" in head.lower()
    assert b'"detail"' in body


def test_a_small_chunked_body_reaches_the_application(server):
    body = b"{}"
    answer = _request(
        server.port,
        b"POST /api/v1/me/check-ins/current HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        + b"%x\r\n%s\r\n0\r\n\r\n"
        % (len(body), body),
    )
    status = int(answer.split(b" ", 2)[1])
    assert status != 413
    assert 400 <= status < 500  # not signed in: the API's own refusal, not the size check


@pytest.mark.parametrize("name", ["worker", "scheduler", "web"])
def test_a_child_that_dies_is_started_again(server, name):
    old = server.latest(rf"started {name} \(pid (\d+)\)")
    pid = int(old.group(1))
    mark = len(server.seen)
    os.kill(pid, signal.SIGKILL)
    server.wait_for_line(rf"{name} stopped", after=mark)
    new = server.wait_for_line(rf"started {name} \(pid (\d+)\)", after=mark)
    assert int(new.group(1)) != pid
    assert server.process.poll() is None
    _wait_until_answering(server.port)
