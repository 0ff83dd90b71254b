"""Issue 23, finding 9 against a real Daphne: started with `--proxy-headers` (as the README once advised)
while BEHIND_PROXY is off, Daphne takes the first X-Forwarded-For entry, which the client writes, for its
address; forged addresses must still count as one client. If Daphne stops putting the claim where the
socket's address was, the first assertion says so (mmgame.clients.claimed_address reads it that way)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from .conftest import serving

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


def join(server, code: str, nickname: str, forged: str) -> int:
    request = urllib.request.Request(
        f"{server.origin}/api/games/{code}/join",
        data=json.dumps({"nickname": nickname}).encode(),
        headers={"Content-Type": "application/json", "X-Forwarded-For": forged},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as refused:
        return refused.code


def test_forged_forwarded_addresses_do_not_pass_the_join_limit(tmp_path):
    with serving(tmp_path, args=("--proxy-headers",), settings="tests.live.proxy_settings") as server:
        code = server.run(
            "from django.contrib.auth import get_user_model\n"
            "from mmgame import services\n"
            "host = get_user_model().objects.create_user(username='t', password='correct horse battery')\n"
            "print(json.dumps(services.create_game(host, 'Class').join_code))\n"
        )
        answers = [join(server, code, f"Sock {i}", f"203.0.113.{i}") for i in range(6)]

        # Daphne took the client's claim for its address (its access log shows it): the premise of the rule
        assert "203.0.113.0:0 - - " in server.log()
        assert answers == [201, 201, 201, 429, 429, 429]
