"""Finding 7: wrong passwords slow down one account from one address, by a growing delay, never for good.

Time is moved by ageing django-axes' records (what its clock sees), not by sleeping.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration
from django.contrib.auth import get_user_model
from django.db.models import F
from django.test import Client
from django.urls import reverse

from mmgame.web.sign_in import delay_after

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
CLASSROOM, TEACHERS_PHONE = "203.0.113.10", "198.51.100.20"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in(password: str, address: str = CLASSROOM, url: str = "/accounts/login/"):
    return Client().post(url, {"username": "teacher", "password": password}, REMOTE_ADDR=address)


def elapse(delta: timedelta) -> None:
    """As if `delta` had passed for every sign-in record."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - delta)
    AccessAttemptExpiration.objects.update(expires_at=F("expires_at") - delta)


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/host/"


def test_the_right_password_signs_in(host):
    assert signed_in(sign_in(PASSWORD))


def test_after_five_wrong_passwords_even_the_right_one_waits(host):
    answers = [sign_in("guess") for _ in range(5)]

    held = sign_in(PASSWORD)

    assert [a.status_code for a in answers[:4]] == [200] * 4  # the form again, with its error
    assert held.status_code == 429 and "Too many wrong passwords" in held.content.decode()


def test_the_teacher_signs_in_at_once_from_another_address(host):
    for _ in range(8):
        sign_in("guess")

    assert signed_in(sign_in(PASSWORD, address=TEACHERS_PHONE))


def test_the_teacher_signs_in_from_the_same_address_after_the_delay(host):
    for _ in range(5):
        sign_in("guess")
    elapse(timedelta(seconds=50))
    assert sign_in(PASSWORD).status_code == 429

    elapse(timedelta(seconds=15))

    assert signed_in(sign_in(PASSWORD))
    assert not AccessAttempt.objects.exists()  # the right password clears the count


def test_each_further_wrong_try_doubles_the_delay(host):
    for _ in range(5):
        sign_in("guess")
    elapse(timedelta(minutes=1, seconds=5))
    sign_in("guess again")  # the sixth: two minutes now

    elapse(timedelta(minutes=1, seconds=30))
    assert sign_in(PASSWORD).status_code == 429
    elapse(timedelta(seconds=40))
    assert signed_in(sign_in(PASSWORD))


def test_the_delay_grows_to_fifteen_minutes_and_no_further():
    assert [delay_after(n).total_seconds() / 60 for n in range(4, 12)] == [0, 1, 2, 4, 8, 15, 15, 15]


def test_hammering_an_account_never_locks_it_for_good(host):
    for _ in range(30):
        sign_in("guess")

    elapse(timedelta(minutes=15, seconds=5))

    assert signed_in(sign_in(PASSWORD))


def test_admin_sign_in_is_throttled_too(host):
    get_user_model().objects.filter(pk=host.pk).update(is_staff=True, is_superuser=True)
    for _ in range(5):
        sign_in("guess", url="/admin/login/")

    assert sign_in(PASSWORD, url="/admin/login/").status_code == 429


def test_a_forwarded_address_counts_only_behind_a_configured_proxy(host, settings):
    """Without a proxy, X-Forwarded-For is the attacker's to choose: it must not spread their guesses."""
    for i in range(5):
        Client().post(
            "/accounts/login/",
            {"username": "teacher", "password": "guess"},
            REMOTE_ADDR=CLASSROOM,
            HTTP_X_FORWARDED_FOR=f"10.9.9.{i}",
        )

    assert sign_in(PASSWORD).status_code == 429


def test_addresses_a_server_took_from_the_clients_header_do_not_spread_guesses(host, settings):
    """Issue 23: behind Daphne's --proxy-headers with BEHIND_PROXY off, each guess came "from" the address
    its X-Forwarded-For named, and 12 wrong passwords met no delay."""
    settings.BEHIND_PROXY = False
    for i in range(5):
        forged = f"10.9.9.{i}"
        Client().post(
            "/accounts/login/",
            {"username": "teacher", "password": "guess"},
            REMOTE_ADDR=forged,  # what Daphne makes of the header
            HTTP_X_FORWARDED_FOR=forged,
        )

    held = Client().post(
        "/accounts/login/",
        {"username": "teacher", "password": PASSWORD},
        REMOTE_ADDR="10.9.9.99",
        HTTP_X_FORWARDED_FOR="10.9.9.99",
    )

    assert held.status_code == 429
    assert sign_in(PASSWORD, address=TEACHERS_PHONE).status_code == 302  # the teacher's own address is not held


def test_sign_up_is_limited_per_address(db, settings):
    settings.SIGNUP_LIMIT_PER_HOUR = 2
    answers = [
        Client().post(
            reverse("web:signup"),
            {"username": f"host{i}", "password1": "a long passphrase 9", "password2": "a long passphrase 9"},
            REMOTE_ADDR=CLASSROOM,
        )
        for i in range(3)
    ]

    assert [a.status_code for a in answers] == [302, 302, 429]
    assert "try again in" in answers[-1].content.decode()
    assert sorted(get_user_model().objects.values_list("username", flat=True)) == ["host0", "host1"]


def test_sign_up_can_be_closed_by_a_setting(db, settings):
    """Issue 23, finding 5: sign-up was open to anyone; SIGNUP_OPEN=false closes it, and no page offers it."""
    settings.SIGNUP_OPEN = False
    client = Client()

    answer = client.post(
        reverse("web:signup"),
        {"username": "new", "password1": "a long passphrase 9", "password2": "a long passphrase 9"},
    )

    assert answer.status_code == 403 and "Sign-up is closed" in answer.content.decode()
    assert not get_user_model().objects.exists()
    for page in ("/", reverse("web:login")):
        assert reverse("web:signup") not in client.get(page).content.decode()


def test_a_successful_sign_in_leaves_no_record_of_its_address(host):
    """docs/privacy.md: django-axes logged every sign-in's address and browser, kept until cleared."""
    from axes.models import AccessLog

    assert signed_in(sign_in(PASSWORD))
    assert not AccessLog.objects.exists()
