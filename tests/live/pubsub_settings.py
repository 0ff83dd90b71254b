"""The project's settings with Redis pub/sub as the channel layer: one PUBLISH per broadcast."""

from mmgame.settings import *  # noqa: F403
from mmgame.settings import REDIS_URL

CHANNEL_LAYERS = {
    "default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}
}
