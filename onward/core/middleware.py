import uuid
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from onward.core.context import RequestContext, reset_request_context, set_request_context

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def content_security_policy() -> str:
    """Our policy, with the map tile server (MAP_TILE_URL) allowed as an image source when one is set.

    A tile URL's "{s}." sub-domain placeholder allows that server's sub-domains.
    """
    tiles = urlsplit(getattr(settings, "MAP_TILE_URL", "") or "")
    if tiles.scheme not in ("https", "http") or not tiles.netloc:
        return CONTENT_SECURITY_POLICY
    host = tiles.netloc.replace("{s}.", "*.")
    return CONTENT_SECURITY_POLICY.replace("img-src 'self' data:", f"img-src 'self' data: {tiles.scheme}://{host}")


class RequestContextMiddleware:
    """Gives each request an id (or keeps the one a proxy sent) for logs and the audit trail."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if 8 <= len(incoming) <= 64 and incoming.isascii() else uuid.uuid4().hex
        ctx = RequestContext(
            request_id=request_id,
            ip_address=request.META.get("REMOTE_ADDR"),
            user_agent=request.headers.get("User-Agent", "")[:200],
        )
        request.request_id = request_id  # type: ignore[attr-defined]
        token = set_request_context(ctx)
        try:
            response = self.get_response(request)
        finally:
            reset_request_context(token)
        response["X-Request-ID"] = request_id
        return response


class SecurityHeadersMiddleware:
    """A content security policy with no inline script, and no caching of personal pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", content_security_policy())
        response.setdefault("Permissions-Policy", "camera=(self), microphone=(self), geolocation=(self)")
        if not request.path.startswith("/static/"):
            response.setdefault("Cache-Control", "no-store")
        return response


class NullCharacterMiddleware:
    """Refuses an address whose query holds a NUL character: 400, before any view reads it.

    No form or search needs one, and PostgreSQL cannot compare text with it (the query would fail with
    a server error). Pages get the plain 400 page; the API its 422 naming the field.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        bad = [key for key, values in request.GET.lists() if "\x00" in key or any("\x00" in v for v in values)]
        if not bad:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            # The API's own validation answer (422, naming each field), as for any other wrong query value.
            message = _("This has a character that is not allowed. Take it out and try again.")
            errors = [{"location": "query", "field": key.replace("\x00", ""), "message": message} for key in bad]
            detail = _("Some of what was sent is not right. Check the errors and try again.")
            return JsonResponse({"detail": detail, "errors": errors}, status=422)
        raise BadRequest("NUL character in the query string")
