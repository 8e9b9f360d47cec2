"""Error answers in plain words, declared on every operation and given by the API's exception handlers.

Every error body has a `detail` a person can read; a validation error adds the fields that were wrong.
"""

from collections.abc import Sequence
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

UNAUTHENTICATED = 401
FORBIDDEN = 403
NOT_FOUND = 404
UNPROCESSABLE = 422
BAD_REQUEST = 400
ERROR_STATUSES = (BAD_REQUEST, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, UNPROCESSABLE)


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    location: str  # query, path or body
    field: str
    message: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


def responses(success: dict[int, Any], *errors: int) -> dict[int, Any]:
    """The answers an operation declares: its success, 401 and 403 always, and the other errors it can give."""
    declared: dict[int, Any] = dict(success)
    for status in sorted({UNAUTHENTICATED, FORBIDDEN, *errors}):
        if status not in ERROR_STATUSES:
            raise ValueError(f"{status} is not an error status this API gives.")
        declared[status] = ValidationErrorOut if status == UNPROCESSABLE else ErrorOut
    return declared


def install_error_handlers(api: NinjaAPI) -> None:
    """Django's PermissionDenied becomes 403 and Http404 one plain 404; ninja's own errors get our words."""
    api.add_exception_handler(AuthenticationError, partial(_unauthenticated, api=api))
    api.add_exception_handler(PermissionDenied, partial(_forbidden, api=api))
    api.add_exception_handler(Http404, partial(_not_found, api=api))
    api.add_exception_handler(ValidationError, partial(_invalid, api=api))
    api.add_exception_handler(HttpError, partial(_http_error, api=api))
    # A body too large, with too many fields, or a broken multipart: Django raises these while reading it.
    api.add_exception_handler(SuspiciousOperation, partial(_unreadable, api=api))
    api.add_exception_handler(MultiPartParserError, partial(_unreadable, api=api))


def _unauthenticated(request: HttpRequest, exc: Exception, *, api: NinjaAPI) -> HttpResponse:
    detail = _(
        "Sign in first. A phone or tablet sends its device token as 'Authorization: Bearer …'; "
        "in a browser, sign in to Onward (staff with their authenticator code)."
    )
    response = api.create_response(request, {"detail": detail}, status=UNAUTHENTICATED)
    response["WWW-Authenticate"] = 'Bearer realm="Onward"'
    return response


def _forbidden(request: HttpRequest, exc: Exception, *, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, {"detail": _("You do not have permission to do this.")}, status=FORBIDDEN)


def _not_found(request: HttpRequest, exc: Exception, *, api: NinjaAPI) -> HttpResponse:
    # One answer whether a thing does not exist or is not the caller's to see, so ids cannot be probed.
    return api.create_response(request, {"detail": _("Not found.")}, status=NOT_FOUND)


def _invalid(request: HttpRequest, exc: Exception, *, api: NinjaAPI) -> HttpResponse:
    assert isinstance(exc, ValidationError)
    errors = [_field_error(error) for error in exc.errors]
    detail = _("Some of what was sent is not right. Check the errors and try again.")
    return api.create_response(request, {"detail": detail, "errors": errors}, status=UNPROCESSABLE)


def _http_error(request: HttpRequest, exc: Exception, *, api: NinjaAPI) -> HttpResponse:
    assert isinstance(exc, HttpError)
    detail = str(exc)
    if exc.status_code == BAD_REQUEST and detail.startswith("Cannot parse request body"):
        detail = _('The request body must be JSON, like {"name": "My phone"}.')
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


def _unreadable(request: HttpRequest, exc: Exception, *, api: NinjaAPI) -> HttpResponse:
    if isinstance(exc, RequestDataTooBig):
        detail = _("What you sent is too large.")
    else:
        detail = _("What you sent could not be read. Check its format and try again.")
    return api.create_response(request, {"detail": detail}, status=BAD_REQUEST)


def _field_error(error: dict[str, Any]) -> dict[str, str]:
    location: Sequence[Any] = error.get("loc", ())
    source = str(location[0]) if location else ""
    path = [str(part) for part in location[1:]]
    if source == "body":
        path = path[1:]  # ninja names the body after the view's parameter; callers know only the fields in it
    return {"location": source, "field": ".".join(path), "message": str(error.get("msg", ""))}
