"""The host's decisions on a class's record: which seats are one student (mmgame.models.student).

By default seats are matched by nickname key, which a squatter exploits. The host may confirm a row (its
seats are linked to one student; later seats with its name still join it, shown as not yet confirmed),
merge two rows (two nicknames are one student: later seats with either name join it) or split a seat off
its row (this seat is not that student: it becomes a row of its own, and no later seat follows it by name).
A row is named by any of its seats. Each runs in one transaction with the host's row locked, so two
decisions at once do not interleave.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from mmgame.access import check_host
from mmgame.market import gettext_noop
from mmgame.models import Player, Student, StudentName, students

from .errors import NotFound, NothingToChange


def confirm_student(*, host: AbstractBaseUser, seat_id: int) -> Student:
    """Confirm the seat's row: every seat now matched to it is linked to its student for good."""
    with transaction.atomic():
        seat = host_seat(host, seat_id)
        student = student_of(seat, create=True)
        link_matched(host, student)
        return student


def merge_students(*, host: AbstractBaseUser, seat_id: int, into_seat_id: int) -> Student:
    """The seat's row and the other seat's row are one student: the first joins the second (confirmed),
    and later seats with either row's names count as that student's."""
    with transaction.atomic():
        seat, into = host_seat(host, seat_id), host_seat(host, into_seat_id)
        target = student_of(into, create=True)
        source = student_of(seat)
        if source == target:
            raise NothingToChange(gettext_noop("these seats are already one student"))
        if source is None:
            StudentName.objects.create(host=host, student=target, nickname_key=seat.nickname_key)
        else:
            Player.objects.filter(student=source).update(student=target)
            StudentName.objects.filter(student=source).update(student=target)
            source.delete()
        link_matched(host, target)
        return target


def split_seat(*, host: AbstractBaseUser, seat_id: int) -> Student:
    """This seat is not the student it was matched to: it becomes a student of its own, whom no later
    seat joins by name (merge it with another row if it is someone else's)."""
    with transaction.atomic():
        seat = host_seat(host, seat_id)
        student = student_of(seat)
        if student is None:
            others = unlinked(host, [seat.nickname_key])
        else:
            others = Player.objects.filter(student=student) | unlinked(host, names_of(student))
        if not students(others.exclude(pk=seat.pk)).exists():
            raise NothingToChange(gettext_noop("this seat is the only one of its student: there is nothing to split"))
        alone = Student.objects.create(host=host, name=seat.nickname)
        Player.objects.filter(pk=seat.pk).update(student=alone)
        return alone


def host_seat(host: AbstractBaseUser, seat_id: object) -> Player:
    """A counted seat of one of the host's games, with the host's row locked; anything else is not found."""
    try:
        seat = students(Player.objects.select_related("game")).filter(pk=int(seat_id)).first()
    except (TypeError, ValueError, OverflowError):
        seat = None
    if seat is None:
        raise NotFound(gettext_noop("no such seat"))
    check_host(host, seat.game)
    get_user_model().objects.select_for_update().filter(pk=host.pk).first()
    return seat


def student_of(seat: Player, *, create: bool = False) -> Student | None:
    """The student a seat is matched to: the one it is linked to, else the one claiming its nickname key;
    with `create`, a new student claiming that key when there is none (named as its newest seat is)."""
    if seat.student_id is not None:
        return Student.objects.get(pk=seat.student_id)
    host_id = seat.game.host_id
    claim = StudentName.objects.select_related("student").filter(host_id=host_id, nickname_key=seat.nickname_key)
    if (found := claim.first()) is not None:
        return found.student
    if not create:
        return None
    newest = Player.objects.filter(game__host_id=host_id, student__isnull=True, nickname_key=seat.nickname_key)
    name = newest.order_by("-joined_at", "-id").values_list("nickname", flat=True).first() or seat.nickname
    student = Student.objects.create(host_id=host_id, name=name)
    StudentName.objects.create(host_id=host_id, student=student, nickname_key=seat.nickname_key)
    return student


def names_of(student: Student) -> list[str]:
    return list(student.names.values_list("nickname_key", flat=True))


def unlinked(host: AbstractBaseUser, keys: list[str]):
    """The host's seats matched by these nickname keys alone, linked to no student."""
    return Player.objects.filter(game__host=host, student__isnull=True, nickname_key__in=keys)


def link_matched(host: AbstractBaseUser, student: Student) -> None:
    """Link to the student every seat now matched to it by one of its names."""
    unlinked(host, names_of(student)).update(student=student)
