"""No link is shown that its reader may not follow (issue 12, point 6).

For each demo role (every staff role and both kinds of person, on the demo data of `manage.py seed_demo`)
this signs in as a user would, starts at the landing page and follows every same-site link it finds
(GET only), and asserts that each answers 200, or a redirect that ends at a page the same reader may
open: never 403, 404 or 500, and never a sign-in page they are already past.

It once caught the Onward logo for editors and administrators, which led to "You cannot see this page",
and "Book an appointment" shown to security staff on every record.

The crawl is bounded: addresses are grouped by shape (numbers taken out), and each shape is visited at
most a few times, so a caseload of sixty people costs a few records, not sixty.
"""

import re
from collections import Counter, deque
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.test import Client

from onward.accounts.services import person_account_ensure
from onward.accounts.tests.factories import totp_code
from onward.demo.seed import DEMO_COMMUNITY_PHONE, DEMO_PASSWORD, DEMO_PRISON_NUMBER, DEMO_STAFF, demo_seed
from onward.people.models import Person

# Links that end the visit or only hand over a file: checked for their answer, never read for more links.
NOT_FOLLOWED = re.compile(r"^/(sign-out|me/sign-out|static|media)/")
NOT_READ = ("application/pdf", "text/calendar", "text/csv", "application/json", "audio/", "video/", "image/")
SAME_SHAPE_LIMIT = 2
PAGE_LIMIT = 600
SIGN_IN = re.compile(r"^/(sign-in|me/sign-in|admin/login)/")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href") and "download" not in values:
            self.links.append(str(values["href"]))


def _links(page: str, base: str) -> list[str]:
    parser = _Links()
    parser.feed(page)
    found = []
    for href in parser.links:
        address, _fragment = urldefrag(urljoin("http://testserver" + base, href))
        parts = urlsplit(address)
        if parts.scheme in ("http", "https") and parts.netloc == "testserver" and parts.path:
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _shape(address: str) -> str:
    return re.sub(r"\d+", "N", address.split("?")[0])


def _follow(client: Client, address: str) -> tuple[int, str, Any]:
    """The answer at the end of the redirects (same site only), the address it came from, and the response."""
    response = client.get(address)
    hops = 0
    while response.status_code in (301, 302, 303, 307, 308) and hops < 5:
        location = urlsplit(urljoin("http://testserver" + address, response["Location"]))
        if location.netloc not in ("", "testserver"):
            return 200, address, response  # leaves the site: not ours to check
        address = location.path + (f"?{location.query}" if location.query else "")
        if SIGN_IN.match(address):
            return 401, address, response  # sent to sign in again: the reader may not follow it
        response = client.get(address)
        hops += 1
    return response.status_code, address, response


def crawl(client: Client, start: str = "/") -> tuple[dict[str, tuple[str, int]], int]:
    """Every link found from `start`, breadth first. Returns the links that failed (with a page that shows them)."""
    seen: set[str] = {start}
    shapes: Counter[str] = Counter()
    queue: deque[tuple[str, str]] = deque([(start, "(start)")])
    failures: dict[str, tuple[str, int]] = {}
    visited = 0
    while queue and visited < PAGE_LIMIT:
        address, shown_on = queue.popleft()
        visited += 1
        status, landed, response = _follow(client, address)
        if status != 200:
            failures[address] = (shown_on, status)
            continue
        if NOT_FOLLOWED.match(landed) or response.streaming:
            continue
        if any(kind in response.get("Content-Type", "") for kind in NOT_READ):
            continue
        for link in _links(response.content.decode(), landed):
            if link in seen or NOT_FOLLOWED.match(link):
                continue
            seen.add(link)
            shapes[_shape(link)] += 1
            if shapes[_shape(link)] <= SAME_SHAPE_LIMIT:
                queue.append((link, landed))
    return failures, visited


@pytest.fixture
def demo(db: None) -> None:
    assert demo_seed()


def _staff_signed_in(email: str) -> Client:
    from onward.demo.seed import demo_totp_device

    client = Client()
    assert client.post("/sign-in/", {"email": email, "password": DEMO_PASSWORD}).status_code == 302
    device = demo_totp_device(email)
    assert device is not None
    assert client.post("/sign-in/code/", {"code": totp_code(device)}).status_code == 302
    return client


def _person_signed_in(person: Person) -> Client:
    client = Client()
    client.force_login(person_account_ensure(person), backend="django.contrib.auth.backends.ModelBackend")
    return client


STAFF = [email for email, *_rest in DEMO_STAFF]


@pytest.mark.django_db
@pytest.mark.parametrize("email", STAFF)
def test_every_link_a_member_of_staff_is_shown_opens_for_them(demo, email):
    failures, visited = crawl(_staff_signed_in(email))
    assert visited > 3, "the crawl found too little to be worth anything"
    assert not failures, f"{email}: links that do not open: {failures}"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["in_custody", "in_the_community"])
def test_every_link_a_person_is_shown_opens_for_them(demo, who):
    person = (
        Person.objects.get(prison_number=DEMO_PRISON_NUMBER)
        if who == "in_custody"
        else Person.objects.get(phone=DEMO_COMMUNITY_PHONE)
    )
    failures, visited = crawl(_person_signed_in(person))
    assert visited > 3, "the crawl found too little to be worth anything"
    assert not failures, f"{who}: links that do not open: {failures}"


@pytest.mark.django_db
def test_the_crawl_reports_a_link_its_reader_may_not_follow(org, make_staff, staff_client):
    """The crawl itself can fail: a page that links somewhere refused is caught."""
    from onward.organisations.models import Role

    client = staff_client(make_staff(Role.PRACTITIONER, org["office_n"]))
    failures, _visited = crawl(client, start="/staff/audit/")
    assert failures == {"/staff/audit/": ("(start)", 403)}
