"""The API's answers carry a device's new token when its old one was replaced during the call."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from onward.api.auth import NEW_TOKEN_ATTRIBUTE, NEW_TOKEN_HEADER


class DeviceTokenRotationMiddleware:
    """Whatever the answer (even an error after sign-in), the device learns its new token."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        replacement = getattr(request, NEW_TOKEN_ATTRIBUTE, "")
        if replacement:
            response[NEW_TOKEN_HEADER] = replacement
            add_never_cache_headers(response)  # a secret: no cache may keep this answer
        return response
