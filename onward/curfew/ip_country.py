"""Which country an internet address is in, for the "sent from outside the UK" spoofing signal.

No offline source of IP-to-country data ships with Onward (the databases we know of are either paid,
fetched at run time, or carry terms an operator must accept), so the default, `unknown`, knows nothing and
raises no flag. An operator plugs in their own lookup with the setting LOCATION_IP_COUNTRY_LOOKUP: a dotted
path to a function taking the address as text and answering an ISO 3166 two-letter code, or None.
"""

from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string


def unknown(ip: str) -> str | None:
    """The default: no data, so no country and no flag."""
    return None


def country_of(ip: str | None) -> str | None:
    if not ip:
        return None
    code = _lookup(settings.LOCATION_IP_COUNTRY_LOOKUP)(ip)
    return code.upper()[:2] if code else None


@lru_cache(maxsize=4)
def _lookup(path: str) -> Callable[[str], str | None]:
    function: Callable[[str], str | None] = import_string(path)
    return function
