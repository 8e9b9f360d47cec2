"""Compiled translations for tests run without `make` (which compiles them before the tests)."""

import runpy
from pathlib import Path

from django.conf import settings
from django.core.signals import setting_changed
from django.test import signals as _test_signals  # noqa: F401 - registers the receiver that clears the catalogues


def translations_compiled() -> None:
    """Compile any .po file whose .mo is missing or older, then have Django read the catalogues afresh."""
    root = Path(settings.BASE_DIR)
    stale = [po for po in (root / "locale").glob("*/LC_MESSAGES/*.po") if _needs_compiling(po)]
    if not stale:
        return
    runpy.run_path(str(root / "scripts" / "compile_messages.py"), run_name="__main__")
    # The same signal Django's test tools send when LOCALE_PATHS changes: it drops the cached catalogues.
    setting_changed.send(sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=False)


def _needs_compiling(po: Path) -> bool:
    mo = po.with_suffix(".mo")
    return not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime
