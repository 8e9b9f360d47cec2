"""Browser fixtures: headless Chromium through Playwright, a fresh context per test, and a live server.

Run after `manage.py collectstatic`: the live server serves static files through whitenoise from
STATIC_ROOT, as production does, so a stylesheet missing from the collected files fails the tests.
The checks each page must pass are in checks.py.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# Playwright's sync API runs an event loop in the test thread; the ORM refuses to run there otherwise.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.browser.checks import DESKTOP_VIEWPORT, watch_for_problems
from tests.translations import translations_compiled

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session", autouse=True)
def _translations() -> None:
    translations_compiled()


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """pytest-django's live server, with every request going through our middleware.

    Its default wrappers serve /static/ from the finders (which do not know the hashed names) and
    media from MEDIA_URL (which we do not have); unwrapped, whitenoise serves the collected files.
    """
    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = LiveServer(addr, start=False)
    server.thread.static_handler = _through_middleware
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM_PATH).exists():
        pytest.fail(f"The browser tests need Chromium at {CHROMIUM_PATH} (see scripts/ensure-chromium.sh).")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A fresh browser context (no cookies, no storage) for each test, at desktop size, in British English."""
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP_VIEWPORT, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    watch_for_problems(tab)
    yield tab
    context.close()


def _through_middleware(media_handler: Any) -> Any:
    return media_handler.application
