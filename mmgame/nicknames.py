"""What a nickname may be, and when two nicknames are the same name to the eye.

A nickname is what a class sees on the projector, so two seats must not show names a reader cannot tell
apart ("Bob" and "Bоb" with a Cyrillic о), and a name must be visible: no blank fillers, no invisible
suffixes, no characters wider than a word. Names are compared by their confusable skeleton (Unicode
UTS #39, section 4), both as written and case-folded: a name matching a taken one either way is taken.

The skeleton's data is Unicode's confusables.txt as the confusable-homoglyphs package ships it. That
package keeps each line "source → prototype" as a link both ways, without saying which end is the
prototype; every source has one line, so each group of lookalikes is a star around its prototype, and
one member per group stands in for it (the prototype when it can be told: a multi-character string or
the member with several links; else the lower code point, which gives the same equalities).
"""

from __future__ import annotations

import unicodedata
from functools import cache

from mmgame.market import MarketError, gettext_noop

NICKNAME_MAX = 24
# Characters that show as nothing (or as a blank) but are not spaces, so they slip past trimming: the
# Hangul fillers, the braille blank, the combining grapheme joiner, the Khmer inherent vowels and the
# Mongolian variation selectors. (Zero-width and bidi format characters, category Cf, are removed instead.)
INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u2800\u3164\uffa0")
# Variation selectors only choose a glyph's style (text or emoji): dropped, as zero-width characters are.
VARIATION_SELECTORS = frozenset(chr(c) for c in [*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)])
# Single characters that draw wider than a whole name would (a leaderboard row, a projector line).
TOO_WIDE = frozenset(
    [*map(chr, range(0xFD40, 0xFD50)), *"\ufdcf\ufdfd\ufdfe\ufdff\u2e3a\u2e3b\ua9c5\U00012219\U0001242b"]
)
MAX_MARKS = 3  # combining marks on one letter; more stack into lines above and below ("Zalgo" text)


class UnreadableNickname(MarketError):
    """A nickname others could not see or read: invisible, unprintable, or drawn wider than a row."""

    code = "nickname_unreadable"


def clean_nickname(nickname: object) -> str:
    """The nickname as it is kept and shown: NFKC, single spaces, no format characters; refused if unreadable."""
    if not isinstance(nickname, str):
        raise MarketError(gettext_noop("a nickname is text"), field="nickname")
    name = " ".join(unicodedata.normalize("NFKC", nickname).split())
    name = "".join(ch for ch in name if unicodedata.category(ch) != "Cf" and ch not in VARIATION_SELECTORS)
    for ch in name:
        if unicodedata.category(ch)[0] == "C":
            raise UnreadableNickname(gettext_noop("a nickname cannot contain unprintable characters"), field="nickname")
        if ch in INVISIBLE:
            raise UnreadableNickname(
                gettext_noop(
                    "a nickname cannot contain invisible characters (%(ch)s); type a name others can see",
                    ch=describe(ch),
                ),
                field="nickname",
            )
        if ch in TOO_WIDE:
            raise UnreadableNickname(
                gettext_noop("%(ch)s is too wide for a nickname", ch=describe(ch)), field="nickname"
            )
    if not 1 <= len(name) <= NICKNAME_MAX:
        raise MarketError(
            gettext_noop("a nickname has 1 to %(nickname_max)s characters", nickname_max=NICKNAME_MAX), field="nickname"
        )
    if not any(unicodedata.category(ch)[0] in "LNPS" for ch in name):
        raise UnreadableNickname(
            gettext_noop("a nickname needs at least one letter, digit or symbol"), field="nickname"
        )
    marks = 0
    for ch in name:
        marks = marks + 1 if unicodedata.category(ch)[0] == "M" else 0
        if marks > MAX_MARKS:
            raise UnreadableNickname(gettext_noop("a nickname has at most three accents on a letter"), field="nickname")
    return name


def describe(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')}"


def nickname_key(nickname: str) -> str:
    """Two names are the same ignoring case, in every alphabet ("Straße" is "STRASSE"), and lookalikes
    ("Bоb" with a Cyrillic о): the skeleton of the case-folded name."""
    return skeleton(nickname.casefold())


def lookalike_key(nickname: str) -> str:
    """Two names a reader cannot tell apart as written: UTS #39's skeleton without folding case, which
    catches what folding hides ("AIice" with a capital I is "Alice", though "aiice" is not "alice")."""
    return skeleton(nickname)


def same_name(one: str, other: str) -> bool:
    """Whether two cleaned nicknames would be taken for one another (the rule a game's seats follow)."""
    return nickname_key(one) == nickname_key(other) or lookalike_key(one) == lookalike_key(other)


def skeleton(text: str) -> str:
    """UTS #39's skeleton: NFD, without default-ignorable characters, each character mapped to its
    prototype, NFD again. Two strings a reader can confuse have the same skeleton."""
    prototypes = prototype_map()
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Cf")
    once = "".join(prototypes.get(ch, ch) for ch in text)
    # A multi-character prototype's own characters may stand for their group under another member.
    return unicodedata.normalize("NFD", "".join(prototypes.get(ch, ch) for ch in once))


@cache
def prototype_map() -> dict[str, str]:
    """Each confusable character → the string that stands for its group of lookalikes."""
    from confusable_homoglyphs.confusables import confusables_data

    def plain(s: str) -> str:
        return s.replace("\u200e", "").replace("\u200f", "")  # the data wraps right-to-left text in marks

    links: dict[str, set[str]] = {}
    for source, entries in confusables_data.items():
        for entry in entries:
            a, b = plain(source), plain(entry["c"])
            links.setdefault(a, set()).add(b)
            links.setdefault(b, set()).add(a)

    def is_centre(node: str) -> bool:
        return len(node) > 1 or len(links[node]) > 1

    prototypes: dict[str, str] = {}
    for node, near in links.items():
        if len(node) != 1:
            continue
        if is_centre(node):
            prototypes[node] = node
            continue
        (other,) = near
        prototypes[node] = other if is_centre(other) else min(node, other)
    return prototypes
