"""`manage.py bench`: the live-update benchmark (benchmarks/run.py), printed as one JSON report."""

from __future__ import annotations

import argparse
import json
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Start real servers (mmgame on Daphne, a bare websockets broadcast, a stock Channels group_send app), "
        "drive N screens and K traders at them from a separate process, and print trades/s, acknowledgement "
        "latency, screen staleness, CPU per delivered message, memory per socket and messages lost, as JSON."
    )

    def add_arguments(self, parser) -> None:
        from benchmarks.run import add_arguments

        add_arguments(parser)

    def handle(self, *args, **options) -> None:
        from benchmarks.load import raise_fd_limit
        from benchmarks.run import bench

        raise_fd_limit()  # the servers and the load processes inherit it
        report = bench(argparse.Namespace(**options))
        report["command"] = " ".join(["python", "manage.py", *sys.argv[1:]]) if len(sys.argv) > 1 else None
        self.stdout.write(json.dumps(report, indent=2))
