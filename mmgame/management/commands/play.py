"""`manage.py play`: everything a newcomer needs in one command — a database, a demo host and game, a server."""

from __future__ import annotations

import contextlib
import socket
import struct

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from mmgame import services
from mmgame.models import Game

SIOCGIFADDR = 0x8915  # Linux's "get interface address" ioctl
DEMO_USERNAME = "host"
DEMO_PASSWORD = "mmgame-demo"


class Command(BaseCommand):
    help = "Migrate, create a demo host and game (the seed's market N(100, 100²)), and serve the game."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--addr", default="127.0.0.1", help="Address to listen on (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on (default 8000).")
        parser.add_argument("--no-server", action="store_true", help="Set up the demo, print how to play, stop.")

    def handle(self, *args, addr: str, port: int, no_server: bool, **options) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        host, created = self.demo_host()
        game = self.demo_game(host)
        public = self.lan_addresses() if addr == "0.0.0.0" else []
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, *public]
        shown = public[0] if public else "localhost" if addr in ("127.0.0.1", "0.0.0.0") else addr
        url = f"http://{shown}:{port}"
        if public and not settings.PUBLIC_URL:
            settings.PUBLIC_URL = url  # the QR code and join link point phones here, not at localhost
        password = f"'{DEMO_PASSWORD}'" + ("" if created else " (set on the first run)")
        self.stdout.write(
            "\n".join(
                [
                    "",
                    self.style.SUCCESS("mmgame is ready."),
                    f"  Open            {url}/",
                    f"  Sign in as host username '{DEMO_USERNAME}', password {password}",
                    f"  Demo game       '{game.title}', join code {game.join_code}",
                    f"  Players join at {url}/join/{game.join_code}/",
                    "  (For phones on your network, run with --addr 0.0.0.0.)" if addr == "127.0.0.1" else "",
                    f"  JSON API        {url}/api/docs",
                    "",
                ]
            )
        )
        if not no_server:
            call_command("runserver", f"{addr}:{port}", use_reloader=False)

    @staticmethod
    def lan_addresses() -> list[str]:
        """This machine's own IPv4 addresses other than loopback, for phones on the same network."""
        found: list[str] = []
        try:
            import fcntl  # Linux and macOS: ask each interface for its address

            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                for _, name in socket.if_nameindex():
                    request = struct.pack("256s", name.encode()[:15])
                    try:
                        reply = fcntl.ioctl(probe.fileno(), SIOCGIFADDR, request)
                    except OSError:
                        continue  # no IPv4 address on this interface
                    found.append(socket.inet_ntoa(reply[20:24]))
        except (ImportError, OSError):
            pass
        with contextlib.suppress(OSError):
            found += socket.gethostbyname_ex(socket.gethostname())[2]
        return list(dict.fromkeys(ip for ip in found if not ip.startswith("127.")))

    def demo_host(self):
        User = get_user_model()
        host = User.objects.filter(username=DEMO_USERNAME).first()
        if host:
            return host, False
        return User.objects.create_user(DEMO_USERNAME, password=DEMO_PASSWORD), True

    @transaction.atomic
    def demo_game(self, host) -> Game:
        """The host's latest game still being played, or a new one with the seed notebook's market in it."""
        game = Game.objects.filter(host=host).exclude(status=Game.Status.FINISHED).order_by("-created_at").first()
        if game:
            return game
        game = services.create_game(host, "Demo: the jelly bean jar")
        market = services.add_market(
            host,
            game,
            question="How many jelly beans are in the jar?",
            unit="beans",
            lo=0,
            hi=300,
            integer=True,
            prior_mean=100,
            prior_sd=100,
            liquidity="normal",
            first_guess=False,  # the demo opens straight into trading: no first-guess step to show as done
        )
        services.open_market(host, market.pk)
        return game
