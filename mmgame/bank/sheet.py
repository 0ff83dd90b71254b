"""A host's questions as a CSV file: one question a line, under a header naming the columns.

    question,answer,unit,kind,scale,lo,hi,prior,prior_sd,source,category,explanation,picture,picture_alt

`question`, `lo` and `hi` are needed; the columns may come in any order and the others may be left out or
empty (kind: count, year or measure, measure when empty; scale: linear or log, linear when empty; prior and
prior_sd: the starting curve, on a log scale its median and σ of ln x; source, category and explanation:
the teacher's notes, the source and explanation shown with the answer; picture and picture_alt: the file
name of the question's picture in a zip uploaded with the sheet, and the line saying what it shows, needed
with a picture). Numbers are read as people type them ("8,546,000,000", "8.5 billion", "2e9") and written
plainly.

Text that a spreadsheet would run as a formula (= + - @ first) is written behind a single quote, as in the
game's other exports (mmgame/web/csv_safety.py), and the quote is taken off again on reading, so that a file
written here reads back to the same questions.

A sheet with pictures comes as a zip: the CSV file and the pictures it names, each picture named by its file
name alone (`unzipped`). Nothing is written to disk: the members are read into memory, their declared sizes
bounded first.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from decimal import Decimal

from mmgame import numbers
from mmgame.market.errors import gettext_noop, joined
from mmgame.text import first_control

from . import Question
from .errors import BadSheet

HEADER = ("question", "answer", "unit", "kind", "scale", "lo", "hi", "prior", "prior_sd", "source", "category")
HEADER += ("explanation",)
HEADER += ("picture", "picture_alt")
REQUIRED = ("question", "lo", "hi")
KINDS = ("count", "year", "measure")
SCALES = ("linear", "log")
MOST_LINES = 500
LONGEST = {
    "question": 300,
    "unit": 40,
    "source": 140,
    "category": 100,
    "explanation": 240,
    "picture": 100,
    "picture_alt": 300,
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LINE_BREAK = re.compile(r"\r\n|\r|\n")
TEXT_COLUMNS = frozenset({"question", "unit", "source", "category", "explanation", "picture", "picture_alt"})
ZIP_START = b"PK\x03\x04"
MOST_MEMBERS = MOST_LINES + 10  # the sheet, a picture a question, and a few files a computer adds


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
            "picture": q.picture,
            "picture_alt": q.picture_alt,
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
        raise BadSheet(
            [{"line": line, "reason": gettext_noop("this line is not UTF-8 text; save the file as CSV UTF-8")}]
        ) from None


def read_sheet(data: bytes | str) -> tuple[list[tuple[int, Question]], list[dict]]:
    """The questions of a CSV file with the line each starts on, and the problems of the lines that could not
    be read ({"line": n, "reason": "…"}). A bad header refuses the whole file at once (BadSheet)."""
    reader = csv.reader(io.StringIO(decoded(data), newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise BadSheet(
            [{"line": 1, "reason": gettext_noop("the file is empty; its first line names the columns")}]
        ) from None
    except csv.Error as error:
        raise BadSheet(
            [{"line": 1, "reason": gettext_noop("the header cannot be read (%(error)s)", error=error)}]
        ) from None
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
            problems.append(
                {"line": start, "reason": gettext_noop("this line cannot be read as CSV (%(error)s)", error=error)}
            )
            break
        last = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        if len(found) + len(problems) >= MOST_LINES:
            problems.append(
                {"line": start, "reason": gettext_noop("a file holds at most %(most)s questions", most=MOST_LINES)}
            )
            break
        try:
            found.append((start, question_of(header, cells)))
        except ValueError as error:
            problems.append({"line": start, "reason": error.args[0] if error.args else str(error)})
    return found, problems


def check_header(header: list[str]) -> None:
    unknown = [name for name in header if name not in HEADER]
    doubled = sorted({name for name in header if header.count(name) > 1})
    missing = [name for name in REQUIRED if name not in header]
    columns = ",".join(HEADER)
    reasons = []
    if unknown:
        names = ", ".join(repr(n) for n in unknown)
        reasons.append(
            gettext_noop("unknown column %(names)s (the header is %(columns)s)", names=names, columns=columns)
        )
    if doubled:
        names = ", ".join(doubled)
        reasons.append(
            gettext_noop("column %(names)s named twice (the header is %(columns)s)", names=names, columns=columns)
        )
    if missing:
        names = ", ".join(missing)
        reasons.append(
            gettext_noop("missing column %(names)s (the header is %(columns)s)", names=names, columns=columns)
        )
    if reasons:  # said together, each in the reader's language (mmgame.languages.said)
        raise BadSheet([{"line": 1, "reason": joined(*reasons)}])


def question_of(header: list[str], cells: list[str]) -> Question:
    """One line as a question, or ValueError with the reason in the teacher's words."""
    if len(cells) > len(header):
        raise ValueError(
            gettext_noop(
                "this line has %(cells)s cells but the header names %(header)s columns",
                cells=len(cells),
                header=len(header),
            )
        )
    # A line break inside a cell (a spreadsheet's Alt+Enter) becomes a space; other control characters are
    # refused (mmgame.text).
    row = {name: restored(LINE_BREAK.sub(" ", cell).strip()) for name, cell in zip(header, cells, strict=False)}
    for name, cell in row.items():
        if found := first_control(cell):
            raise ValueError(
                gettext_noop(
                    "the %(name)s holds a control character (%(found)s); save the cell as plain text",
                    name=name,
                    found=found[1],
                )
            )
    text = {name: row.get(name, "") for name in HEADER}
    for name, longest in LONGEST.items():
        if len(text[name]) > longest:
            raise ValueError(gettext_noop("the %(name)s is at most %(longest)s characters", name=name, longest=longest))
    if not text["question"]:
        raise ValueError(gettext_noop("the question is empty"))
    kind = text["kind"].lower() or "measure"
    if kind not in KINDS:
        raise ValueError(gettext_noop("the kind is count, year or measure, not %(kind)s", kind=f"{text['kind']!r}"))
    scale = text["scale"].lower() or "linear"
    if scale not in SCALES:
        raise ValueError(gettext_noop("the scale is linear or log, not %(scale)s", scale=f"{text['scale']!r}"))
    unit = text["unit"]
    lo, hi = read(text, "lo", unit, needed=True), read(text, "hi", unit, needed=True)
    answer = read(text, "answer", unit)
    if lo is not None and hi is not None and lo >= hi:
        raise ValueError(gettext_noop("lo (%(lo)s) must be below hi (%(hi)s)", lo=plain(lo), hi=plain(hi)))
    if answer is not None:
        if not lo <= answer <= hi:
            raise ValueError(
                gettext_noop(
                    "the answer %(answer)s is outside the range %(lo)s to %(hi)s",
                    answer=plain(answer),
                    lo=plain(lo),
                    hi=plain(hi),
                )
            )
        if kind != "measure" and answer != answer.to_integral_value():
            raise ValueError(
                gettext_noop(
                    "the answer to a %(kind)s question is a whole number, not %(answer)s",
                    kind=kind,
                    answer=plain(answer),
                )
            )
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
        **picture_of(text),
    )


def picture_of(text: dict[str, str]) -> dict[str, str]:
    """A line's picture: a file name with no folder in it, and the alt text it needs."""
    name, alt = text["picture"], text["picture_alt"]
    if not name:
        return {}
    if "/" in name or "\\" in name or name in (".", ".."):
        raise ValueError(
            gettext_noop(
                "the picture %(name)s names a folder; give the picture's file name alone, like jar.jpg",
                name=f"{name!r}",
            )
        )
    if not alt:
        raise ValueError(
            gettext_noop("the picture %(name)s needs a picture_alt: a line saying what it shows", name=name)
        )
    return {"picture": name, "picture_alt": alt}


def zipped(text: str, pictures: dict[str, bytes]) -> bytes:
    """A sheet and the pictures it names as one zip, as `unzipped` reads it back."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:  # pictures are compressed already
        archive.writestr("questions.csv", text)
        for name, content in pictures.items():
            archive.writestr(name, content)
    return out.getvalue()


def is_zip(data: bytes | str) -> bool:
    return isinstance(data, bytes) and data.startswith(ZIP_START)


def unzipped(data: bytes, *, most_bytes: int) -> tuple[bytes, dict[str, bytes]]:
    """A zip of a sheet and its pictures: the one CSV file's bytes and the other files by their file names.
    Refused (BadSheet on line 1) when it is not a zip, holds no CSV or two, names a member outside itself
    (`../x.png`, `/etc/x`), or says it unpacks to more than `most_bytes`, before anything is unpacked."""

    def refused(reason: str) -> BadSheet:
        return BadSheet([{"line": 1, "reason": reason}])

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise refused(gettext_noop("the zip file cannot be read")) from None
    if len(members) > MOST_MEMBERS:
        raise refused(gettext_noop("a zip holds at most %(most_members)s files", most_members=MOST_MEMBERS))
    if sum(info.file_size for info in members) > most_bytes:
        raise refused(
            gettext_noop("the zip unpacks to more than %(most_bytes)s MB", most_bytes=most_bytes // (1024 * 1024))
        )
    files: dict[str, bytes] = {}
    sheets: list[bytes] = []
    for info in members:
        path = info.filename.replace("\\", "/")
        if path.startswith("/") or ".." in path.split("/"):
            raise refused(
                gettext_noop(
                    "the zip holds %(filename)s, a name outside the zip; zip the files themselves",
                    filename=f"{info.filename!r}",
                )
            )
        name = path.rsplit("/", 1)[-1]
        if path.startswith("__MACOSX/") or name.startswith("."):
            continue  # what a Mac adds to a zip it makes
        try:
            content = archive.read(info)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, EOFError, OSError):
            raise refused(gettext_noop("the file %(name)s in the zip cannot be read", name=name)) from None
        if name.lower().endswith(".csv"):
            sheets.append(content)
        elif name in files:
            raise refused(gettext_noop("the zip holds two files named %(name)s", name=name))
        else:
            files[name] = content
    if len(sheets) != 1:
        raise refused(gettext_noop("the zip holds one CSV file of questions, and the pictures it names"))
    return sheets[0], files


def read(text: dict[str, str], name: str, unit: str, *, needed: bool = False) -> Decimal | None:
    if not text[name]:
        if needed:
            raise ValueError(gettext_noop("%(name)s is empty; it needs a number", name=name))
        return None
    try:
        return numbers.read_number(text[name], unit=unit).value
    except numbers.Unreadable as refused:
        if refused.reason == "too_large":
            raise ValueError(
                gettext_noop(
                    "%(name)s %(name2)s is too large: numbers are at most 10^15 in size",
                    name=name,
                    name2=f"{text[name]!r}",
                )
            ) from None
        if refused.reason == "too_small":
            raise ValueError(
                gettext_noop(
                    "%(name)s %(name2)s is too close to 0: type 0, or at least 10^-99",
                    name=name,
                    name2=f"{text[name]!r}",
                )
            ) from None
        raise ValueError(
            gettext_noop("%(name)s %(name2)s is not a number", name=name, name2=f"{text[name]!r}")
        ) from None
