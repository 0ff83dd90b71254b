"""Why the bank refuses a request: each a stable code (the faces map codes to statuses)."""

from __future__ import annotations

from mmgame.market import Refused, gettext_noop, joined


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
        shown = joined(
            *(gettext_noop("line %(line)s: %(reason)s", line=p["line"], reason=p["reason"]) for p in problems[:5])
        )
        if len(problems) > 5:
            message = gettext_noop(
                "nothing was added: %(shown)s (and %(more)s more)", shown=shown, more=len(problems) - 5
            )
        else:
            message = gettext_noop("nothing was added: %(shown)s", shown=shown)
        super().__init__(message, problems=problems)
