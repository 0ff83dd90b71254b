"""`manage.py createhost NAME`: a teacher's account made by the server's administrator (SIGNUP_OPEN=false).

Unlike `createsuperuser` the account is a host, nothing more: it runs games, and cannot open the admin.
"""

from __future__ import annotations

import getpass
import sys

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Make a host (teacher) account. The password is asked twice at a terminal; piped in, it is the first "
        "line read (e.g. from a password manager), never an argument that `ps` would show."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")

    def handle(self, *args, username: str, email: str, **options) -> None:
        users = get_user_model()
        if users.objects.filter(username=username).exists():
            raise CommandError(f"there is already an account named {username!r}")
        if sys.stdin.isatty():
            password = getpass.getpass("Password: ")
            if getpass.getpass("Password (again): ") != password:
                raise CommandError("the two passwords differ")
        else:
            password = sys.stdin.readline().rstrip("\n")
        user = users(username=username, email=email)
        try:
            password_validation.validate_password(password, user)
        except ValidationError as refused:
            raise CommandError(" ".join(refused.messages)) from None
        user.set_password(password)
        user.save()
        self.stdout.write(f"host {username!r} can sign in at /accounts/login/")
