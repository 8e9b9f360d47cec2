"""What a person's phone downloads the first time it opens their home page.

Seeds the demo data into a fresh database, serves it with gunicorn as `make run` does (debug off,
static files from the collected, compressed copies), and opens each demo person's home page in
headless Chromium with an empty cache. Counts the bytes transferred for every response the page
asked for (headers and compressed bodies, as the browser's network panel shows them).

Prints: person_home_first_load_kb (the heavier of the two demo people's home pages, kB = 1,000
bytes), person_home_first_load_requests, and each person's figure.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from typing import Any

from _setup import ROOT, django_with_fresh_database

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SERVER_START_SECONDS = 30


def main() -> None:
    django_with_fresh_database()
    from django.conf import settings
    from django.test import Client
    from onward.core.demo import DEMO_COMMUNITY_PHONE, DEMO_PRISON_NUMBER, demo_seed

    from onward.accounts.models import User

    demo_seed()
    people = {
        "custody": User.objects.get(person__prison_number=DEMO_PRISON_NUMBER),
        "community": User.objects.get(person__phone=DEMO_COMMUNITY_PHONE),
    }
    sessions = {}
    for name, user in people.items():
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        sessions[name] = client.cookies[settings.SESSION_COOKIE_NAME].value

    port = _free_port()
    server = _serve(port)
    try:
        results = {name: _first_load(port, session) for name, session in sessions.items()}
    finally:
        server.terminate()
        server.wait(timeout=10)
    heaviest = max(results.values(), key=lambda r: r[0])
    for name, (size, requests) in results.items():
        print(f"person_home_first_load_kb_{name} = {size / 1000:.1f}")
        print(f"person_home_first_load_requests_{name} = {requests}")
    print(f"person_home_first_load_kb = {heaviest[0] / 1000:.1f}")
    print(f"person_home_first_load_requests = {heaviest[1]}")


def _serve(port: int) -> subprocess.Popen[bytes]:
    """gunicorn on the bench's database, with debug off as under `make run`."""
    env = {**os.environ, "DEBUG": "false", "PORT": str(port)}
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def _first_load(port: int, session: str) -> tuple[int, int]:
    """Bytes transferred and responses for /me/ in a browser with nothing cached."""
    from django.conf import settings
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=["--no-sandbox"], headless=True)
        context = browser.new_context(base_url=base, viewport={"width": 360, "height": 740})
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])
        page = context.new_page()
        network = context.new_cdp_session(page)
        network.send("Network.enable")
        transferred: dict[str, int] = {}
        failed: list[str] = []

        def finished(event: dict[str, Any]) -> None:
            transferred[event["requestId"]] = int(event["encodedDataLength"])

        network.on("Network.loadingFinished", finished)
        network.on("Network.loadingFailed", lambda event: failed.append(event.get("errorText", "")))
        response = page.goto("/me/", wait_until="networkidle")
        if response is None or response.status != 200 or not page.url.endswith("/me/"):
            raise SystemExit(f"The person's home page did not open ({page.url})")
        browser.close()
    if failed:
        raise SystemExit(f"Requests failed: {failed}")
    return sum(transferred.values()), len(transferred)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


if __name__ == "__main__":
    main()
