"""One round with students and practice traders, for the tests that read a student's place on every face
(docs/ranking.md): the seed's market, five students (two of whom never trade, a tie at 0) and five practice
traders (three trade, one of them best of all; two never do, a tie with the students at 0 when included).

The places are worked out here from the stored payouts, apart from mmgame.queries: who is ranked (the
people, the practice traders only when the game includes them), best first, equal profits sharing a rank
(1, 2, 2, 4).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from mmgame import services
from mmgame.market import Order
from mmgame.models import Game, Market, Player, Position

ANSWER = 150
STUDENTS = ("Ana", "Ben", "Cy", "Dee", "Eve")
# Who moves the market where, in turn ("toward": as far as each can afford); the rest never trade.
TRADES = (
    ("Bot Ada", 150, 15),
    ("Ana", 140, 30),
    ("Bot Babbage", 60, 20),
    ("Ben", 155, 25),
    ("Bot Curie", 130, 20),
    ("Cy", 90, 30),
)
BOTS = 5


def seat_the_class(host, game: Game, joined: tuple[str, ...] = ()) -> None:
    """The students not `joined` already (by a phone), and the practice traders, asleep for a day: they
    trade here, by hand, not by the clock."""
    for name in STUDENTS:
        if name not in joined:
            services.join_game(game.join_code, name)
    services.add_practice_traders(host, game, count=BOTS, knowledge="noise", now=timezone.now() + timedelta(days=1))


def add_question(host, game: Game) -> Market:
    return services.add_market(
        host, game, question="How many jelly beans?", unit="beans", lo=0, hi=300, prior_mean=100, prior_sd=100,
        sd_min=1, liquidity=30, budget=1000,
    )  # fmt: skip


def play(host, market: Market) -> None:
    """Trading, the trades, the close and the answer, as the host's Next steps them."""
    services.step_market(host, market.pk, phase=Market.Phase.QUESTION)
    services.step_market(host, market.pk, phase=Market.Phase.TRADING)
    seats = {p.nickname: p for p in Player.objects.filter(game_id=market.game_id)}
    for i, (name, mean, sd) in enumerate(TRADES):
        services.place_trade(seats[name], market.pk, Order("toward", mean=mean, sd=sd), idempotency_key=f"r{i}")
    services.step_market(host, market.pk, phase=Market.Phase.CLOSED)
    services.step_market(host, market.pk, phase=Market.Phase.ANSWER, outcome=ANSWER, confirm=True)


def expected_places(game: Game) -> dict[str, tuple[int, int]]:
    """{nickname: (rank, of how many)} for every seat ranked, worked out from the payouts."""
    game.refresh_from_db()
    seats = Player.objects.filter(game=game, kicked=False)
    if not game.include_bots:
        seats = seats.filter(is_bot=False)
    profit = {p.nickname: 0.0 for p in seats}
    for position in Position.objects.filter(market__game=game, player__in=seats).select_related("player"):
        profit[position.player.nickname] += position.payout - position.budget
    scores = sorted(profit.values(), reverse=True)
    return {name: (1 + sum(s > score for s in scores), len(scores)) for name, score in profit.items()}
