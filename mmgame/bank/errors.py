"""Why the bank refuses a request: each a stable code (the faces map codes to statuses)."""

from __future__ import annotations

from mmgame.market import Refused


class UnknownQuestion(Refused):
    """A question the bank does not have (a key from an old page, or typed by hand)."""

    code = "unknown_question"


class NoQuestionsChosen(Refused):
    code = "no_questions_chosen"


class BadSheet(Refused):
    """A CSV file of questions with bad lines: `problems` lists each as {"line": n, "reason": "…"}, and
    nothing of the file was added."""

    code = "bad_csv"

    def __init__(self, problems: list[dict]) -> None:
        problems = sorted(problems, key=lambda problem: problem["line"])
        shown = "; ".join(f"line {p['line']}: {p['reason']}" for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"nothing was added: {shown}{more}", problems=problems)
