"""Which of a host's seats are one student: as the host decided (confirmed, merged, split; mmgame.models.student),
else by nickname key. The class record and the all-time leaderboard both read students this way."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser

from mmgame.models import Player, Student, StudentName, students


@dataclass(frozen=True)
class MatchedSeat:
    """A seat in one game, and whether the host confirmed its match (or it was matched by nickname)."""

    id: int
    nickname: str
    game_id: int
    game_title: str
    confirmed: bool
    is_bot: bool = False


@dataclass
class Match:
    """One student's seats. `ref` is one of them: the host's forms name a student by it."""

    name: str
    student_id: int | None
    seats: list[MatchedSeat] = field(default_factory=list)

    @property
    def ref(self) -> int:
        return self.seats[0].id

    @property
    def games(self) -> int:
        return len({seat.game_id for seat in self.seats})

    @property
    def confirmed(self) -> bool:
        return all(seat.confirmed for seat in self.seats)


M = TypeVar("M", bound=Match)


def match_seats(host: AbstractBaseUser, make: type[M] = Match, *, include_bots: bool = False) -> list[M]:
    """The host's counted seats grouped into students, by name: linked seats by their student, unlinked ones
    by the student claiming their nickname key, else by the key alone (named by its newest spelling)."""
    if not getattr(host, "is_authenticated", False):
        return []
    matches: dict[tuple[str, object], M] = {}
    named = {s.pk: s for s in Student.objects.filter(host=host)}
    claims = {
        key: named[pk] for key, pk in StudentName.objects.filter(host=host).values_list("nickname_key", "student")
    }
    seats = students(Player.objects.filter(game__host=host), include_bots=include_bots)
    seats = seats.select_related("game").order_by("joined_at", "id")
    for seat in seats:
        student = named.get(seat.student_id) or claims.get(seat.nickname_key)
        group = ("student", student.pk) if student else ("name", seat.nickname_key)
        match = matches.get(group)
        if match is None:
            name, student_id = (student.name, student.pk) if student else (seat.nickname, None)
            match = matches[group] = make(name, student_id)
        elif student is None:
            match.name = seat.nickname  # the newest spelling
        confirmed = seat.student_id is not None
        match.seats.append(MatchedSeat(seat.pk, seat.nickname, seat.game_id, seat.game.title, confirmed, seat.is_bot))
    return sorted(matches.values(), key=lambda m: (m.name.casefold(), m.ref))
