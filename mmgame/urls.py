from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
]
urlpatterns += [path("", include("mmgame.web.urls"))]  # the browser game's pages
urlpatterns += [path("api/", include("mmgame.api.urls"))]  # the JSON API and /api/openapi.json
