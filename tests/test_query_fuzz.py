"""Nonsense in the address bar never gives a server error.

Signed in as each demo role and as both demo people, the test follows every link from the landing page
(one page per URL pattern), notes which query parameters each page reads, and asks for the page again
with each of them set to nonsense. Every answer must be below 500; a 400 must say what was wrong.
"""

import re
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import Resolver404, resolve
from onward.core.demo import (
    DEMO_COMMUNITY_PHONE,
    DEMO_PASSWORD,
    DEMO_PRISON_NUMBER,
    DEMO_STAFF,
    demo_seed,
    demo_totp_device,
)

from onward.accounts.models import User
from onward.accounts.tests.factories import totp_code
from onward.core.navigation import staff_landing
from onward.people.models import Person

pytestmark = pytest.mark.django_db

NONSENSE = [
    "2026-02-30",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "-1",
    "-99999999999999999999999999",
    "0",
    "99999999999999999999999999",
    "1e309",
    "abc",
    "",
    " ",
    "'\"<script>",
    "\x00",
    "../../etc/passwd",
    "x" * 3000,
]
# Not crawled: signing out ends the session; the Django admin is its own (and is being replaced).
SKIP_PREFIXES = ("/sign-out/", "/language/", "/admin/", "/static/", "/api/")
PAGES_MAX = 400
PLAIN_400 = "Sorry, we could not understand that address"
# Every demo role and both demo people.
WHO = [email for email, *_ in DEMO_STAFF] + ["person in custody", "person on licence"]


def test_nonsense_query_parameters_never_give_a_server_error(db: None) -> None:
    assert demo_seed()
    failures, tried = [], set()
    for who in WHO:
        client = _signed_in(who)
        for route, path, keys in _pages(client, who):
            # Each parameter of each page once, by the first reader who reaches it.
            for key in [key for key in keys if (route, key) not in tried]:
                tried.add((route, key))
                for value in NONSENSE:
                    url = f"{path}?{urlencode({key: value})}"
                    response = client.get(url)
                    if response.status_code >= 500:
                        failures.append(f"{response.status_code} for {url[:120]} (as {who})")
                    elif response.status_code == 400 and not _explained(response.content.decode()):
                        failures.append(f"400 with neither the plain page nor an error summary for {url[:120]}")
    assert len(tried) >= 30, f"The crawl found too few parameters to be a real test: {sorted(tried)}"
    assert not failures, "\n".join(failures)


# --- helpers -------------------------------------------------------------------------------------


def _explained(html: str) -> bool:
    """A 400 is the plain "could not understand that address" page, or the form with what to correct."""
    return PLAIN_400 in html or "govuk-error-summary" in html


def _signed_in(who: str) -> Client:
    client = Client(raise_request_exception=False)  # a server error is counted, not raised
    if who.startswith("person"):
        person = (
            Person.objects.get(prison_number=DEMO_PRISON_NUMBER)
            if who == "person in custody"
            else Person.objects.get(phone=DEMO_COMMUNITY_PHONE)
        )
        client.force_login(User.objects.get(person=person), backend="django.contrib.auth.backends.ModelBackend")
        return client
    assert client.post("/sign-in/", {"email": who, "password": DEMO_PASSWORD}).status_code == 302
    assert client.post("/sign-in/code/", {"code": totp_code(demo_totp_device(who))}).status_code == 302
    return client


def _pages(client: Client, who: str) -> Iterator[tuple[tuple[str, str | None], str, list[str]]]:
    """Each page the client reaches by links (one per URL pattern), with the query parameters it reads."""
    start = "/me/" if who.startswith("person") else staff_landing(User.objects.get(username=who))
    queue: deque[str] = deque([start])
    seen_routes: set[tuple[str, str | None]] = set()
    while queue and len(seen_routes) < PAGES_MAX:
        path = queue.popleft()
        try:
            match = resolve(path)
        except Resolver404:
            continue
        route = (match.route, match.url_name)
        if route in seen_routes:
            continue
        seen_routes.add(route)
        with _reading_recorded() as read:
            # One parameter nobody reads, so that forms bound to `request.GET or None` are bound.
            response = client.get(path, {"onward_probe": "1"})
        if response.status_code in (301, 302):
            queue.extend(_links(f'href="{response["Location"]}"', path))
            seen_routes.discard(route)  # a page that sends this reader elsewhere is not their page
            continue
        if response.status_code != 200:
            continue
        yield route, path, sorted(read - {"onward_probe"})
        if response.get("Content-Type", "").startswith("text/html"):
            queue.extend(_links(response.content.decode(), path))


def _links(html: str, base: str) -> list[str]:
    found = []
    for href in re.findall(r'href="([^"#]+)', html):
        parts = urlsplit(urljoin(base, href.replace("&amp;", "&")))
        if parts.netloc and parts.netloc != "testserver":
            continue
        if parts.path.startswith(SKIP_PREFIXES) or not parts.path.startswith("/"):
            continue
        found.append(parts.path)
    return found


@contextmanager
def _reading_recorded() -> Iterator[set[str]]:
    """Records the keys read from any query dictionary while it is open."""
    read: set[str] = set()
    saved = {name: getattr(QueryDict, name) for name in ("get", "getlist", "__getitem__", "__contains__")}

    def recording(method: Any) -> Any:
        def recorded(query: QueryDict, key: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(key, str):
                read.add(key)
            return method(query, key, *args, **kwargs)

        return recorded

    for name, method in saved.items():
        setattr(QueryDict, name, recording(method))
    try:
        yield read
    finally:
        for name, method in saved.items():
            setattr(QueryDict, name, method)
