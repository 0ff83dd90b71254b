"""The bench's CPU attribution: each sampled stack is credited to the kind of frame whose work it is in."""

from benchmarks.profile import attribute, kind_of

LOOP = "Server.run (daphne/server.py:155);BaseEventLoop._run_once (asyncio/base_events.py:1922)"


def test_a_stack_is_credited_to_the_first_kind_of_work_on_it():
    fan_out = f"{LOOP};Coalescer.run (mmgame/live/coalescer.py:58);Room.send_leaderboard (mmgame/live/room.py:150)"
    write = "LiveSocket.write_frame (mmgame/live/consumers.py:420);WebSocketProtocol.sendMessage (autobahn/x.py:1)"
    assert kind_of(f"{fan_out};{write}".split(";")) == "leaderboard"
    assert kind_of(f"{LOOP};trade_answer (mmgame/live/screens.py:58)".split(";")) == "trade_result"
    assert kind_of(f"{LOOP};Connection.doRead (twisted/internet/tcp.py:1)".split(";")).startswith("Daphne")


def test_shares_add_up_over_the_samples_of_a_raw_file(tmp_path):
    raw = tmp_path / "profile.txt"
    raw.write_text(
        f"{LOOP};Room.send_market (mmgame/live/room.py:140) 3\n"
        f"{LOOP};LiveSocket.send_check (mmgame/live/consumers.py:410) 1\n"
    )
    assert attribute(raw) == {"update": 0.75, "check frames": 0.25, "samples": 4}
