from django.contrib import admin
from django.urls import include, path

from mmgame.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),  # for the proxy, the process manager, a monitor (mmgame/health.py)
]
urlpatterns += [path("", include("mmgame.web.urls"))]  # the browser game's pages
urlpatterns += [path("api/", include("mmgame.api.urls"))]  # the JSON API and /api/openapi.json
