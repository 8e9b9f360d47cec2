import random

import pytest

from onward.messaging.models import Term, TermKind
from onward.messaging.screening import build_screener, normalise, screener_for
from onward.messaging.tests.factories import TermFactory, WordListFactory

THOUSANDS = 5_000


def _terms(words: list[str], kind: str = "word") -> list[tuple[str, str, str]]:
    return [(kind, w, "test") for w in words]


def test_normalise_drops_case_accents_and_extra_space() -> None:
    assert normalise("  CAFÉ   Crème\tBRÛLÉE ") == "cafe creme brulee"
    assert normalise("ﬁnd") == "find"  # compatibility forms (NFKD) too


def test_words_match_whole_words_only_and_ignore_case_and_accents() -> None:
    screener = build_screener(_terms(["spice", "café"]))
    assert [m.term for m in screener.matches("Got any SPICE?")] == ["spice"]
    assert screener.matches("spicey food and allspice") == []
    assert [m.term for m in screener.matches("meet at the Cafe")] == ["café"]  # named as on the list


def test_phrases_match_across_any_spacing() -> None:
    screener = build_screener(_terms(["over the wall"], "phrase"))
    assert screener.matches("throw it OVER   the\nwall tonight")
    assert not screener.matches("leftover the wallpaper")


def test_patterns_find_phone_numbers_and_bank_details() -> None:
    screener = build_screener(
        [("pattern", "uk_phone_number", "contact"), ("pattern", "bank_sort_code", "money"), ("pattern", "nope", "")]
    )
    found = {m.term for m in screener.matches("call 07700 900123 or +44 7700 900123, sort code 12-34-56")}
    assert found == {"uk_phone_number", "bank_sort_code"}
    assert screener.matches("I am in cell 12 on the 3rd floor") == []


def test_thousands_of_terms_find_exactly_the_words_used() -> None:
    rng = random.Random(7)
    words = sorted({"".join(rng.choice("abcdefghij") for _ in range(8)) for _ in range(THOUSANDS * 2)})[:THOUSANDS]
    screener = build_screener(_terms(words))
    chosen = rng.sample(words, 25)
    text = " ".join(f"hello {w.upper()} and" for w in chosen) + " plus nothing else " * 50
    assert {m.term for m in screener.matches(text)} == set(chosen)
    assert screener.matches("no listed words here at all " * 40) == []


@pytest.mark.django_db
def test_the_cached_automaton_follows_changes_to_the_list() -> None:
    word_list = WordListFactory()
    TermFactory(word_list=word_list, text="drone")
    word_list.refresh_from_db()
    first = screener_for(word_list)
    assert screener_for(word_list) is first  # built once, then cached
    assert first.matches("a drone came")
    TermFactory(word_list=word_list, text="burner")
    word_list.refresh_from_db()
    second = screener_for(word_list)
    assert second is not first
    assert second.matches("a burner phone")
    Term.objects.filter(word_list=word_list, text="drone").get().delete()
    word_list.refresh_from_db()
    assert not screener_for(word_list).matches("a drone came")
    assert TermKind.PATTERN == "pattern"
