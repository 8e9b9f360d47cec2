"""The JSON API at /api/v1/ (django-ninja), with its OpenAPI document at /api/v1/openapi.json.

Callers: a person's phone or tablet with a device token, staff with their browser session (second
factor given). Every operation declares its action with `onward.api.permissions.permission`;
tests/test_architecture.py walks them all. There is no interactive docs page: the document is enough.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError

from onward.api import (
    alerts,
    appointments,
    checkin_suitability,
    checkins,
    devices,
    directory,
    learning,
    library,
    licence,
    location,
    messaging,
    notifications,
    opportunities,
    people,
    people_import,
    reports,
    resettlement,
)
from onward.api.auth import DeviceTokenAuth, PersonOrStaffSessionAuth, StaffSessionAuth
from onward.api.errors import install_error_handlers
from onward.api.permissions import permission_checked_before_input
from onward.core.permissions import require

OPENAPI_PERMISSION = "account.signed_in"
_DOCUMENT_READERS = (DeviceTokenAuth(), PersonOrStaffSessionAuth())


def openapi_document_permission(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The OpenAPI document is a plain view, not an operation: it authenticates and checks here."""

    @require_safe
    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            caller = next(filter(None, (reader(request) for reader in _DOCUMENT_READERS)), None)
            if caller is None:
                raise AuthenticationError
            require(caller, OPENAPI_PERMISSION)
        except (HttpError, PermissionDenied) as refused:
            return api.on_exception(request, refused)
        return view(request, *args, **kwargs)

    checked.onward_permission = OPENAPI_PERMISSION  # type: ignore[attr-defined]
    return checked


api = NinjaAPI(
    title="Onward API",
    version="1",
    description=(
        "For a person's phone or tablet (device token: 'Authorization: Bearer onw_…'; tokens run out and are "
        "replaced as they are used: store the token an answer brings in the 'Onward-Device-Token' header, "
        "see the security scheme) and for staff "
        "(their signed-in browser session; calls that change something send the CSRF token as X-CSRFToken). "
        'Errors answer {"detail": "…"} in plain words; invalid input answers 422 with the fields that were wrong.'
    ),
    urls_namespace="api",
    auth=[DeviceTokenAuth(), StaffSessionAuth()],
    docs_url=None,
    docs_decorator=openapi_document_permission,
)
install_error_handlers(api)
# Before people: "/people/import" must not be read as "/people/{person_id}".
api.add_router("", people_import.router)
api.add_router("", people.router)
api.add_router("", licence.router)
api.add_router("", devices.router)
api.add_router("", appointments.router)
api.add_router("", alerts.router)
api.add_router("", location.router)
api.add_router("", location.staff_router)
api.add_router("", messaging.router)
api.add_router("", checkins.router)
api.add_router("", checkin_suitability.router)
api.add_router("", notifications.router)
api.add_router("", directory.router)
api.add_router("", learning.router)
api.add_router("", library.router)
api.add_router("", resettlement.router)
api.add_router("", opportunities.router)
api.add_router("", reports.router)
permission_checked_before_input(api)  # after every router: a refused caller gets 403 before any 422
