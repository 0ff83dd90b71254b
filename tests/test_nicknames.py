"""Finding 5: nicknames are compared as a reader sees them (UTS #39 skeletons), and must be visible."""

from __future__ import annotations

import pytest

from mmgame.market import MarketError
from mmgame.nicknames import UnreadableNickname, clean_nickname, same_name, skeleton


@pytest.mark.parametrize(
    ("name", "lookalike"),
    [
        ("Bob", "B\u043eb"),  # Cyrillic о
        ("BOB", "\u0412\u041e\u0412"),  # Cyrillic ВОВ
        ("paypal", "p\u0430yp\u0430l"),  # Cyrillic а
        ("Alice", "AIice"),  # capital I for l
        ("Olga", "\u039flga"),  # Greek Ο
        ("Sam", "\U0001d412am"),  # mathematical bold S (NFKC folds it; the skeleton too)
        ("modern", "rnodern"),  # rn for m
        ("Zoë", "ZOË"),  # case, beyond ASCII
        ("Straße", "STRASSE"),
    ],
)
def test_lookalike_names_are_the_same_name(name, lookalike):
    assert same_name(clean_nickname(name), clean_nickname(lookalike))


@pytest.mark.parametrize(
    ("name", "other"), [("Bob", "Rob"), ("Ana", "Anna"), ("Zoe", "Zoë"), ("Ivan", "Иван"), ("bob", "ВОВ")]
)
def test_different_names_are_different(name, other):
    assert not same_name(name, other)


def test_the_skeleton_is_the_unicode_one_for_known_cases():
    assert skeleton("\u0441\u043e\u0440\u0443") == "copy"  # Cyrillic сору
    assert skeleton("m") == skeleton("rn")


@pytest.mark.parametrize(
    "name",
    [
        "Bob\u3164",  # Hangul filler
        "Bob\u2800",  # braille blank
        "Bob\u034f",  # combining grapheme joiner
        "Bob\u17b4",  # Khmer inherent vowel
        "Bob\uffa0",  # halfwidth Hangul filler
    ],
)
def test_a_name_with_an_invisible_character_is_refused_and_says_which(name):
    with pytest.raises(UnreadableNickname, match=r"invisible characters \(U\+[0-9A-F]{4} ") as refused:
        clean_nickname(name)
    assert refused.value.code == "nickname_unreadable" and refused.value.details["field"] == "nickname"


@pytest.mark.parametrize("name", ["\u3164", "\u2800\u2800", "\u034f", "\u0301\u0301", " \u200b "])
def test_a_wholly_invisible_name_is_refused(name):
    with pytest.raises(MarketError) as refused:
        clean_nickname(name)
    assert refused.value.details["field"] == "nickname"


def test_a_name_wider_than_a_row_is_refused():
    with pytest.raises(UnreadableNickname, match="too wide"):
        clean_nickname("\ufdfd" * 24)


@pytest.mark.parametrize("name", ["Bob\ue000", "Bob\x07x", "Bob\U0010ffff"])
def test_an_unprintable_name_is_refused(name):
    with pytest.raises(MarketError):
        clean_nickname(name)


def test_accents_stacked_past_three_are_refused():
    assert clean_nickname("Zoe\u0308\u0301") == "Zoë\u0301"
    with pytest.raises(UnreadableNickname, match="accents"):
        clean_nickname("Z" + "\u0301\u0302\u0303\u0304\u0305" + "o")


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  Ada \t Lovelace\u200b ", "Ada Lovelace"),  # spacing and zero-width, as before
        ("ＡＤＡ", "ADA"),  # width, as before
        ("\u2764\ufe0f Kim", "\u2764 Kim"),  # an emoji's style selector is dropped, the emoji kept
        ("李小龙", "李小龙"),
        ("Ольга", "Ольга"),
        ("🦄", "🦄"),
    ],
)
def test_ordinary_names_in_any_script_are_kept(typed, kept):
    assert clean_nickname(typed) == kept
