"""The API's URLs, for `include("mmgame.api.urls")` under /api/: every one answers errors in JSON."""

from django.urls import path

from . import api
from .statuses import json_urls

urlpatterns = [path("", json_urls(api))]
