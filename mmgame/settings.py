"""Settings from the environment; with nothing set, SQLite (WAL, IMMEDIATE) and the in-memory channel layer."""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


class SettingError(RuntimeError):
    """An environment variable the settings do not understand: refused at start-up, never guessed."""


def env_flag(name: str, default: bool) -> bool:
    """A yes/no setting: true/false, yes/no, on/off or 1/0 (any case); anything else stops the server, so a
    typo such as SECURE_SSL_REDIRECT=ture cannot silently turn a protection off."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise SettingError(f"{name}={value!r} is not a yes/no value: use one of {', '.join(TRUE_WORDS + FALSE_WORDS)}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value.strip())
    except ValueError:
        raise SettingError(f"{name}={value!r} is not a whole number") from None


def env_url(name: str, schemes: tuple[str, ...], default: str = "") -> str:
    """A URL whose scheme is one of `schemes` (or empty: unset). The message names the variable and the
    scheme, never the rest, which may hold a password."""
    value = os.environ.get(name, default).strip()
    if value and urlsplit(value).scheme not in schemes:
        scheme = urlsplit(value).scheme or "none"
        raise SettingError(f"{name} is not a URL of the kind expected: scheme {scheme!r}, not one of {schemes}")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or ("dev-only-insecure-key-set-SECRET_KEY-in-production" if DEBUG else "")
if not SECRET_KEY:
    raise SettingError("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
if not ALLOWED_HOSTS and not DEBUG:
    raise SettingError("ALLOWED_HOSTS must name this server's host names when DEBUG is off")
# The address phones should use to join (the QR code, the join link), when the host's own browser uses
# another one (localhost); `manage.py play --addr 0.0.0.0` sets it to this machine's network address.
PUBLIC_URL = env_url("PUBLIC_URL", ("http", "https")).rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
for origin in CSRF_TRUSTED_ORIGINS:  # Django checks this only in `manage.py check`, which Daphne never runs
    if urlsplit(origin).scheme not in ("http", "https") or not urlsplit(origin).netloc:
        raise SettingError(f"CSRF_TRUSTED_ORIGINS: {origin!r} is not an origin such as https://game.example.org")
# Behind a TLS proxy (nginx, Caddy) that sets X-Forwarded-Proto and appends to X-Forwarded-For: only then
# are those headers believed (HTTPS, and the client's address for sign-in throttling and join limits);
# without a proxy any client could send them.
BEHIND_PROXY = env_flag("BEHIND_PROXY", False)
# Daphne's --proxy-headers takes the first X-Forwarded-For entry, which the client writes, for its address
# (mmgame/clients.py then counts every such request as one client): said at start, where an admin looks.
PROXY_HEADERS_WARNING = (
    "mmgame: Daphne was started with --proxy-headers, which takes the client's own X-Forwarded-For claim for "
    "its address; start it without, and set BEHIND_PROXY=true behind a proxy that appends to X-Forwarded-For\n"
)
if "--proxy-headers" in sys.argv:
    sys.stderr.write(PROXY_HEADERS_WARNING)

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "ninja",  # serves Swagger UI's own files from our static files: /api/docs loads nothing from a CDN
    "axes",
    "mmgame",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "mmgame.web.refusals.RefusalMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: it answers a throttled sign-in
]

ROOT_URLCONF = "mmgame.urls"
ASGI_APPLICATION = "mmgame.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mmgame.web.accounts.signup_open",
            ],
        },
    },
]

# The database: DATABASE_URL (PostgreSQL in production), else SQLite in WAL mode whose transactions
# take the write lock at BEGIN (IMMEDIATE): SQLite's only way to serialise read-then-write trades.
SQLITE_PATH = Path(os.environ.get("SQLITE_PATH", BASE_DIR / "db.sqlite3"))
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
DATABASE_URL = env_url("DATABASE_URL", ("postgres", "postgresql", "pgsql", "sqlite"))
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # A database host that vanished fails a request (and /healthz) in seconds, not the OS's minutes.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": dict(SQLITE_OPTIONS),
            # A file, not :memory:, so live-server tests in other threads see the same data; one per
            # process, so that two test runs on one machine do not share it.
            "TEST": {
                "NAME": os.environ.get("SQLITE_TEST_PATH")
                or str(Path(tempfile.gettempdir()) / f"mmgame-test-{os.getpid()}.sqlite3")
            },
        }
    }

# The channel layer carries news between server processes: Redis when there is more than one.
REDIS_URL = env_url("REDIS_URL", ("redis", "rediss", "unix"))
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "capacity": 1000, "expiry": 30},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# The cache holds the rate limits' counters (mmgame.services.limits): on Redis they hold across processes.
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# (count, seconds) per limit, see mmgame.services.limits. Trades: twice what the benchmark's traders send
# (10 a second a seat); quotes: a phone quotes as the curve is dragged; joins: seats given per network
# address, as a whole class shares one (100 students within a minute pass), and per address in one game
# (a class's pace, 120 a minute in windows of 5 s: one client cannot take a game's seats in seconds).
# Refused joins do not count. RATE_LIMITS=off turns them all off (tests).
RATE_LIMITS: dict[str, tuple[int, float]] = {
    "trade": (20, 1.0),
    "quote": (30, 1.0),
    "join": (300, 60.0),
    "new_seat": (10, 5.0),
}
if not env_flag("RATE_LIMITS", True):
    RATE_LIMITS = {}

# Each server process steps the practice traders it holds the lease of, once a second (mmgame.live.practice_runner).
PRACTICE_TRADERS_RUN = env_flag("PRACTICE_TRADERS_RUN", True)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Sign-in throttling (django-axes): wrong passwords are counted per account *and* address together, so a
# student who guesses at the teacher's account slows down only that account from that address; the
# teacher signs in from another network at once, or from the same one after the delay. Five wrong
# passwords in 15 minutes, then a delay that doubles with every further wrong password once it is over
# (1, 2, 4, 8, then 15 minutes at most): a delay, never a permanent lockout. The host sign-in, the
# admin's and any other authenticate() call count (mmgame.web.sign_in).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = "mmgame.web.sign_in.cool_off"
AXES_USE_ATTEMPT_EXPIRATION = True  # each account-and-address pair keeps its own delay
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the teacher retrying while held back does not extend it
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "mmgame.clients.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # no record of each successful sign-in's address and browser (docs/privacy.md)
# Sign-ups one address may make an hour: a teacher makes one account, a script cannot make hundreds.
SIGNUP_LIMIT_PER_HOUR = 5
# The most a request body may hold, refused as it arrives (mmgame.bodies): the largest a page sends is a
# questions file of 256 KB (web.forms.QUESTIONS_FILE_LIMIT) in a form; the API's bodies are under 16 KB.
MAX_REQUEST_BODY = 1024 * 1024
# The endpoints that take a picture (a question's picture, a zip of questions and their pictures) take larger
# bodies, still bounded and refused as they arrive (mmgame.bodies): a picture is at most PICTURE_MAX_BYTES,
# a zip of questions at most MAX_UPLOAD_BODY.
MAX_UPLOAD_BODY = 20 * 1024 * 1024
UPLOAD_PATHS = (
    r"^/host/games/\d+/markets/new/$",
    r"^/host/games/\d+/markets/\d+/picture/$",
    r"^/host/games/\d+/bank/upload/$",
    r"^/api/markets/\d+/picture$",
)
PICTURE_MAX_BYTES = 5 * 1024 * 1024
# SIGNUP_OPEN=false: no one creates a host account from the site (an administrator makes them).
SIGNUP_OPEN = env_flag("SIGNUP_OPEN", True)
# One host's share of the server (mmgame.services.caps): markets in a game and games not finished (practice
# traders: mmgame.services.practice). A game's questions fit one CSV file (mmgame.bank.sheet.MOST_LINES).
MAX_MARKETS_PER_GAME = 100
MAX_OPEN_GAMES_PER_HOST = 30
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/host/"  # hosts sign in; players never need to

LANGUAGE_CODE = "en"
# The languages a game, a phone and the host's pages may speak (docs/i18n.md). Each name is written in its own
# language, as pickers show it; a locale nobody asked for falls back to LANGUAGE_CODE.
LANGUAGES = [("en", "English"), ("es", "Español"), ("fr", "Français"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Uploaded files (the questions' pictures) go through Django's storage API: local files under MEDIA_ROOT by
# default; STORAGE_BACKEND names any other backend (an S3 bucket through django-storages, say), with its
# options as a JSON object in STORAGE_OPTIONS. The app serves them itself, each asking mmgame.access
# (mmgame/web/pictures.py): MEDIA_URL is never served as static files.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage").strip()
try:
    STORAGE_OPTIONS = json.loads(os.environ.get("STORAGE_OPTIONS") or "{}")
except ValueError as error:
    raise SettingError(f"STORAGE_OPTIONS is not a JSON object: {error}") from None
if not isinstance(STORAGE_OPTIONS, dict):
    raise SettingError("STORAGE_OPTIONS is not a JSON object")
STORAGES = {
    "default": {"BACKEND": STORAGE_BACKEND, "OPTIONS": STORAGE_OPTIONS},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Content-Security-Policy (django-csp): pages run only our own scripts and styles, from our own origin;
# no inline script or style attribute, nothing from another site, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", True)
    # A monitor polls each Daphne process directly, over plain HTTP on 127.0.0.1 (mmgame/health.py).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds the whole domain to HTTPS for months: an operator's choice, not a default.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING").strip().upper()
if not isinstance(logging.getLevelName(LOG_LEVEL), int):
    raise SettingError(f"LOG_LEVEL={LOG_LEVEL!r} is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's own console handler (while DEBUG) would print what reaches the root's too: `play` printed every
    # request twice. Django's records go to the root's handler alone.
    "loggers": {"django": {"handlers": [], "propagate": True}},
}
