"""The words the page scripts show, translated on the server and handed to them as JSON."""

from __future__ import annotations

from django.utils.translation import gettext as _


def script_strings() -> dict[str, str]:
    return {
        "connecting": _("Connecting…"),
        "live": _("Live"),
        "reconnecting": _("Reconnecting…"),
        "closed_4401": _("Your seat was not found in this browser. Join again."),
        "closed_4403": _("You were removed from this game."),
        "closed_4404": _("This game does not exist."),
        "closed_4408": _("This screen fell behind. Reconnecting in a moment…"),
        "closed_4429": _("This seat has too many screens open. Close one: this page tries again every 20 seconds."),
        "closed_4413": _("This screen sent too much at once. Reconnecting in a moment…"),
        "closed": _("Disconnected."),
        "status_open": _("Open for trading"),
        "status_paused": _("Paused: trading resumes soon"),
        "status_closed": _("Closed: waiting for the true value"),
        "status_resolved": _("Resolved"),
        "closes_in": _("Closes in {time}"),
        "closing": _("Closing…"),
        "steps_in": _("Next in {time}"),
        "stepping": _("Next…"),
        "waiting": _("Waiting for the host to open the first question…"),
        "market_forecast": _("Market: {mean} ± {sd}"),
        "market_forecast_log": _("Market: about {median}, give or take a factor of {factor}"),
        "market_interval": _("90% between {a} and {b}"),
        "announce": _("Market moved to {mean} ± {sd}"),
        "announce_log": _("Market moved to about {median}, give or take a factor of {factor}"),
        "outcome": _("True value"),
        "gain": _("+ gain"),
        "loss": _("− loss"),
        "history": _("Forecast after each trade"),
        "cost": _("Cost"),
        "worst": _("The most you could lose in this market"),
        "worst_at": _("{points} points if the answer is {x}"),
        "if_right": _("If your forecast is right, expected profit"),
        "unaffordable": _("You haven't enough points for this if the answer is far off."),
        "toward": _("Go as far as my points allow: {mean} ± {sd}"),
        "toward_log": _("Go as far as my points allow: about {median}, give or take a factor of {factor}"),
        "confirm": _("Make this trade"),
        "trading": _("Sending…"),
        "traded": _("Done: the market is now at your forecast."),
        "traded_part": _("Done: your budget took the market to {mean} ± {sd}."),
        "traded_part_log": _("Done: your budget took the market to about {median}, give or take a factor of {factor}."),
        "moved": _("The market moved; check the new numbers and confirm again."),
        "not_open": _("Trading is not open right now."),
        "pick": _("Drag the dashed line or type your forecast, then make the trade."),
        "reads_as": _("Read as {mean} ± {sd}: confirm to trade."),
        "reads_as_log": _("Read as about {median}, give or take a factor of {factor}: confirm to trade."),
        # xgettext:no-python-format
        "reads_as_range": _("Read as 90% sure between {low} and {high}: confirm to trade."),
        "magnitude": _("Magnitude"),
        "thousand": _("thousand"),
        "million": _("million"),
        "billion": _("billion"),
        # A phone's field that could not be read: {a} and {b} are numbers of its question's size and unit.
        "type_number": _("Type a number, like {a} or {b}."),
        "group_digits": _("Group the digits in threes, like {example}."),
        "bad_mean": _("The middle must be between {lo} and {hi}."),
        "bad_sd": _("Give or take at least {min}: the finest forecast this market takes."),
        "bad_factor": _("Give or take a factor of at least {min}: the finest forecast this market takes."),
        "bad_interval": _("Give two different numbers between {lo} and {hi}."),
        "no_change": _("That is the market's forecast already."),
        "at_market": _("That is where the market already is: change the middle or the give-or-take to trade."),
        "source": _("Source: {source}"),
        "reason_by": _("{reason} ({nickname})"),
        "worth_now": _("Worth now, if the market's forecast is right"),
        "payout": _("Your payout"),
        "profit": _("Profit"),
        "rank": _("Rank {rank} of {count}"),
        "you": _("you"),
        "bot": _("bot"),
        # Under a board that leaves the practice traders out (the host did not count them): one line for all.
        "bots_left_out": _("+ {count} practice traders, not ranked"),
        "bots_left_out_one": _("+ 1 practice trader, not ranked"),
        "hidden": _("a player"),
        "bought": _("{name} moved it to {mean} ± {sd}"),
        "practice_trade_folded": _("+ 1 practice trade"),
        "practice_trades_folded": _("+ {count} practice trades"),
        "bought_log": _("{name} moved it to about {median}, give or take a factor of {factor}"),
        "lesson_market": _("The market's final forecast"),
        "lesson_prior": _("The starting forecast"),
        "lesson_intro": _(
            "The score behind “beat”: how much better each forecast pointed at the true value than the starting"
            " forecast did, its middle and its give or take together (0: no better; higher is better):"
        ),
        "lesson_intro_title": _("The log score: ln p(true value) − ln p₀(true value), in nats"),
        "clue": _("A measurement says {value} (each one is off by about ±{noise}): only you see it."),
        "clue_short": _("Your clue: {value} (±{noise}), yours alone"),
        "lesson_closer": _("The market's final forecast beat its starting one."),
        # The lesson's errors (mmgame.queries.rounds.errors): {error} is an amount in the unit, or a percentage.
        "lesson_clues": _("Each private clue was off by about {error} (the typical one, of {count})."),
        "lesson_guess_error": _("The middle of the class's average first guess was off by {error}."),
        "lesson_market_error": _("The middle of the market's final forecast was off by {error}."),
        # The pooling verdict (mmgame.market.pooling, docs/lesson-numbers.md): a claim only when chance could
        # hardly have made the bets follow the clues (1 time in 20).
        "lesson_pooled": _(
            "The market ended nearer the true value than a typical clue, and the bets followed the clues more "
            "closely than chance would: trading pooled what each of you was told."
        ),
        "lesson_nearer_by_chance": _(
            "The market ended nearer the true value than a typical clue, but the bets did not follow the clues "
            "closely enough to rule out luck: this market does not show that trading pooled them."
        ),
        "lesson_not_pooled": _(
            "A typical clue was nearer the true value than the market this time: it did not pool them."
        ),
        "lesson_error_percent": _("{percent} %"),
        "lesson_error_factor": _("a factor of {factor} ({percent} %)"),
        "lesson_further": _("The market's starting forecast beat its final one."),
        "lesson_same_as_start": _("The market's final forecast tied with its starting one: trading left it there."),
        "market_said": _("The market's last forecast: {mean} ± {sd}"),
        "market_said_log": _("The market's last forecast: about {median}, give or take a factor of {factor}"),
        "more_players": _("+{count} more"),
        # The answer's moment on the wall: the forecasts nearest the true value, each trader's last.
        "closest": _("Closest: {names}"),
        "closest_one": _("{name} ({value})"),
        "full_screen": _("Full screen"),
        "exit_full_screen": _("Exit full screen"),
        "podium": _("Final podium"),
        "game_over": _("The game is over: you finished {rank}. The final podium is under Leaderboard."),
        "points": _("points"),
        "players": _("Players"),
        "error": _("Something went wrong: {message}"),
        "offline": _("Reconnecting… your trades are safe."),
        "why_reconnecting": _("No connection: this page catches up by itself, and you can confirm once it is back."),
        "why_paused": _("Trading is paused: you can trade again when the host resumes it."),
        # What a trade risks and wins, before Confirm (static/js/player/money.js): first across the student's
        # own 90% range, then at the far edge.
        "money_win": _("If it's {a}–{b}: win {low} to {high} points."),
        "money_mixed": _("If it's {a}–{b}: win up to {high}, lose up to {low} points."),
        "money_lose": _("If it's {a}–{b}: lose {high} to {low} points."),
        "money_worst": _("If it's {x}: lose {loss}, the most you can."),
        "money_worst_over": _("If it's {x}: lose {loss}, more than you have."),
        "money_safe": _("You can't lose points on this trade."),
        # The nearest forecast the market takes, when it will not take the one given (static/js/player/offers.js).
        "offer_curve": _("{mean} ± {sd}"),
        "offer_curve_log": _("about {median}, give or take a factor of {factor}"),
        "offer_curve_log_short": _("{median} ×{factor}"),
        "offer_too_wide": _("Your forecast can't be wider than the range allows: {curve} is the widest here."),
        "offer_too_wide_guess": _("Your guess can't be wider than the range allows: {curve} is the widest here."),
        "offer_at_edge": _(
            "That's too near the edge of the range for its give or take: {curve} is the nearest allowed."
        ),
        "offer_at_edge_guess": _(
            "Your guess is too near the edge of the range for its give or take: {curve} is the nearest allowed."
        ),
        "offer_too_narrow": _("That's sharper than this question allows: {curve} is the nearest allowed."),
        "offer_too_narrow_guess": _("Your guess is sharper than this question allows: {curve} is the nearest allowed."),
        "offer_unaffordable": _("You haven't enough points to risk on that: {curve} is the nearest you can afford."),
        "offer_middle_unaffordable": _(
            "No forecast with that middle fits the points you have left, however wide: "
            "{curve} is the nearest you can afford."
        ),
        "offer_other": _("{curve} is the nearest allowed."),
        "take_offer": _("Trade {curve} instead: lose {loss} at most"),
        "take_offer_safe": _("Trade {curve} instead"),
        "take_offer_guess": _("Lock in {curve} instead"),
        "refused_budget": _("You haven't enough points for any move that way: try a forecast nearer the market's."),
        "refused_forecast": _("The market can't take that forecast: try a wider one, or one nearer the middle."),
        "refused_guess": _("That guess can't be locked in: try a wider one, or one nearer the middle."),
        # After a trade: what the student can still afford (static/js/player/offers.js), or why nothing.
        "next_wider": _("Less sure: {curve}, lose {loss} at most"),
        "next_back": _("Halfway back: {curve}, lose {loss} at most"),
        "next_close": _("Sell it all back: keep {points} points or more"),
        "next_none_budget_at_risk": _(
            "All your points are at risk in this market now: wait for the answer, or trade back toward the market."
        ),
        "next_none_nothing_held": "",
        # The first-time explainer (shown once per browser, skippable).
        "explain_title": _("How it works"),
        "explain_curve": _("The curve is the class's forecast: it is high where the answer is likely."),
        "explain_forecast": _(
            "Your forecast is a middle and a give or take: “400 ± 100” means you're fairly sure it's between"
            " 240 and 560."
        ),
        "explain_risk": _(
            "Trading moves the curve to your forecast. If the answer lands where you said, you win points; far"
            " off, you lose some — more the surer you were."
        ),
        "explain_skip": _("Got it"),
        "pnl_wait": _("Working out your profit or loss…"),
        "wait_quote": _("One moment: the profit or loss is on its way. Then confirm."),
        # The round in phases (docs/round.md): the question, first guesses, the guesses revealed, the answer, the
        # lesson.
        "guess_left": _("{time} left to guess"),
        "time_up": _("Time is up"),
        "ask_think": _("Think about it: the host starts the round in a moment."),
        "ask_guess": _("Give your first guess on your phone: nobody sees it until the host shows them all."),
        "players_here": _("{count} players are here"),
        "players_here_one": _("1 player is here"),
        "guessed_count": _("{count} of {total} have guessed"),
        "guesses_summary": _("{count} first guesses · the class's average: {average}"),
        "guesses_summary_one": _("1 first guess · the class's average: {average}"),
        "no_guesses": _("Nobody gave a first guess."),
        "class_average": _("Class average: {value}"),
        # The headline compares scores (the accuracy board's measure): "beat". The clue lines compare middles
        # with the true value: "off by", "nearer". Two words, so that the two measures never read as one.
        "lesson_some": _("The market's final forecast beat {beaten} of the {count} of you who traded."),
        "lesson_some_and_average": _(
            "The market's final forecast beat {beaten} of the {count} of you who traded, and the class's average"
            " first guess."
        ),
        "lesson_some_not_average": _(
            "The market's final forecast beat {beaten} of the {count} of you who traded, but not the class's"
            " average first guess."
        ),
        "lesson_all": _("The market's final forecast beat every one of the {count} of you who traded."),
        "lesson_all_and_average": _(
            "The market's final forecast beat every one of the {count} of you who traded, and the class's average"
            " first guess."
        ),
        "lesson_all_not_average": _(
            "The market's final forecast beat every one of the {count} of you who traded, but not the class's"
            " average first guess."
        ),
        "lesson_none_beaten": _("All {count} of you who traded beat the market's final forecast."),
        "lesson_none_beaten_and_average": _(
            "All {count} of you who traded beat the market's final forecast, but it beat the class's average first"
            " guess."
        ),
        "lesson_none_beaten_not_average": _(
            "All {count} of you who traded, and the class's average first guess, beat the market's final forecast."
        ),
        "lesson_all_two": _("The market's final forecast beat both of you who traded."),
        "lesson_all_two_and_average": _(
            "The market's final forecast beat both of you who traded, and the class's average first guess."
        ),
        "lesson_all_two_not_average": _(
            "The market's final forecast beat both of you who traded, but not the class's average first guess."
        ),
        "lesson_none_beaten_two": _("Both of you who traded beat the market's final forecast."),
        "lesson_none_beaten_two_and_average": _(
            "Both of you who traded beat the market's final forecast, but it beat the class's average first guess."
        ),
        "lesson_none_beaten_two_not_average": _(
            "Both of you who traded, and the class's average first guess, beat the market's final forecast."
        ),
        "lesson_one_beaten": _("The market's final forecast beat the only one of you who traded."),
        "lesson_one_beaten_and_average": _(
            "The market's final forecast beat the only one of you who traded, and the class's average first guess."
        ),
        "lesson_one_beaten_not_average": _(
            "The market's final forecast beat the only one of you who traded, but not the class's average first guess."
        ),
        "lesson_one_not_beaten": _("The only one of you who traded beat the market's final forecast."),
        "lesson_one_not_beaten_and_average": _(
            "The only one of you who traded beat the market's final forecast, but it beat the class's average first"
            " guess."
        ),
        "lesson_one_not_beaten_not_average": _(
            "The only one of you who traded, and the class's average first guess, beat the market's final forecast."
        ),
        "lesson_guesses_one_beaten": _("The market's final forecast beat the only first guess."),
        "lesson_guesses_one_not_beaten": _("The only first guess beat the market's final forecast."),
        "lesson_guesses_one_tied": _("The market's final forecast tied with the only first guess."),
        "lesson_guesses_tied": _(
            "The market's final forecast beat {beaten} of the {count} first guesses and tied with {tied}."
        ),
        "lesson_nobody_traded": _("Nobody traded, so the market kept its starting forecast."),
        "lesson_beat_average": _("The starting forecast beat the class's average first guess."),
        "lesson_lost_to_average": _("The class's average first guess beat the starting forecast."),
        "lesson_tied_average": _("The class's average first guess tied with the starting forecast."),
        # A tie is the same score: the same curve. With one among the traders (or with the class's average),
        # the headline says it, and the average gets a sentence of its own.
        "lesson_one_tied": _("The market's final forecast tied with the only one of you who traded."),
        "lesson_tied_all": _("The market's final forecast tied with all {count} of you who traded."),
        "lesson_tied_all_two": _("The market's final forecast tied with both of you who traded."),
        "lesson_beat_tied": _(
            "The market's final forecast beat {beaten} of the {count} of you who traded and tied with {tied}."
        ),
        "lesson_tied_lost": _(
            "The market's final forecast tied with {tied} of the {count} of you who traded and lost to {lost}."
        ),
        "lesson_beat_tied_lost": _(
            "The market's final forecast beat {beaten} of the {count} of you who traded, tied with {tied} and lost"
            " to {lost}."
        ),
        "lesson_final_beat_average": _("The market's final forecast beat the class's average first guess."),
        "lesson_final_tied_average": _("The market's final forecast tied with the class's average first guess."),
        "lesson_final_lost_to_average": _("The class's average first guess beat the market's final forecast."),
        # Calibration (mmgame.market.inside_90: an answer on a range's end is inside it).
        # "90 % r" reads to xgettext as a %-directive: these strings are brace-formatted only.
        "lesson_inside_guesses": _(
            # xgettext:no-python-format
            "The true value fell inside the 90 % range of {inside} of the {count} first guesses."
        ),
        # xgettext:no-python-format
        "lesson_inside_guess_one": _("The true value fell inside the only first guess's 90 % range."),
        # xgettext:no-python-format
        "lesson_outside_guess_one": _("The true value fell outside the only first guess's 90 % range."),
        "lesson_guesses": _("The market's final forecast beat {beaten} of the {count} first guesses."),
        "lesson_nobody_guessed": _("Nobody gave a first guess."),
        "lesson_guess_average": _("The class's average first guess"),
        "wait_host": _("Wait for the host…"),
        "wait_trading": _("Trading starts when the host opens it."),
        "wait_answer": _("Trading is closed — wait for the answer."),
        # Said to a screen reader (the phone's live region) as the round moves on, and in a countdown's last seconds.
        "said_question": _("New question: {question}"),
        "said_guess": _("Make your first guess: {question}"),
        "said_guesses": _("The first guesses are in. {summary}"),
        "said_trading": _("Trading is open."),
        "said_answer": _("The answer: {answer}. Your payout: {payout}. {rank}."),
        "said_lesson": _("The lesson: {lesson}"),
        "said_seconds": _("{seconds} seconds left"),
        "said_one_second": _("1 second left"),
        "wait_host_auto": _("Think about it: the round moves on by itself."),
        "wait_trading_auto": _("Trading opens by itself when the time is up."),
        "wait_answer_auto": _("Trading is closed: the answer comes by itself."),
        "lock_in": _("Lock in my guess"),
        "change_guess": _("Change my guess"),
        "guess_pick": _(
            "Drag the dashed line or type your guess, then lock it in. Nobody sees it until the host shows them all."
        ),
        "reads_as_guess": _("Read as {mean} ± {sd}: lock it in when you are sure."),
        "reads_as_guess_log": _(
            "Read as about {median}, give or take a factor of {factor}: lock it in when you are sure."
        ),
        # xgettext:no-python-format
        "reads_as_guess_range": _("Read as 90% sure between {low} and {high}: lock it in when you are sure."),
        "guess_sending": _("Sending your guess…"),
        "your_guess": _("Your guess: {mean} ± {sd}. You can change it until time is up."),
        "your_guess_log": _(
            "Your guess: about {median}, give or take a factor of {factor}. You can change it until time is up."
        ),
        "your_guess_final": _("Your guess: {mean} ± {sd}."),
        "your_guess_final_log": _("Your guess: about {median}, give or take a factor of {factor}."),
        "why_time_up": _("Time is up: guesses are locked."),
        "why_time_up_none": _("Time is up: you did not give a guess this time."),
        "guess_closed": _("Guessing is over: your guess was not taken."),
        "why_guess_reconnecting": _("No connection: you can lock in your guess once it is back."),
        "your_guess_mark": _("your guess"),
        "guess_row": _("Your first guess"),
        "forecast_row": _("Your last forecast"),
        # Scored against the market's starting forecast, as the lesson's "beat" is (the accuracy board's measure).
        "closer": _("beat the market's starting forecast"),
        "closer_lost": _("beat the market's starting forecast, but the market was better still when you traded"),
        "further": _("did worse than the market's starting forecast"),
        "same": _("as good as the market's starting forecast"),
        # The result card: whether the true value fell inside my 90 % ranges (mmgame.market.inside_90).
        "range_guess": _("first guess {verdict}"),
        "range_forecast": _("last forecast {verdict}"),
        "range_held": _("held the answer"),
        "range_missed": _("missed the answer"),
        "no_guess": _("you gave none"),
        "no_trade": _("you did not trade"),
        "accuracy_title": _(
            "Your score: ln p(true value) − ln p₀(true value), in nats, p₀ the starting forecast: above 0 is closer"
        ),
        "your_place": _("You finished {place} of {count}."),
        "no_place": _("The game is over."),
        # The phone's chart: its zoom, and what the budget reaches (static/js/player/draw.js, view.js).
        "whole_range": _("Whole range"),
        "zoom_in": _("Zoom in"),
        "over_budget_area": _("Beyond your budget at this give or take"),
    }


def control_strings() -> dict[str, str]:
    """The host's control room (static/js/control.js): the one Next step, Back, timers and confirmations."""
    return {
        "order_moved": _("Market “{question}” is now #{number}."),
        "order_refused": _("The order was not saved: {message}. The list shows the order as it is."),
        "phase_draft": _("Not shown yet"),
        "phase_question": _("Question"),
        "phase_guess": _("First guesses"),
        "phase_guesses": _("Guesses revealed"),
        "phase_trading": _("Trading"),
        "phase_closed": _("Closed"),
        "phase_answer": _("Answer"),
        "phase_lesson": _("Lesson"),
        "next_question": _("Show the question"),
        "next_guess": _("Ask for first guesses"),
        "next_guesses": _("Reveal the guesses"),
        "next_trading": _("Open trading"),
        "next_closed": _("Close trading"),
        "next_answer": _("Reveal the answer"),
        "next_lesson": _("Show the lesson"),
        "next_market": _("Next question: #{number}"),
        "next_podium": _("Show the podium"),
        "next_none": _("Add a market to start"),
        "back_question": _("Back to the question"),
        "back_guess": _("Back to first guesses"),
        "back_guesses": _("Back to before trading"),
        "back_trading": _("Reopen trading"),
        "back_answer": _("Back to the answer"),
        "confirm_guesses": _("Reveal everyone's first guesses on every screen? This cannot be undone."),
        "confirm_answer": _(
            "Reveal {value} as the true value? Every position is paid out by it; this cannot be undone."
        ),
        "confirm_others": _("Market #{numbers} is still trading: close it now (it cannot be reopened) and go on?"),
        "confirm_podium": _("Finish the game? Markets still trading close, and no one can join or trade any more."),
        "confirm_podium_unanswered": _(
            "Market #{numbers} has no answer yet. Finish the game anyway? Markets still trading close."
        ),
        "lobby": _("The lobby is on screen: players are joining."),
        "finished": _("The game is finished: the podium is on screen."),
        "guessed": _("{count} of {players} have guessed"),
        "guesses_shown": _("{count} guesses, average {average}"),
        "trades_count": _("{count} trades so far"),
        "answer_known": _("True value: {value}"),
        "answer_secret": _("Answer entered in advance (hidden from players): {value}"),
        "answer_none": _("No answer entered yet: type it now or when trading closes."),
        "answer_needed": _("Type the true value first."),
        "answer_saved": _("Saved. Players cannot see it."),
        "answer_cleared": _("The answer entered in advance was removed."),
        "guesses_stop_in": _("Guesses stop in {time}"),
        "guesses_stopped": _("Time is up for guesses"),
        "pause": _("Pause"),
        "resume": _("Resume trading"),
        "paused": _("Paused"),
        "stop_guesses_in": _("Stop guesses in"),
        "close_in": _("Close trading in"),
        "start_timer": _("Start"),
        "extend": _("+30 s"),
        "seconds": _("seconds"),
        "failed": _("That did not work: {message}"),
        "has_guessed": _("✓ guessed"),
        "not_guessed": _("not yet"),
        "trade_once": _("1 trade"),
        "trade_times": _("{count} trades"),
        "autopilot_hold": _("Hold"),
        "autopilot_go_on": _("Go on"),
        "autopilot_held": _("Held: {time} left"),
        "autopilot_saved": _("Autopilot saved."),
        "autopilot_off": _("Autopilot is off: you step the round with Next."),
        "autopilot_total": _("A question takes {a} s with first guesses, {b} s without."),
    }
