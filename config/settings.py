"""Perisai settings: one module, every value from the environment (see .env.example)."""

from __future__ import annotations

import datetime as _dt
import os
import re
from email.utils import formataddr, parseaddr
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

import perisai
from config import secrets
from perisai.core import error_reporting, logs

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; real deployments set the process environment
# An empty value means "not set" (as in a .env copied from .env.example), so defaults still apply.
_SETTINGS_FROM_ENV = re.compile(
    r"^(PERISAI_\w+|SECRET_KEY|FIELD_ENCRYPTION_KEYS|BLIND_INDEX_KEY|DATABASE_URL|CONN_MAX_AGE|ALLOWED_HOSTS|"
    r"CSRF_TRUSTED_ORIGINS|SECURE_\w+|EMAIL_URL|DEFAULT_FROM_EMAIL|DEBUG|LOG_LEVEL|SENTRY_DSN)$"
)
for _name in [name for name, value in os.environ.items() if value == "" and _SETTINGS_FROM_ENV.match(name)]:
    del os.environ[_name]

PERISAI_ENV = env.str("PERISAI_ENV", default="development")
if PERISAI_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"PERISAI_ENV must be 'development' or 'production', not {PERISAI_ENV!r}.")
PRODUCTION = PERISAI_ENV == "production"

VAR_DIR = Path(env.str("PERISAI_VAR_DIR", default=str(BASE_DIR / "var")))

# --- Secrets -------------------------------------------------------------------------------------
if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
    BLIND_INDEX_KEY = env.str("BLIND_INDEX_KEY", default="")
    secrets.require_production_secrets(
        secret_key=SECRET_KEY, field_keys=FIELD_ENCRYPTION_KEYS, blind_index_key=BLIND_INDEX_KEY
    )
    # Optional for starting; `manage.py backup` (and the nightly backup) refuses to run without it.
    PERISAI_BACKUP_KEY = env.str("PERISAI_BACKUP_KEY", default="")
else:
    _generated = secrets.development_secrets(VAR_DIR / "secrets.env")
    SECRET_KEY = env.str("SECRET_KEY", default=_generated["SECRET_KEY"])
    FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[_generated["FIELD_ENCRYPTION_KEYS"]])
    BLIND_INDEX_KEY = env.str("BLIND_INDEX_KEY", default=_generated["BLIND_INDEX_KEY"])
    PERISAI_BACKUP_KEY = env.str("PERISAI_BACKUP_KEY", default=_generated["PERISAI_BACKUP_KEY"])

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production: debug pages show personal data.")

# Django's debug pages (URL lists, tracebacks with request data) instead of the product's own under DEBUG.
PERISAI_DEBUG_PAGES = env.bool("PERISAI_DEBUG_PAGES", default=False)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the public host name(s) in production.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
PERISAI_BEHIND_TLS_PROXY = env.bool("PERISAI_BEHIND_TLS_PROXY", default=False)
# How many proxies of our own stand in front of gunicorn, each adding the address it saw to X-Forwarded-For
# (deploy/nginx/perisai.conf sets it to exactly the client's). 0: the header is ignored, REMOTE_ADDR is the client.
# The report, PIN and login limits key on this address: trusting a header the client wrote lets it pick its own.
PERISAI_TRUSTED_PROXIES = env.int("PERISAI_TRUSTED_PROXIES", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = PERISAI_TRUSTED_PROXIES  # allauth's own limits and session list read the same address
if PERISAI_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("PERISAI_TRUSTED_PROXIES is a number of proxies: 0 or more.")

PERISAI_CITY_CODE = env.str("PERISAI_CITY_CODE", default="36.72")
# Used in e-mails, which link to pages but never name a child.
PERISAI_SITE_URL = env.str("PERISAI_SITE_URL", default="http://127.0.0.1:8000")
PERISAI_OFFICE_NAME = env.str("PERISAI_OFFICE_NAME", default="DP3AP2KB Kota Cilegon — UPTD PPA")
# Letterhead of the monthly statistics report (PDF): a JSON list of lines, e.g.
# ["PEMERINTAH KOTA CILEGON", "DINAS ...", "Jl. ... Telp. ..."]; empty = the office name alone.
PERISAI_LETTERHEAD = env.json("PERISAI_LETTERHEAD", default=[])

# --- Applications --------------------------------------------------------------------------------
INSTALLED_APPS = [
    "perisai.accounts.admin_apps.PerisaiAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "axes",
    "simple_history",
    "ninja",  # for its bundled Swagger UI files: the API docs load nothing from a CDN
    # Perisai's apps in the order of their layers, lowest first (docs/architecture.md): the portal asks them
    # for their contributions in this order, so a lower app's demo data exists before a higher app uses it.
    "perisai.audit",
    "perisai.core",
    "perisai.accounts",
    "perisai.regions",
    "perisai.privacy",
    "perisai.publicinfo",
    "perisai.reports",
    "perisai.channels",
    "perisai.prevention",
    "perisai.cases",
    "perisai.referrals",
    "perisai.meetings",
    "perisai.imports",
    "perisai.outreach",
    "perisai.stats",
    "perisai.api",
    "perisai.portal",
    "perisai.ops",
]

MIDDLEWARE = [
    "perisai.core.metrics.RequestMetricsMiddleware",  # first: times everything below it
    # The request id for every log line and response, and the one access line per request (no query strings).
    "perisai.core.request_log.RequestLogMiddleware",
    # Pages go out compressed (17 KB of /lapor/ become about 5): on a slow phone that is most of the wait. Static
    # files come compressed from whitenoise already; photos and PDFs are left alone (core/compression.py).
    "perisai.core.compression.TextCompressionMiddleware",
    # Above every other: under DEBUG (make run) errors still get the product's pages (core/debug_pages.py).
    "perisai.core.debug_pages.ProductErrorPagesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "perisai.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "perisai.core.middleware.PrivatePagesMiddleware",
    "perisai.audit.context.AuditContextMiddleware",
    "perisai.core.security.SecurityEventsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Staff pages are private by default; public views opt out with @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "perisai.accounts.middleware.SecondFactorRequiredMiddleware",
    "perisai.accounts.login_limits.TrustedDeviceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "perisai.core.context_processors.site",
                "perisai.core.context_processors.notices",
            ],
        },
    }
]

# --- Database ------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'perisai.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # survive a database restart without a burst of 500s
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets readers work while one writer commits; IMMEDIATE takes the write lock at BEGIN so
            # two writers queue instead of failing with "database is locked" half-way (measured 3-4x faster).
            "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=5000",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    # Tests use a real file (not memory), so a test can read the raw file and prove nothing is in clear.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-perisai.sqlite3")}
# A PostgreSQL streaming replica of DATABASE_URL (docs/operations.md, "Read replica"): statistics and exports read
# it, a few seconds behind, and the primary when it does not answer (perisai/core/replica.py). Unset: one database.
if _replica_url := env.str("PERISAI_REPLICA_DATABASE_URL", default=""):
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("PERISAI_REPLICA_DATABASE_URL needs DATABASE_URL on PostgreSQL (its primary).")
    DATABASES["replica"] = env.db_url_config(_replica_url)
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    # A replica that does not answer costs a page this long, once per perisai.core.replica.DOWN_SECONDS (libpq's
    # smallest timeout is 2 s).
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    # Tests read the test database through it (on a real replica, streamed there from the primary).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
# A replica further behind than this is left alone for a while (perisai.core.replica): statistics a minute old are
# fine; older ones would hide reports that came in since.
PERISAI_REPLICA_MAX_LAG_SECONDS = env.float("PERISAI_REPLICA_MAX_LAG_SECONDS", default=60.0)
DATABASE_ROUTERS = ["perisai.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Service standards (configurable by the office; see perisai/reports/deadlines.py) -----------------
PERISAI_FIRST_CONTACT_HOURS_URGENT = env.int("PERISAI_FIRST_CONTACT_HOURS_URGENT", default=2)
PERISAI_FIRST_CONTACT_HOURS = env.int("PERISAI_FIRST_CONTACT_HOURS", default=6)
PERISAI_VERIFICATION_WORKING_DAYS = env.int("PERISAI_VERIFICATION_WORKING_DAYS", default=3)
# When the office answers, for what the public is promised after sending (reports.deadlines.public_promise): local
# time (Asia/Jakarta), ISO weekdays (1 = Monday), and extra days off (national holidays and cuti bersama, ISO dates;
# administrators usually enter them at /staf/server/libur/, from the SKB Tiga Menteri each year).
PERISAI_OFFICE_HOURS = env.str("PERISAI_OFFICE_HOURS", default="07:30-16:00")
_office_days = [day.strip() for day in env.list("PERISAI_OFFICE_DAYS", default=["1", "2", "3", "4", "5"])]
PERISAI_OFFICE_DAYS = [int(day) for day in _office_days if day.isdecimal() and day.isascii()]
if (
    len(PERISAI_OFFICE_DAYS) != len([day for day in _office_days if day])
    or not PERISAI_OFFICE_DAYS
    or not set(PERISAI_OFFICE_DAYS) <= set(range(1, 8))
):
    # Deadlines in working days count these: none, or a day 8, would leave no working day to count.
    raise ImproperlyConfigured("PERISAI_OFFICE_DAYS: ISO weekdays from 1 (Monday) to 7 (Sunday), e.g. 1,2,3,4,5")


# Written "2026-12-25, 2026-12-26" as often as "2026-12-25,2026-12-26": spaces go, and a mistyped date stops the
# start with its name rather than silently never being a holiday.
def _holidays(days: list[str]) -> list[str]:
    try:
        return [_dt.date.fromisoformat(day.strip()).isoformat() for day in days if day.strip()]
    except ValueError as error:
        raise ImproperlyConfigured(f"PERISAI_HOLIDAYS: {error} (write dates as 2026-12-25, comma-separated)") from None


PERISAI_HOLIDAYS = _holidays(env.list("PERISAI_HOLIDAYS", default=[]))
# Public form abuse limits per hour: above SOFT a report is kept but flagged for review; above HARD refused.
PERISAI_REPORTS_SOFT_LIMIT = env.int("PERISAI_REPORTS_SOFT_LIMIT", default=5)
PERISAI_REPORTS_HARD_LIMIT = env.int("PERISAI_REPORTS_HARD_LIMIT", default=30)
# Reports by WhatsApp and SMS (perisai.channels, docs/channels.md). An empty secret accepts no message.
PERISAI_WHATSAPP_APP_SECRET = env.str("PERISAI_WHATSAPP_APP_SECRET", default="")  # signs Meta's webhooks
PERISAI_WHATSAPP_VERIFY_TOKEN = env.str("PERISAI_WHATSAPP_VERIFY_TOKEN", default="")  # the subscription handshake
PERISAI_SMS_SECRET = env.str("PERISAI_SMS_SECRET", default="")  # shared with the SMS gateway
PERISAI_CHANNELS_REPLAY_SECONDS = env.int("PERISAI_CHANNELS_REPLAY_SECONDS", default=300)
# Meta signs no timestamp and retries a delivery it could not hand over (a restart, an outage) with the message's
# original time for days: a 5-minute window would drop every report told during a longer outage. Within a day a
# delivery is accepted; a replay of it is caught by its message id, remembered for longer (channels.checks).
PERISAI_WHATSAPP_REPLAY_SECONDS = env.int("PERISAI_WHATSAPP_REPLAY_SECONDS", default=24 * 3600)
PERISAI_CHANNELS_MESSAGES_PER_HOUR = env.int("PERISAI_CHANNELS_MESSAGES_PER_HOUR", default=60)  # per number
PERISAI_CHANNELS_SENDER = env.str("PERISAI_CHANNELS_SENDER", default="perisai.channels.senders.ConsoleSender")
# For perisai.channels.senders.HttpSender: the Cloud API's sending number and token, and the SMS gateway's address.
PERISAI_WHATSAPP_ACCESS_TOKEN = env.str("PERISAI_WHATSAPP_ACCESS_TOKEN", default="")
PERISAI_WHATSAPP_PHONE_NUMBER_ID = env.str("PERISAI_WHATSAPP_PHONE_NUMBER_ID", default="")
PERISAI_WHATSAPP_API_VERSION = env.str("PERISAI_WHATSAPP_API_VERSION", default="v21.0")
# An approved WhatsApp message template without parameters ("Ada pesan baru dari UPTD PPA untuk laporan Anda…",
# docs/channels.md), sent instead of an officer's words once 24 hours have passed since the reporter last wrote:
# Meta refuses free text then. Empty: such messages are marked undelivered for staff instead.
PERISAI_WHATSAPP_NOTICE_TEMPLATE = env.str("PERISAI_WHATSAPP_NOTICE_TEMPLATE", default="")
PERISAI_WHATSAPP_NOTICE_LANGUAGE = env.str("PERISAI_WHATSAPP_NOTICE_LANGUAGE", default="id")
PERISAI_SMS_SEND_URL = env.str("PERISAI_SMS_SEND_URL", default="")
# Signs what Perisai sends to the gateway. Apart from PERISAI_SMS_SECRET (which checks what the gateway delivers), so
# a gateway that leaks the key it verifies with cannot be used to forge reports; empty: PERISAI_SMS_SECRET signs both
# ways, and the deploy check says so (perisai.channels.W002).
PERISAI_SMS_SEND_SECRET = env.str("PERISAI_SMS_SEND_SECRET", default="")
PERISAI_PIN_MAX_ATTEMPTS = env.int("PERISAI_PIN_MAX_ATTEMPTS", default=5)
PERISAI_PIN_LOCK_MINUTES = env.int("PERISAI_PIN_LOCK_MINUTES", default=30)
# REST API (/api/v1/) requests per caller: without a token per address, with a token per token ("N/s|m|h|d").
PERISAI_API_ANON_RATE = env.str("PERISAI_API_ANON_RATE", default="60/m")
PERISAI_API_TOKEN_RATE = env.str("PERISAI_API_TOKEN_RATE", default="600/m")

# Case registration number; {seq}, {roman_month}, {month}, {year} are filled in.
PERISAI_CASE_NUMBER_FORMAT = env.str("PERISAI_CASE_NUMBER_FORMAT", default="{seq:03d}/UPTD-PPA/{roman_month}/{year}")
# Override deadline hours as JSON, e.g. {"tpks_police_report": 72, "first_contact": {"tinggi": 1, "sedang": 6,
# "rendah": 72}}. Defaults and their sources: perisai/cases/deadlines.py.
PERISAI_DEADLINE_HOURS = env.json("PERISAI_DEADLINE_HOURS", default={})
PERISAI_DIGEST_HOUR = env.int("PERISAI_DIGEST_HOUR", default=7)  # local time of the daily task digest
PERISAI_BREAK_GLASS_HOURS = env.int("PERISAI_BREAK_GLASS_HOURS", default=8)
# How long a partner agency has to accept or decline a referral (issue 6): urgent and otherwise.
PERISAI_REFERRAL_HOURS_URGENT = env.int("PERISAI_REFERRAL_HOURS_URGENT", default=24)
PERISAI_REFERRAL_HOURS = env.int("PERISAI_REFERRAL_HOURS", default=72)
# A partner keeps reading a completed referral this long (for their own records), then it is gone from their side.
PERISAI_REFERRAL_PARTNER_DAYS_AFTER_COMPLETION = env.int("PERISAI_REFERRAL_PARTNER_DAYS_AFTER_COMPLETION", default=30)
PERISAI_RETENTION_YEARS = env.int("PERISAI_RETENTION_YEARS", default=5)
# Files of prevention activities (attendance lists, photos) are deleted this many years after the activity; the
# activity and its figures stay. Two years covers the office's yearly reporting and the evaluation that reads the
# year before (Kabupaten/Kota Layak Anak). 0 keeps them.
PERISAI_PREVENTION_FILES_YEARS = env.int("PERISAI_PREVENTION_FILES_YEARS", default=2)

# --- Backups (perisai/ops/backup.py; docs/operations.md, "Backup and restore") ---------------------
# Encrypted archives of the database and the attachments go here (mode 0600), and the newest KEEP are kept
# (0 keeps all). Copy them off the server; the archive is useless without PERISAI_BACKUP_KEY.
PERISAI_BACKUP_DIR = Path(env.str("PERISAI_BACKUP_DIR", default=str(VAR_DIR / "backups")))
PERISAI_BACKUP_KEEP = env.int("PERISAI_BACKUP_KEEP", default=14)

# --- Accounts and sign-in ------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out attempts before a password check
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:staff_home"
ACCOUNT_ADAPTER = "perisai.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"  # administrators create accounts with a known work address
ACCOUNT_LOGOUT_REDIRECT_URL = "core:landing"
ACCOUNT_SESSION_REMEMBER = False
# django-axes owns sign-in lockout (user name + address), perisai.accounts.login_limits the limits per account and
# per address (with trusted devices); allauth's own limits count per address alone, which let anyone behind the
# office's address lock every colleague out.
# allauth's "login_failed" now only counts wrong second-factor codes (per account: the adapter no longer lets the
# password step use it): five in 15 minutes, then the code step waits. A stolen password still meets this limit.
ACCOUNT_RATE_LIMITS = {"login_failed": "5/900s/key", "login": None}
PERISAI_LOGIN_ACCOUNT_LIMIT = env.int("PERISAI_LOGIN_ACCOUNT_LIMIT", default=10)  # failures / 15 min / account
PERISAI_LOGIN_ADDRESS_LIMIT = env.int("PERISAI_LOGIN_ADDRESS_LIMIT", default=300)  # attempts / 10 min / address
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300  # seconds a re-entered password/code covers sensitive actions

# Second factor for every staff and partner account (perisai.accounts.middleware forces enrolment).
MFA_ADAPTER = "perisai.accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("PERISAI_TOTP_ISSUER", default="Perisai")
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_TOLERANCE = 1  # one 30-second step either way: cheap phones' clocks drift
# Always on in production, whatever this says.
PERISAI_REQUIRE_SECOND_FACTOR = PRODUCTION or env.bool("PERISAI_REQUIRE_SECOND_FACTOR", default=True)
# `make run` sets PERISAI_DEMO_TOTP_CODE so the demo accounts are easy to try: that code is then accepted as
# anyone's second factor. Development with DEBUG only (allauth refuses it otherwise); ignored in production.
if not PRODUCTION and DEBUG and env.str("PERISAI_DEMO_TOTP_CODE", default=""):
    MFA_TOTP_INSECURE_BYPASS_CODE = env.str("PERISAI_DEMO_TOTP_CODE")
USERSESSIONS_TRACK_ACTIVITY = True

# Lockout after repeated failures, keyed on user name AND address: mobile carriers put many people behind
# one IP, so an address alone would lock out a whole kelurahan.
AXES_FAILURE_LIMIT = env.int("PERISAI_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.int("PERISAI_LOGIN_LOCKOUT_MINUTES", default=30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "perisai.accounts.lockout.username_for_lockout"
AXES_CLIENT_IP_CALLABLE = "perisai.accounts.lockout.ip_for_lockout"
AXES_RESET_ON_SUCCESS = True
AXES_WHITELIST_CALLABLE = "perisai.accounts.login_limits.axes_whitelist"
# Show the lockout page (not a vague "wrong password") while locked, without extending the lock each try.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"
AXES_VERBOSE = False

# Idle timeout: every request pushes the expiry forward, so 30 quiet minutes end the session.
SESSION_COOKIE_AGE = env.int("PERISAI_SESSION_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "perisai.core.views.csrf_failure"  # the plain 403 page, and a security event

# --- Internationalisation ------------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
# The chosen language says something about the visitor; it travels like the session cookie does.
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

# --- Static files --------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
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
# Outside production WhiteNoise serves straight from the source folders (no collectstatic needed for
# `make run` or the browser tests); production serves the compressed, hashed copies in STATIC_ROOT.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Uploaded files are never served under a public URL: later issues store them encrypted and
# stream them through a view that checks the access policy.
MEDIA_ROOT = Path(env.str("PERISAI_MEDIA_ROOT", default=str(VAR_DIR / "media")))
PERISAI_ATTACHMENT_MAX_MB = env.int("PERISAI_ATTACHMENT_MAX_MB", default=10)
PERISAI_ATTACHMENT_MAX_FILES = env.int("PERISAI_ATTACHMENT_MAX_FILES", default=5)
# Django sets no limit on uploads by default; a 200 MB upload was accepted on a bare stack.
DATA_UPLOAD_MAX_NUMBER_FILES = PERISAI_ATTACHMENT_MAX_FILES + 1
# Uploads stay in memory until encrypted, and are counted as they arrive: a file past the limit is dropped, never
# spooled to a temporary file in clear (perisai/core/uploads.py). No handler writes to disk.
FILE_UPLOAD_HANDLERS = ["perisai.core.uploads.BoundedMemoryUploadHandler"]
# Where attachments are kept, encrypted before they leave the process (perisai/core/attachments.py): under
# MEDIA_ROOT/attachments, or in a private S3-compatible bucket that several app servers share (docs/operations.md,
# "Attachments on S3-compatible storage"). Either place sees only Fernet tokens under random names.
PERISAI_ATTACHMENTS_S3_BUCKET = env.str("PERISAI_ATTACHMENTS_S3_BUCKET", default="")
if PERISAI_ATTACHMENTS_S3_BUCKET:
    from botocore.config import Config as S3ClientConfig  # loaded only where a bucket is configured

    _s3_credentials = {
        option: value
        for option, value in (
            ("access_key", env.str("PERISAI_ATTACHMENTS_S3_ACCESS_KEY_ID", default="")),
            ("secret_key", env.str("PERISAI_ATTACHMENTS_S3_SECRET_ACCESS_KEY", default="")),
        )
        if value  # unset: boto3's own chain (AWS_* variables, an instance role)
    }
    _s3_encryption = env.str("PERISAI_ATTACHMENTS_S3_SERVER_SIDE_ENCRYPTION", default="")  # e.g. AES256
    STORAGES["attachments"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": PERISAI_ATTACHMENTS_S3_BUCKET,
            "endpoint_url": env.str("PERISAI_ATTACHMENTS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("PERISAI_ATTACHMENTS_S3_REGION", default="") or None,
            "location": env.str("PERISAI_ATTACHMENTS_S3_PREFIX", default="").strip("/"),
            **_s3_credentials,
            # Nothing is ever served from the bucket (downloads are decrypted by core.views), so objects carry no
            # ACL (the bucket's private policy applies) and no presigned URL is made; a taken name is never
            # overwritten by an upload; every object is opaque bytes.
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "object_parameters": {
                "ContentType": "application/octet-stream",
                **({"ServerSideEncryption": _s3_encryption} if _s3_encryption else {}),
            },
            # A bucket that does not answer must not hold a web worker for minutes (botocore waits 60 s a try).
            "client_config": S3ClientConfig(
                connect_timeout=5, read_timeout=30, retries={"mode": "standard", "max_attempts": 3}
            ),
        },
    }
else:
    # FileSystemStorage follows MEDIA_ROOT; stored files are private to Perisai's user whatever its umask.
    STORAGES["attachments"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"file_permissions_mode": 0o600, "directory_permissions_mode": 0o700},
    }

# --- Cache: in the database, so no cache server is needed and every worker shares it (the used-TOTP-code
# markers must be seen by all workers, or a code could be replayed on another one).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "perisai_cache"},
    # Rendered page parts that are the same for every visitor of a language (a new report form's fields, from its
    # plain GET only; the public menu and footer of every page): per process. Off under DEBUG, so that an edited
    # template shows at once.
    "fragments": {
        "BACKEND": "django.core.cache.backends." + ("dummy.DummyCache" if DEBUG else "locmem.LocMemCache"),
        "LOCATION": "perisai-fragments",
        "OPTIONS": {"MAX_ENTRIES": 50},
    },
}

# --- Background tasks ----------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Workers beat a heartbeat this often; a RUNNING task whose worker has not beaten for the lease is run again, up
# to the attempts, then marked failed (perisai/core/worker.py). The lease spans several beats: a database restart
# must not look like a dead worker.
PERISAI_WORKER_HEARTBEAT_SECONDS = env.int("PERISAI_WORKER_HEARTBEAT_SECONDS", default=10)
PERISAI_WORKER_LEASE_SECONDS = env.int("PERISAI_WORKER_LEASE_SECONDS", default=60)
PERISAI_TASK_MAX_ATTEMPTS = env.int("PERISAI_TASK_MAX_ATTEMPTS", default=3)
# /healthz answers 503 past these (perisai/core/health.py): free space where Perisai writes, the age of the newest
# worker and scheduler heartbeat, and the longest a queued task has waited (an e-mail, an export).
PERISAI_HEALTH_MIN_FREE_MB = env.int("PERISAI_HEALTH_MIN_FREE_MB", default=512)
PERISAI_HEALTH_WORKER_MAX_SECONDS = env.int("PERISAI_HEALTH_WORKER_MAX_SECONDS", default=120)
PERISAI_HEALTH_SCHEDULER_MAX_SECONDS = env.int("PERISAI_HEALTH_SCHEDULER_MAX_SECONDS", default=180)
PERISAI_HEALTH_QUEUE_MAX_SECONDS = env.int("PERISAI_HEALTH_QUEUE_MAX_SECONDS", default=900)
# /metrics and the figures of /healthz: open to the server itself (loopback) and to a monitor sending this token
# as "Authorization: Bearer <token>". Empty: loopback only.
PERISAI_METRICS_TOKEN = env.str("PERISAI_METRICS_TOKEN", default="")

# --- E-mail --------------------------------------------------------------------------------------
# EMAIL_URL: consolemail:// prints mail (development default); production defaults to a local MTA
# (smtp://localhost:25) or e.g. smtp+tls://user:pass@mail.example.go.id:587.
_email = env.email_url("EMAIL_URL", default="smtp://localhost:25" if PRODUCTION else "consolemail://")
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS"),
    "use_ssl": _email.get("EMAIL_USE_SSL"),
    "timeout": 20,
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": (
            {key: value for key, value in _smtp_options.items() if value not in (None, "")}
            if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="perisai@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- HTTP hardening ------------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # A monitor on the server asks gunicorn directly, over plain HTTP on loopback: no redirect for the probes.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$", r"^metrics$"]
    if PERISAI_BEHIND_TLS_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# --- Logging: never personal data; record ids only (perisai/core/logs.py; docs/operations.md, "Logs") -----
# json: one JSON object per line, for journald and whatever reads it; console: aligned text for people.
PERISAI_LOG_FORMAT = env.str("PERISAI_LOG_FORMAT", default="json" if PRODUCTION else "console")
# Exception messages can quote values (a name in a validation error): in production only their type and frames.
LOGGING = logs.logging_config(
    fmt=PERISAI_LOG_FORMAT, level=env.str("LOG_LEVEL", default="INFO"), exception_messages=not PRODUCTION
)


def _admin_address(entry: str) -> str:
    name, address = parseaddr(entry.strip())
    if "@" not in address:
        raise ImproperlyConfigured(f"PERISAI_ADMINS: {entry.strip()!r} is not 'Name <e-mail>' or an e-mail address.")
    return formataddr((name, address)) if name else address


# Django's "django" logger would mail every 500's traceback, with whatever values it quotes, to ADMINS; here it
# only writes to the log (logs.logging_config gives it no handler of its own). Errors reach people through Sentry
# below, scrubbed. ADMINS ("Name <e-mail>" or bare addresses, comma-separated) receive operational alerts that
# carry no personal data, e.g. a failed audit-chain check.
ADMINS = [_admin_address(entry) for entry in env.list("PERISAI_ADMINS", default=[]) if entry.strip()]

# --- Error reporting: Sentry, only with a DSN, scrubbed (perisai/core/error_reporting.py) ----------------
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    error_reporting.init(
        dsn=SENTRY_DSN,
        environment=env.str("PERISAI_SENTRY_ENVIRONMENT", default=PERISAI_ENV),
        release=f"perisai@{perisai.__version__}",
        traces_sample_rate=env.float("PERISAI_SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
