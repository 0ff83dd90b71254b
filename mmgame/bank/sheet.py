"""A host's questions as a CSV file: one question a line, under a header naming the columns.

    question,answer,unit,kind,scale,lo,hi,prior,prior_sd,source,category,explanation

`question`, `lo` and `hi` are needed; the columns may come in any order and the others may be left out or
empty (kind: count, year or measure, measure when empty; scale: linear or log, linear when empty; prior and
prior_sd: the starting curve, on a log scale its median and σ of ln x; source, category and explanation:
the teacher's notes, the source and explanation shown with the answer). Numbers are read as people type
them ("8,546,000,000", "8.5 billion", "2e9") and written plainly.

Text that a spreadsheet would run as a formula (= + - @ first) is written behind a single quote, as in the
game's other exports (mmgame/web/csv_safety.py), and the quote is taken off again on reading, so that a file
written here reads back to the same questions.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from decimal import Decimal

from mmgame import numbers
from mmgame.text import first_control

from . import Question
from .errors import BadSheet

HEADER = ("question", "answer", "unit", "kind", "scale", "lo", "hi", "prior", "prior_sd", "source", "category")
HEADER += ("explanation",)
REQUIRED = ("question", "lo", "hi")
KINDS = ("count", "year", "measure")
SCALES = ("linear", "log")
MOST_LINES = 500
LONGEST = {"question": 300, "unit": 40, "source": 200, "category": 100, "explanation": 400}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LINE_BREAK = re.compile(r"\r\n|\r|\n")
TEXT_COLUMNS = frozenset({"question", "unit", "source", "category", "explanation"})


def inert(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def restored(text: str) -> str:
    """A cell written by `inert`, as it was."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def plain(value: Decimal | None) -> str:
    """An exact decimal without exponent or trailing zeros: 384400, 0.44, -273.15."""
    return "" if value is None else format(value.normalize(), "f")


def write_sheet(questions: Iterable[Question]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for q in questions:
        cells = {
            "question": q.question,
            "answer": plain(q.answer),
            "unit": q.unit,
            "kind": q.kind,
            "scale": q.scale,
            "lo": plain(q.lo),
            "hi": plain(q.hi),
            "prior": plain(q.prior),
            "prior_sd": plain(q.prior_sd),
            "source": q.source,
            "category": q.category,
            "explanation": q.explanation,
        }
        writer.writerow([inert(cells[c]) if c in TEXT_COLUMNS else cells[c] for c in HEADER])
    return out.getvalue()


def decoded(data: bytes | str) -> str:
    """The file as text: UTF-8, with or without the byte-order mark spreadsheets put first."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise BadSheet([{"line": line, "reason": "this line is not UTF-8 text; save the file as CSV UTF-8"}]) from None


def read_sheet(data: bytes | str) -> tuple[list[tuple[int, Question]], list[dict]]:
    """The questions of a CSV file with the line each starts on, and the problems of the lines that could not
    be read ({"line": n, "reason": "…"}). A bad header refuses the whole file at once (BadSheet)."""
    reader = csv.reader(io.StringIO(decoded(data), newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise BadSheet([{"line": 1, "reason": "the file is empty; its first line names the columns"}]) from None
    except csv.Error as error:
        raise BadSheet([{"line": 1, "reason": f"the header cannot be read ({error})"}]) from None
    check_header(header)
    found: list[tuple[int, Question]] = []
    problems: list[dict] = []
    last = reader.line_num
    while True:
        start = last + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append({"line": start, "reason": f"this line cannot be read as CSV ({error})"})
            break
        last = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        if len(found) + len(problems) >= MOST_LINES:
            problems.append({"line": start, "reason": f"a file holds at most {MOST_LINES} questions"})
            break
        try:
            found.append((start, question_of(header, cells)))
        except ValueError as error:
            problems.append({"line": start, "reason": str(error)})
    return found, problems


def check_header(header: list[str]) -> None:
    unknown = [name for name in header if name not in HEADER]
    doubled = sorted({name for name in header if header.count(name) > 1})
    missing = [name for name in REQUIRED if name not in header]
    reasons = []
    if unknown:
        reasons.append(f"unknown column {', '.join(repr(n) for n in unknown)}")
    if doubled:
        reasons.append(f"column {', '.join(doubled)} named twice")
    if missing:
        reasons.append(f"missing column {', '.join(missing)}")
    if reasons:
        columns = ",".join(HEADER)
        raise BadSheet([{"line": 1, "reason": "; ".join(reasons) + f" (the header is {columns})"}])


def question_of(header: list[str], cells: list[str]) -> Question:
    """One line as a question, or ValueError with the reason in the teacher's words."""
    if len(cells) > len(header):
        raise ValueError(f"this line has {len(cells)} cells but the header names {len(header)} columns")
    # A line break inside a cell (a spreadsheet's Alt+Enter) becomes a space; other control characters are
    # refused (mmgame.text).
    row = {name: restored(LINE_BREAK.sub(" ", cell).strip()) for name, cell in zip(header, cells, strict=False)}
    for name, cell in row.items():
        if found := first_control(cell):
            raise ValueError(f"the {name} holds a control character ({found[1]}); save the cell as plain text")
    text = {name: row.get(name, "") for name in HEADER}
    for name, longest in LONGEST.items():
        if len(text[name]) > longest:
            raise ValueError(f"the {name} is at most {longest} characters")
    if not text["question"]:
        raise ValueError("the question is empty")
    kind = text["kind"].lower() or "measure"
    if kind not in KINDS:
        raise ValueError(f"the kind is count, year or measure, not {text['kind']!r}")
    scale = text["scale"].lower() or "linear"
    if scale not in SCALES:
        raise ValueError(f"the scale is linear or log, not {text['scale']!r}")
    unit = text["unit"]
    lo, hi = read(text, "lo", unit, needed=True), read(text, "hi", unit, needed=True)
    answer = read(text, "answer", unit)
    if lo is not None and hi is not None and lo >= hi:
        raise ValueError(f"lo ({plain(lo)}) must be below hi ({plain(hi)})")
    if answer is not None:
        if not lo <= answer <= hi:
            raise ValueError(f"the answer {plain(answer)} is outside the range {plain(lo)} to {plain(hi)}")
        if kind != "measure" and answer != answer.to_integral_value():
            raise ValueError(f"the answer to a {kind} question is a whole number, not {plain(answer)}")
    return Question(
        question=text["question"],
        lo=lo,
        hi=hi,
        unit=unit,
        kind=kind,
        scale=scale,
        answer=answer,
        prior=read(text, "prior", unit),
        prior_sd=read(text, "prior_sd", unit if scale == "linear" else ""),
        source=text["source"],
        category=text["category"],
        explanation=text["explanation"],
    )


def read(text: dict[str, str], name: str, unit: str, *, needed: bool = False) -> Decimal | None:
    if not text[name]:
        if needed:
            raise ValueError(f"{name} is empty; it needs a number")
        return None
    try:
        return numbers.read_number(text[name], unit=unit).value
    except numbers.Unreadable as refused:
        if refused.reason == "too_large":
            raise ValueError(f"{name} {text[name]!r} is too large: numbers are at most 10^15 in size") from None
        if refused.reason == "too_small":
            raise ValueError(f"{name} {text[name]!r} is too close to 0: type 0, or at least 10^-99") from None
        raise ValueError(f"{name} {text[name]!r} is not a number") from None
