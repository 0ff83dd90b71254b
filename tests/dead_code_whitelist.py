"""Names vulture cannot see used, for tests/test_dead_code.py: each is called or read by a framework, a
template, the database, a test or a reader of the seed notebook's API. A name that is really dead goes,
not here."""

# ruff: noqa
from vulture.whitelist_utils import Whitelist

_ = Whitelist()

# Called by Django, Channels, Daphne or asyncio by name.
MmgameConfig  # INSTALLED_APPS
RefusalMiddleware  # MIDDLEWARE
_.process_exception  # middleware hook
signup_open  # a context processor in settings.TEMPLATES
cool_off  # settings.AXES_COOLOFF_TIME
_.csrf_exempt  # read by Django's CSRF middleware
_.parse_body  # Ninja's parser hook
response_status  # Ninja's renderer signature
channel_layer_alias  # Channels: the consumer opens no channel layer
_.dispatch  # Channels' consumer hook (the one adapter)
_.disconnect  # Channels' consumer hook
_.connection_made  # asyncio.Protocol (benchmarks/wire.py)
_.connection_lost
_.data_received
_.db  # Model._state.db, read by Django
_.dps  # mpmath's precision setting

# Columns and choices the database or the ORM reads by name.
watched_at
updated_at
resolved_at
_.resolved_at
joined_at
lease_owner
lease_until
YEAR
LOG
NOISE
TARGET
TOWARD
SHARES
file  # QuestionsFileForm's field

# The seed notebook's class, which must keep working unchanged (docs/maths.md § The market maker).
_.num_trade
_.sufficient_statistic
_.cost_func
_.update_param

# Public helpers the tests use to state a rule or drive the code.
_.profit_at  # the engine's profit at one outcome, checked against mpmath
same_name  # the nickname rule the seats' unique keys enforce, stated once for the tests
ORDER_FIELDS  # the order shapes the socket fuzzer draws from
stop_hub  # the live tests' teardown

# Dead, in files other work owns at the moment: remove the line here when the code goes.
edge_refusals  # benchmarks/classroom.py: counted, never reported
other_refusals
_.edge_refusals
_.other_refusals
headline  # benchmarks/lesson_numbers.py: counted, never reported

# Fields of the API's schemas: Ninja reads and writes them by name (mmgame/api/schemas.py).
accuracy
affordable_mean
affordable_median
affordable_sd
affordable_sd_log
answer_exact
best_case
clue_exact
csrf_token
expected_profit
mean_before
median_after
note  # AutopilotOut: why autopilot holds by itself
median_before
middles
outcome_exact
rejoined
revealed
sd_before
sd_log_after
sd_log_before
trade_best_case
trade_worst_case
worst_at
worst_case_after
_.live  # mmgame/round.py Phase.live: read by name through round.FLAGS (the round_table tag, static/js/round.js)
MOVING_FIELDS  # mmgame/queries/shapes.py: what an update carries, asserted by tests/live/test_events.py
ambiguous  # mmgame/numbers/parsing.py Reading.ambiguous: the twin of parse.js {ambiguous} (the say-back), checked row by row by tests/numbers
WORDS  # mmgame/bank/wording_list.py: the bank's words marked for makemessages, compared with questions.json by tests/test_i18n.py
