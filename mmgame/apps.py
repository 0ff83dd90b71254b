from django.apps import AppConfig


class MmgameConfig(AppConfig):
    name = "mmgame"
    verbose_name = "mmgame"
    default_auto_field = "django.db.models.BigAutoField"
