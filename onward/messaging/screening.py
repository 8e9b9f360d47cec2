"""Screening a message against a word list in one pass, whatever the number of terms.

Text and terms are both put in one canonical form before they are compared, so the tricks people use to
slip a word past a list do not work (`canonical_form`):

- invisible characters (zero-width spaces, soft hyphens, word joiners, direction controls, other format
  and control characters) are removed; every kind of space is one space;
- compatibility forms and accents go (NFKD): "ｐａｒｃｅｌ", "𝐩𝐚𝐫𝐜𝐞𝐥" and "parcél" are "parcel";
- look-alike letters from other scripts become the letter they imitate, by the Unicode TR39 skeleton
  (ICU's SpoofChecker and its confusables data): the Cyrillic "а" in "pаrcel" is an "a". ASCII letters
  are left alone, because the skeleton's ASCII rules ("m" is "rn", "I" is "l") would make ordinary words
  collide;
- common digit-for-letter swaps are undone inside words that also have letters ("sp1ce", "dr0ne",
  "$pice"); a number on its own ("at 10") stays a number;
- punctuation is a space, and three or more single letters or digits in a row are joined into one word
  ("p a r c e l", "p.a.r.c.e.l", "p-a-r-c-e-l" are "parcel");
- a character that reads as either "i" or "l" (a "1", a "|", a capital "I" inside a lower-case word, a
  look-alike of either) becomes "ı", which matches an "i" or an "l" in a term and nothing else.

Words and phrases go into one Aho-Corasick automaton per word list (pyahocorasick), built once per process
and rebuilt when the list's revision changes. They match whole words only, plus simple plurals of terms of
3 letters or more ("-s"; "-es" after s, x, z, ch, sh and o; "-ies" for a final "y"). Patterns (phone
numbers, bank details) are a fixed set of named regular expressions over the text with invisible characters
removed and every kind of digit as 0-9; digits may be separated by any of the usual separators
("07700.900.123", "12/34/56"). See docs/screening.md.
"""

import functools
import re
import threading
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import ahocorasick
import icu
from django.utils.translation import gettext_lazy

from onward.messaging.models import Term, TermKind, WordList

# Separators people put between digits; up to three in a row. Never a letter, never a comma and a space
# (so "10, 20, 30" stays a list of numbers).
_SEP = r"[\s.\-_/\\|:*~()]"
_GAP = rf"(?:{_SEP}{{0,3}}|,)"
# Not glued to other digits on either side, even through separators (so a phone number is not also read as
# an account number). The check before is written after the first digit, so the search can skip to digits.
_FIRST_DIGIT_ALONE = rf"\d(?<!\d\d)(?<!\d{_SEP}\d)(?<!\d{_SEP}{{2}}\d)(?<!\d{_SEP}{{3}}\d)"
_ALONE_AFTER = rf"(?!{_SEP}{{0,3}}\d)"
PATTERNS: dict[str, str] = {
    # Regexes over the pattern form of the text; fixed here (not typed by staff) so none can backtrack badly.
    "uk_phone_number": rf"(?<![\d+])(?:(?:\+|00){_GAP}44|0)(?:{_GAP}\d){{9,10}}(?!\d)",
    "bank_sort_code": rf"{_FIRST_DIGIT_ALONE}\d(?:{_SEP}{{1,3}}|,)\d\d(?:{_SEP}{{1,3}}|,)\d\d{_ALONE_AFTER}",
    "bank_account_number": rf"{_FIRST_DIGIT_ALONE}(?:{_GAP}\d){{7}}{_ALONE_AFTER}",
    "email_address": r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    "web_address": r"(?:https?://|www\.)\S+",
}
# A date as people write one in the UK (12/03/25, 12.03.1990) is not a sort code or an account number.
_DAY_MONTH = r"(?:0?[1-9]|[12]\d|3[01])(?P<sep>{seps})(?:0?[1-9]|1[0-2])(?P=sep)"
PATTERN_EXCEPTIONS: dict[str, str] = {
    "bank_sort_code": _DAY_MONTH.format(seps="/") + r"\d\d",
    "bank_account_number": _DAY_MONTH.format(seps="[/.-]") + r"(?:19|20)\d\d",
}
# A pattern is only run over text that has one of these in it (most messages have no digits at all).
PATTERN_NEEDLES: dict[str, tuple[str, ...]] = {
    "uk_phone_number": ("0", "44"),
    "bank_sort_code": tuple("0123456789"),
    "bank_account_number": tuple("0123456789"),
    "email_address": ("@",),
    "web_address": ("http", "www."),
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
# Characters that change the direction text is shown in (overrides, embeddings, isolates): a message with
# one is held whatever the policy, because what a reader sees is not the order it was written in.
DIRECTION_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
DIRECTION_CONTROL_TERM = "hidden_direction_characters"
DIRECTION_CONTROL_KIND = "control"
DIRECTION_CONTROL_LABEL = gettext_lazy("Hidden characters that change the direction of the text")
# Stands for a character that reads as "i" or "l". Matches either in a term, and nothing else.
EITHER_I_OR_L = "ı"


@dataclass(frozen=True)
class Match:
    term: str
    kind: str
    category: str


@dataclass(frozen=True)
class CanonicalText:
    words: str  # what words and phrases are matched on: letters and numbers, one space between words
    patterns: str  # what patterns are matched on: invisible characters gone, digits as 0-9, case folded


@dataclass(frozen=True)
class Screening:
    matches: list[Match]
    canonical: str
    has_direction_controls: bool


@dataclass(frozen=True)
class PatternTerm:
    term: str
    category: str
    regex: re.Pattern[str]
    needles: tuple[str, ...]  # the pattern cannot match text without one of these: skip it cheaply
    exception: re.Pattern[str] | None = None  # what it finds that is not one after all (a date)

    def search(self, text: str) -> bool:
        if not any(needle in text for needle in self.needles):
            return False
        if self.exception is None:
            return self.regex.search(text) is not None
        return any(self.exception.fullmatch(hit.group()) is None for hit in self.regex.finditer(text))


@dataclass
class Screener:
    automaton: ahocorasick.Automaton | None
    pattern_terms: list[PatternTerm] = field(default_factory=list)

    def matches(self, text: str) -> list[Match]:
        return self.screen(text).matches

    def screen(self, text: str) -> Screening:
        hidden_direction = has_direction_controls(text)
        screening = self._screen(text)
        if hidden_direction:
            # Also screen what a reader sees: "\u202elecrap" is shown as "parcel".
            shown = self._screen(_as_shown(text))
            screening = Screening(
                matches=[*screening.matches, *(m for m in shown.matches if m not in screening.matches)],
                canonical=screening.canonical,
                has_direction_controls=True,
            )
        return screening

    def _screen(self, text: str) -> Screening:
        canonical = canonical_form(text)
        found: dict[str, Match] = {}
        if self.automaton is not None:
            words = canonical.words
            for end, entries in self.automaton.iter(words.translate(_I_L_MERGED)):
                for term, kind, category, key in entries:
                    start = end - len(key) + 1
                    if _is_whole(words, start, end, key):
                        found.setdefault(term, Match(term, kind, category))
        for pattern in self.pattern_terms:
            if pattern.search(canonical.patterns):
                found.setdefault(pattern.term, Match(pattern.term, TermKind.PATTERN, pattern.category))
        return Screening(matches=list(found.values()), canonical=canonical.words, has_direction_controls=False)


def canonical_form(text: str) -> CanonicalText:
    """The forms screening compares: the same function for the message and for every term."""
    if "I" in text:
        text = _CAPITAL_I_IN_WORD.sub(EITHER_I_OR_L, text)
    if not text.isascii():
        text = _NON_ASCII.sub(_non_ascii_folded, text)
    if not text.isprintable():
        text = _ASCII_CONTROL.sub(_control_folded, text)
    base = text.lower()
    words = base
    if any(symbol in words for symbol in _SYMBOL_LETTERS):
        words = _SYMBOL_IN_WORD.sub(_symbol_as_letter, words)
    if "'" in words or "`" in words:
        words = _APOSTROPHE_INSIDE_WORD.sub("", words)
    words = " ".join(words.translate(_PUNCTUATION).split())
    padded = f" {words} "
    if _SPELT_OUT.search(padded):
        words = _SPELT_OUT.sub(_joined, padded).strip()
    if any(digit in words for digit in _DIGITS):
        words = " ".join(t if t.isalpha() or t.isdigit() else t.translate(_DIGIT_LETTERS) for t in words.split())
    return CanonicalText(words=words, patterns=base)


def normalise(text: str) -> str:
    """The canonical form words and phrases are matched on (see `canonical_form`)."""
    return canonical_form(text).words


def has_direction_controls(text: str) -> bool:
    return not text.isascii() and not DIRECTION_CONTROLS.isdisjoint(text)


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
    # Keyed by the form with i, l and ı as one letter, so one key can stand for several terms ("ail", "all").
    entries: dict[str, list[tuple[str, str, str, str]]] = {}
    pattern_terms: list[PatternTerm] = []
    for kind, text, category in terms:
        if kind == TermKind.PATTERN:
            regex = PATTERNS.get(text)
            if regex is None:
                continue  # an unknown pattern name is refused when the term is saved; never crash screening
            exception = PATTERN_EXCEPTIONS.get(text)
            pattern_terms.append(
                PatternTerm(
                    text, category, _compiled(regex), PATTERN_NEEDLES[text], _compiled(exception) if exception else None
                )
            )
            continue
        term = text.strip()
        key = term if _PLAIN_TERM.fullmatch(term) else normalise(term)
        if not key:
            continue
        for form in _word_forms(key):
            entries.setdefault(form.translate(_I_L_MERGED), []).append((term, kind, category, form))
    for merged, found in entries.items():
        automaton.add_word(merged, tuple(found))
    has_words = len(automaton) > 0
    if has_words:
        automaton.make_automaton()
    return Screener(automaton=automaton if has_words else None, pattern_terms=pattern_terms)


def screener_forget(word_list_id: int) -> None:
    with _LOCK:
        _CACHE.pop(word_list_id, None)


# --- helpers ------------------------------------------------------------------------------------

_RIGHT_TO_LEFT_OVERRIDE = re.compile("\u202e([^\u202a-\u202e\n]*)")
# Most terms are already in canonical form (lower-case letters, one space between words).
_PLAIN_TERM = re.compile(r"[a-z]+(?: [a-z]+)*")
# Invisible letters: Hangul fillers render as nothing.
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
_REMOVED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Me"})
# The skeleton's answers for the ASCII letters it treats as look-alikes of others, put back.
_SKELETON_ASCII = {"rn": "m", "l": EITHER_I_OR_L, "I": EITHER_I_OR_L, "O": "o", "''": '"'}
_CAPITAL_I_IN_WORD = re.compile(r"I(?<=[a-z]I)")
_SYMBOL_LETTERS = {"$": "s", "@": "a", "|": EITHER_I_OR_L, "€": "e", "!": EITHER_I_OR_L}
# A symbol standing for a letter: beside a letter or number ("$pice", "p@rcel"); "!" only inside a word.
_SYMBOL_IN_WORD = re.compile(r"[$@|€](?:(?<=[^\W_].)|(?=[^\W_]))|!(?<=[^\W_]!)(?=[^\W_])")
# An apostrophe inside a word goes ("par'cel"), except before the endings of "it's", "don't", "he'll"…, which
# would otherwise make other words ("hell", "shed"). Other apostrophes are spaces. Curly ones are "'" by now.
_APOSTROPHE_INSIDE_WORD = re.compile(r"['`](?<=[^\W_].)(?=[^\W_])(?!(?:s|t|d|ll|re|ve|m)\b)")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Three or more single letters or digits in a row are one word: "p a r c e l" (punctuation is a space by
# then; the text has a space added at each end).
_SPELT_OUT = re.compile(r" (?:\S ){3,}")
_DIGITS = "0123456789"
_DIGIT_LETTERS = str.maketrans({"0": "o", "1": EITHER_I_OR_L, "3": "e", "4": "a", "5": "s", "7": "t"})
_I_L_MERGED = str.maketrans({"l": "i", EITHER_I_OR_L: "i"})
# Terms shorter than this match no plural.
PLURAL_MIN = 3
# Plural "-es" only follows these endings ("boxes", "bushes", "heroes"), never "cop" + "es".
_ES_ENDINGS = ("s", "x", "z", "ch", "sh", "o")
_CACHED_CHARACTERS_MAX = 50_000


class _CharacterFold(dict[int, str]):
    """A translate table: each character's canonical form, worked out the first time it is seen."""

    def __missing__(self, code: int) -> str:
        folded = _fold_character(chr(code))
        if len(self) < _CACHED_CHARACTERS_MAX:
            self[code] = folded
        return folded


def _non_ascii_folded(found: re.Match[str]) -> str:
    return found.group().translate(_CHARACTERS)


def _control_folded(found: re.Match[str]) -> str:
    return " " if found.group() in "\t\n\r\x0b\x0c" else ""


def _fold_character(ch: str) -> str:
    """One character outside ASCII in canonical form: nothing, a space, digits, or letters (lower case)."""
    category = unicodedata.category(ch)
    if category in _REMOVED_CATEGORIES or ch in _INVISIBLE_LETTERS:
        return ""
    if ch.isspace() or category[0] == "Z" or ch == "\u2800":
        return " "
    if category == "Nd":
        return str(unicodedata.decimal(ch))
    parts = []
    for part in unicodedata.normalize("NFKD", ch):
        if part.isascii():
            parts.append(part)
        elif unicodedata.category(part) not in _REMOVED_CATEGORIES:
            parts.append(_skeleton(part))
    # Punctuation and symbols outside ASCII that look like no ASCII character separate words.
    folded = "".join(parts).casefold()
    return "".join(c if c.isascii() or c.isalnum() or c in _SYMBOL_LETTERS else " " for c in folded)


@functools.lru_cache(maxsize=4096)
def _skeleton(ch: str) -> str:
    """The TR39 prototype of one character, with accents dropped and ASCII look-alikes put back."""
    if ch == EITHER_I_OR_L:
        return ch
    prototype = _SPOOF_CHECKER.getSkeleton(0, ch)
    prototype = _SKELETON_ASCII.get(prototype, prototype)
    decomposed = unicodedata.normalize("NFKD", prototype)
    return "".join(p for p in decomposed if unicodedata.category(p) not in _REMOVED_CATEGORIES)


@functools.cache
def _compiled(regex: str) -> re.Pattern[str]:
    return re.compile(regex)


def _as_shown(text: str) -> str:
    """The text in the order a reader sees it, near enough: what follows a right-to-left override, up to the
    end of the override (or of the line), reversed."""
    return _RIGHT_TO_LEFT_OVERRIDE.sub(lambda found: found.group(1)[::-1], text)


def _symbol_as_letter(found: re.Match[str]) -> str:
    return _SYMBOL_LETTERS[found.group()]


def _word_forms(key: str) -> list[str]:
    """The term, and the plural that does not start with it ("-ies" for "-y")."""
    if len(key) > 2 and key.endswith("y") and key[-2] not in "aeiou ":
        return [key, key[:-1] + "ies"]
    return [key]


def _joined(found: re.Match[str]) -> str:
    return f" {found.group().replace(' ', '')} "


def _is_whole(words: str, start: int, end: int, key: str) -> bool:
    """The key found at start..end is whole words (a plural allowed) and, letter by letter, the term."""
    if start > 0 and words[start - 1] != " ":
        return False
    if not _ends_word(words, end + 1, key):
        return False
    return words.startswith(key, start) or _same_but_i_or_l(words, start, key)


def _ends_word(words: str, at: int, key: str) -> bool:
    """The match ends a word: at a space or the end, or after a plural ending."""
    if at == len(words) or words[at] == " ":
        return True
    if len(key) < PLURAL_MIN:
        return False  # "hi" is not in "his", nor "wa" in "was"
    for suffix in ("s", "es"):
        after = at + len(suffix)
        if words.startswith(suffix, at) and (after == len(words) or words[after] == " "):
            return suffix == "s" or key.endswith(_ES_ENDINGS)
    return False


def _same_but_i_or_l(words: str, start: int, key: str) -> bool:
    """The automaton reads i, l and ı as one letter; here a real "i" must still be an "i" and "l" an "l"."""
    return all(a == b or EITHER_I_OR_L in (a, b) for a, b in zip(words[start : start + len(key)], key, strict=True))


_CHARACTERS = _CharacterFold()
_PUNCTUATION = str.maketrans(
    {ch: " " for ch in [*map(chr, range(128)), *_SYMBOL_LETTERS] if not (ch.isalnum() or ch == " ")}
)
_SPOOF_CHECKER = icu.SpoofChecker()
EMPTY_SCREENER = Screener(automaton=None)
_CACHE: dict[int, tuple[uuid.UUID, Screener]] = {}
_LOCK = threading.Lock()
