"""How the socket answers a refusal at connect: the close code for each error code, in one table.

Requests over an open socket are answered with an error frame carrying the code (docs/protocol.md §3);
only a screen that may not open, or may no longer stay, is closed.
"""

CLOSE_CODES = {
    "not_signed_in": 4401,
    "forbidden": 4403,
    "kicked": 4403,
    "waiting": 4403,  # in the game's waiting room: the host has not let it in yet (it may reconnect once in)
    "turned_away": 4403,
    "not_found": 4404,
    "not_reading": 4408,  # it did not echo the server's checks (mmgame.live.reading): it may reconnect
    "too_many_screens": 4429,
    "flooding": 4413,  # frames faster than any page sends them: it may reconnect after a pause
}
SERVER_ERROR = 1011


def close_code(code: str) -> int:
    return CLOSE_CODES.get(code, 4400)
