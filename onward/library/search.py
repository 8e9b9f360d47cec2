"""Typo-tolerant search over the published library, in memory, the same on SQLite and PostgreSQL.

Each process keeps one index per language, built from the live revisions (a translation where there is
one, English otherwise) and rebuilt when `ContentVersion.number` moves on (every publication and
withdrawal bumps it), so a search costs small queries (the version, and which of the best hits the
reader may read) plus work in memory. Query words match words in the index exactly, as a prefix, or
within one or two edits (rapidfuzz's Damerau-Levenshtein, so "bnak" finds "bank"); each matching word
scores by where it was found (title above summary above body).
Which hits a person may read is asked of the library policy's scope (`LIBRARY`, the same as the pages),
best hits first, in batches, so targeting has one definition.
"""

import re
import threading
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from onward.library.models import DEFAULT_LANGUAGE, ContentVersion, Item, ItemState, Revision

SEARCH_RESULTS_MAX = 50
# Ranked hits checked against the reader's scope per query: a few times the results wanted.
SEARCH_BATCH_FACTOR = 3
FUZZY_CANDIDATES_MAX = 8
QUERY_WORDS_MAX = 8
FIELD_WEIGHTS = {"title": 3.0, "topic": 2.0, "summary": 2.0, "body": 1.0}
MATCH_EXACT = 1.0
MATCH_PREFIX = 0.8
MATCH_ONE_EDIT = 0.7
MATCH_TWO_EDITS = 0.45
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "for",
        "from",
        "how",
        "i",
        "if",
        "in",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "so",
        "the",
        "to",
        "what",
        "when",
        "with",
        "you",
        "your",
        "y",
        "yr",
        "a",
        "ac",
        "i",
        "o",
        "yn",
        "ar",
        "am",
        "sut",
        "beth",
        "eich",
        "chi",
    ]
)
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Hit:
    item_id: int
    score: float
    words_matched: int


@dataclass
class _LanguageIndex:
    postings: dict[str, dict[int, float]] = field(default_factory=lambda: defaultdict(dict))
    vocabulary: list[str] = field(default_factory=list)


@dataclass
class _Entry:
    item_id: int
    published_at: datetime | None


@dataclass
class SearchIndex:
    version: str
    entries: dict[int, _Entry]
    languages: dict[str, _LanguageIndex]

    def search(
        self,
        query: str,
        language: str,
        readable: Callable[[list[int]], Container[int]],
        limit: int = SEARCH_RESULTS_MAX,
    ) -> list[Hit]:
        """The best hits this reader may read: `readable` says which of a batch of item ids they may."""
        index = self.languages.get(language) or self.languages[DEFAULT_LANGUAGE]
        words = query_words(query)
        if not words:
            return []
        totals: dict[int, float] = defaultdict(float)
        matched: dict[int, int] = defaultdict(int)
        for word in words:
            best: dict[int, float] = {}
            for candidate, similarity in _candidates(index, word):
                for item_id, weight in index.postings[candidate].items():
                    score = similarity * weight
                    if score > best.get(item_id, 0.0):
                        best[item_id] = score
            for item_id, score in best.items():
                totals[item_id] += score
                matched[item_id] += 1
        ranked = [Hit(item_id, score, matched[item_id]) for item_id, score in totals.items()]
        ranked.sort(key=lambda h: (-h.words_matched, -h.score, -self._timestamp(h.item_id)))
        return readable_hits(ranked, readable, limit)

    def _timestamp(self, item_id: int) -> float:
        published = self.entries[item_id].published_at
        return published.timestamp() if published else 0.0


def readable_hits(ranked: list[Hit], readable: Callable[[list[int]], Container[int]], limit: int) -> list[Hit]:
    """The first `limit` ranked hits the reader may read, asking about a few times that many at a time."""
    hits: list[Hit] = []
    start = 0
    while len(hits) < limit and start < len(ranked):
        batch = ranked[start : start + limit * SEARCH_BATCH_FACTOR]
        allowed = readable([hit.item_id for hit in batch])
        hits.extend(hit for hit in batch if hit.item_id in allowed)
        start += len(batch)
    return hits[:limit]


def search_index() -> SearchIndex:
    """This process's index, rebuilt if the library changed since it was built."""
    global _INDEX
    version = ContentVersion.objects.filter(pk=1).values_list("token", flat=True).first() or ""
    index = _INDEX
    if index is not None and index.version == version:
        return index
    with _LOCK:
        if _INDEX is None or _INDEX.version != version:
            _INDEX = index_build(version)
        return _INDEX


def index_build(version: str) -> SearchIndex:
    languages = [code for code, _ in settings.LANGUAGES]
    items = (
        Item.objects.filter(live_revision__isnull=False)
        .exclude(state=ItemState.WITHDRAWN)
        .prefetch_related("topics")
        .only("pk", "published_at", "live_revision_id")
    )
    revisions = {
        r.pk: r for r in Revision.objects.filter(pk__in=items.values("live_revision_id")).prefetch_related("texts")
    }
    entries: dict[int, _Entry] = {}
    indexes = {language: _LanguageIndex() for language in languages}
    for item in items:
        entries[item.pk] = _Entry(item.pk, item.published_at)
        revision = revisions[item.live_revision_id]  # type: ignore[index]
        topics = list(item.topics.all())
        for language in languages:
            text = revision.text_in(language)
            fields = {
                "title": text.title,
                "summary": text.summary,
                "body": f"{text.body} {text.transcript}",
                "topic": " ".join(t.name_in(language) for t in topics),
            }
            postings = indexes[language].postings
            for name, value in fields.items():
                weight = FIELD_WEIGHTS[name]
                for word in set(_words(value)):
                    if weight > postings[word].get(item.pk, 0.0):
                        postings[word][item.pk] = weight
    for language_index in indexes.values():
        language_index.vocabulary = sorted(language_index.postings)
    return SearchIndex(version=version, entries=entries, languages=indexes)


def query_words(query: str) -> list[str]:
    words = [w for w in _words(query) if w not in STOP_WORDS]
    return list(dict.fromkeys(words))[:QUERY_WORDS_MAX]


def _words(text: str) -> Iterable[str]:
    """Lower-case words without accents, so "ŵ" and "w" match and typing on any keyboard works."""
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return WORD.findall(plain)


def _candidates(index: _LanguageIndex, word: str) -> list[tuple[str, float]]:
    """Index words that match this query word, with how closely: exactly, as a prefix, or within edits."""
    found: dict[str, float] = {}
    if word in index.postings:
        found[word] = MATCH_EXACT
    if len(word) >= 3:
        vocabulary = index.vocabulary
        at = bisect_left(vocabulary, word)
        while at < len(vocabulary) and vocabulary[at].startswith(word):
            found.setdefault(vocabulary[at], MATCH_PREFIX)
            at += 1
    max_edits = 0 if len(word) <= 3 else 1 if len(word) <= 5 else 2
    if max_edits:
        for candidate, distance, _ in process.extract(
            word,
            index.vocabulary,
            scorer=DamerauLevenshtein.distance,
            score_cutoff=max_edits,
            limit=FUZZY_CANDIDATES_MAX,
        ):
            found.setdefault(candidate, MATCH_ONE_EDIT if distance <= 1 else MATCH_TWO_EDITS)
    return list(found.items())


_INDEX: SearchIndex | None = None
_LOCK = threading.Lock()
