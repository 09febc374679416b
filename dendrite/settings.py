"""Dendrite settings: one file, every value from the environment.

A fresh clone runs on SQLite under var/ with no configuration at all. Production
(DENDRITE_DEBUG unset) refuses to start without a real secret key and host list.
Every variable is listed, with its default, in .env.example.
"""

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DENDRITE_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if not value:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DENDRITE_DEBUG")
# Set by the test runner only (dendrite/settings_testing.py, which pytest loads): never
# guessed from what happens to be importable, so production checks cannot relax by accident.
TESTING = env_bool("DENDRITE_TESTING")

PLACEHOLDER_SECRETS = {"", "change-me", "changeme", "secret", "insecure"}


def _dev_secret_key() -> str:
    """A per-checkout random key in var/, so a local demo needs no set-up."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env("DENDRITE_SECRET_KEY")
ALLOWED_HOSTS = env_list("DENDRITE_ALLOWED_HOSTS")
if DEBUG or TESTING:
    SECRET_KEY = SECRET_KEY or _dev_secret_key()
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]
else:
    if SECRET_KEY.lower() in PLACEHOLDER_SECRETS or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "DENDRITE_SECRET_KEY must be set to a random value of at least 50 characters "
            "(or set DENDRITE_DEBUG=1 for a local demo)."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DENDRITE_ALLOWED_HOSTS must list the host names this server answers to."
        )

# The audit chain is keyed separately so that rotating SECRET_KEY does not invalidate
# the history, and so that the key is not kept beside the database (a demo's secret key
# is in var/). Without it the key is derived from SECRET_KEY and `check --deploy` warns.
AUDIT_KEY = env("DENDRITE_AUDIT_KEY")
AUDIT_CHAIN_KEY = AUDIT_KEY or f"audit-chain:{SECRET_KEY}"
# Signed checkpoints of the chain's head (audit/checkpoint.py), appended here and to the
# log: in production a file the database server cannot write (another disk or machine,
# or `chattr +a`), so that removing the newest entries is found by audit_verify.
AUDIT_CHECKPOINT_FILE = Path(
    env("DENDRITE_AUDIT_CHECKPOINT_FILE") or VAR_DIR / "audit-checkpoints.log"
)
# Entries are written sealed and chained in batches afterwards (the scheduler's
# audit_chain, every minute): audit_chain and audit_verify report entries that waited
# longer than this to be chained (the scheduler stopped, or the job fails).
AUDIT_CHAIN_LATE_SECONDS = int(env("DENDRITE_AUDIT_CHAIN_LATE_SECONDS", "300"))

INSTALLED_APPS = [
    "dendrite.apps.DendriteAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "dendrite.audit",
    "dendrite.outbox",
    "dendrite.clinics",
    "dendrite.accounts",
    "dendrite.ops",
    "dendrite.instruments",
    "dendrite.leads",
    "dendrite.patients",
    "dendrite.alerts",
    "dendrite.website",
    "dendrite.screening",
    "dendrite.scheduling",
    "dendrite.notes",
    "dendrite.infusions",
    "dendrite.controlled",
    "dendrite.worklist",
    "dendrite.outcomes",
    "dendrite.recovery",
    "dendrite.fhir",
    "dendrite.portal",
    "dendrite.dashboard",
    "dendrite.demo",
]

MIDDLEWARE = [
    "dendrite.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "dendrite.middleware.PermissionsPolicyMiddleware",
    "dendrite.middleware.NoStoreMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dendrite.middleware.ParkedSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "dendrite.audit.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "dendrite.accounts.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dendrite.urls"
WSGI_APPLICATION = "dendrite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "dendrite" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dendrite.context_processors.site",
                # The staff header's counts and banners, each app's (add_figure), read
                # in one query when a page shows them.
                "dendrite.context_processors.staff_figures",
            ],
            # Words, not codes, in every template without a {% load %}: dates and times
            # (dendrite/dates.py), phone numbers, people and roles, instruments' titles,
            # bands and flags, audit actions (STYLE.md, "Words on screens").
            "builtins": [
                "dendrite.dates",
                "dendrite.clinics.templatetags.phones",
                "dendrite.accounts.templatetags.staff_words",
                "dendrite.instruments.templatetags.instrument_words",
                "dendrite.audit.templatetags.audit_words",
            ],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL says otherwise (PostgreSQL in production).
DATABASE_URL = env("DATABASE_URL")
SQLITE_OPTIONS = {
    # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue instead of
    # failing half-way (the audit chain and the booking checks depend on it).
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if DATABASE_URL:
    # Connections are kept for a minute, and checked before a request reuses one: after a
    # database restart each process's first request would otherwise fail on the dead
    # connection it kept (bench/load, docs/benchmarks.md "Load and faults").
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
    if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # a SQLite file named by URL
        DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "dendrite.sqlite3",
            "OPTIONS": SQLITE_OPTIONS,
            # One file per test run, so parallel runs never share a database.
            "TEST": {"NAME": VAR_DIR / f"test-{os.getpid()}.sqlite3"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "dendrite.accounts.backends.ClinicAdminBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2
# Password-reset links one account may be sent, and requests one address may make, an hour.
PASSWORD_RESET_ACCOUNT_LIMIT = int(env("DENDRITE_PASSWORD_RESET_ACCOUNT_LIMIT", "3"))
PASSWORD_RESET_ADDRESS_LIMIT = int(env("DENDRITE_PASSWORD_RESET_ADDRESS_LIMIT", "10"))

# Idle logout — HIPAA §164.312(a)(2)(iii) automatic logoff; clinic-configurable.
IDLE_TIMEOUT_SECONDS = int(env("DENDRITE_IDLE_TIMEOUT_SECONDS", "900"))
# Absolute session lifetime, however active the user is.
SESSION_COOKIE_AGE = int(env("DENDRITE_SESSION_MAX_AGE_SECONDS", str(12 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Lockout after repeated failed logins (django-axes; accounts/lockout.py). A username
# is locked at one client address, so a stranger's guesses never lock staff out from
# their own addresses; an address is locked for every username after more failures,
# so guessing across the staff list stops too. Both for DENDRITE_LOCKOUT_HOURS.
AXES_FAILURE_LIMIT = int(env("DENDRITE_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(env("DENDRITE_LOGIN_ADDRESS_FAILURE_LIMIT", "30"))
AXES_COOLOFF_TIME = float(env("DENDRITE_LOCKOUT_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "dendrite.accounts.lockout.LockoutHandler"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The sign-in logs are shown in the back office by accounts/admin.py, scoped to each
# clinic admin's locations and read-only, not by axes' own pages.
AXES_ENABLE_ADMIN = False
# Reverse proxies in front of the app: the client's address is that many entries from
# the right of X-Forwarded-For (audit trail, lockouts, every rate limit).
PROXY_COUNT = int(env("DENDRITE_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "dendrite.ratelimit.client_ip"

# The name an authenticator app shows beside the code: the clinic's, unless told otherwise.
OTP_TOTP_ISSUER = env("DENDRITE_OTP_ISSUER", env("DENDRITE_SITE_NAME", "Dendrite"))
OTP_TOTP_THROTTLE_FACTOR = 1
# Minutes a clinic admin's re-entered code (step-up) covers further changes to other
# staff accounts (e-mail, role, authenticator, password link); 0 asks every time.
STEP_UP_MINUTES = int(env("DENDRITE_STEP_UP_MINUTES", "5"))
# Days a clinic admin may undo a merge of two charts (patients.actions.undo_merge).
PATIENT_MERGE_UNDO_DAYS = int(env("DENDRITE_PATIENT_MERGE_UNDO_DAYS", "30"))

# Controlled-substance log: days an opened multiple-dose ketamine vial may be drawn from
# after its first puncture (28 is reported by a secondary source only; CLINICAL.md §8.7,
# unconfirmed §13 item 8). The medical director confirms it; 0 turns the rule off.
OPENED_VIAL_DAYS = int(env("DENDRITE_OPENED_VIAL_DAYS", "28"))

# Security headers.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Load balancers ask for health over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True  # no script reads it
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "dendrite.views.csrf_failure"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)
if not DEBUG:
    # The test suite runs with production settings but serves plain http locally.
    SECURE_SSL_REDIRECT = env_bool("DENDRITE_SSL_REDIRECT", not TESTING)
    SESSION_COOKIE_SECURE = not TESTING
    CSRF_COOKIE_SECURE = not TESTING
    LANGUAGE_COOKIE_SECURE = not TESTING
    SECURE_HSTS_SECONDS = int(env("DENDRITE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DENDRITE_HSTS_PRELOAD", True)
    if env_bool("DENDRITE_BEHIND_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("DENDRITE_CSRF_TRUSTED_ORIGINS")

# Background work: Django's tasks API. The queue lives in the database by default, so
# one machine needs no extra service. A clinic network sets DENDRITE_REDIS_URL: tasks
# then go through Redis (dendrite.tasks_redis on django-rq; the worker, which also runs
# deferred tasks: `manage.py rqworker --with-scheduler default`) and the cache (rate
# limits) is shared by every app process.
REDIS_URL = env("DENDRITE_REDIS_URL")
if REDIS_URL:
    INSTALLED_APPS += ["django_rq"]
    TASKS = {"default": {"BACKEND": "dendrite.tasks_redis.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES: dict[str, dict[str, object]] = {
        "default": {"URL": REDIS_URL, "DEFAULT_RESULT_TTL": 24 * 60 * 60}
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    RQ_QUEUES = {}
    # The cache holds the rate limits, so every app process must see the same one: a
    # table in the database (made by the website app's migrations), not process memory.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "dendrite_cache",
        }
    }
# Tries of one e-mail, 1, 2, 4 … minutes apart and then hourly: 48 tries ride out
# a mail outage of about two days before the task is left failed for staff to see.
MAIL_RETRY_LIMIT = int(env("DENDRITE_MAIL_RETRY_LIMIT", "48"))
# A worker holds an outgoing e-mail this long before another may send it; longer than
# the SMTP timeout (20 s) so a slow server is not raced by a second worker.
MAIL_LEASE_SECONDS = int(env("DENDRITE_MAIL_LEASE", "120"))

# E-mail (Django's MAILERS): console in development, SMTP in production unless told otherwise.
MAILERS = {
    "default": {
        "BACKEND": env(
            "DENDRITE_EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
    }
}
if MAILERS["default"]["BACKEND"].endswith("filebased.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {"file_path": VAR_DIR / "mail"}
elif MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env("DENDRITE_EMAIL_HOST", "localhost"),
        "port": int(env("DENDRITE_EMAIL_PORT", "25")),
        "username": env("DENDRITE_EMAIL_HOST_USER"),
        "password": env("DENDRITE_EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("DENDRITE_EMAIL_USE_TLS"),
        "timeout": int(env("DENDRITE_EMAIL_TIMEOUT", "20")),
    }
DEFAULT_FROM_EMAIL = env("DENDRITE_FROM_EMAIL", "Dendrite <no-reply@dendrite.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en"
# The public site ships in English and Spanish (gettext); the language is chosen
# by the browser or the switch on every public page (a cookie, never the URL).
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "dendrite" / "locale"]
TIME_ZONE = "America/New_York"
# The shapes of dates and times in English and Spanish (dendrite/dates.py shows them).
FORMAT_MODULE_PATH = ["dendrite.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("DENDRITE_STATIC_ROOT", str(VAR_DIR / "static")))
if DEBUG or TESTING:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
STATICFILES_DIRS = [BASE_DIR / "dendrite" / "static"]
# Uploaded documents are health data: kept outside the web root, never served by
# the web server or WhiteNoise, only through an access-checked view.
DOCUMENTS_ROOT = Path(env("DENDRITE_DOCUMENTS_ROOT", str(VAR_DIR / "documents")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DOCUMENTS_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# PCL-5 provisional PTSD: CLINICAL.md §1.8 gives a cut-off of 31–33 [R47a][R47b]; the clinic
# chooses the value and whether the total or the DSM-5 cluster rule sets the band.
PCL5_CUTOFF = int(env("DENDRITE_PCL5_CUTOFF", "33"))
PCL5_BAND_RULE = env("DENDRITE_PCL5_BAND_RULE", "total")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_RATES": {"scoring": env("DENDRITE_SCORING_RATE", "60/minute")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Dendrite API",
    "DESCRIPTION": "JSON API of Dendrite, the ketamine clinic practice platform.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Self-hosted Swagger UI: no CDN, and its script is a file (no inline script for CSP).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # 3.1: a list of answers is a tuple (prefixItems), which 3.0 cannot say.
    "OAS_VERSION": "3.1.0",
    # Each instrument's scoring path with its exact body (instruments/openapi.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "dendrite.instruments.openapi.score_per_instrument",
    ],
}

# Logs never carry patient data: they name objects by id, never by content.
# In production each line is a JSON object with the request's id (dendrite/logs.py).
LOG_FORMAT = env("DENDRITE_LOG_FORMAT", "plain" if DEBUG or TESTING else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "dendrite.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name} [{request_id}]: {message}", "style": "{"},
        "json": {"()": "dendrite.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("DENDRITE_LOG_LEVEL", "INFO")},
    "loggers": {
        # One line per request, in production only (the demo's runserver prints its own).
        "dendrite.requests": {"level": "WARNING" if DEBUG or TESTING else "INFO"},
        # Replaces Django's own console handler, which would print every line twice.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint reports each rendering step (and its own stylesheets at import).
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Every URL requested, query and all: a text provider's lookup holds the phone
        # number there (dendrite/outbox/twilio.py). Never below WARNING, whatever the level.
        "urllib3": {"level": "WARNING"},
        "twilio": {"level": "WARNING"},
    },
}

DENDRITE_SITE_NAME = env("DENDRITE_SITE_NAME", "Dendrite")
# Safety alerts (alerts/models.py) escalate by tier (instruments/safety.py). A high-risk
# alert goes to the clinician on call at once, at any hour: CLINICAL.md §6 rule 2 [R38]
# ("escalate to staff at once, do not rely on self-referral"), so its 0 is not a setting.
# Lower tiers escalate after this many minutes of opening time (clinic-configurable; no
# source sets a number, 15 is the clinic's default).
SAFETY_ALERT_ESCALATION_MINUTES = {
    "high": 0,
    "moderate": int(env("DENDRITE_SAFETY_ALERT_MINUTES_MODERATE", "15")),
    "low": int(env("DENDRITE_SAFETY_ALERT_MINUTES_LOW", "15")),
}
# Unacknowledged, an escalation repeats this often (wall-clock for high risk, opening time
# for the rest); after "could not reach the person" the next try is due this much later.
SAFETY_ALERT_REPEAT_MINUTES = int(env("DENDRITE_SAFETY_ALERT_REPEAT_MINUTES", "15"))
SAFETY_ALERT_RETRY_MINUTES = int(env("DENDRITE_SAFETY_ALERT_RETRY_MINUTES", "30"))
# A worker holds an escalation message this long before another may send it.
SAFETY_ALERT_LEASE_SECONDS = int(env("DENDRITE_SAFETY_ALERT_LEASE", "120"))
# Staff pages warn when the task worker has not answered a heartbeat for this long.
WORKER_HEARTBEAT_STALE_MINUTES = int(env("DENDRITE_WORKER_HEARTBEAT_STALE_MINUTES", "5"))

# The scheduler (`manage.py run_scheduler`, ops/scheduler.py) runs these management
# commands, each at most once per due time however many scheduler processes run. Cron
# expressions in TIME_ZONE. A job that was missed while no scheduler ran runs once.
# The clinic dashboard's figures are read from summaries rebuilt this often (minutes, a
# divisor of 60; `refresh_dashboard`, dashboard/refresh.py); the page says as of when.
DASHBOARD_REFRESH_MINUTES = int(env("DENDRITE_DASHBOARD_REFRESH_MINUTES", "15"))
SCHEDULED_JOBS: dict[str, dict[str, Any]] = {
    "escalate_safety_alerts": {
        "label": "Safety-alert escalations and the worker's heartbeat",
        "cron": "* * * * *",
        "command": ["escalate_safety_alerts"],
    },
    "send_due_reminders": {
        "label": "Reminders and messages to patients",
        "cron": "* * * * *",
        "command": ["send_due_reminders"],
    },
    "send_due_mail": {
        "label": "E-mail waiting to be sent",
        "cron": "* * * * *",
        "command": ["send_due_mail"],
    },
    "audit_chain": {
        "label": "Audit trail: chaining new entries",
        "cron": "* * * * *",
        "command": ["audit_chain"],
    },
    "audit_checkpoint": {
        "label": "Audit trail checkpoint",
        "cron": "*/10 * * * *",
        "command": ["audit_checkpoint"],
    },
    "audit_verify": {
        "label": "Audit trail check",
        "cron": "30 2 * * *",
        "command": ["audit_verify"],
    },
    "repeat_chairside_alerts": {
        "label": "Chairside alerts: repeats until a prescriber answers",
        "cron": "* * * * *",
        "command": ["repeat_chairside_alerts"],
    },
    "send_questionnaire_links": {
        "label": "Questionnaires before visits and check-ins",
        "cron": "* * * * *",
        "command": ["send_questionnaire_links"],
    },
    "remind_daily_counts": {
        "label": "Reminder of the daily ketamine count",
        "cron": "*/5 * * * *",
        "command": ["remind_daily_counts"],
    },
    "outcomes_booster_sweep": {
        "label": "Booster review after a rise in PHQ-9",
        "cron": "23 * * * *",
        "command": ["outcomes_booster_sweep"],
    },
    "review_recovery": {
        "label": "Recovery review: drinking days against the clinic's definitions",
        "cron": "40 6 * * *",
        "command": ["review_recovery"],
    },
    "sweep_fhir_exports": {
        "label": "Removing FHIR bulk exports past their time",
        "cron": "7 * * * *",
        "command": ["sweep_fhir_exports"],
    },
    "tidy_portal": {
        "label": "Patient portal: idle sessions ended, old sign-in codes deleted",
        "cron": "*/15 * * * *",
        "command": ["tidy_portal"],
    },
    "refresh_dashboard": {
        "label": "Clinic dashboard: figures worked out again",
        "cron": f"*/{DASHBOARD_REFRESH_MINUTES} * * * *",
        "command": ["refresh_dashboard"],
    },
    "prune_task_results": {
        "label": "Clearing finished background tasks",
        "cron": "17 3 * * *",
        "command": ["prune_db_task_results", "--queue-name", "*", "--min-age-days", "7"],
    },
}
# FHIR bulk export (fhir/bulk.py): the NDJSON files are written here, outside the web root,
# and removed this many hours after the export finished.
FHIR_EXPORT_ROOT = Path(env("DENDRITE_FHIR_EXPORT_ROOT") or VAR_DIR / "fhir-exports")
FHIR_EXPORT_HOURS = int(env("DENDRITE_FHIR_EXPORT_HOURS", "24"))
# Backups (ops/backup.py, docs/operations.md): encrypted with age to these public keys
# (the clinic keeps the secret key away from the server), kept in BACKUP_DIR, the newest
# BACKUP_KEEP kept. The scheduler makes one nightly once a key is set.
BACKUP_RECIPIENTS = env_list("DENDRITE_BACKUP_RECIPIENTS")
BACKUP_DIR = Path(env("DENDRITE_BACKUP_DIR") or VAR_DIR / "backups")
BACKUP_KEEP = int(env("DENDRITE_BACKUP_KEEP", "14"))
if BACKUP_RECIPIENTS:
    SCHEDULED_JOBS["backup"] = {
        "label": "Encrypted backup",
        "cron": env("DENDRITE_BACKUP_CRON", "45 1 * * *"),
        "command": ["backup"],
    }
# Clinic admins and /readyz are told when no scheduler has ticked for this long.
SCHEDULER_STALE_MINUTES = int(env("DENDRITE_SCHEDULER_STALE_MINUTES", "3"))
# /readyz fails below this much free disk where var/ lives (database, documents, backups).
HEALTH_MIN_FREE_DISK_MB = int(env("DENDRITE_HEALTH_MIN_FREE_DISK_MB", "1024"))
# The public address of this installation, for links in e-mails sent by the worker.
SITE_URL = env("DENDRITE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Self-screening: days a resume link (and an unfinished screening) stays usable, and the
# triage rules file (versioned data; the clinic's medical director confirms the defaults).
SCREENING_RESUME_DAYS = int(env("DENDRITE_SCREENING_RESUME_DAYS", "7"))
# Flood defences where a screening starts (screening/defences.py): seconds before the
# first page may be sent, and new screenings per address per burst window and per day.
# A screening already under way is never limited: its safety answers always go through.
SCREENING_MIN_FILL_SECONDS = int(env("DENDRITE_SCREENING_MIN_FILL_SECONDS", "3"))
SCREENING_BURST_LIMIT = int(env("DENDRITE_SCREENING_BURST_LIMIT", "5"))
SCREENING_BURST_MINUTES = int(env("DENDRITE_SCREENING_BURST_MINUTES", "10"))
SCREENING_DAILY_LIMIT = int(env("DENDRITE_SCREENING_DAILY_LIMIT", "30"))
SCREENING_TRIAGE_RULES = env("DENDRITE_SCREENING_TRIAGE_RULES") or str(
    BASE_DIR / "dendrite" / "screening" / "rules" / "triage-v2.json"
)

# Inquiry form spam defences (website/spam.py): minimum seconds to fill the form, the
# inquiries one address may send in a burst window and in a day (a hospital or phone
# carrier puts many people behind one address), and the largest request body accepted.
# (The first-response target is set per location, in the back office.)
INQUIRY_MIN_FILL_SECONDS = int(env("DENDRITE_INQUIRY_MIN_FILL_SECONDS", "3"))
INQUIRY_BURST_LIMIT = int(env("DENDRITE_INQUIRY_BURST_LIMIT", "5"))
INQUIRY_BURST_MINUTES = int(env("DENDRITE_INQUIRY_BURST_MINUTES", "10"))
INQUIRY_DAILY_LIMIT = int(env("DENDRITE_INQUIRY_DAILY_LIMIT", "30"))
INQUIRY_MAX_BODY_BYTES = int(env("DENDRITE_INQUIRY_MAX_BODY_BYTES", "20000"))
# How long a page's inquiry form stays good to send (its signed token), and how long the
# token is remembered so one form is not sent twice.
INQUIRY_TOKEN_MAX_AGE_SECONDS = int(
    env("DENDRITE_INQUIRY_TOKEN_MAX_AGE_SECONDS", str(7 * 24 * 60 * 60))
)

# Patient documents: the largest upload accepted (PDF, PNG or JPEG, checked by content).
DOCUMENTS_MAX_BYTES = int(env("DENDRITE_DOCUMENTS_MAX_BYTES", str(10 * 1024 * 1024)))

# Scheduling (clinic policy, not clinical thresholds; each one the clinic's to change).
# Bookable start times step by this many minutes from each opening time.
SCHEDULING_SLOT_MINUTES = int(env("DENDRITE_SCHEDULING_SLOT_MINUTES", "15"))
# How far ahead the series planner looks for free times from the chosen first day.
SCHEDULING_SERIES_SEARCH_DAYS = int(env("DENDRITE_SCHEDULING_SERIES_SEARCH_DAYS", "42"))
# A cancellation less than this many hours before the start counts as a late cancel.
SCHEDULING_LATE_CANCEL_HOURS = int(env("DENDRITE_SCHEDULING_LATE_CANCEL_HOURS", "24"))
# Reminders go this many hours before each appointment, never in the location's quiet
# hours (a reminder due then goes out at the end of the day before, before quiet hours).
SCHEDULING_REMINDER_HOURS = [
    int(hours) for hours in env_list("DENDRITE_SCHEDULING_REMINDER_HOURS", "48,24")
]
SCHEDULING_QUIET_HOURS = (
    env("DENDRITE_SCHEDULING_QUIET_START", "21:00"),
    env("DENDRITE_SCHEDULING_QUIET_END", "08:00"),
)
# A worker that claimed a reminder and vanished loses its claim after this long.
SCHEDULING_REMINDER_LEASE_SECONDS = int(env("DENDRITE_SCHEDULING_REMINDER_LEASE", "300"))

# Infusions (infusions/dosing.py, vitals.py, recovery.py). Every number is the clinic's
# medical director's to confirm; the sources are in the comments.
# The studied dose is 0.5 mg/kg over 40 min (CLINICAL.md §3.1, §3.3 [R97][R98]); ASKP's
# usual starting range is 0.5–1 mg/kg over 40–60 min (§3.3 [R68b]).
INFUSION_DEFAULT_MG_PER_KG = env("DENDRITE_INFUSION_DEFAULT_MG_PER_KG", "0.5")
INFUSION_MIN_MG_PER_KG = env("DENDRITE_INFUSION_MIN_MG_PER_KG", "0.5")
INFUSION_MAX_MG_PER_KG = env("DENDRITE_INFUSION_MAX_MG_PER_KG", "1.0")
INFUSION_DEFAULT_MINUTES = int(env("DENDRITE_INFUSION_DEFAULT_MINUTES", "40"))
INFUSION_MIN_MINUTES = int(env("DENDRITE_INFUSION_MIN_MINUTES", "40"))
INFUSION_MAX_MINUTES = int(env("DENDRITE_INFUSION_MAX_MINUTES", "60"))
# No authoritative per-infusion maximum, rounding rule or diluent exists (CLINICAL.md
# §9.4, §13 item 10): the clinic's own. Rounding: "nearest" or "down" to the step.
INFUSION_MAX_DOSE_MG = env("DENDRITE_INFUSION_MAX_DOSE_MG", "100")
INFUSION_DOSE_STEP_MG = env("DENDRITE_INFUSION_DOSE_STEP_MG", "0.5")
INFUSION_DOSE_ROUNDING = env("DENDRITE_INFUSION_DOSE_ROUNDING", "nearest")
INFUSION_DILUENT_ML = env("DENDRITE_INFUSION_DILUENT_ML", "0")
# The vial strengths the clinic stocks, mg/mL (ketamine comes as 10, 50 and 100 mg/mL,
# CLINICAL.md §12.1 [A37]).
INFUSION_CONCENTRATIONS_MG_PER_ML = env_list("DENDRITE_INFUSION_CONCENTRATIONS", "10,50,100")
# Hours without food before an infusion (0: not asked). No source: the clinic's rule.
INFUSION_FASTING_HOURS = int(env("DENDRITE_INFUSION_FASTING_HOURS", "4"))
# Baseline blood pressure above this holds the start for a prescriber's decision.
# No limit is confirmed (CLINICAL.md §3.3, §10.5); 140/90 is one clinic's example [C15].
INFUSION_HOLD_BP = (
    int(env("DENDRITE_INFUSION_HOLD_SYSTOLIC", "140")),
    int(env("DENDRITE_INFUSION_HOLD_DIASTOLIC", "90")),
)
# Chairside limits: a reading outside them alerts the prescriber on site. Examples from
# CLINICAL.md §10.5: SBP > 180 or < 90, HR < 50 or > 120, RR < 10 or > 30 [C16]; severe
# hypertension > 180/110 [C18a]; SpO2 above 92 % on room air (Aldrete, §10.2 [C4b]).
# The temperature limit has no source: the clinic's.
INFUSION_LIMITS = {
    "systolic_high": int(env("DENDRITE_INFUSION_SYSTOLIC_HIGH", "180")),
    "systolic_low": int(env("DENDRITE_INFUSION_SYSTOLIC_LOW", "90")),
    "diastolic_high": int(env("DENDRITE_INFUSION_DIASTOLIC_HIGH", "110")),
    "heart_rate_high": int(env("DENDRITE_INFUSION_HEART_RATE_HIGH", "120")),
    "heart_rate_low": int(env("DENDRITE_INFUSION_HEART_RATE_LOW", "50")),
    "spo2_low": int(env("DENDRITE_INFUSION_SPO2_LOW", "92")),
    "resp_rate_high": int(env("DENDRITE_INFUSION_RESP_RATE_HIGH", "30")),
    "resp_rate_low": int(env("DENDRITE_INFUSION_RESP_RATE_LOW", "10")),
    "temperature_high": env("DENDRITE_INFUSION_TEMPERATURE_HIGH", "38.0"),
}
# Vitals every 10 min during the infusion and every 15 min after (the Emory protocol,
# CLINICAL.md §3.3 [R62]); a set is late this many minutes after it fell due.
INFUSION_VITALS_DURING_MINUTES = int(env("DENDRITE_INFUSION_VITALS_DURING_MINUTES", "10"))
INFUSION_VITALS_AFTER_MINUTES = int(env("DENDRITE_INFUSION_VITALS_AFTER_MINUTES", "15"))
INFUSION_VITALS_GRACE_MINUTES = int(env("DENDRITE_INFUSION_VITALS_GRACE_MINUTES", "5"))
# A chairside alert is sent again this often until a prescriber acknowledges it
# (clinic-configurable: no interval is confirmed); a worker holds one message this long.
INFUSION_ALERT_REPEAT_MINUTES = int(env("DENDRITE_INFUSION_ALERT_REPEAT_MINUTES", "5"))
INFUSION_ALERT_LEASE_SECONDS = int(env("DENDRITE_INFUSION_ALERT_LEASE", "120"))
# Discharge: "aldrete", "padss" or "none"; pass mark 9 (Aldrete §10.2 [C4d], PADSS
# §10.3 [C5a]); vitals within this % of baseline (both scores use 20 %, [C4b][C5a]).
INFUSION_DISCHARGE_SCORE = env("DENDRITE_INFUSION_DISCHARGE_SCORE", "aldrete")
INFUSION_DISCHARGE_PASS_MARK = int(env("DENDRITE_INFUSION_DISCHARGE_PASS_MARK", "9"))
INFUSION_BASELINE_RANGE_PERCENT = int(env("DENDRITE_INFUSION_BASELINE_RANGE_PERCENT", "20"))
# Text messages: a dotted path to a backend (dendrite/sms.py). Console in development,
# file for tests and demos; a provider's backend implements the same small interface.
SMS_BACKEND = env(
    "DENDRITE_SMS_BACKEND",
    "dendrite.sms.ConsoleBackend" if DEBUG else "dendrite.sms.FileBackend",
)
SMS_FILE_PATH = Path(env("DENDRITE_SMS_FILE_PATH") or VAR_DIR / "sms")
# Twilio (DENDRITE_SMS_BACKEND=dendrite.outbox.twilio.TwilioBackend, dendrite/outbox/twilio.py):
# the account, an API key and its secret (or no key and the account's auth token as the
# secret), and the sender: a number in E.164 form or a Messaging Service (MG…).
TWILIO_ACCOUNT_SID = env("DENDRITE_TWILIO_ACCOUNT_SID")
TWILIO_API_KEY = env("DENDRITE_TWILIO_API_KEY")
TWILIO_API_SECRET = env("DENDRITE_TWILIO_API_SECRET")
TWILIO_SENDER = env("DENDRITE_TWILIO_SENDER")
# A provider's answer is awaited this long: well under the shortest lease on a message
# (INFUSION_ALERT_LEASE_SECONDS), so no second worker takes a text still being sent.
SMS_TIMEOUT_SECONDS = int(env("DENDRITE_SMS_TIMEOUT", "10"))

# The patient portal (dendrite/portal). Invitations live this many days; a sign-in code
# this many minutes and this many tries; this many wrong codes in a row lock the account
# for PORTAL_LOCKOUT_MINUTES. Codes one address (e-mail or phone) may be sent an hour,
# and sign-in attempts one client address may make an hour. A portal session ends after
# this many idle seconds (HIPAA §164.312(a)(2)(iii) automatic logoff; clinic-configurable).
PORTAL_INVITATION_DAYS = int(env("DENDRITE_PORTAL_INVITATION_DAYS", "7"))
PORTAL_CODE_MINUTES = int(env("DENDRITE_PORTAL_CODE_MINUTES", "10"))
PORTAL_CODE_ATTEMPTS = int(env("DENDRITE_PORTAL_CODE_ATTEMPTS", "5"))
PORTAL_LOCKOUT_FAILURES = int(env("DENDRITE_PORTAL_LOCKOUT_FAILURES", "10"))
PORTAL_LOCKOUT_MINUTES = int(env("DENDRITE_PORTAL_LOCKOUT_MINUTES", "30"))
PORTAL_CODES_PER_ADDRESS = int(env("DENDRITE_PORTAL_CODES_PER_ADDRESS", "5"))
PORTAL_ATTEMPTS_PER_CLIENT = int(env("DENDRITE_PORTAL_ATTEMPTS_PER_CLIENT", "30"))
PORTAL_IDLE_TIMEOUT_SECONDS = int(env("DENDRITE_PORTAL_IDLE_TIMEOUT_SECONDS", "900"))
# The passkeys' relying party: the site's domain (empty: the domain the page is served
# on, which ALLOWED_HOSTS already vouches for).
PORTAL_PASSKEY_RP_ID = env("DENDRITE_PORTAL_PASSKEY_RP_ID")
