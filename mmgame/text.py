"""What text a person may store: no control characters, on every field and in every upload.

A NUL cannot be stored by PostgreSQL at all (the request failed with a 500 there, and passed on SQLite), a
lone surrogate cannot be written as UTF-8, and the other control characters (escape, bell, backspace, a
line break inside a title) show as nothing or break a line on the projector and in the exports. So each
is refused, with its position, wherever text comes in: the JSON API and the sockets refuse a body or a
frame holding one in any string, the services refuse it in each field they keep (for the pages' forms,
and for any other caller), and a CSV file of questions names the line.
"""

from __future__ import annotations

import unicodedata

from mmgame.market import MarketError, gettext_noop


class ControlCharacter(MarketError):
    """Text holding a character that cannot be stored or shown: a control character or a lone surrogate."""

    code = "control_character"


def first_control(text: str) -> tuple[int, str] | None:
    """The position and name of the first character that may not be kept in text, or None."""
    for position, ch in enumerate(text):
        if unicodedata.category(ch) in ("Cc", "Cs"):
            return position, describe(ch)
    return None


def describe(ch: str) -> str:
    return f"U+{ord(ch):04X}" + (" (NUL)" if ch == "\0" else "")


def plain_text(value: object, field: str) -> object:
    """`value` unchanged if it is text with no control characters (or not text: the caller's own rules
    say what else it may be); ControlCharacter naming `field` otherwise."""
    if isinstance(value, str) and (found := first_control(value)) is not None:
        position, name = found
        raise ControlCharacter(
            gettext_noop(
                "the %(replace)s holds a control character (%(name)s at position %(position)s); type plain text",
                replace=field.replace("_", " "),
                name=name,
                position=position + 1,
            ),
            field=field,
        )
    return value


def refuse_in(document: object) -> None:
    """Refuse any string in a parsed JSON document (keys included) that holds a control character; the
    refusal names the field by its path (`title`, `order.kind`). A loop, not recursion: a document may
    nest as deep as the parser allowed."""
    pending: list[tuple[object, str]] = [(document, "")]
    while pending:
        value, path = pending.pop()
        if isinstance(value, str):
            plain_text(value, path or "body")
        elif isinstance(value, dict):
            for key, item in value.items():
                plain_text(key, f"{path or 'body'} key")
                pending.append((item, f"{path}.{key}" if path else key))
        elif isinstance(value, list):
            pending.extend((item, f"{path}[{index}]") for index, item in enumerate(value))


class TooLong(MarketError):
    """Text longer than its field keeps (a reason is one line, an explanation a paragraph)."""

    code = "too_long"


def bounded_text(value: object, field: str, longest: int) -> str:
    """Optional text a person typed, stripped: at most `longest` characters and no control characters, else
    refused naming `field` (None reads as empty). Markup is kept as typed: every screen shows it as text."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise MarketError(gettext_noop("the %(field)s is text", field=field), field=field)
    text = str(plain_text(value, field)).strip()
    if len(text) > longest:
        raise TooLong(
            gettext_noop("the %(field)s is at most %(longest)s characters", field=field, longest=longest),
            field=field,
            longest=longest,
        )
    return text
