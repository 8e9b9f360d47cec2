"""Addresses of pages that take no arguments, worked out once per process (menus ask for dozens a page)."""

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def reverse_plain(name: str) -> str:
    """`reverse(name)` for a page without arguments, kept (the key includes the URL configuration in force)."""
    return _reverse_plain(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@lru_cache(maxsize=1024)
def _reverse_plain(name: str, prefix: str, urlconf: Any) -> str:
    return reverse(name, urlconf=urlconf)
