"""`manage.py createhost`: an administrator makes a teacher's account when sign-up is closed."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def create(monkeypatch, username: str, typed: str) -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    out = io.StringIO()
    call_command("createhost", username, stdout=out)
    return out.getvalue()


def test_a_host_made_by_the_administrator_signs_in_and_is_no_admin(monkeypatch):
    said = create(monkeypatch, "ms_lovelace", "analytical engine 1843\n")

    user = get_user_model().objects.get(username="ms_lovelace")
    assert user.check_password("analytical engine 1843") and user.is_active
    assert not user.is_staff and not user.is_superuser
    assert "ms_lovelace" in said


def test_a_weak_password_is_refused_and_no_account_made(monkeypatch):
    with pytest.raises(CommandError, match="too common"):
        create(monkeypatch, "ms_lovelace", "password\n")
    assert not get_user_model().objects.filter(username="ms_lovelace").exists()


def test_an_existing_name_is_refused_and_its_password_kept(monkeypatch, host):
    with pytest.raises(CommandError, match="already an account named 'teacher'"):
        create(monkeypatch, "teacher", "another long password 99\n")
    host.refresh_from_db()
    assert host.check_password("correct horse battery")
