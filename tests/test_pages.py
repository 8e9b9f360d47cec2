import re
from pathlib import Path

import pytest
from django.test import Client, RequestFactory

from onward.core.views import error_500
from onward.people.tests.factories import PersonFactory


@pytest.mark.django_db
def test_not_found_page_is_in_the_service_style():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert "govuk-template" in body


@pytest.mark.django_db
def test_forbidden_page_is_in_the_service_style(org, person_client):
    client = person_client(PersonFactory(unit=org["wing_a"]))
    response = client.get("/staff/")
    assert response.status_code == 403
    assert "You cannot see this page" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("date", ["2026-02-30", "0001-01-01", "9999-12-31", "yesterday"])
def test_a_date_that_cannot_be_understood_answers_the_plain_400_page(org, make_staff, staff_client, date):
    from onward.organisations.models import Role

    client = staff_client(make_staff(Role.PRACTITIONER, org["office_n"]))
    client.raise_request_exception = False
    for view in ("day", "week"):
        response = client.get("/staff/appointments/", {"date": date, "view": view})
        assert response.status_code == 400
        body = response.content.decode()
        assert "Sorry, we could not understand that address" in body
        assert "govuk-template" in body
    assert client.get("/staff/appointments/", {"date": "2026-02-28"}).status_code == 200


def test_server_error_page_renders_even_without_middleware():
    response = error_500(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "problem with the service" in response.content.decode()


@pytest.mark.django_db
def test_security_headers_and_no_inline_script(org, person_client):
    response = person_client(PersonFactory(unit=org["wing_a"])).get("/me/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cache-Control"] == "no-store"
    assert response["X-Request-ID"]
    body = response.content.decode()
    assert "<script>" not in body
    assert '<script type="module" src="/static/' in body


@pytest.mark.django_db
def test_sessions_end_after_idle_time(org, person_client, settings, monkeypatch):
    # The clock is moved on, not waited for: a sleep against a one-second session failed on a busy machine.
    from datetime import timedelta

    from django.utils import timezone

    client = person_client(PersonFactory(unit=org["wing_a"]))
    assert client.get("/me/").status_code == 200
    real_now = timezone.now
    age = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    minute = timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: real_now() + age - minute)
    assert client.get("/me/").status_code == 200, "still inside the idle time: the session goes on"
    monkeypatch.setattr(timezone, "now", lambda: real_now() + age - minute + age + minute)
    response = client.get("/me/")
    assert response.status_code == 302, "the last request renewed the idle time, which has now run out"
    assert "sign-in" in response["Location"]


@pytest.mark.django_db
def test_health_endpoints(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert set(ready["checks"]) == {"database", "cache", "storage", "worker"}
    assert ready["checks"]["database"]["ok"] is True
    assert ready["checks"]["cache"]["ok"] is True
    assert ready["checks"]["storage"]["ok"] is True


@pytest.mark.parametrize("name", ["govuk/govuk-frontend.min.css", "govuk/govuk-frontend.min.js", "onward/onward.css"])
def test_stylesheets_and_scripts_go_compressed_under_their_hashed_names(client, name):
    # GOV.UK Frontend's CSS and JS were once sent uncompressed (183 KB of a person's first 204 KB).
    from django.templatetags.static import static

    url = static(name)
    assert url != f"/static/{name}", "static() should give the hashed name, which can be cached for good"
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] in ("gzip", "br")
    assert "immutable" in response["Cache-Control"]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert len(body) < 20_000


PUBLIC_SERVICE_PAGES = {
    "/privacy/": "Privacy notice",
    "/accessibility/": "Accessibility statement",
    "/cookies/": "Cookies",
    "/help/": "Help and contact",
    "/help/check-ins/": "Checking in from your phone",
}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/sign-in/", "/me/sign-in/", "/no-such-page/"])
def test_every_footer_links_the_pages_a_public_service_must_have(client, path):
    body = client.get(path).content.decode()
    footer = body[body.index("<footer") :]
    for page in PUBLIC_SERVICE_PAGES:
        assert f'href="{page}"' in footer


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "heading"), PUBLIC_SERVICE_PAGES.items())
def test_the_public_service_pages_open_for_anyone_in_english_and_welsh(client, org, person_client, path, heading):
    from onward.people.tests.factories import PersonFactory

    response = client.get(path)
    assert response.status_code == 200
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in response.content.decode()
    assert person_client(PersonFactory(unit=org["wing_a"])).get(path).status_code == 200
    client.cookies["django_language"] = "cy"
    welsh = client.get(path, HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert '<html lang="cy"' in welsh
    assert heading not in welsh  # translated


@pytest.mark.django_db
def test_the_privacy_notice_gives_the_retention_settings_real_values(client, settings):
    settings.CHECKIN_RETENTION_MATCH_DAYS = 9
    settings.CHECKIN_RETENTION_CONCERN_DAYS = 6 * 365
    body = client.get("/privacy/").content.decode()
    for what in ("face", "video", "voice", "where your phone is", "Data Protection Act 2018", "ico.org.uk"):
        assert what in body
    periods = re.findall(r'data-testid="period">([^<]+)<', body)
    assert "9 days" in periods
    assert "6 years" in periods
    assert f"{settings.RETENTION_NOTIFICATIONS_DAYS // 365} year" in body


@pytest.mark.django_db
def test_check_in_guidance_says_a_technical_problem_is_never_a_breach(client):
    body = client.get("/help/check-ins/").content.decode()
    assert "A technical problem is never a breach of your licence by itself." in body


PUBLIC_TEMPLATES = ["core/pages", "core/400.html", "layouts/base.html", "layouts/public.html"]


def test_every_word_on_the_public_service_pages_has_welsh():
    import polib
    from babel.messages.extract import extract_from_file
    from django.conf import settings

    templates = Path(settings.BASE_DIR) / "onward" / "templates"
    files = [p for name in PUBLIC_TEMPLATES for p in sorted((templates / name).glob("*.html")) or [templates / name]]
    options = {"extensions": "jinja2.ext.do", "newstyle_gettext": "true", "silent": "false"}
    msgids = {
        message if isinstance(message, str) else message[0]
        for path in files
        for _line, message, _comments, _context in extract_from_file("jinja2", str(path), options=options)
    }
    catalogue = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES" / "django.po"))
    welsh = {entry.msgid: entry for entry in catalogue if not entry.obsolete and not entry.fuzzy}
    missing = sorted(m for m in msgids if m not in welsh or not (welsh[m].msgstr or welsh[m].msgstr_plural))
    assert not missing, f"No Welsh yet for: {missing}"
