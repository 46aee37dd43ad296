"""Settings for Cải cách: one module, every value from the environment.

SQLite under var/ by default (the demo); PostgreSQL when DATABASE_URL is set. With
DJANGO_ENV=production every secret must be given and the process refuses to start
otherwise.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CAICACH_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} is required.")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return default if raw is None or raw == "" else int(raw)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = env_str("DJANGO_ENV", "development") == "production"
# Under pytest: fast hashing and tasks run inline (the test settings, without a second module).
TESTING = env_bool("CAICACH_TESTING", "pytest" in sys.modules)
DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)
# With DEBUG on, Django's English technical error pages only when a developer asks for them;
# otherwise the users' Vietnamese 403/404/500 pages (see core.middleware.ErrorPagesMiddleware).
TECHNICAL_ERROR_PAGES = env_bool("DJANGO_TECHNICAL_ERROR_PAGES", False)

if PRODUCTION:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters in production.")
else:
    SECRET_KEY = env_str(
        "DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    # Two-step login: TOTP devices (the recovery codes are core's own, hashed).
    "django_otp",
    "django_otp.plugins.otp_totp",
    # The login's image challenge (its answers live in CaptchaStore, a few minutes each).
    "captcha",
    "caicach.core",
    "caicach.initiatives",
    "caicach.workprogram",
    "caicach.replication",
    "caicach.deliberation",
    "caicach.oversight",
    # The REST API (django-ninja; "ninja" serves its documentation page's assets locally).
    "ninja",
    "caicach.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "caicach.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response (settings below).
    "csp.middleware.CSPMiddleware",
    "caicach.core.middleware.PermissionsPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After htmx: an expired session answers an htmx request with HX-Redirect, not a fragment.
    "caicach.core.session_timeout.IdleTimeoutMiddleware",
    # Two-step login: which device verified this session (user.is_verified()), then keep a
    # session that still owes its second step, or a required enrolment, on those pages.
    "django_otp.middleware.OTPMiddleware",
    "caicach.core.mfa.middleware.SecondStepMiddleware",
    "caicach.core.middleware.RequestContextMiddleware",
    # Inside the request context (address, user): writes the security events a request
    # recorded, after the view and outside its transactions (a refusal rolls them back).
    "caicach.core.security.middleware.SecurityLogMiddleware",
    # novalidate on every form: the server's Vietnamese messages, not the browser's English.
    "caicach.core.middleware.NoBrowserValidationMiddleware",
    # Our Vietnamese error pages with DEBUG on too (the demo runs with DEBUG on). Last: the
    # pages need the user (menu), and CommonMiddleware still turns a 404 into its slash redirect.
    "caicach.core.middleware.ErrorPagesMiddleware",
]

if PRODUCTION:
    # WhiteNoise serves the collected, hashed static files; in development runserver does.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "caicach.urls"
WSGI_APPLICATION = "caicach.wsgi.application"
ASGI_APPLICATION = "caicach.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "caicach" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "caicach.core.context_processors.navigation",
            ],
        },
    },
]

# Django's widget templates, except the common widgets, written in Python (see the module).
FORM_RENDERER = "caicach.core.form_renderer.FastRenderer"

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("OPTIONS", {})
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
elif PRODUCTION:
    raise ImproperlyConfigured("DATABASE_URL is required in production (PostgreSQL).")
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "caicach.sqlite3"),
            # Avoid "database is locked": wait for the writer, and take the write lock at
            # BEGIN so two writers never deadlock on lock upgrade.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and tasks ------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
elif PRODUCTION:
    raise ImproperlyConfigured("REDIS_URL is required in production (cache shared by every process).")
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # The demo runs the site and the task worker as two processes: a per-process memory cache
    # would keep a stale working-day calendar in one of them after an admin's edit.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

TASK_BACKEND = env_str("TASK_BACKEND", "immediate" if TESTING else "database")
if TASK_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASK_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# A running background job reports with every progress step (its heartbeat); one silent for
# JOB_STALE_MINUTES lost its worker (killed, machine restarted) and is failed or, when
# running it again is harmless, queued once more. A job still running after its kind's time
# limit (JOB_TIME_LIMIT_MINUTES unless the kind sets its own) is stopped and failed.
JOB_STALE_MINUTES = env_int("JOB_STALE_MINUTES", 10)
JOB_TIME_LIMIT_MINUTES = env_int("JOB_TIME_LIMIT_MINUTES", 30)

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Nothing built from the product's, the province's or the user's own names.
    {"NAME": "caicach.core.accounts.validators.LocalNamePasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Progressive login throttling (caicach.core.accounts.throttle explains the design). Failures
# count within a window (a day: at the longest wait a guesser gets ~100 tries a day per
# account); past the free attempts each further one doubles the wait before the next attempt
# is checked, from LOGIN_DELAY_BASE_SECONDS up to LOGIN_DELAY_MAX_SECONDS.
LOGIN_THROTTLE_WINDOW_MINUTES = env_int("LOGIN_THROTTLE_WINDOW_MINUTES", 24 * 60)
# Per (address, account): what the owner mistyping at their own desk meets.
LOGIN_FREE_FAILURES_PER_PAIR = env_int("LOGIN_FREE_FAILURES_PER_PAIR", 3)
# Per account, for addresses it has never signed in from: a guesser spread over many places.
LOGIN_FREE_FAILURES_PER_ACCOUNT = env_int("LOGIN_FREE_FAILURES_PER_ACCOUNT", 5)
LOGIN_DELAY_BASE_SECONDS = env_int("LOGIN_DELAY_BASE_SECONDS", 2)
LOGIN_DELAY_MAX_SECONDS = env_int("LOGIN_DELAY_MAX_SECONDS", 15 * 60)
# A hard block only for a clearly abusive address (many accounts tried from it): a whole
# office shares one address behind NAT, and twenty people mistyping once must never reach it.
LOGIN_MAX_FAILURES_PER_IP = env_int("LOGIN_MAX_FAILURES_PER_IP", 100)
LOGIN_IP_WINDOW_MINUTES = env_int("LOGIN_IP_WINDOW_MINUTES", 10)
# Past this many failures for an account within the window (the waits have reached about
# 16 s by then), an attempt from an address the account never signed in from must also
# read the characters of an image; solving it stands in for the account's wait. 0: never.
LOGIN_CHALLENGE_AFTER_FAILURES = env_int("LOGIN_CHALLENGE_AFTER_FAILURES", 8)
# The image challenge (django-simple-captcha): five characters, answerable for five
# minutes, no audio version (it would need an external speech program on the server).
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 5
CAPTCHA_FLITE_PATH = None

# The security log (failed logins, lockouts, refused access, exports of personal data, MFA)
# is kept this long, then purged by the daily run; 12 months at least (ASVS 7.1), which the
# database also enforces on PostgreSQL (core migration 0017).
SECURITY_LOG_RETENTION_DAYS = env_int("SECURITY_LOG_RETENTION_DAYS", 365)
if SECURITY_LOG_RETENTION_DAYS < 365:
    raise ImproperlyConfigured("SECURITY_LOG_RETENTION_DAYS must be at least 365 (12 months).")

# A create form's one-time token (caicach.core.once) is kept this long after use, then purged
# by the daily run: long enough to recognise a page sent again days later, short enough that
# the table stays small.
FORM_TOKEN_RETENTION_DAYS = env_int("FORM_TOKEN_RETENTION_DAYS", 7)

# Two-step login (TOTP). The roles that must enrol: those that manage users (the system
# admin) and those that issue numbered documents — reform officers (receipts, recognition
# decisions, certificates), the Office (monthly summaries), unit heads (signed Tờ trình) and
# the committee's leaders (decision notices). Everyone else may enrol from their profile.
# In production by default; development and the demo leave it optional (every demo persona
# logs in with the password the README prints) unless MFA_REQUIRED_ROLES is set (a
# comma-separated list of role codes; "none" for no role at all).
MFA_DEFAULT_REQUIRED_ROLES = "system_admin,reform_officer,office_officer,unit_head,leader,chairman"
MFA_REQUIRED_ROLES = [
    role
    for role in env_list("MFA_REQUIRED_ROLES", MFA_DEFAULT_REQUIRED_ROLES if PRODUCTION else "")
    if role != "none"
]
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Cải cách")

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 60)  # log out after an idle hour
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "caicach.core.web.csrf_failure"  # the Vietnamese 403 page, DEBUG or not
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag; the cookie stays

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "caicach" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
FORMAT_MODULE_PATH = ["caicach.formats"]

# --- Static and uploaded files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
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
# Uploaded and generated files live outside the web root and are only served through
# permission-checked views: there is deliberately no MEDIA_URL route.
MEDIA_ROOT = Path(os.environ.get("CAICACH_MEDIA_ROOT", VAR_DIR / "files"))
MEDIA_URL = "/files/"
# `manage.py backup` writes its archives here unless told otherwise (--output); keep the
# folder on another disk than the database and the files, and copy it off the machine.
BACKUP_DIR = Path(os.environ.get("CAICACH_BACKUP_DIR", VAR_DIR / "backups"))
# PostgreSQL's own tools, of the server's major version (a newer pg_dump reads an older server).
PG_DUMP_BINARY = env_str("PG_DUMP_BINARY", "pg_dump")
PG_RESTORE_BINARY = env_str("PG_RESTORE_BINARY", "pg_restore")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
# A work program spreadsheet is a few hundred rows: anything far larger is not one.
WORKPROGRAM_IMPORT_MAX_BYTES = env_int("WORKPROGRAM_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
# Uploaded Office packages that are parsed (spreadsheet and dossier imports) are zip archives:
# these bound what parsing one may cost, checked on the zip's directory before a byte is
# inflated (core.uploads.check_package, core.spreadsheets). A real .xlsx/.docx holds 10–40
# parts; a thousand is far past any, while a zip of millions of tiny entries costs memory for
# its directory alone.
PACKAGE_MAX_ENTRIES = env_int("PACKAGE_MAX_ENTRIES", 1000)
# The national unit list (about 4,000 units × 11 columns) inflates to about 2 MB and a long
# dossier with pictures to a few MB: 50 MB leaves a wide margin and still bounds a worker.
PACKAGE_MAX_INFLATED_BYTES = env_int("PACKAGE_MAX_INFLATED_BYTES", 50 * 1024 * 1024)
# Spreadsheet XML deflates about 5–20 times, pictures not at all; the most repetitive sheet
# openpyxl writes (a template of 1,000 formatted empty rows) stays well under 100. A bomb
# of repeated bytes reaches 1,000.
PACKAGE_MAX_RATIO = env_int("PACKAGE_MAX_RATIO", 100)
# Rows and columns of a spreadsheet import: five times the national unit list, and a work
# program is a few hundred items. The unit sheet has 11 columns, the program sheet 10.
SPREADSHEET_MAX_ROWS = env_int("SPREADSHEET_MAX_ROWS", 20_000)
SPREADSHEET_MAX_COLUMNS = env_int("SPREADSHEET_MAX_COLUMNS", 50)

# --- Plausible dates (caicach/core/chronology.py) ----------------------------------------------
# No record the product keeps (a decision, a report, an initiative's first application)
# predates this year: an earlier date is a typing slip such as 01/01/0001.
DATE_FLOOR_YEAR = env_int("DATE_FLOOR_YEAR", 2000)
# How far ahead an issue, signing or submission date may lie: a document is dated when it
# is signed, give or take the days it takes to reach the register.
ISSUE_DATE_MAX_DAYS_AHEAD = env_int("ISSUE_DATE_MAX_DAYS_AHEAD", 30)
# Campaign windows, deadlines and meetings are planned at most this many years ahead
# (and looked back on this many years behind).
PLANNING_YEARS = env_int("PLANNING_YEARS", 5)

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Cải cách <no-reply@localhost>")
# The site's address in emails and QR codes. Unset (development, the demo): the address the
# request that queued the email came to (core.middleware.site_url), never a fixed port.
SITE_URL = env_str("SITE_URL", "")

# --- Security (production) ------------------------------------------------------------------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds every subdomain of the province's domain to HTTPS for good: a
        # decision for the province's IT department, not for one application.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): everything from our own origin, nothing inline. The
# templates carry no <script>/<style> blocks, style="" or on*="" attributes (a test scans them),
# so an injected script or style is refused by the browser even where escaping would fail;
# no third-party origin (offices may have no internet, and a CDN is code we do not review).
# htmx's own indicator <style> is switched off in base.html (its rules are in app.css).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Permissions-Policy (core.middleware.PermissionsPolicyMiddleware): browser features the
# product never uses, denied to our pages and to anything they might embed. Only features
# Chromium recognises: an unknown one (battery, bluetooth…) is an error in the console.
PERMISSIONS_POLICY = (
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)

# Client IP: trust X-Forwarded-For only behind a proxy we run (count of trusted hops).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if PRODUCTION else 0)

# --- REST API (caicach.api) -----------------------------------------------------------------
# Requests per minute, counted in the cache: per token, and per user across their tokens and
# their browser session. Past it: 429 with Retry-After.
API_THROTTLE_TOKEN_PER_MINUTE = env_int("API_THROTTLE_TOKEN_PER_MINUTE", 120)
API_THROTTLE_USER_PER_MINUTE = env_int("API_THROTTLE_USER_PER_MINUTE", 300)
# The public data (the showcase), per client address: a portal polling, not a crawler.
API_THROTTLE_ANON_PER_MINUTE = env_int("API_THROTTLE_ANON_PER_MINUTE", 60)
# A list page holds at most this many rows, whatever the client asks for.
API_PAGE_SIZE_MAX = env_int("API_PAGE_SIZE_MAX", 100)
# How long a POST's Idempotency-Key and its first answer are remembered.
API_IDEMPOTENCY_HOURS = env_int("API_IDEMPOTENCY_HOURS", 24)
# A new token's longest life (days); a token never lives forever.
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365)

# --- Documents ------------------------------------------------------------------------------
SOFFICE_BINARY = env_str("SOFFICE_BINARY", "soffice")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
