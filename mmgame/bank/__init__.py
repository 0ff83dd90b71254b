"""The question bank: ready questions, each with its answer, unit, range, scale and a source for the answer.

The questions live in questions.json beside this module, their numbers written as exact decimals (text, so
that nothing is rounded through binary floats). Pure Python, no Django: mmgame.services.bank turns chosen
questions into draft markets, and mmgame.bank.sheet reads and writes a host's own questions as CSV.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

# The categories in the order a host sees them, with the words the pages use.
CATEGORIES = {
    "room": "Estimation in the room",
    "science": "Science",
    "geography": "Geography",
    "history": "History",
    "fermi": "Fermi questions",
    "weather": "This week's weather",
}
# Questions whose answer only the teacher can supply: the jar on the desk, the weather to come.
TEACHER_CATEGORIES = frozenset({"room", "weather"})


@dataclass(frozen=True)
class Question:
    """One question as a market would ask it. On a log scale `prior` is a median and `prior_sd` σ of ln x
    (docs/maths.md § Log markets); without them the market starts from the middle of its range."""

    question: str
    lo: Decimal
    hi: Decimal
    unit: str = ""
    kind: str = "measure"
    scale: str = "linear"
    answer: Decimal | None = None
    prior: Decimal | None = None
    prior_sd: Decimal | None = None
    source: str = ""
    category: str = ""
    explanation: str = ""
    key: str = ""
    picture: str = ""  # a file name in the zip the sheet came in (mmgame.bank.sheet)
    picture_alt: str = ""

    @property
    def teacher_answers(self) -> bool:
        """The answer is the teacher's to enter (counted in the room, or the week's weather)."""
        return self.category in TEACHER_CATEGORIES

    @property
    def category_label(self) -> str:
        return CATEGORIES.get(self.category, self.category)

    def market_arguments(self) -> dict:
        """The keyword arguments of mmgame.services.add_market for this question, its answer entered in
        advance (the host's secret) and a sealed first guess asked before trading."""
        log = self.scale == "log"
        arguments: dict = {
            "question": self.question,
            "unit": self.unit,
            "kind": self.kind,
            "scale": self.scale,
            "lo": self.lo,
            "hi": self.hi,
            "answer": self.answer,
            "first_guess": True,
            "source": self.source,
            "explanation": self.explanation,
        }
        if self.prior is not None:
            arguments["prior_median" if log else "prior_mean"] = self.prior
        if self.prior_sd is not None:
            arguments["prior_sd_log" if log else "prior_sd"] = self.prior_sd
        return arguments


def number(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@functools.cache
def questions() -> tuple[Question, ...]:
    """Every question of the built-in bank, in the order of the data file."""
    data = json.loads(resources.files(__package__).joinpath("questions.json").read_text(encoding="utf-8"))
    return tuple(
        Question(
            key=entry["key"],
            category=entry["category"],
            question=entry["question"],
            unit=entry.get("unit", ""),
            kind=entry["kind"],
            scale=entry.get("scale", "linear"),
            lo=Decimal(entry["lo"]),
            hi=Decimal(entry["hi"]),
            answer=number(entry.get("answer")),
            prior=number(entry.get("prior")),
            prior_sd=number(entry.get("prior_sd")),
            source=entry.get("source", ""),
            explanation=entry.get("explanation", ""),
        )
        for entry in data["questions"]
    )


def in_category(category: str | None) -> list[Question]:
    """The bank's questions in one category; every question for None or an unknown category."""
    if category not in CATEGORIES:
        return list(questions())
    return [q for q in questions() if q.category == category]


def by_key(key: str) -> Question | None:
    return next((q for q in questions() if q.key == key), None)


def by_text(text: str) -> Question | None:
    """The bank's question asked in exactly these words (for a market added from the bank)."""
    return next((q for q in questions() if q.question == text), None)


__all__ = ["CATEGORIES", "TEACHER_CATEGORIES", "Question", "by_key", "by_text", "in_category", "questions"]
