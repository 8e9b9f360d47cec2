"""reverse_plain keeps the answers of reverse() for pages without arguments, and follows the URL configuration."""

from django.test import override_settings
from django.urls import path, reverse, set_script_prefix

from onward.core.addresses import reverse_plain


def test_reverse_plain_gives_what_reverse_gives() -> None:
    for name in ("people:caseload", "alerts:alert_list", "core:home", "admin:index"):
        assert reverse_plain(name) == reverse(name)


def _view(request):  # pragma: no cover - never called, only reversed
    raise AssertionError


urlpatterns = [path("elsewhere/", _view, name="elsewhere")]


@override_settings(ROOT_URLCONF=__name__)
def test_reverse_plain_follows_an_overridden_url_configuration() -> None:
    assert reverse_plain("elsewhere") == "/elsewhere/"


def test_reverse_plain_follows_the_script_prefix() -> None:
    set_script_prefix("/onward/")
    try:
        assert reverse_plain("core:home") == "/onward/"
    finally:
        set_script_prefix("/")
    assert reverse_plain("core:home") == "/"
