"""Page URLs of the browser game (the JSON API lives under /api/, the websockets under /ws/)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import accounts, bank, exports, host, pictures, player, reasons, record, waiting

app_name = "web"

urlpatterns = [
    path("", player.home, name="home"),
    path("join/", player.join, name="join"),
    path("join/<str:code>/", player.join, name="join_code"),
    path("play/<int:game_id>/", player.play, name="play"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page="web:home"), name="logout"),
    path("host/", host.dashboard, name="dashboard"),
    path("host/leaderboard/", host.all_time, name="all_time"),
    path("host/record/", record.record, name="record"),
    path("host/record.csv", record.record_csv, name="record_csv"),
    path("host/record/seats/<int:seat_id>/confirm/", record.confirm, name="record_confirm"),
    path("host/record/seats/<int:seat_id>/merge/", record.merge, name="record_merge"),
    path("host/record/seats/<int:seat_id>/split/", record.split, name="record_split"),
    path("host/games/new/", host.new_game, name="new_game"),
    path("host/games/<int:game_id>/", host.game_detail, name="game"),
    path("host/games/<int:game_id>/markets/new/", host.new_market, name="new_market"),
    path("host/games/<int:game_id>/bank/", bank.questions, name="bank"),
    path("host/games/<int:game_id>/bank/upload/", bank.import_questions, name="bank_import"),
    path("host/games/<int:game_id>/bank/questions.csv", bank.export_questions, name="bank_export"),
    path("host/games/<int:game_id>/markets/<int:market_id>/edit/", host.edit_market, name="edit_market"),
    path("host/games/<int:game_id>/markets/<int:market_id>/clues/", host.market_clues, name="market_clues"),
    path("host/games/<int:game_id>/markets/<int:market_id>/reasons/", reasons.reasons, name="reasons"),
    path("host/games/<int:game_id>/markets/<int:market_id>/picture/", pictures.set_picture, name="set_picture"),
    path("host/games/<int:game_id>/markets/<int:market_id>/delete/", host.delete_market, name="delete_market"),
    path("host/games/<int:game_id>/players/<int:player_id>/kick/", host.kick, name="kick"),
    path("host/games/<int:game_id>/players/<int:player_id>/free-name/", host.free_name, name="free_name"),
    path("host/games/<int:game_id>/finish/", host.finish, name="finish"),
    path("host/games/<int:game_id>/names/", host.hide_names, name="hide_names"),
    path("host/games/<int:game_id>/late-joins/", host.late_joins, name="late_joins"),
    path("host/games/<int:game_id>/language/", host.game_language, name="game_language"),
    path("play/<int:game_id>/language/", player.phone_language, name="phone_language"),
    path("host/games/<int:game_id>/delete/", host.delete_game, name="delete_game"),
    path("host/games/<int:game_id>/waiting/", waiting.section, name="waiting"),
    path("host/games/<int:game_id>/waiting/switch/", waiting.switch, name="waiting_switch"),
    path("host/games/<int:game_id>/waiting/admit-all/", waiting.admit_all, name="admit_all"),
    path("host/games/<int:game_id>/waiting/<int:arrival_id>/admit/", waiting.admit, name="admit"),
    path("host/games/<int:game_id>/waiting/<int:arrival_id>/turn-away/", waiting.turn_away, name="turn_away"),
    path("host/games/<int:game_id>/practice/add/", host.add_practice, name="add_practice"),
    path("host/games/<int:game_id>/practice/remove/", host.remove_practice, name="remove_practice"),
    path("host/games/<int:game_id>/practice/podium/", host.include_bots, name="include_bots"),
    path("host/games/<int:game_id>/lobby/", host.lobby, name="lobby"),
    path("host/games/<int:game_id>/projector/", host.projector, name="projector"),
    path("host/games/<int:game_id>/podium/", host.podium, name="podium"),
    path("host/games/<int:game_id>/export/<str:kind>.csv", exports.export, name="export"),
    path("pictures/<int:market_id>/<str:name>", pictures.picture, name="picture"),
]
