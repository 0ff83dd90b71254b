"""The round: the phases every screen shows a market in, the statuses of its trading, and the rules between them,
in one table. The services step a market by it, mmgame.access and the clues read what each phase allows from it,
and the screens are sent what the host may do next (`steps`), so no other file states a transition.

    draft → question → first guess (sealed, optional) → guesses revealed → trading → closed → answer → lesson

Next goes to the first phase in a row's `next` that the market takes (a first guess only where the market asks
for one). Back works while nothing irreversible has happened: a first guess back to the question, trading with no
trade yet back to before it, a close back to trading, the lesson back to the answer. Revealing the guesses and
the answer cannot be taken back (`confirm`: the host is asked first). The statuses (draft → open ⇄ paused →
closed → resolved) are what trading does; each phase has the statuses it may have, the first one a step into it
sets. Pure: no Django, so every floor may ask it (docs/round.md).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

# The statuses of a market's trading.
DRAFT, OPEN, PAUSED, CLOSED, RESOLVED = "draft", "open", "paused", "closed", "resolved"
# The phases of the round (draft and closed are also statuses: the same words).
QUESTION, GUESS, GUESSES, TRADING, ANSWER, LESSON = "question", "guess", "guesses", "trading", "answer", "lesson"

# What a countdown does in a phase: the market closes at its end, or the first guesses stop.
CLOSES, STOPS_GUESSES = "close", "stop_guesses"


@dataclass(frozen=True)
class Facts:
    """What a step depends on besides the phase: whether the market asks for first guesses, whether anyone gave
    one, whether anyone traded."""

    first_guess: bool = True
    guessed: bool = False
    traded: bool = False


@dataclass(frozen=True)
class Phase:
    """One row of the round: where it may go, what it allows, which statuses the market has meanwhile."""

    name: str
    statuses: tuple[str, ...]  # the statuses a market has in this phase; a step into it sets the first
    next: tuple[str, ...] = ()  # Next: the first of these the market takes (none after the lesson)
    back: tuple[str, ...] = ()  # Back: the first of these the market takes (none: nothing to undo)
    needs: str | None = None  # the fact of the market (Facts) it takes to step into this phase
    back_needs: str | None = None  # ... to step back into it (guesses to show again)
    no_back_once: str | None = None  # Back from this phase is refused once this fact holds
    confirm: bool = False  # stepping into it cannot be undone: the host is asked first
    confirm_back: bool = False  # ... and stepping back into it too (it may show what was never revealed)
    shown: bool = True  # players see the market: its question is on screen
    guess: bool = False  # a seat may give (or change) its first guess
    guesses_shown: bool = False  # the class's first guesses may be shown to everyone
    clues: bool = False  # private clues are out
    live: bool = False  # the market's curve and feed are on the screens
    answer_shown: bool = False  # the true value is known: the round of this market is over
    timer: str | None = None  # what a countdown does here (CLOSES, STOPS_GUESSES), or None: no countdown
    # Autopilot: the phase's time by default (seconds) before the round steps itself on (`auto_step`); 0: at
    # once (not the host's to set); None: it never steps on its own (a draft waits for the host's Start).
    seconds: int | None = None


PHASES: dict[str, Phase] = {
    row.name: row
    for row in (
        Phase(DRAFT, (DRAFT,), next=(QUESTION,), shown=False),
        Phase(QUESTION, (DRAFT,), next=(GUESS, TRADING), seconds=15),
        Phase(GUESS, (DRAFT,), next=(GUESSES,), back=(QUESTION,), needs="first_guess", guess=True, clues=True,
              timer=STOPS_GUESSES, seconds=30),
        Phase(GUESSES, (DRAFT,), next=(TRADING,), needs="first_guess", back_needs="guessed", confirm=True,
              confirm_back=True, guesses_shown=True, clues=True, seconds=10),
        Phase(TRADING, (OPEN, PAUSED), next=(CLOSED,), back=(GUESSES, QUESTION), no_back_once="traded",
              guesses_shown=True, clues=True, live=True, timer=CLOSES, seconds=45),
        Phase(CLOSED, (CLOSED,), next=(ANSWER,), back=(TRADING,), guesses_shown=True, clues=True, live=True,
              seconds=0),
        Phase(ANSWER, (RESOLVED,), next=(LESSON,), confirm=True, guesses_shown=True, clues=True, live=True,
              answer_shown=True, seconds=10),
        Phase(LESSON, (RESOLVED,), back=(ANSWER,), guesses_shown=True, clues=True, live=True, answer_shown=True,
              seconds=15),
    )
}  # fmt: skip


@dataclass(frozen=True)
class Status:
    """A status of trading: which it may follow when the host sets it (open, pause, close) or resolves, the phase
    it puts the market in, and whether seats trade."""

    name: str
    phase: str
    after: tuple[str, ...] = ()
    set_by_host: bool = False  # open, pause and close are the host's buttons; resolving has its own
    trades: bool = False


STATUSES: dict[str, Status] = {
    row.name: row
    for row in (
        Status(DRAFT, QUESTION),  # back from trading, to the phase the step names
        Status(OPEN, TRADING, after=(DRAFT, PAUSED), set_by_host=True, trades=True),
        Status(PAUSED, TRADING, after=(OPEN,), set_by_host=True),
        Status(CLOSED, CLOSED, after=(OPEN, PAUSED), set_by_host=True),
        Status(RESOLVED, ANSWER, after=(CLOSED,)),
    )
}

# -- questions every part asks -----------------------------------------------------------------------------


def takes(phase: str, facts: Facts, *, back: bool = False) -> bool:
    """Whether a market with these facts may be in `phase` (stepping back into it: `back`)."""
    row = PHASES[phase]
    if row.needs is not None and not getattr(facts, row.needs):
        return False
    return not (back and row.back_needs is not None and not getattr(facts, row.back_needs))


def next_phase(phase: str, facts: Facts) -> str | None:
    """The phase Next takes a market to (None after the lesson: the next market, or the podium)."""
    return next((p for p in PHASES[phase].next if takes(p, facts)), None)


def back_phase(phase: str, facts: Facts) -> str | None:
    """The phase Back takes a market to, or None where nothing may be undone."""
    row = PHASES[phase]
    if row.no_back_once is not None and getattr(facts, row.no_back_once):
        return None
    return next((p for p in row.back if takes(p, facts, back=True)), None)


def goes_forward(phase: str, to: str, facts: Facts) -> bool:
    """Whether `to` is a step forward from `phase` (any of its `next` the market takes: the host may skip the
    first guesses through the API)."""
    return to in PHASES[phase].next and takes(to, facts)


def needs_confirm(to: str, *, back: bool) -> bool:
    """Whether a step into `to` cannot be undone, so the host must say `confirm`."""
    row = PHASES[to]
    return row.confirm_back if back else row.confirm


def status_of(phase: str) -> str:
    """The status a step into `phase` gives a market."""
    return PHASES[phase].statuses[0]


def may_set(status: str, *, now: str) -> bool:
    """Whether a market at status `now` may become `status`."""
    return now in STATUSES[status].after


def timer(phase: str, status: str) -> str | None:
    """What a countdown started now would do: close the market (open trading only), stop the first guesses, or
    nothing (None: no countdown may start)."""
    row = PHASES[phase]
    if row.timer == CLOSES and not STATUSES[status].trades:
        return None
    return row.timer


def shown(status: str, phase: str, *, overdue: bool) -> tuple[str, str]:
    """(status, phase) as every face reports them: a market past its countdown is closed, recorded or not yet."""
    if overdue and STATUSES[status].trades:
        return CLOSED, STATUSES[CLOSED].phase
    return status, phase


def where(flag: str) -> tuple[str, ...]:
    """The phases where a flag of the table holds (`guess`, `clues`, `live`...), in the round's order."""
    return tuple(name for name, row in PHASES.items() if getattr(row, flag))


def steps(phase: str, status: str, facts: Facts) -> dict:
    """What the host may do next with this market, as the screens are sent it: Next and Back (phases, or None),
    whether each asks first, what a countdown would do, and whether the market's round is over."""
    forward, backward = next_phase(phase, facts), back_phase(phase, facts)
    return {
        "next": forward,
        "next_confirm": forward is not None and needs_confirm(forward, back=False),
        "back": backward,
        "back_confirm": backward is not None and needs_confirm(backward, back=True),
        "timer": timer(phase, status),
        "over": PHASES[phase].answer_shown,
    }


# -- autopilot: the round steps itself when a phase's time is up (docs/round.md § Autopilot) ----------------

NEXT_MARKET = "next_market"  # after a market's last phase: the next question, or the podium after the last
# The phases whose time the host sets (the others step on at once, or never on their own).
TIMED = tuple(name for name, row in PHASES.items() if row.seconds)


def auto_step(phase: str, facts: Facts) -> str | None:
    """Where autopilot takes a market when its phase's time is up: Next's step, NEXT_MARKET after the last
    phase, or None where the phase never steps on its own."""
    if PHASES[phase].seconds is None:
        return None
    return next_phase(phase, facts) or NEXT_MARKET


def default_seconds() -> dict[str, int]:
    """Each timed phase's time before the round steps on, as a new game's autopilot starts with."""
    return {name: PHASES[name].seconds for name in TIMED}


def round_seconds(seconds: dict[str, int], facts: Facts) -> int:
    """How long one market's round takes on autopilot with these times: question to the end of its lesson."""
    total, phase = 0, QUESTION
    while phase != NEXT_MARKET:
        total += seconds.get(phase, PHASES[phase].seconds)
        phase = auto_step(phase, facts)
    return total


def question_seconds(seconds: dict[str, int]) -> dict[str, int]:
    """What a question takes on autopilot with these times, with first guesses and without."""
    return {
        "with_guesses": round_seconds(seconds, Facts(first_guess=True)),
        "without_guesses": round_seconds(seconds, Facts(first_guess=False)),
    }


FLAGS = ("shown", "guess", "guesses_shown", "clues", "live", "answer_shown", "needs", "timer")


def for_pages() -> dict:
    """The table as the pages read it: the phases in order and what each shows (no rule: steps come with each
    market)."""
    return {
        "order": list(PHASES),
        "phases": {name: {f: getattr(row, f) for f in FLAGS} for name, row in PHASES.items()},
    }


assert set(FLAGS) <= {f.name for f in fields(Phase)}
