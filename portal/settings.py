"""Settings for Console Sandbox.

Everything that differs between machines comes from the environment, with
development defaults that need nothing installed. Production hardening is
switched on with PORTAL_ENV=production (see README, "Production settings").
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("PORTAL_ENV", "development") == "production"
DEVELOPMENT_SECRET_KEY = "django-insecure-console-sandbox-development-only"

SECRET_KEY = os.environ.get("SECRET_KEY", "" if PRODUCTION else DEVELOPMENT_SECRET_KEY)
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == DEVELOPMENT_SECRET_KEY):
    raise ImproperlyConfigured("PORTAL_ENV=production needs a SECRET_KEY of its own in the environment.")

# Debug pages list every URL pattern and setting: only for a developer who asks (DEBUG=1).
DEBUG = env_flag("DEBUG")
# The sandbox run (bin/run) is reached by a classroom on whatever address the machine has;
# production names its hosts.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "*")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "portal",
    "accounts",
    "iam",
    "cases",
    "api",
    "events",
    "training",
    "advisor",
    "inbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "api.middleware.ApiShortcutMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.middleware.QueuedWorkMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "portal.middleware.ConsolePrincipalMiddleware",
    "training.middleware.PracticeActivityMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.context_processors.console",
            ],
        },
    },
]

# Persistent connections, checked before each request reuses them, so a request does not pay
# for a new PostgreSQL connection (DATABASE_CONN_MAX_AGE=0 turns them off).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The one-machine run has web, worker and beat writing one file: write-ahead logging lets
    # readers go on beside the writer, IMMEDIATE takes the write lock when a transaction
    # starts (no deadlock between two readers upgrading), and a writer waits its turn.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters bound by the server, and psycopg prepares a statement the connection has run 5 times
    # (Django leaves prepare_threshold unset, which never prepares): the API's queries repeat on every
    # call, and planning each again cost more than running it (the access key's check: 350 us, then 60).
    # (A PgBouncer in transaction pooling between them needs its max_prepared_statements set; a migration
    # that changes a column's type is followed by restarting the web role, as any deploy does.)
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Collected files are only for production; elsewhere WhiteNoise reads the source folders.
STATIC_ROOT = os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles") if PRODUCTION else os.environ.get("STATIC_ROOT")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# WhiteNoise serves static files in every mode: from STATIC_ROOT after collectstatic in
# production, straight from the source folders otherwise (no collect step for bin/run).
WHITENOISE_USE_FINDERS = not PRODUCTION

# Staff sign in through the admin site; customers through portal.auth.
LOGIN_URL = "admin:login"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@console-sandbox.local")
# API calls' case emails go to the task queue together, at most this long after the first of them
# (portal.after_response.Batch): one publish for many fast calls.
CASE_EMAIL_BATCH_SECONDS = float(os.environ.get("CASE_EMAIL_BATCH_SECONDS", "0.05"))
# Where emails point people to (links to support cases); no trailing slash.
CONSOLE_URL = os.environ.get("CONSOLE_URL", "http://localhost:8000").rstrip("/")

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(12 * 60 * 60)))

# The cache holds state every web machine must share (sign-in and API rate limits):
# Redis when configured; otherwise the one web process's memory (bin/run serves
# from a single process with threads). CACHE_KEY_PREFIX keeps concurrent test
# runs on one Redis apart.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        # Short timeouts: with Redis gone a request fails fast instead of hanging.
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
    | {"KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "console-sandbox") + os.environ.get("PYTEST_XDIST_WORKER", "")}
}

# Celery: Redis in production; on one machine with nothing installed, kombu's SQLAlchemy
# transport on a SQLite file of its own (a real broker that needs no server).
RUNTIME_DIR = Path(os.environ.get("RUNTIME_DIR", BASE_DIR / "var"))
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or REDIS_URL or f"sqla+sqlite:///{RUNTIME_DIR / 'broker.sqlite3'}"
EMBEDDED_BROKER = CELERY_BROKER_URL.startswith("sqla+sqlite")
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {"connect_args": {"timeout": 20}}
    if EMBEDDED_BROKER
    # A request that enqueues work must answer quickly when Redis is down (the outbox keeps it).
    else {"socket_connect_timeout": 1, "socket_timeout": 2, "max_retries": 0}
)
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_BACKEND = REDIS_URL or None
# The portal never reads a task's result, and keeping one makes every send subscribe to the result
# store first: with Redis down that hung a request ~20 s and then failed it. Tests that wait for a
# worker's answer ask for the result of that one call (apply_async(ignore_result=False)).
CELERY_TASK_IGNORE_RESULT = True
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_REDIS_SOCKET_TIMEOUT = 2
CELERY_RESULT_BACKEND_ALWAYS_RETRY = False
# Only the test suite runs tasks in-process (tests/conftest.py); the portal always sends them.
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_PUBLISH_RETRY = False
# A test run split across processes (pytest-xdist) gives each its own queue and cache keys,
# since each has its own test database and real worker.
_TEST_PROCESS = os.environ.get("PYTEST_XDIST_WORKER", "")
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "console-sandbox") + (f"-{_TEST_PROCESS}" if _TEST_PROCESS else "")
# The embedded transport has no broadcast: no remote control, gossip or mingle there.
CELERY_WORKER_ENABLE_REMOTE_CONTROL = not EMBEDDED_BROKER
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "cases-auto-resolve-stale-cases": {
        "task": "cases.tasks.auto_resolve_stale_cases",
        "schedule": timedelta(hours=1),
    },
    "cases-purge-case-history": {
        "task": "cases.tasks.purge_case_history",
        "schedule": timedelta(days=1),
    },
    "purge-expired-events": {
        "task": "events.tasks.purge_expired_events",
        "schedule": timedelta(days=1),
    },
    "send-outbox": {
        "task": "portal.tasks.send_outbox",
        "schedule": timedelta(seconds=int(os.environ.get("OUTBOX_SWEEP_SECONDS", "30"))),
    },
    "purge-delivered-broker-messages": {
        "task": "portal.tasks.purge_delivered_broker_messages",
        "schedule": timedelta(hours=1),
    },
    "purge-sign-in-failures": {
        "task": "portal.tasks.purge_sign_in_failures",
        "schedule": timedelta(hours=1),
    },
    "accounts-settle-due-regions": {
        "task": "accounts.tasks.settle_due_regions",
        "schedule": timedelta(minutes=1),
    },
    "accounts-terminate-expired-accounts": {
        "task": "accounts.tasks.terminate_expired_accounts",
        "schedule": timedelta(hours=1),
    },
    "advisor-refresh-automatic-checks": {
        "task": "advisor.tasks.refresh_automatic_checks",
        "schedule": timedelta(minutes=30),
    },
    "advisor-send-weekly-summaries": {
        "task": "advisor.tasks.send_weekly_summaries",
        "schedule": timedelta(hours=1),
    },
    "remove-idle-practice-accounts": {
        "task": "training.tasks.remove_idle_practice_accounts",
        "schedule": timedelta(hours=6),
    },
    "training-simulated-engineer": {
        "task": "training.tasks.run_simulated_engineer",
        "schedule": timedelta(seconds=int(os.environ.get("TRAINING_ENGINEER_SWEEP_SECONDS", "15"))),
    },
}

# Sign-in throttling: this many failures for one sign-in name (or one client
# address) inside the window lock that name out until the window has passed.
SIGN_IN_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_FAILURE_LIMIT", "5"))
SIGN_IN_FAILURE_WINDOW = timedelta(minutes=int(os.environ.get("SIGN_IN_FAILURE_WINDOW_MINUTES", "15")))
SIGN_IN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_ADDRESS_FAILURE_LIMIT", "50"))

# ---- Abuse limits (security issue 13; README "Security") -----------------------------------
# One-time codes (account recovery, root email change): sends and guesses per target address and
# per client address, in clock-aligned windows of ONE_TIME_CODE_WINDOW_MINUTES (so at most twice
# a limit fits in any window's length: 10 guesses per hour-window is at most 20 in any hour).
ONE_TIME_CODE_WINDOW_MINUTES = int(os.environ.get("ONE_TIME_CODE_WINDOW_MINUTES", "60"))
ONE_TIME_CODE_SENDS_PER_ADDRESS = int(os.environ.get("ONE_TIME_CODE_SENDS_PER_ADDRESS", "5"))
ONE_TIME_CODE_SENDS_PER_CLIENT = int(os.environ.get("ONE_TIME_CODE_SENDS_PER_CLIENT", "20"))
ONE_TIME_CODE_GUESSES_PER_ADDRESS = int(os.environ.get("ONE_TIME_CODE_GUESSES_PER_ADDRESS", "10"))
ONE_TIME_CODE_GUESSES_PER_CLIENT = int(os.environ.get("ONE_TIME_CODE_GUESSES_PER_CLIENT", "30"))
# API_RATE_LIMITS=off turns the rate limits off (benchmarks, load tests): API throttling and the
# case-creation and attachment-set limits. Sign-in lockouts and one-time-code limits always apply.
API_RATE_LIMITS = env_flag("API_RATE_LIMITS", default=True)
# API buckets per account and service (api/throttling.py): family -> (calls, per this many seconds).
API_RATE_LIMITS_PER_FAMILY = {
    "read": (int(os.environ.get("API_READ_CALLS", "100")), int(os.environ.get("API_READ_SECONDS", "5"))),
    "write": (int(os.environ.get("API_WRITE_CALLS", "40")), int(os.environ.get("API_WRITE_SECONDS", "10"))),
    "support:DescribeAttachment": (
        int(os.environ.get("API_DESCRIBE_ATTACHMENT_CALLS", "10")),
        int(os.environ.get("API_DESCRIBE_ATTACHMENT_SECONDS", "60")),
    ),
}

# ---- Attachment storage (several web machines) -------------------------------------------------------
# Support case attachments go to the "attachments" storage: files under MEDIA_ROOT/attachments by
# default, an S3-compatible bucket (AWS S3, MinIO, ...) through django-storages when STORAGE_S3_BUCKET
# is set, so that every web machine serves what any of them stored. Downloads always pass through the
# portal's permission checks: the bucket is private and never linked to.
STORAGE_S3_BUCKET = os.environ.get("STORAGE_S3_BUCKET", "")
STORAGES["attachments"] = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_S3_BUCKET,
            "endpoint_url": os.environ.get("STORAGE_S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("STORAGE_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("STORAGE_S3_SECRET_ACCESS_KEY") or None,
            "region_name": os.environ.get("STORAGE_S3_REGION") or None,
            # MinIO and other self-hosted stores answer on one host name: address buckets by path there.
            "addressing_style": "path" if os.environ.get("STORAGE_S3_ENDPOINT_URL") else None,
            "location": "attachments",
            "file_overwrite": False,
            "default_acl": None,
        },
    }
    if STORAGE_S3_BUCKET
    else {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT / "attachments"},
    }
)

# ---- One Celery beat (several machines) ----------------------------------------------------------------
# `celery -A portal beat` sends periodic tasks only while it holds a lease in the database (portal/beat.py):
# a second beat started by mistake waits as a standby and takes over within about BEAT_LEASE_SECONDS * 4/3
# if the first dies (at once if it shuts down cleanly). The lease also keeps when each job last ran.
CELERY_BEAT_SCHEDULER = "portal.beat:SingleBeatScheduler"
BEAT_LEASE_SECONDS = int(os.environ.get("BEAT_LEASE_SECONDS", "30"))

# Content-Security-Policy (django-csp), in development too so that browser tests meet it: scripts
# and stylesheets only from our own origin; no inline <script>, <style>, style="" or on...= handlers.
MIDDLEWARE = [*MIDDLEWARE, "csp.middleware.CSPMiddleware"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Each app fills a fresh sandbox account with its own demo data, in this order.
SANDBOX_POPULATORS = [
    "accounts.sandbox.populate",
    "iam.sandbox.populate",
    "cases.sandbox.populate",
    "advisor.sandbox.populate",
]

# --- Sandbox mailbox (inbox app, issue 16) ---------------------------------------------------------
# Every message the portal sends is first stored in the sandbox mailbox of the accounts it was sent to,
# then handed to the real backend: EMAIL_BACKEND from the environment (console by default), which
# becomes the forward target here. SANDBOX_MAILBOX=off sends straight to it, keeping no copy.
if env_flag("SANDBOX_MAILBOX", default=True):
    SANDBOX_MAIL_FORWARD_BACKEND = EMAIL_BACKEND
    EMAIL_BACKEND = "inbox.backend.MailboxBackend"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", default=True)
    # Load balancers probe health over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
