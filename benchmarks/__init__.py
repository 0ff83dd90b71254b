"""The live-update benchmark: mmgame against a bare websockets broadcast and a stock Channels consumer.

`python manage.py bench` (or `python -m benchmarks.run`) starts the servers, drives them from a
separate load process and prints one JSON report. See benchmarks/run.py.
"""
