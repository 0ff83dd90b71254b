from django.apps import AppConfig


class MmgameConfig(AppConfig):
    name = "mmgame"
    verbose_name = "mmgame"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Wire the listeners of mmgame.events for this process: the countdown timer, and the forwarder that
        carries news to the other server processes (so a trade made through the API or by a bot here reaches
        screens served elsewhere at once, even with no socket open in this process); and the hook that
        gives a forked server process a live layer of its own (mmgame.live.process)."""
        from mmgame import events
        from mmgame.live import process
        from mmgame.live.news import forward
        from mmgame.services.deadlines import deadlines

        events.listen(deadlines)
        events.listen(forward)
        process.install()
