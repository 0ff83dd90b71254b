"""ASGI entry point: HTTP through Django, websockets through Channels (served by Daphne)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mmgame.settings")

from channels.routing import ProtocolTypeRouter, URLRouter
from channels.sessions import CookieMiddleware
from django.core.asgi import get_asgi_application

django_asgi_app = get_asgi_application()

from django.conf import settings  # noqa: E402

from mmgame import bodies  # noqa: E402

# Before Daphne buffers a body whole (mmgame/bodies.py says why); the picture uploads' paths take more.
bodies.install(settings.MAX_REQUEST_BODY, uploads=settings.UPLOAD_PATHS, upload_limit=settings.MAX_UPLOAD_BODY)

from mmgame.live.origin import SameOriginValidator  # noqa: E402
from mmgame.live.routing import websocket_urlpatterns  # noqa: E402  (needs the apps loaded above)

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Browsers send Origin; a page on another site (or another port of this host) may not open a socket
        # with our cookies. The session and the host's login are read from the cookies once, when the socket
        # connects (find_viewer): Channels' SessionMiddleware would wrap `send`, a cost on every frame.
        "websocket": SameOriginValidator(CookieMiddleware(URLRouter(websocket_urlpatterns))),
    }
)
