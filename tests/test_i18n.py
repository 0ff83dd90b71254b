"""The catalogues ship complete and compiled (docs/i18n.md): every language of settings.LANGUAGES but English
has a catalogue with no untranslated and no fuzzy entry, its committed .mo says what its .po says (compiled
again here with Babel, pure Python), and the bank's words module is current with questions.json."""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings

from mmgame.bank import wording, wording_list

TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# A placeholder a translation must keep: %(name)s / %(count)d, {name}, and a doubled percent sign.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}|%%")


def catalogue_path(code: str, ext: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / code / "LC_MESSAGES" / f"django.{ext}"


def catalogue(code: str):
    with catalogue_path(code, "po").open("rb") as file:
        return read_po(file, locale=code)


def forms(message) -> list[str]:
    return list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_entry_is_translated_and_none_is_fuzzy(code):
    messages = [message for message in catalogue(code) if message.id]
    assert len(messages) > 1000  # the whole game, not a stub
    untranslated = [message.id for message in messages if not all(forms(message))]
    fuzzy = [message.id for message in messages if message.fuzzy]
    assert not untranslated, f"{len(untranslated)} untranslated in {code}, the first: {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {code}, the first: {fuzzy[:5]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_translation_keeps_its_placeholders(code):
    """A dropped %(name)s loses a number; an unknown one fails the page (mmgame.languages.said falls back)."""
    wrong = []
    for message in catalogue(code):
        ids = list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]
        if not message.id or not all(forms(message)):
            continue
        wanted = {found for found in PLACEHOLDER.findall(ids[-1]) if found != "%%"}
        for text in forms(message):
            if {found for found in PLACEHOLDER.findall(text) if found != "%%"} != wanted:
                wrong.append((ids[0], text))
    assert not wrong, wrong[:5]


def compiled(data: bytes) -> dict:
    """The messages of a .mo file as gettext reads them, the header left out (each compiler writes its own)."""
    messages = dict(gettext.GNUTranslations(io.BytesIO(data))._catalog)
    messages.pop("", None)
    return messages


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_committed_mo_says_what_its_po_says(code):
    """A .po edited without compiling (or a .mo left from an older .po) fails here: recompile with
    `python3 manage.py compilemessages` (docs/i18n.md)."""
    fresh = io.BytesIO()
    write_mo(fresh, catalogue(code))
    assert compiled(catalogue_path(code, "mo").read_bytes()) == compiled(fresh.getvalue())


def test_the_bank_wording_module_is_current_with_the_questions():
    """Run `python3 -m mmgame.bank.wording > mmgame/bank/wording_list.py && ruff format
    mmgame/bank/wording_list.py`, then makemessages, when this fails."""
    assert list(wording_list.WORDS) == wording.words()


def test_the_bank_words_are_in_every_catalogue():
    for code in TRANSLATED:
        ids = {message.id for message in catalogue(code)}
        assert set(wording.words()) <= ids, code
