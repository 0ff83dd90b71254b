"""Who may see and do what. Every face (the API, the pages, the sockets) and every service asks here, so
each rule is written once and answers the same everywhere.

A `Caller` is what a face knows of who is asking: a signed-in user, the seats their browser session holds,
a seat token sent in a header (bots). A `Viewer` is that caller in one game: its host, a player (a seat in
the game), or a stranger. The rules:

- A stranger learns nothing of a game or its markets: another host's game, a market of a game one has no
  seat in and a draft (the host's secret until its question is shown) are all "not found", never
  "forbidden". The answer a host enters in advance is theirs alone (`secret_answer`), and a first guess is
  its player's alone until the host reveals the guesses (`guesses_revealed`). A first guess's reason is
  the host's alone (`every_reason`); the host picks up to three, which everyone sees with the revealed
  guesses (`picked_reasons_shown`), named unless the game hides names.
- A kicked seat may not watch or trade ("kicked").
- A phone in the game's waiting room (an `Arrival`) is no seat: it sees nothing of the game's markets and
  may not trade or guess until the host lets it in ("waiting"), nor ever once turned away ("turned_away").
  The host admits, admits all and turns away; anyone else finds no one waiting.
- Host actions need the game's host; a player of the game who asks is told so ("forbidden").
- With hidden names, players and the projector see no one else's name, player id, order or cost in the
  boards and the feed (an id joins the lobby's names to the boards; a feed line's cost and the market's
  curve before and after it give that player's profit). A player always sees their own rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.sessions.backends.base import SessionBase
from django.db.models import QuerySet

from mmgame import round
from mmgame.market import Refused, gettext_noop
from mmgame.models import Arrival, Game, Market, Player

SEATS_SESSION_KEY = "seats"  # {str(game id): seat token}, in the browser's session
SEAT_TOKEN_LENGTH = range(10, 65)
UNSHOWN = tuple(phase for phase, row in round.PHASES.items() if not row.shown)  # a draft: the host's alone


class NotFound(Refused):
    code = "not_found"


class Forbidden(Refused):
    """Something the viewer may see but not do: a host action by a player, trading without a seat."""

    code = "forbidden"


class NotSignedIn(Refused):
    """No login and no seat: sign in as the host, or join the game."""

    code = "not_signed_in"


class Kicked(Forbidden):
    code = "kicked"


class Waiting(Forbidden):
    """In the game's waiting room: the host has not let this phone in yet."""

    code = "waiting"


class TurnedAway(Forbidden):
    """The host did not let this phone into the game."""

    code = "turned_away"


@dataclass(frozen=True)
class Caller:
    """Who is asking, as a face knows it. Build one with `caller`."""

    user: AbstractBaseUser | None = None
    seats: Mapping[str, str] = field(default_factory=dict)
    seat_token: str | None = None

    def token_for(self, game_id: int) -> str | None:
        return self.seat_token or self.seats.get(str(game_id))

    @property
    def signed_in(self) -> bool:
        return self.user is not None and self.user.is_authenticated


def caller(user: object = None, session: Mapping | None = None, seat_token: str | None = None) -> Caller:
    """A Caller from a request's (or a socket's) user, session and X-Seat-Token header."""
    seats = session.get(SEATS_SESSION_KEY) if session is not None else None
    return Caller(
        user=user if user is not None and getattr(user, "is_authenticated", False) else None,
        seats=dict(seats) if isinstance(seats, dict) else {},
        seat_token=seat_token or None,
    )


@dataclass(frozen=True)
class Viewer:
    """A caller in one game."""

    game: Game
    is_host: bool = False
    player: Player | None = None

    @property
    def role(self) -> str:
        return "host" if self.is_host else "player" if self.player is not None else "stranger"

    @property
    def player_id(self) -> int | None:
        return None if self.player is None else self.player.pk

    @property
    def sees_drafts(self) -> bool:
        return self.is_host

    @property
    def sees_names(self) -> bool:
        return names_shown(hide_names=self.game.hide_names, is_host=self.is_host)


def token_shape(token: object) -> bool:
    """Whether `token` could be a seat token at all (anything else is looked up nowhere)."""
    return isinstance(token, str) and len(token) in SEAT_TOKEN_LENGTH and token.isascii() and token.isprintable()


def seat(token: object) -> Player:
    """The seat a token holds; a token that holds none is refused the same way, whatever it is."""
    if not token_shape(token):
        raise NotSignedIn(gettext_noop("a valid seat token is needed; join the game"))
    player = Player.objects.select_related("game").filter(seat_token=token).first()
    if player is None:
        arrival = Arrival.objects.filter(seat_token=token).exclude(status=Arrival.Status.ADMITTED).first()
        if arrival is not None:
            refuse_arrival(arrival)  # a waiting phone's token: no seat yet, and it is told why
        raise NotSignedIn(gettext_noop("a valid seat token is needed; join the game"))
    return player


def remember_seat(session: SessionBase, player: Player | Arrival) -> None:
    """Hold the seat in a browser's session (a refresh or a new tab returns to it); a fresh session key
    keeps a planted cookie from sharing it."""
    session.cycle_key()
    seats = dict(session.get(SEATS_SESSION_KEY) or {})
    seats[str(player.game_id)] = player.seat_token
    session[SEATS_SESSION_KEY] = seats


def hosts(user: object, game: Game) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and game.host_id == user.pk)


def viewer(who: Caller, game: Game) -> Viewer:
    """The caller in this game, whatever they may do there (no refusal)."""
    player = seat_in(who, game)
    return Viewer(game, is_host=hosts(who.user, game), player=player if player and player.game_id == game.pk else None)


def seat_in(who: Caller, game: Game) -> Player | None:
    """The seat the caller's token names (in this game or another), or None when it names none."""
    token = who.token_for(game.pk)
    if not token:
        return None
    try:
        return seat(token)
    except (NotSignedIn, Waiting, TurnedAway):
        return None


def held_seat(who: Caller, game: Game) -> Player | Arrival | None:
    """The seat the caller holds in this game already, or its place in the waiting room, for a join to give
    back rather than a new one (one person, one seat, one clue); Kicked if the host removed the seat and
    TurnedAway if the host did not let it in (neither joins afresh from the same browser)."""
    player = viewer(who, game).player
    if player is not None and player.kicked:
        raise Kicked(gettext_noop("the host removed this seat from the game"))
    if player is not None:
        return player
    arrival = arrival_in(who, game)
    if arrival is not None and arrival.status == Arrival.Status.TURNED_AWAY:
        refuse_arrival(arrival)
    return arrival


def place_in(who: Caller, game: Game) -> Player | Arrival:
    """The caller's seat in the game, or its place in the waiting room: what a waiting phone asks after
    (Kicked, TurnedAway, or NotSignedIn when it holds neither)."""
    place = held_seat(who, game)
    if place is None:
        raise NotSignedIn(gettext_noop("join the game first: this browser holds no seat in it"))
    return place


def arrival_in(who: Caller, game: Game) -> Arrival | None:
    """The caller's place in the game's waiting room (waiting, or turned away), or None. An admitted one is
    a seat now, found by `viewer`."""
    token = who.token_for(game.pk)
    if not token_shape(token):
        return None
    return Arrival.objects.filter(game_id=game.pk, seat_token=token).exclude(status=Arrival.Status.ADMITTED).first()


def refuse_arrival(arrival: Arrival) -> None:
    """A phone in the waiting room may do nothing in the game: it waits, or it was turned away."""
    if arrival.status == Arrival.Status.TURNED_AWAY:
        raise TurnedAway(gettext_noop("the host did not let you into this game"))
    raise Waiting(gettext_noop("the host has not let you in yet: wait for them to admit you"))


def access_game(who: Caller, game: Game) -> Viewer:
    """The caller in a game they may watch: its host, or a seat in it that was not kicked. Someone who is
    neither is asked to sign in or join when they show nothing, and finds nothing when they show a login
    or a seat of another game."""
    seen = viewer(who, game)
    if seen.is_host:
        return seen
    if seen.player is None:
        arrival = arrival_in(who, game)
        if arrival is not None:
            refuse_arrival(arrival)
        if who.signed_in or seat_in(who, game) is not None:
            raise NotFound(gettext_noop("no such game"))
        raise NotSignedIn(gettext_noop("join the game first: this browser holds no seat in it"))
    if seen.player.kicked:
        raise Kicked(gettext_noop("the host removed this seat from the game"))
    return seen


def find_game_face(who: Caller, game: Game) -> Viewer:
    """The caller at what a join code finds: anyone sees the game itself (its title, whether it is open);
    a kicked seat is told so, as by every other read (it read the markets, curves and phases here)."""
    seen = viewer(who, game)
    if not seen.is_host and seen.player is not None and seen.player.kicked:
        raise Kicked(gettext_noop("the host removed this seat from the game"))
    return seen


def reads_markets(seen: Viewer) -> bool:
    """Whether a viewer reads a game's markets: its host, or a seat in it that was not kicked."""
    return seen.is_host or (seen.player is not None and not seen.player.kicked)


def find_market(market_id: object) -> Market:
    try:
        return Market.objects.select_related("game").get(pk=market_id)
    except (Market.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(gettext_noop("no such market")) from None


def access_market(who: Caller, market_id: object) -> tuple[Viewer, Market]:
    """A market the caller may read: in a game they host or hold a seat in, and not a draft unless theirs."""
    market = find_market(market_id)
    try:
        seen = access_game(who, market.game)
    except (NotFound, NotSignedIn):
        raise NotFound(gettext_noop("no such market")) from None
    require_visible(seen, market)
    return seen, market


def access_picture(who: Caller, market_id: object, name: str) -> Market:
    """A market's picture, to whoever may read the market: its host always (a draft's too), a seat once the
    question is on screen (a picture shown before could give the question away). `name` is the file's own,
    so an old address finds nothing once the picture is replaced."""
    market = access_market(who, market_id)[1]
    if not market.picture or market.picture_name != name:
        raise NotFound(gettext_noop("no such picture"))
    return market


def require_visible(seen: Viewer, market: Market) -> None:
    if market.game_id != seen.game.pk or (not shown(market) and not seen.sees_drafts):
        raise NotFound(gettext_noop("no such market"))


def shown(market: Market) -> bool:
    """Whether players may see the market: once the host has put its question on screen (a draft before)."""
    return round.PHASES[market.phase].shown


def editable(market: Market) -> bool:
    """Whether its host may still edit, reorder or delete the market: only a draft never shown to players (once
    its question was on screen it belongs to the lesson's record, with its players' guesses and trades)."""
    return not shown(market) and market.status == round.DRAFT


def secret_answer(seen: Viewer, market: Market) -> object:
    """The true value entered in advance: the host's alone until the answer is revealed (then it is the
    market's outcome, which everyone sees). Anyone else gets None, as if none had been entered."""
    return market.answer if seen.is_host and market.game_id == seen.game.pk else None


def require_host(seen: Viewer) -> None:
    """Host actions: the host alone; a player of the game is told so, a stranger learns nothing."""
    if seen.is_host:
        return
    if seen.player is None:
        raise NotFound(gettext_noop("no such game"))
    raise Forbidden(gettext_noop("only the game's host can do that"))


def check_host(user: object, game: Game) -> None:
    """The services' own check of a host action (the faces asked already): anyone else finds nothing."""
    if not hosts(user, game):
        raise NotFound(gettext_noop("no such game"))


def require_seat(seen: Viewer) -> Player:
    """Trading and quoting: a seat in the game, not kicked."""
    if seen.player is None:
        raise Forbidden(gettext_noop("you have no seat in this game"))
    if seen.player.kicked:
        raise Kicked(gettext_noop("the host removed this seat from the game"))
    return seen.player


def trading_seat(player: Player, market: Market, *, shown: bool = False) -> None:
    """The services' check that a seat may trade in this market (re-asked inside the trade's transaction);
    `shown` for what a seat may do before trading opens (a first guess): the question must be on screen."""
    hidden = not round.PHASES[market.phase].shown if shown else market.status == round.DRAFT
    if market.game_id != player.game_id or hidden:
        raise NotFound(gettext_noop("no such market"))
    if player.kicked:
        raise Kicked(gettext_noop("the host removed this seat from the game"))


def waiting_arrival(user: object, game: Game, arrival_id: object) -> Arrival:
    """One arrival of a game the user hosts, for the host to admit or turn away: anyone else's game, or an
    arrival of another game, is not found."""
    check_host(user, game)
    try:
        return Arrival.objects.select_related("game").get(pk=arrival_id, game_id=game.pk)
    except (Arrival.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(gettext_noop("no one of that number is in this game's waiting room")) from None


def hosted_games(user: AbstractBaseUser) -> QuerySet[Game]:
    return Game.objects.filter(host=user) if user is not None and user.is_authenticated else Game.objects.none()


def visible_markets(seen: Viewer) -> QuerySet[Market]:
    markets = Market.objects.filter(game_id=seen.game.pk).select_related("game").order_by("number")
    return markets if seen.sees_drafts else markets.exclude(phase__in=UNSHOWN)


def own_clue(seen: Viewer, market: Market) -> object:
    """A player's private clue at this market: theirs alone (the host reads every clue in the CSV)."""
    if seen.player is None or market.game_id != seen.game.pk:
        return None
    return market.clues.filter(player_id=seen.player.pk).values_list("value", flat=True).first()


def guesses_revealed(market: Market) -> bool:
    """Whether the class's first guesses (as anonymous dots and their average) may be shown to everyone."""
    return round.PHASES[market.phase].guesses_shown


def every_reason(seen: Viewer, market: Market) -> None:
    """The class's reasons for their first guesses, picked or not, are the host's alone: the host reads them
    all and picks what the wall shows. A player is told so ("forbidden"), a stranger finds nothing."""
    require_host(seen)
    if market.game_id != seen.game.pk:
        raise NotFound(gettext_noop("no such market"))


def picked_reasons_shown(market: Market) -> bool:
    """The reasons the host picked reach every screen (the wall, the phones) with the revealed guesses, and
    not before: until then nobody but the host reads any reason, picked or not."""
    return guesses_revealed(market)


def reason_names_shown(game: Game) -> bool:
    """Whether a picked reason on the wall and the phones carries its player's name: unless the host hid names."""
    return names_shown(hide_names=game.hide_names, is_host=False)


# -- what a viewer sees of the boards and the feed ------------------------------------------------------

HIDDEN_ROW = {"nickname": None, "player_id": None}
HIDDEN_TRADE = {"nickname": None, "player_id": None}


def board_rows(seen: Viewer, rows: Iterable[dict]) -> list[dict]:
    """Leaderboard rows as this viewer sees them: others' names and ids hidden when the host asked."""
    if seen.sees_names:
        return list(rows)
    own = seen.player_id
    return [row if own is not None and row["player_id"] == own else {**row, **HIDDEN_ROW} for row in rows]


def names_shown(*, hide_names: bool, is_host: bool) -> bool:
    """Whether every name, order and cost on the boards and the feed is shown: to the host always, to
    anyone else unless the host hid names."""
    return is_host or not hide_names


def feed_rows(shown: bool, rows: Iterable[dict], own: int | None = None) -> list[dict]:
    """Trade-feed lines as a screen sees them: with names hidden, no one else's name, id or cost."""
    if shown:
        return list(rows)
    return [row if own is not None and row.get("player_id") == own else hide_trade(row) for row in rows]


def hide_trade(row: dict) -> dict:
    hidden = {**row, **HIDDEN_TRADE}
    for key in ("cost", "shares", "worst_case", "fraction"):  # where the line has them (the live feed has none)
        if key in hidden:
            hidden[key] = None
    return hidden
