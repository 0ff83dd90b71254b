"""A student across a host's games, as the host has matched their seats (README, "A class's record").

Players have no accounts: by default a class's record matches seats by nickname key, which is what a
squatter exploits. A `Student` is the host's decision: the seats linked to it (`Player.student`) are theirs
whatever they are called; a seat linked to none goes to the student that claims its nickname key (a
`StudentName`), and otherwise makes a row of its own with every other unlinked seat of that key.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet


def students(seats: QuerySet, *, include_bots: bool = False) -> QuerySet:
    """The seats a class's record counts: the one place that says who is not a student. Removed seats never
    are; practice traders are not, but on the all-time board of games whose host included them."""
    if include_bots:
        return seats.filter(kicked=False).exclude(is_bot=True, game__include_bots=False)
    return seats.filter(kicked=False, is_bot=False)


class Student(models.Model):
    """One person in a host's class, as the host confirmed, merged or split their seats."""

    host = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="students")
    name = models.CharField(max_length=24)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="student_name_nonempty")]

    def __str__(self) -> str:
        return self.name


class StudentName(models.Model):
    """A nickname key whose unlinked seats count as this student's: the names the host confirmed or merged.
    A seat split off a student claims none, so a squatter's later seats do not follow it."""

    host = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="names")
    nickname_key = models.CharField(max_length=192)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["host", "nickname_key"], name="student_name_key_unique_per_host"),
            models.CheckConstraint(condition=~Q(nickname_key=""), name="student_name_key_nonempty"),
        ]

    def __str__(self) -> str:
        return f"{self.nickname_key} → {self.student}"
