"""The API's URLs, for `include("mmgame.api.urls")` under /api/."""

from django.urls import path

from . import api

urlpatterns = [path("", api.urls)]
