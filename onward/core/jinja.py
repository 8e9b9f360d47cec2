"""The Jinja2 environment for our pages: GOV.UK Frontend macros, Django's translations and URLs."""

from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader

from onward.core.navigation import person_navigation, staff_navigation


def environment(**options: Any) -> Environment:
    base_loader = options.pop("loader", None)
    options["extensions"] = [*options.get("extensions", []), "jinja2.ext.i18n", "jinja2.ext.do"]
    loaders = [PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")})]
    if base_loader is not None:
        loaders.insert(0, base_loader)
    options.pop("autoescape", None)  # always on, whatever the settings say
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
        }
    )
    env.filters["date"] = _date
    env.filters["local"] = _local
    return env


def _url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def _date(value: Any, fmt: str = "j F Y") -> str:
    return date_format(value, fmt) if value else ""


def _local(value: Any) -> Any:
    """An aware time in London time, for `date` to format (which shows a time in its own zone)."""
    return timezone.localtime(value) if value else value
