"""Finding 12: proxy headers are trusted only when configured; every page sends a Content-Security-Policy;
/api/docs loads Swagger UI from our own static files."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from tests.django_script import run_django

pytestmark = pytest.mark.django_db


def proxy_setting(**env: str) -> object:
    environment = {k: v for k, v in os.environ.items() if k not in ("BEHIND_PROXY", "DEBUG")}
    return run_django(
        "from django.conf import settings\nprint(json.dumps(getattr(settings, 'SECURE_PROXY_SSL_HEADER', None)))",
        {**environment, "DJANGO_SETTINGS_MODULE": "mmgame.settings", **env},
    )


def test_x_forwarded_proto_is_not_trusted_by_default():
    assert proxy_setting() is None
    assert proxy_setting(DEBUG="false", SECRET_KEY="k" * 60) is None


def test_x_forwarded_proto_is_trusted_behind_a_configured_proxy():
    assert proxy_setting(BEHIND_PROXY="true") == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_a_garbled_proxy_flag_stops_the_server_rather_than_guess():
    with pytest.raises(AssertionError, match=r"BEHIND_PROXY=.maybe. is not a yes/no value"):
        proxy_setting(BEHIND_PROXY="maybe")


def test_a_client_cannot_claim_https_by_header(rf):
    request = rf.get("/", HTTP_X_FORWARDED_PROTO="https")

    assert not request.is_secure()


@pytest.mark.parametrize(
    "url", ["/", "/join/", "/accounts/login/", "/accounts/signup/", "/api/docs", "/api/openapi.json"]
)
def test_every_page_sends_a_policy_without_inline_script(client, url):
    policy = client.get(url)["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


def test_the_host_pages_send_the_policy_too(client, host, game):
    client.force_login(host)

    assert "script-src 'self'" in client.get(reverse("web:game", args=[game.pk]))["Content-Security-Policy"]


def test_api_docs_load_swagger_from_our_static_files(client):
    page = client.get("/api/docs").content.decode()

    assert '<script src="/static/ninja/swagger-ui-bundle.js">' in page
    assert "cdn" not in page.lower() and "//" not in page.replace("http://www.w3.org", "")
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_collectstatic_gathers_swagger_ui_for_production(settings, tmp_path):
    """In production WhiteNoise serves the collected files: Swagger UI must be among them."""
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", interactive=False, verbosity=0)

    assert (tmp_path / "ninja" / "swagger-ui-bundle.js").stat().st_size > 100_000
    assert (tmp_path / "ninja" / "swagger-ui-init.js").exists()
