import random

import pytest

from onward.messaging.models import Term, TermKind
from onward.messaging.screening import build_screener, canonical_form, normalise, screener_for
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


# --- The canonical form (issue 15) ----------------------------------------------------------------


def test_invisible_characters_go_and_look_alike_letters_are_the_letters_they_imitate() -> None:
    for text in (
        "par\u200bcel",  # zero-width space
        "par\u00adcel",  # soft hyphen
        "par\u2060cel",  # word joiner
        "par\ufeffcel",  # zero-width no-break space
        "par\u3164cel",  # Hangul filler, drawn as nothing
        "p\u0430rcel",  # Cyrillic a
        "\u0440\u0430r\u0441el",  # Cyrillic r, a and s
        "\uff50\uff41\uff52\uff43\uff45\uff4c",  # fullwidth
        "\U0001d429\U0001d41a\U0001d42b\U0001d41c\U0001d41e\U0001d425",  # mathematical bold
        "pa\u0301rcel",  # a combining accent
    ):
        assert canonical_form(text).words == "parcel", text


def test_numbers_stay_numbers_unless_they_are_inside_a_word() -> None:
    assert normalise("I'll be there at 10") == "i ll be there at 10"
    assert normalise("sp1ce dr0ne 5pice p4rcel") == "spıce drone spice parcel"
    assert normalise("$pice p@rcel sp!ce, hello!") == "spice parcel spıce hello"
    assert normalise("Room 12, 3rd floor") == "room 12 erd floor"  # "3rd" is a word with a digit in it
    screener = build_screener(_terms(["lo", "spice", "parcel", "all"]))
    assert screener.matches("I'll be there at 10") == []
    assert screener.matches("l0") != []
    assert [m.term for m in screener.matches("sp1ce and parce1 and parceI")] == ["spice", "parcel"]


def test_a_character_read_as_i_or_l_matches_either_but_real_letters_stay_apart() -> None:
    screener = build_screener(_terms(["all", "pill"]))
    assert screener.matches("the ail was bad") == []
    assert screener.matches("a pail of water") == []
    for text in ("a1l", "aIl", "a|l", "p1ll", "pi11", "p|ll"):
        assert screener.matches(text), text


def test_terms_spelt_out_letter_by_letter_are_found() -> None:
    screener = build_screener(_terms(["parcel"]))
    for text in ("p a r c e l", "p.a.r.c.e.l", "p-a-r-c-e-l", "P_A_R_C_E_L", "p . a . r . c . e . l", "p a r c e l s"):
        assert screener.matches(text), text
    assert screener.matches("a p a r t y") == []


def test_simple_plurals_match_and_other_endings_do_not() -> None:
    screener = build_screener(_terms(["parcel", "box", "cop", "subby", "sim card"], "phrase"))
    assert {m.term for m in screener.matches("parcels, boxes, cops, subbies and sim cards")} == {
        "parcel",
        "box",
        "cop",
        "subby",
        "sim card",
    }
    assert screener.matches("he copes well; parcelled; boxer; copper") == []
    assert build_screener(_terms(["hi", "wa"])).matches("his coat was wet") == []


def test_contractions_do_not_make_other_words() -> None:
    screener = build_screener(_terms(["hell", "shed", "ill", "wed"]))
    assert screener.matches("He'll be fine, she'd said I'll come. We'd like that.") == []
    assert screener.matches("I'm in the sh'ed") != []  # an apostrophe inside another word goes


def test_phone_numbers_and_bank_details_whatever_separates_the_digits() -> None:
    screener = build_screener(
        [(("pattern", name, "")) for name in ("uk_phone_number", "bank_sort_code", "bank_account_number")]
    )

    def found(text: str) -> set[str]:
        return {m.term for m in screener.matches(text)}

    for phone in (
        "07700.900.123",
        "07700-900-123",
        "07700/900/123",
        "0 7 7 0 0 9 0 0 1 2 3",
        "+44 (0)7700 900123",
        "0044 7700 900123",
        "\uff10\uff17\uff17\uff10\uff10 900123",  # fullwidth digits
        "0770\u200b0900123",  # a zero-width space
    ):
        assert found(phone) == {"uk_phone_number"}, phone
    for sort_code in ("12-34-56", "12.34.56", "12 34 56", "12/34/56", "12,34,56"):
        assert found(sort_code) == {"bank_sort_code"}, sort_code
    for account in ("12345678", "1234 5678", "1234.5678", "12 34 56 78"):
        assert found(account) == {"bank_account_number"}, account
    for ordinary in (
        "I did 10, 20, 30 reps",
        "born 12/03/1990",
        "court on 2.11.2027",
        "out on 12/03/27",
        "cell 12 on the 3rd floor",
        "£1,250.00",
    ):
        assert found(ordinary) == set(), ordinary


def test_terms_go_through_the_same_canonical_form() -> None:
    screener = build_screener([("word", "p\u0430rcel", ""), ("phrase", "over-the-wall", ""), ("word", "DR0NE", "")])
    assert {m.term for m in screener.matches("a parcel came over the wall by drone")} == {
        "p\u0430rcel",
        "over-the-wall",
        "DR0NE",
    }


def test_direction_overrides_are_found_and_screened_as_they_are_shown() -> None:
    screener = build_screener(_terms(["parcel"]))
    result = screener.screen("\u202elecrap\u202c")
    assert result.has_direction_controls
    assert [m.term for m in result.matches] == ["parcel"]
    assert result.canonical == "lecrap"
    assert not screener.screen("parcel").has_direction_controls
    assert screener.screen("Arabic \u0645\u0631\u062d\u0628\u0627").has_direction_controls is False
