"""Which language each screen speaks, and who chooses it (docs/i18n.md).

The host sets a game's language: the wall and every phone of the game follow it. A player may switch their
own phone (Player.language, kept with the seat). The host's own pages follow the host's choice (Django's
set_language cookie) or the browser's Accept-Language, through LocaleMiddleware. Anything else, a code no
catalogue ships, falls back to settings.LANGUAGE_CODE (English).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation.trans_real import parse_accept_lang_header

from mmgame.market import MarketError, gettext_noop
from mmgame.market.errors import Words

CODES = tuple(code for code, _name in settings.LANGUAGES)


def supported(code: object) -> str | None:
    """The language of settings.LANGUAGES a code names ("es", "es-MX", "ES"), or None."""
    if not isinstance(code, str) or not code.strip():
        return None
    try:
        return translation.get_supported_language_variant(code.strip().lower())
    except LookupError:
        return None


def checked(code: object, field: str = "language") -> str:
    """A language a host or player asked for, refused unless the game ships it."""
    found = supported(code)
    if found is None or found != str(code).strip().lower():
        raise MarketError(
            gettext_noop("the language is one of %(codes)s", codes=", ".join(CODES)), field=field, languages=CODES
        )
    return found


def of_game(game) -> str:
    """The language of a game's wall, and of a phone that chose none."""
    return supported(game.language) or settings.LANGUAGE_CODE


def of_player(player) -> str:
    """The language of a player's phone: their own choice, else their game's."""
    return supported(player.language) or of_game(player.game)


def speak(request: HttpRequest, code: str) -> None:
    """Render the rest of this request in `code` (the page, its <html lang>, its Content-Language)."""
    translation.activate(code)
    request.LANGUAGE_CODE = translation.get_language()


def from_browser(cookie: str | None, accept_language: str | None) -> str:
    """The host's language where no request object is at hand (a websocket's handshake): the picker's cookie,
    else the first language of Accept-Language that ships, else English (as LocaleMiddleware chooses)."""
    found = supported(cookie)
    if found:
        return found
    for code, _quality in parse_accept_lang_header(accept_language or ""):
        if code == "*":
            break
        found = supported(code)
        if found:
            return found
    return settings.LANGUAGE_CODE


def said(message: str) -> str:
    """A refusal's words in the active language: the catalogue's form of its template, the same values in it.
    Words the catalogues lack (or a translation whose placeholders do not fit) stay English."""
    if not message:
        return message
    template, values = (message.template, message.values) if isinstance(message, Words) else (message, {})
    translated = gettext(template)
    if not values:
        return translated if translated != template else str(message)
    # Values that are words are said too, even when the template reads the same in both languages
    # ("%(first)s; %(then)s").
    values = {name: said(value) if isinstance(value, Words) else value for name, value in values.items()}
    try:
        return translated % values
    except (KeyError, TypeError, ValueError):
        return str(message)


def said_frame(frame: dict) -> dict:
    """An error frame or body with its message said in the active language (the code stays as it is)."""
    if isinstance(frame.get("message"), str):
        return {**frame, "message": said(frame["message"])}
    return frame


def kept(message: str, most: int) -> str:
    """A refusal's words as a row keeps them to say them later to readers of any language: its template and
    values as JSON (`restored` reads it back). English text (cut to `most`) when the JSON is longer."""
    if not isinstance(message, Words):
        return str(message)[:most]
    text = json.dumps(unsaid(message), ensure_ascii=False, separators=(",", ":"), default=str)
    return text if len(text) <= most else str(message)[:most]


def unsaid(message: object) -> object:
    if isinstance(message, Words):
        return {"template": message.template, "values": {name: unsaid(v) for name, v in message.values.items()}}
    return message


def restored(text: str) -> str:
    """What `kept` stored, as words `said` says in the active language; any other text as it is."""
    try:
        return words_of(json.loads(text)) if text.startswith("{") else text
    except (ValueError, KeyError, TypeError):  # not JSON, or a template its values do not fit
        return text


def words_of(found: object) -> object:
    if isinstance(found, dict) and isinstance(found.get("template"), str):
        values = found.get("values") if isinstance(found.get("values"), dict) else {}
        return Words(found["template"], {name: words_of(value) for name, value in values.items()})
    return found


def said_in_each(message: str) -> dict[str, str]:
    """The words in every language that ships, for a frame sent once to screens that read different ones."""
    said_as = {}
    for code in CODES:
        with translation.override(code):
            said_as[code] = said(message)
    return said_as
