"""The Jinja2 environment for our pages: GOV.UK Frontend macros, Django's translations and URLs."""

import os
import sys
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, Undefined

from onward.core.addresses import reverse_plain
from onward.core.navigation import person_navigation, staff_navigation
from onward.core.pagination import pagination_params


def environment(**options: Any) -> Environment:
    base_loader = options.pop("loader", None)
    options["extensions"] = [*options.get("extensions", []), "jinja2.ext.i18n", "jinja2.ext.do"]
    loaders = [PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")})]
    if base_loader is not None:
        loaders.insert(0, base_loader)
    options.pop("autoescape", None)  # always on, whatever the settings say
    if isinstance(options.get("undefined"), str):
        options["undefined"] = import_string(options["undefined"])
    env = Environment(loader=ChoiceLoader(loaders), autoescape=True, **options)
    env.install_gettext_translations(translation, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        {
            "static": static,
            "url": _url,
            "service_name": settings.ONWARD_SERVICE_NAME,
            "languages": settings.LANGUAGES,
            "get_language": translation.get_language,
            "get_messages": get_messages,
            "staff_navigation": staff_navigation,
            "person_navigation": person_navigation,
            "pagination": pagination_params,
        }
    )
    env.filters["date"] = _date
    env.filters["local"] = _local
    return env


def _url(name: str, *args: Any, **kwargs: Any) -> str:
    if not args and not kwargs:
        return reverse_plain(name)
    return reverse(name, args=args or None, kwargs=kwargs or None)


def _date(value: Any, fmt: str = "j F Y") -> str:
    return date_format(value, fmt) if value else ""


def _local(value: Any) -> Any:
    """An aware time in London time, for `date` to format (which shows a time in its own zone)."""
    return timezone.localtime(value) if value else value


class LoudUndefined(Undefined):
    """The test profile's undefined value: printing or looping over a value our own template was never
    given fails loudly (it printed as nothing, or as Jinja's debugging text, before). GOV.UK Frontend's
    macros print optional parameters that are absent by design, so inside them it prints nothing."""

    __slots__ = ()

    def __str__(self) -> str:
        if _inside_govuk_frontend():
            return ""
        self._fail_with_undefined_error()

    def __iter__(self) -> Any:
        if _inside_govuk_frontend():
            return iter(())
        self._fail_with_undefined_error()


def _inside_govuk_frontend() -> bool:
    """Whether the nearest template on the call stack is one of GOV.UK Frontend's macros."""
    frame = sys._getframe(2)
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename.endswith(".html"):
            return f"{os.sep}govuk_frontend_jinja{os.sep}" in filename
        frame = frame.f_back  # type: ignore[assignment]
    return False
