from django.contrib import admin
from django.urls import include, path

from mmgame.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    # The host's language picker (Django's set_language: a cookie that LocaleMiddleware reads; docs/i18n.md).
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),  # for the proxy, the process manager, a monitor (mmgame/health.py)
]
urlpatterns += [path("", include("mmgame.web.urls"))]  # the browser game's pages
urlpatterns += [path("api/", include("mmgame.api.urls"))]  # the JSON API and /api/openapi.json
