"""Huddle settings: one file, every deployment difference comes from the environment.

With nothing set, Huddle runs on its embedded defaults: SQLite, a Whoosh index and a
filesystem Celery queue, all under `var/`, and email printed to the console.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

# Runtime data of the embedded default (database, search index, queue). Tests point it elsewhere.
VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for local development).")
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list(
    "CSRF_TRUSTED_ORIGINS",
    default=[f"https://{host.lstrip('.')}" for host in ALLOWED_HOSTS if host != "*"],
)
# Absolute links in emails point here. `make run` sets it to http://127.0.0.1:$PORT when unset.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "taggit",
    "django_htmx",
    "django_ratelimit",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    # Huddle, bottom layer first (see DESIGN.md: an app imports only from apps above it here).
    "people",
    "notifications",
    "searchkit",
    "kb",
    "search",
    "questions",
    "training",
    "mentorship",
    "recognition",
    "dashboard",
    # After searchkit, so that its safe `rebuild_index` command replaces haystack's (the first
    # app listed wins a command name).
    "haystack",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # NUL characters and over-long usernames get a 400 before the session or any view reads them.
    "config.middleware.InputSanityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Default-deny: every view needs a login unless it is marked @login_not_required.
    "config.middleware.LoginRequiredMiddleware",
    # Times on pages and in forms are the viewer's own (their profile's time zone).
    "config.middleware.ViewerTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes must come last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# An empty DATABASE_URL means the embedded default, like an unset one.
DATABASES = {
    "default": env.db_url_config(
        env("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'huddle.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the single writer; IMMEDIATE takes the write lock at BEGIN,
    # so two writers queue on busy_timeout instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "people.auth.AccountThrottle",  # before the password check, see the lockout section
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lockout after repeated failures. The lock is on the (username, client IP) pair, never on the
# IP alone: behind a reverse proxy every request may share one address, and an IP-only lock
# would let one mistyped password shut everybody out. The client IP is people.auth.client_ip:
# with TRUSTED_PROXY_COUNT = N proxies in front of Huddle, the X-Forwarded-For entry just left
# of the N - 1 that the inner proxies appended (the right-most one no trusted proxy added);
# with 0 the header is ignored, so a client cannot spoof its way past the lock.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "people.auth.lockout_response"  # the page, with Retry-After
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "people.auth.client_ip"
# Guessing one account's password from many addresses: after LOGIN_ACCOUNT_FAILURE_LIMIT failed
# log-ins in a window from browsers without the account's device cookie (given to a browser
# when it logs in to that account), such browsers are refused for that account until the
# window ends (people.auth.AccountThrottle). Browsers with the cookie are not, so the owner
# keeps logging in from the browsers they use. Counted in the cache: use REDIS_URL with more
# than one web process.
LOGIN_ACCOUNT_FAILURE_LIMIT = env.int("LOGIN_ACCOUNT_FAILURE_LIMIT", default=20)
LOGIN_ACCOUNT_WINDOW = timedelta(minutes=env.int("LOGIN_ACCOUNT_WINDOW_MINUTES", default=15))
LOGIN_DEVICE_COOKIE_AGE = timedelta(days=env.int("LOGIN_DEVICE_COOKIE_DAYS", default=180))

# --- Security (production defaults; DEBUG relaxes what would break plain-http local runs) ----
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_HTTPS_PROXY", default=False) else None
)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)

# No inline scripts or styles anywhere, so the policy can stay this strict.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Email ----------------------------------------------------------------------------------
# EMAIL_URL (e.g. smtp+tls://user:password@host:587) sends email. Without it, each email is
# printed as one line (recipients, subject, link) instead; EMAIL_URL=consolemail:// prints it whole.
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "config.mail.OneLineConsoleBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Huddle <huddle@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Search ---------------------------------------------------------------------------------
# SEARCH_URL is a filesystem path for Whoosh, or an http(s) URL of Elasticsearch 7 / OpenSearch.
SEARCH_URL = env("SEARCH_URL", default=str(VAR_DIR / "whoosh"))
_search = urlsplit(SEARCH_URL)
if _search.scheme in ("http", "https"):
    HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "searchkit.elasticsearch.HuddleElasticsearchEngine",
            "URL": f"{_search.scheme}://{_search.netloc}",
            "INDEX_NAME": _search.path.strip("/") or "huddle",
        }
    }
else:
    HAYSTACK_CONNECTIONS = {
        "default": {
            # Haystack's Whoosh engine with safe writes, index swapping and cached searchers.
            "ENGINE": "searchkit.backend.HuddleWhooshEngine",
            "PATH": SEARCH_URL.removeprefix("whoosh://"),
        }
    }
HAYSTACK_CONNECTIONS["default"]["INCLUDE_SPELLING"] = True
# Index updates are queued by each app's services (searchkit.pipeline.queue_update), never
# written by model signals.
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"
# Every search narrows by audience, and results are rendered per model, so haystack need not
# also narrow by model.
HAYSTACK_LIMIT_TO_REGISTERED_MODELS = False
# Seconds between reconciles of the search index with the database (catches missed updates).
SEARCH_RECONCILE_SECONDS = env.int("SEARCH_RECONCILE_SECONDS", default=600)

# --- Celery ---------------------------------------------------------------------------------
# With REDIS_URL, Redis is the broker. Without it, kombu's filesystem transport keeps the queue
# in files under var/, so a real worker and beat run on a machine with nothing installed.
CELERY_QUEUE_DIR = Path(env("CELERY_QUEUE_DIR", default=str(VAR_DIR / "queue")))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    CELERY_QUEUE_DIR.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR),
        "data_folder_out": str(CELERY_QUEUE_DIR),
        # Broadcast (remote control) state too, or kombu writes ./control in the cwd.
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# What tasks print (the console email lines, config.mail) is logged as INFO, not as a warning.
CELERY_WORKER_REDIRECT_STDOUTS_LEVEL = "INFO"
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
REMINDER_SWEEP_SECONDS = env.int("REMINDER_SWEEP_SECONDS", default=300)
# How often the digest sweep looks for people whose digest hour has come (each person gets
# at most one digest per period, however often it runs).
DIGEST_SWEEP_SECONDS = env.int("DIGEST_SWEEP_SECONDS", default=900)
# Searches and article views are written behind the page (`people.deferred`); beat catches
# what a flush asked for by a request missed (the worker was down, the message expired).
DEFERRED_FLUSH_SECONDS = env.int("DEFERRED_FLUSH_SECONDS", default=5)
# A buffering request also asks the worker for a flush in a moment (benchmarks turn it off).
DEFERRED_WRITES_FLUSH_SOON = True
CELERY_BEAT_SCHEDULE = {
    "search-logs-flush": {
        "task": "search.tasks.search_logs_flush",
        "schedule": DEFERRED_FLUSH_SECONDS,
        "options": {"expires": DEFERRED_FLUSH_SECONDS},
    },
    "kb-article-views-flush": {
        "task": "kb.tasks.article_views_flush",
        "schedule": DEFERRED_FLUSH_SECONDS,
        "options": {"expires": DEFERRED_FLUSH_SECONDS},
    },
    "digests-send": {
        "task": "notifications.tasks.digests_send",
        "schedule": DIGEST_SWEEP_SECONDS,
        "options": {"expires": DIGEST_SWEEP_SECONDS},
    },
    "reminders-sweep": {
        "task": "notifications.tasks.reminders_sweep",
        "schedule": REMINDER_SWEEP_SECONDS,
        # A sweep that waited longer than its interval is superseded by the next one.
        "options": {"expires": REMINDER_SWEEP_SECONDS},
    },
    # Mentorship: unanswered requests expire, and goals linked to a track follow training.
    "mentorship-requests-expire": {
        "task": "mentorship.tasks.requests_expire",
        "schedule": REMINDER_SWEEP_SECONDS,
        "options": {"expires": REMINDER_SWEEP_SECONDS},
    },
    "mentorship-goals-sync": {
        "task": "mentorship.tasks.goals_sync",
        "schedule": REMINDER_SWEEP_SECONDS,
        "options": {"expires": REMINDER_SWEEP_SECONDS},
    },
    # Recognition: badges follow from what people did across Huddle.
    "recognition-badges-award": {
        "task": "recognition.tasks.badges_award",
        "schedule": REMINDER_SWEEP_SECONDS,
        "options": {"expires": REMINDER_SWEEP_SECONDS},
    },
    # Questions: re-route unanswered questions to the next experts, escalate waiting customers.
    "questions-route-due": {
        "task": "questions.tasks.questions_route_due",
        "schedule": REMINDER_SWEEP_SECONDS,
        "options": {"expires": REMINDER_SWEEP_SECONDS},
    },
    "content-requests-fulfil": {
        "task": "search.tasks.content_requests_fulfil",
        "schedule": REMINDER_SWEEP_SECONDS,
        "options": {"expires": REMINDER_SWEEP_SECONDS},
    },
    "kb-uploads-discard": {
        "task": "kb.tasks.uploads_discard_unclaimed",
        "schedule": 3600,
        "options": {"expires": 3600},
    },
    "search-index-reconcile": {
        "task": "searchkit.tasks.index_reconcile",
        "schedule": SEARCH_RECONCILE_SECONDS,
        "options": {"expires": SEARCH_RECONCILE_SECONDS},
    },
}
# Whoosh allows one writer: every index write goes to this queue, which exactly one worker
# process (concurrency 1) consumes. See Procfile and `make run`.
SEARCH_INDEX_QUEUE = "search-index"
# Routed by task name, so no other task of any app ever lands on the single writer.
CELERY_TASK_ROUTES = {
    "searchkit.tasks.index_sync": {"queue": SEARCH_INDEX_QUEUE},
    "searchkit.tasks.index_reconcile": {"queue": SEARCH_INDEX_QUEUE},
}

# --- Huddle ---------------------------------------------------------------------------------
# Days after joining before someone with an incomplete profile gets the onboarding reminder.
ONBOARDING_REMINDER_DAYS = env.int("ONBOARDING_REMINDER_DAYS", default=3)
# Days after an article's verification lapses before its category's editors are told.
KB_VERIFICATION_GRACE_DAYS = env.int("KB_VERIFICATION_GRACE_DAYS", default=14)
# An editor's own change waits for another editor's approval, unless they are the only one.
KB_REQUIRE_SECOND_EDITOR = env.bool("KB_REQUIRE_SECOND_EDITOR", default=True)

# --- Questions ------------------------------------------------------------------------------
# How many likely experts a question is brought to at once (and again at each re-routing).
QUESTIONS_EXPERTS_PER_ROUND = env.int("QUESTIONS_EXPERTS_PER_ROUND", default=3)
# Minutes a "customer waiting" question may stay unanswered before the asker's team lead hears.
QUESTIONS_ESCALATE_MINUTES = env.int("QUESTIONS_ESCALATE_MINUTES", default=15)
# Working days (Monday to Friday) a normal question may stay unanswered before the next
# experts are asked.
QUESTIONS_REROUTE_WORKING_DAYS = env.int("QUESTIONS_REROUTE_WORKING_DAYS", default=1)
# How often an open question's page asks for new answers (seconds).
QUESTIONS_POLL_SECONDS = env.int("QUESTIONS_POLL_SECONDS", default=10)

# --- Recognition ----------------------------------------------------------------------------
# Points each person may give per month (a person's wallet may say otherwise); the month
# starts on the 1st at midnight in the organisation's time zone (TIME_ZONE), with no rollover.
RECOGNITION_MONTHLY_ALLOWANCE = env.int("RECOGNITION_MONTHLY_ALLOWANCE", default=100)
# How often one person may post kudos, on the web and through the API ("count/period").
RECOGNITION_KUDOS_RATE = env("RECOGNITION_KUDOS_RATE", default="10/m")
# Whether everyone (not only managers) may nominate colleagues for an award.
RECOGNITION_NOMINATIONS_OPEN_TO_ALL = env.bool("RECOGNITION_NOMINATIONS_OPEN_TO_ALL", default=False)
# Days a nomination waits before its approvers are reminded (once).
RECOGNITION_NOMINATION_REMIND_DAYS = env.int("RECOGNITION_NOMINATION_REMIND_DAYS", default=3)
# django-ratelimit counts in the default cache. Its checks ask for a shared cache with atomic
# increments: Redis is one (Django's own backend, which the library's list does not name yet);
# without REDIS_URL the single-process embedded default counts in its local memory.
SILENCED_SYSTEM_CHECKS = [
    "django_ratelimit.W001",
    *([] if REDIS_URL else ["django_ratelimit.E003"]),
]

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # A browser's session, or a personal API token (`Authorization: Token <key>`) made on the
    # profile page: stored hashed, revocable, with its last use recorded.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "people.api_auth.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # One error body for every failure: {"detail": ..., "code": ..., "fields": {...}}.
    "EXCEPTION_HANDLER": "people.api_errors.exception_handler",
    # Every signed-in client is throttled; scoped throttles for endpoints that write what
    # people read (ScopedRateThrottle).
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env("API_USER_RATE", default="2000/hour"),
        "kudos": RECOGNITION_KUDOS_RATE,
        "kb-write": env("API_KB_WRITE_RATE", default="30/minute"),
        "questions-write": env("API_QUESTIONS_WRITE_RATE", default="30/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Huddle API",
    "DESCRIPTION": "Read and act on Huddle's knowledge hub with your session or a personal API "
    "token (`Authorization: Token <key>`, made on your profile). Every error answers "
    '`{"detail", "code", "fields"}`.',
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Every 4xx of every operation documents the one error body (people.api_errors), and each
    # operation its 401/403/429, whichever app wrote it.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "people.api_schema.document_errors",
    ],
    # Choices that share a field name across apps ("status", "kind") get their own names.
    "ENUM_NAME_OVERRIDES": {
        "ArticleStatusEnum": "kb.models.Article.Status",
        "QuestionStatusEnum": "questions.models.Question.Status",
        "SessionKindEnum": "training.models.Session.Kind",
        "SessionStatusEnum": "training.models.Session.Status",
        # The API offers reactions by value (ChoiceField of the values), not by label.
        "ReactionKindEnum": ["clap", "heart", "party", "strong", "star"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "forbidden_without_traceback": {"()": "config.logfilters.ForbiddenWithoutTraceback"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Django's own console handler (DEBUG only) printed each of its records a second time,
        # beside the root's: its records go to the root's handler only.
        "django": {"handlers": [], "level": "NOTSET", "propagate": True},
        "django.request": {"filters": ["forbidden_without_traceback"]},
    },
}
