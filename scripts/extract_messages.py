"""Extract the strings to translate into locale/<language>/LC_MESSAGES/django.po, keeping translations made.

Django's makemessages cannot read Jinja2, so Babel reads our Python (`_`, `gettext`, `ngettext` and
their lazy forms) and our templates (jinja2.ext.i18n, newstyle gettext). Translations already in the
.po file are kept; strings no longer used are dropped. Then run scripts/compile_messages.py.

    .venv/bin/python scripts/extract_messages.py           # update the .po files
    .venv/bin/python scripts/extract_messages.py --check   # exit 1 if a .po file is out of date
"""

import argparse
import re
import sys
import tomllib
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("cy",)
DOMAIN = "django"
PROJECT = "Onward"
HEADER_COMMENT = (
    "# Translations of Onward's person-facing pages. Staff-only strings may stay untranslated.\n"
    "# This file is distributed under the same license as the Onward project (MIT).\n"
    "#"
)
# The same plural rule as Django's own Welsh catalogue, so Django merges the two into one.
PLURAL_FORMS = {"cy": "nplurals=4; plural=(n==1) ? 0 : (n==2) ? 1 : (n != 8 && n != 11) ? 2 : 3;"}

METHOD_MAP = [
    ("onward/**/migrations/**", "ignore"),
    ("onward/**/tests/**", "ignore"),
    ("onward/**.py", "python"),
    ("onward/templates/**.html", "jinja2"),
]
OPTIONS_MAP = {
    # Our environment adds jinja2.ext.do; not silent, so a template Babel cannot parse stops the run.
    "onward/templates/**.html": {"extensions": "jinja2.ext.do", "newstyle_gettext": "true", "silent": "false"},
}
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "gettext_lazy": None,
    "gettext_noop": None,
    "_noop": None,
    "ngettext_lazy": (1, 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
# Lines that change on every run; left out when deciding whether a file changed.
VOLATILE_HEADER = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"$', re.MULTILINE)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report out-of-date .po files; change nothing")
    args = parser.parse_args()
    template = extract_template()
    stale = []
    for locale in LOCALES:
        path = ROOT / "locale" / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
        old = path.read_bytes() if path.exists() else b""
        new = merged_po(template, locale, old)
        if _comparable(new) == _comparable(old):
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(new)
    for path in stale:
        print(f"{'Out of date' if args.check else 'Updated'}: {path.relative_to(ROOT)}")  # noqa: T201
    untranslated = {
        locale: _untranslated(ROOT / "locale" / locale / "LC_MESSAGES" / f"{DOMAIN}.po") for locale in LOCALES
    }
    for locale, count in untranslated.items():
        print(f"{locale}: {count} strings without a translation (staff-only strings may stay so)")  # noqa: T201
    return 1 if args.check and stale else 0


def extract_template() -> Catalog:
    template = Catalog(project=PROJECT, fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT,
        method_map=METHOD_MAP,
        options_map=OPTIONS_MAP,
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def merged_po(template: Catalog, locale: str, existing: bytes) -> bytes:
    if existing:
        catalog = read_po(BytesIO(existing), locale=locale, domain=DOMAIN)
    else:
        catalog = Catalog(
            locale=locale,
            domain=DOMAIN,
            header_comment=HEADER_COMMENT,
            project=PROJECT,
            version=tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"],
            last_translator="Onward contributors",
            language_team=f"{locale}",
            fuzzy=False,
        )
        headers = [(k, v) for k, v in catalog.mime_headers if k != "Plural-Forms"]
        catalog.mime_headers = [*headers, ("Plural-Forms", PLURAL_FORMS[locale])]
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    catalog.obsolete.clear()
    out = BytesIO()
    write_po(out, catalog, width=100, include_lineno=False, ignore_obsolete=True, sort_by_file=False)
    return out.getvalue()


def _comparable(po: bytes) -> str:
    return VOLATILE_HEADER.sub("", po.decode("utf-8"))


def _untranslated(path: Path) -> int:
    if not path.exists():
        return 0
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return sum(1 for message in catalog if message.id and not _translated(message.string))


def _translated(string: str | tuple[str, ...] | list[str] | None) -> bool:
    """A singular string, or every plural form, is filled in."""
    if isinstance(string, tuple | list):
        return all(string)
    return bool(string)


if __name__ == "__main__":
    sys.exit(main())
