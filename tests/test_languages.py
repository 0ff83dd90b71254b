"""Saying words in the reader's language (mmgame.languages): parts joined after a refusal was raised are each
said, and words kept in a row come back as words, said when read."""

from __future__ import annotations

from django.utils import translation

from mmgame import languages
from mmgame.market import gettext_noop, joined

FINISHED = gettext_noop("the game is finished")
TICK = gettext_noop("tick at least one question")


def test_joined_words_are_each_said_though_the_joint_reads_the_same_in_every_language():
    both = joined(FINISHED, TICK)
    assert str(both) == "the game is finished; tick at least one question"
    with translation.override("es"):
        assert languages.said(both) == f"{languages.said(FINISHED)}; {languages.said(TICK)}"
        assert "game" not in languages.said(both) and "question" not in languages.said(both)


def test_kept_words_come_back_as_words_and_other_text_as_it_is():
    kept = languages.kept(joined(FINISHED, TICK), most=200)
    assert kept.startswith("{") and str(languages.restored(kept)) == "the game is finished; tick at least one question"
    with translation.override("de"):
        assert languages.said(languages.restored(kept)) == languages.said(joined(FINISHED, TICK))
    assert languages.restored("an old note in English") == "an old note in English"
    unfit = '{"template": "%(missing)s", "values": {"other": 1}}'
    assert languages.restored(unfit) == unfit
    assert languages.kept(FINISHED, most=10) == "the game i"  # too long as words: English, cut
