"""Home, language, error pages and health checks."""

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.views.i18n import set_language as django_set_language

from onward.accounts.models import UserKind
from onward.core.health import readiness_checks
from onward.core.permissions import public


@public
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.is_authenticated:
        if user.kind == UserKind.PERSON:
            return redirect("people:person_home")
        if getattr(user, "is_verified", lambda: False)():
            return redirect("people:caseload")
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


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    try:
        return render(request, "core/500.html", status=500)
    except Exception:  # the error page itself must never fail: fall back to plain words
        return HttpResponseServerError(
            b"<!DOCTYPE html><title>Sorry</title><h1>Sorry, there is a problem with the service</h1>"
            b"<p>Try again later.</p>",
            content_type="text/html",
        )
