"""Home, language, error pages, health checks, and the installed web app's manifest and service worker."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.i18n import set_language as django_set_language

from onward.core.health import readiness_checks
from onward.core.navigation import staff_landing
from onward.core.permissions import public


@public
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.is_authenticated:
        if getattr(user, "kind", None) == "person":  # as in navigation.py: core does not import accounts
            return redirect("people:person_home")
        if getattr(user, "is_verified", lambda: False)():
            # Where their work starts: the caseload for casework, the library for editors, and so on.
            return redirect(staff_landing(user))
    return render(request, "core/start.html")


@public
def set_language(request: HttpRequest) -> HttpResponse:
    return django_set_language(request)


@public
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@public
def readyz(request: HttpRequest) -> JsonResponse:
    checks = readiness_checks()
    ready = all(c["ok"] for c in checks.values())
    return JsonResponse({"status": "ready" if ready else "not ready", "checks": checks}, status=200 if ready else 503)


@public
def web_app_manifest(request: HttpRequest) -> JsonResponse:
    """What a phone needs to install Onward as an app: its name, icons, colours and first page."""
    manifest = {
        "id": "/",
        "name": settings.ONWARD_SERVICE_NAME,
        "short_name": settings.ONWARD_SERVICE_NAME,
        "description": _("Your appointments, messages and check-ins."),
        "lang": get_language() or settings.LANGUAGE_CODE,
        "start_url": reverse("people:person_home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1d70b8",
        "icons": [
            {"src": static("onward/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("onward/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {
                "src": static("onward/icon-maskable-192.png"),
                "sizes": "192x192",
                "type": "image/png",
                "purpose": "maskable",
            },
            {
                "src": static("onward/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": static("onward/favicon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
        ],
    }
    response = JsonResponse(manifest, content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


@public
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, from the site root so it may control every page. Browsers check it for updates."""
    response = render(
        request,
        "core/service-worker.js",
        {
            "icon_url": static("onward/icon-192.png"),
            "home_url": reverse("core:home"),
            "library_offline_url": static("onward/library-offline.js"),
            "library_offline_text": {
                "lang": "cy" if get_language() == "cy" else "en-GB",
                "title": _("Offline"),
                "heading": _("You are offline"),
                "body": _("This page has not been saved on this device. Try again when you are connected."),
            },
            "sign_out_url": reverse("accounts:sign_out"),
        },
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


# --- Pages a public service must have: anyone may read them, signed in or not --------------------


@public
def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice. The periods are the retention settings themselves, so they cannot drift."""
    periods = [
        (_("Check-in photos and videos, when staff decided they showed you"), settings.CHECKIN_RETENTION_MATCH_DAYS),
        (
            _("Check-in photos and videos, when staff decided they did not show you"),
            settings.CHECKIN_RETENTION_NO_MATCH_DAYS,
        ),
        (_("Check-in photos and videos, when staff had a concern"), settings.CHECKIN_RETENTION_CONCERN_DAYS),
        (
            _("Check-in photos and videos that nobody looked at, after the check-in ended"),
            settings.CHECKIN_RETENTION_UNREVIEWED_DAYS,
        ),
        (_("Messages you started but did not send"), settings.MESSAGING_DRAFT_RETENTION_DAYS),
        (_("Records of each time someone signed in, or tried to"), settings.RETENTION_SIGN_IN_ATTEMPTS_DAYS),
        (_("Sign-in codes and links, once used or out of date"), settings.RETENTION_SPENT_CODES_DAYS),
        (_("Text messages, emails and notifications we sent you"), settings.RETENTION_NOTIFICATIONS_DAYS),
    ]
    return render(
        request,
        "core/pages/privacy.html",
        {"periods": [(what, _period(days)) for what, days in periods], **_contact()},
    )


@public
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/pages/accessibility.html", _contact())


@public
def cookies(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/pages/cookies.html",
        {
            "session_cookie": settings.SESSION_COOKIE_NAME,
            "csrf_cookie": settings.CSRF_COOKIE_NAME,
            "language_cookie": settings.LANGUAGE_COOKIE_NAME,
            "idle_minutes": settings.SESSION_IDLE_MINUTES,
            "custody_idle_minutes": settings.CUSTODY_SESSION_IDLE_MINUTES,
        },
    )


@public
def help_and_contact(request: HttpRequest) -> HttpResponse:
    return render(request, "core/pages/help.html", _contact())


@public
def checkin_guidance(request: HttpRequest) -> HttpResponse:
    return render(request, "core/pages/checkin_guidance.html", {"window_hours": settings.CHECKIN_WINDOW_HOURS})


def _contact() -> dict[str, Any]:
    return {"contact_email": settings.SERVICE_CONTACT_EMAIL}


def _period(days: int) -> str:
    """28 days, or 6 years when it is a whole number of years."""
    if days >= 365 and days % 365 == 0:
        years = days // 365
        return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


# --- Error pages ---------------------------------------------------------------------------------


API_PREFIX = "/api/"


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):  # the API answers JSON, even when Django refuses before it runs
        return JsonResponse({"detail": _("What you sent could not be read.")}, status=400)
    return render(request, "core/400.html", status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": _("Sorry, there is a problem with the service. Try again later.")}, status=500)
    try:
        return render(request, "core/500.html", status=500)
    except Exception:  # the error page itself must never fail: fall back to plain words
        return HttpResponseServerError(
            b"<!DOCTYPE html><title>Sorry</title><h1>Sorry, there is a problem with the service</h1>"
            b"<p>Try again later.</p>",
            content_type="text/html",
        )
