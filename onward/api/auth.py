"""Who is calling: a person's phone or tablet by device token, or a browser by its Django session.

A device token is only ever a person's. A browser session counts for staff only after their second
factor; a person's session counts only on the device routes, so the app can add its first device.
Session calls that change something must carry the CSRF token, as forms do.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from onward.accounts.actors import PersonUser, StaffUser
from onward.accounts.models import User
from onward.accounts.services import device_token_use
from onward.core.actors import UserKind, staff_verified

BEARER_PREFIX = "bearer "
# The answer to a call whose device token was replaced carries the new one here (see DeviceTokenAuth).
NEW_TOKEN_HEADER = "Onward-Device-Token"  # noqa: S105 - a header name, not a secret
NEW_TOKEN_ATTRIBUTE = "onward_new_device_token"  # noqa: S105 - an attribute name


class DeviceTokenAuth(HttpBearer):
    """`Authorization: Bearer onw_…`, a token a person made for their phone or tablet.

    Tokens expire and are replaced as they are used: see `openapi_description`.
    """

    openapi_description = (
        "A device token, 'Bearer onw_…'. It stops working when it was not used for a while (10 minutes "
        "for a person in custody, 14 days otherwise, by default) and at the end of its lifetime (12 hours in "
        "custody, 90 days otherwise); the person then signs in and adds the device again. It is also "
        "replaced as it is used: when an answer carries the header 'Onward-Device-Token', store that "
        "token and send it from the next call on. The old token keeps working for 2 minutes (calls "
        "already on their way are safe, and each of them answers with the same new token); after that, "
        "using it again stops the device. A 401 answer means sign in again."
    )

    def __call__(self, request: HttpRequest) -> Any | None:
        # Ninja's own parser logs an unexpected header whole in DEBUG; a header can carry a password.
        scheme, _space, token = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != self.openapi_scheme:
            return None
        return self.authenticate(request, token)

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        use = device_token_use(token.strip())
        if use is None or use.user.kind != UserKind.PERSON:
            return None  # staff never sign in by device token, whatever a database row says
        if use.replacement:
            setattr(request, NEW_TOKEN_ATTRIBUTE, use.replacement)
        return use.user


class StaffSessionAuth(APIKeyCookie):
    """The browser's Django session of a member of staff who has given their second factor."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if request.headers.get("Authorization", "").lower().startswith(BEARER_PREFIX):
            return None  # a caller that sent a token is judged by the token alone, never by a cookie beside it
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        user = request.user
        if not key or not user.is_authenticated or not self.accepts(user):
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, _("This request had no valid CSRF token. Send the page's token as X-CSRFToken."))
        return user

    def accepts(self, user: Any) -> bool:
        return getattr(user, "kind", None) == UserKind.STAFF and staff_verified(user)


class PersonOrStaffSessionAuth(StaffSessionAuth):
    """A browser session of staff (second factor given) or of a person, for the few routes a person's app needs."""

    def accepts(self, user: Any) -> bool:
        return getattr(user, "kind", None) == UserKind.PERSON or super().accepts(user)


def api_caller(request: HttpRequest) -> Any:
    """The user an authentication class accepted for this request (None before authentication)."""
    return getattr(request, "auth", None)


def api_user(request: HttpRequest) -> StaffUser | PersonUser:
    """The caller of an operation that passed its `@permission` check, typed for the services it calls."""
    user = api_caller(request)
    if not isinstance(user, User):  # no caller at all, whom `@permission` has already turned away
        raise PermissionDenied
    return user
