"""Screening a message against a word list in one pass, whatever the number of terms.

Words and phrases go into one Aho-Corasick automaton per word list (pyahocorasick), built once per
process and rebuilt when the list's revision changes. Text and terms are normalised the same way
(NFKD, accents dropped, casefolded, runs of space as one) so "CAFÉ" matches "cafe". Words and
phrases match whole words only. Patterns (phone numbers, bank details) are a fixed set of named
regular expressions, joined into one and run once per message.
"""

import re
import threading
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import ahocorasick
from django.utils.translation import gettext_lazy

from onward.messaging.models import Term, TermKind, WordList

PATTERNS: dict[str, str] = {
    # Regexes over normalised text; fixed here (not typed by staff) so none can backtrack badly.
    "uk_phone_number": r"(?<!\d)(?:\+44\s?|0)(?:\d[\s-]?){9,10}(?!\d)",
    "bank_sort_code": r"(?<!\d)\d{2}[\s-]\d{2}[\s-]\d{2}(?!\d)",
    "bank_account_number": r"(?<![\d-])\d{8}(?![\d-])",
    "email_address": r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    "web_address": r"(?:https?://|www\.)\S+",
}
SPACES = re.compile(r"\s+")
# What staff see when they choose a pattern for their list.
PATTERN_LABELS: dict[str, Any] = {
    "uk_phone_number": gettext_lazy("UK phone numbers"),
    "bank_sort_code": gettext_lazy("Bank sort codes"),
    "bank_account_number": gettext_lazy("Bank account numbers (8 digits)"),
    "email_address": gettext_lazy("Email addresses"),
    "web_address": gettext_lazy("Web addresses"),
}


@dataclass(frozen=True)
class Match:
    term: str
    kind: str
    category: str


@dataclass
class Screener:
    automaton: ahocorasick.Automaton | None
    patterns: re.Pattern[str] | None
    pattern_terms: dict[str, tuple[str, str]] = field(default_factory=dict)  # group name -> (term, category)

    def matches(self, text: str) -> list[Match]:
        normalised = normalise(text)
        found: dict[str, Match] = {}
        if self.automaton is not None:
            for end, (term, kind, category) in self.automaton.iter(normalised):
                start = end - len(term) + 1
                if _is_whole(normalised, start, end):
                    found.setdefault(term, Match(term, kind, category))
        if self.patterns is not None:
            for hit in self.patterns.finditer(normalised):
                name = hit.lastgroup or ""
                term, category = self.pattern_terms[name]
                found.setdefault(term, Match(term, TermKind.PATTERN, category))
        return list(found.values())


def normalise(text: str) -> str:
    """Case- and accent-insensitive form: NFKD, combining marks dropped, casefolded, one space between words."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return SPACES.sub(" ", text.casefold()).strip()


def screener_for(word_list: WordList | None) -> Screener:
    """The compiled screener for this list, from the process cache when its version has not changed."""
    if word_list is None:
        return EMPTY_SCREENER
    key = word_list.pk
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None and cached[0] == word_list.revision:
            return cached[1]
    screener = build_screener(Term.objects.filter(word_list=word_list).values_list("kind", "text", "category"))
    with _LOCK:
        _CACHE[key] = (word_list.revision, screener)
    return screener


def build_screener(terms: Iterable[tuple[str, str, str]]) -> Screener:
    automaton = ahocorasick.Automaton()
    pattern_parts: list[str] = []
    pattern_terms: dict[str, tuple[str, str]] = {}
    for kind, text, category in terms:
        if kind == TermKind.PATTERN:
            regex = PATTERNS.get(text)
            if regex is None:
                continue  # an unknown pattern name is refused when the term is saved; never crash screening
            group = f"p{len(pattern_parts)}"
            pattern_parts.append(f"(?P<{group}>{regex})")
            pattern_terms[group] = (text, category)
        else:
            key = normalise(text)
            if key:
                automaton.add_word(key, (key, kind, category))
    has_words = len(automaton) > 0
    if has_words:
        automaton.make_automaton()
    return Screener(
        automaton=automaton if has_words else None,
        patterns=re.compile("|".join(pattern_parts)) if pattern_parts else None,
        pattern_terms=pattern_terms,
    )


def screener_forget(word_list_id: int) -> None:
    with _LOCK:
        _CACHE.pop(word_list_id, None)


def _is_whole(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end + 1] if end + 1 < len(text) else " "
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")


EMPTY_SCREENER = Screener(automaton=None, patterns=None)
_CACHE: dict[int, tuple[uuid.UUID, Screener]] = {}
_LOCK = threading.Lock()
