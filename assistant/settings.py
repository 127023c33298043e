"""Settings for Team Assistant, read from the environment (see .env.example).

One file for every deployment: development defaults are safe on a laptop, and
ASSISTANT_ENV=production turns on the secure defaults `check --deploy` wants.
https://docs.djangoproject.com/en/5.2/ref/settings/
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def _load_dotenv(path: Path) -> None:
    """Read KEY=value lines from .env without overriding the real environment."""
    if not path.is_file():
        return
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


_load_dotenv(BASE_DIR / ".env")


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default)
    if value not in ("True", "False"):
        raise ImproperlyConfigured(f"{name} is {value!r}: use 'True' or 'False'")
    return value == "True"


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} is {value!r}: use a whole number") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


ENV = os.getenv("ASSISTANT_ENV", "development")
if ENV not in ("development", "production", "test"):
    raise ImproperlyConfigured(f"ASSISTANT_ENV is {ENV!r}: use development, production or test")
PRODUCTION = ENV == "production"

DEBUG = envbool("DEBUG", "False" if PRODUCTION else "True")
SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production")
    SECRET_KEY = "dev-only-" + "x" * 50  # noqa: S105 - never used with ASSISTANT_ENV=production

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.getenv("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Everything the app writes (SQLite database, recordings, broker files) lives
# under VAR_DIR, outside any folder a web server would publish.
VAR_DIR = Path(os.getenv("VAR_DIR", BASE_DIR / "var"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_htmx",
    "template_partials",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "assistant",
    "meetings",
    "reports",
    "learning",
]

MIDDLEWARE = [
    "assistant.limits.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "assistant.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "assistant.middleware.TeamMiddleware",
]

ROOT_URLCONF = "assistant.urls"
ASGI_APPLICATION = "assistant.asgi.application"
WSGI_APPLICATION = "assistant.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["template_partials.templatetags.partials"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "assistant.context_processors.team",
            ],
        },
    },
]

# https://docs.djangoproject.com/en/5.2/ref/settings/#databases
# SQLite under VAR_DIR is the embedded default; DATABASE_URL selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'assistant.sqlite3'}",
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", "0"),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Workers and the web server write concurrently: wait for locks instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
elif (DATABASES["default"]["ENGINE"].endswith("postgresql")
      and os.getenv("ASSISTANT_PROCESS") == "web" and not DATABASES["default"]["CONN_MAX_AGE"]):
    # The web server: a pool of PostgreSQL connections per process (psycopg_pool), not a new
    # connection (a server process forked and authenticated) for every request. Each
    # request borrows one and gives it back when it ends; a connection broken while in the
    # pool is noticed when borrowed and replaced. Persistent connections (CONN_MAX_AGE) do not
    # work under ASGI: each request runs in a thread of its own. bench/results/load.md
    # (CONN_HEALTH_CHECKS: the pool checks a connection before lending it.)
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 2, "max_size": 10, "timeout": 10}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "assistant.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# https://docs.allauth.org/en/latest/account/configuration.html
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Team Assistant] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_ADAPTER = "assistant.adapters.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Team Assistant"
# Managers and admins must set up a second factor when this is on (the security issue).
MFA_REQUIRED_FOR_MANAGERS = envbool("MFA_REQUIRED_FOR_MANAGERS", "True" if PRODUCTION else "False")

# https://docs.djangoproject.com/en/5.2/topics/email/
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "Team Assistant <assistant@localhost>")
EMAIL_HOST = os.getenv("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("EMAIL_PORT", "587")
    EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "True")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": Path(os.getenv("MEDIA_DIR", VAR_DIR / "media"))},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploaded files are never published: there is no MEDIA_URL; views stream them
# after a team check.
MEDIA_ROOT = Path(os.getenv("MEDIA_DIR", VAR_DIR / "media"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Recordings: the largest upload and the longest audio accepted. A larger request
# is refused with 413 before its body is read (assistant/limits.py).
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_BYTES", str(1024**3))
MEETING_MAX_SECONDS = envint("MEETING_MAX_SECONDS", str(4 * 3600))
# A transcription checkpoint after every piece of about this much audio (a killed worker
# resumes from the last one).
TRANSCRIPTION_PIECE_SECONDS = envint("TRANSCRIPTION_PIECE_SECONDS", "300")
# Seconds of small-model time the minutes may spend rewording tasks (0: none); the
# extracted wording stands for whatever it does not reach.
MINUTES_MODEL_SECONDS = envint("MINUTES_MODEL_SECONDS", "20")

# Security: https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "True" if PRODUCTION else "False")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS: list[str] = []

# Redis is the broker, cache and pub/sub when REDIS_URL is set; without it the
# app runs on an embedded fallback (Kombu's filesystem transport and the
# database) so `make run` works on a machine with no Redis.
REDIS_URL = os.getenv("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                          "LOCATION": "assistant_cache"}}

# https://docs.celeryq.dev/en/stable/userguide/configuration.html
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
CELERY_BROKER_FOLDER = VAR_DIR / "broker"
JOB_HARD_TIME_LIMIT = envint("JOB_HARD_TIME_LIMIT", str(4 * 3600))
JOB_SOFT_TIME_LIMIT = JOB_HARD_TIME_LIMIT - 60
# A running job writes a heartbeat at least this often; the sweeper re-queues
# one whose heartbeat is older than JOB_STALE_AFTER seconds.
JOB_STALE_AFTER = envint("JOB_STALE_AFTER", "180")
JOB_QUEUED_TOO_LONG = envint("JOB_QUEUED_TOO_LONG", "900")
JOB_MAX_ATTEMPTS = envint("JOB_MAX_ATTEMPTS", "3")
CELERY_QUEUE_PREFIX = os.getenv("CELERY_QUEUE_PREFIX", "")
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", "False")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Deployment, API and operations (issue 13: api/, assistant/health.py, docker/) ---------
INSTALLED_APPS += ["api"]  # noqa: F405 - the REST API, its tokens and webhooks
# Outgoing webhooks: tries per delivery, the first retry's delay (doubling after), and the
# timeout of one request. Private addresses (loopback, LAN) are refused unless allowed.
WEBHOOK_MAX_ATTEMPTS = envint("WEBHOOK_MAX_ATTEMPTS", "6")
WEBHOOK_BACKOFF_SECONDS = envint("WEBHOOK_BACKOFF_SECONDS", "30")
WEBHOOK_TIMEOUT_SECONDS = envint("WEBHOOK_TIMEOUT_SECONDS", "10")
WEBHOOK_ALLOW_PRIVATE = envbool("WEBHOOK_ALLOW_PRIVATE", "False" if PRODUCTION else "True")
def _bad_queue_names(item: str) -> bool:
    raise ImproperlyConfigured(f"CELERY_QUEUE_NAMES has {item!r}: use queue=name[,queue=name]")


# Queues by setting: CELERY_QUEUE_NAMES=speech=speech-gpu gives a queue another broker name,
# so only the machines started with `-Q speech-gpu` take its jobs (README, Scaling out).
CELERY_QUEUE_NAMES = dict(item.split("=", 1) for item in envlist("CELERY_QUEUE_NAMES", "")
                          if "=" in item or _bad_queue_names(item))
# Operations. LOG_FORMAT=json: one JSON object a line with request_id and job_id.
LOG_FORMAT = os.getenv("LOG_FORMAT", "plain")
from assistant.logging import logging_config  # noqa: E402

LOGGING = logging_config(fmt=LOG_FORMAT, level=os.getenv("LOG_LEVEL", "INFO"))
MIDDLEWARE = ["assistant.logging.RequestIdMiddleware",
              "assistant.metrics.RequestMetricsMiddleware", *MIDDLEWARE]
# /metrics answers only `Authorization: Bearer <METRICS_TOKEN>` when it is set; a worker
# serves its metrics on WORKER_METRICS_PORT (0: not at all).
METRICS_TOKEN = os.getenv("METRICS_TOKEN", "")
WORKER_METRICS_PORT = envint("WORKER_METRICS_PORT", "0")
# Workers write a heartbeat this often; /health/workers fails for a queue whose last one is
# older than WORKER_HEARTBEAT_STALE seconds. HEALTH_WORKER_QUEUES: the queues it requires.
WORKER_HEARTBEAT_SECONDS = envint("WORKER_HEARTBEAT_SECONDS", "15")
WORKER_HEARTBEAT_STALE = envint("WORKER_HEARTBEAT_STALE", "60")
HEALTH_WORKER_QUEUES = envlist("HEALTH_WORKER_QUEUES", "speech,text,live,default")
# Shared storage: recordings, voice samples and exports go through Django's storage API.
# STORAGE_BACKEND=s3 keeps them in an S3-compatible bucket (AWS, MinIO, Ceph…), so workers on
# other machines read the same files; otherwise they stay under MEDIA_DIR.
# https://django-storages.readthedocs.io/en/latest/backends/amazon-S3.html
STORAGE_BACKEND = os.getenv("STORAGE_BACKEND", "local")
if STORAGE_BACKEND not in ("local", "s3"):
    raise ImproperlyConfigured(f"STORAGE_BACKEND is {STORAGE_BACKEND!r}: use local or s3")
if STORAGE_BACKEND == "s3":
    if not os.getenv("S3_BUCKET"):
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs S3_BUCKET")
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": os.getenv("S3_BUCKET"),
        "endpoint_url": os.getenv("S3_ENDPOINT_URL") or None,
        "access_key": os.getenv("S3_ACCESS_KEY_ID") or None,
        "secret_key": os.getenv("S3_SECRET_ACCESS_KEY") or None,
        "region_name": os.getenv("S3_REGION") or None,
        "location": os.getenv("S3_PREFIX", ""),
        # MinIO and other emulators answer on one host name: path-style addresses.
        "addressing_style": os.getenv("S3_ADDRESSING_STYLE",
                                      "path" if os.getenv("S3_ENDPOINT_URL") else "auto"),
        "file_overwrite": False, "default_acl": None, "querystring_expire": 300,
    }}
# Behind nginx: recordings are sent by nginx from this internal location after the app's
# team check (X-Accel-Redirect; docker/nginx.conf maps it to MEDIA_DIR). Empty: the app
# streams them itself.
RECORDINGS_X_ACCEL_PREFIX = os.getenv("RECORDINGS_X_ACCEL_PREFIX", "")
# --- end of issue 13 block ------------------------------------------------------------------
