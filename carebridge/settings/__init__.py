"""Carebridge settings: one package, driven by environment variables.

Development is the default so that `make run` works with nothing set. Production mode
(`CAREBRIDGE_MODE=production`) refuses to start with an unsafe configuration (`safety`). The
Django and library settings are here; the portal's own feature settings are in `portal`, and
the environment helpers in `env`.
"""

from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from carebridge.settings.api import *  # noqa: F403
from carebridge.settings.env import BASE_DIR, ENV, env_bool, env_int, env_list
from carebridge.settings.portal import *  # noqa: F403
from carebridge.settings.safety import refuse_unsafe_production_config

MODE = ENV.get("CAREBRIDGE_MODE", "development").strip().lower()
if MODE not in {"development", "production"}:
    raise ImproperlyConfigured("CAREBRIDGE_MODE must be 'development' or 'production'.")
PRODUCTION = MODE == "production"

# The development key is public on purpose: production refuses to start with it.
DEVELOPMENT_SECRET_KEY = "carebridge-development-key-not-for-production"  # noqa: S105
SECRET_KEY = ENV.get("SECRET_KEY", "" if PRODUCTION else DEVELOPMENT_SECRET_KEY)
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
# The audit trail's HMAC key (docs/adr/0003): only ever in the environment, never in the database.
# The development key is public on purpose: production refuses to start with it.
DEVELOPMENT_AUDIT_KEY = "carebridge-development-audit-key-not-for-production"
CAREBRIDGE_AUDIT_KEY = ENV.get("CAREBRIDGE_AUDIT_KEY", "" if PRODUCTION else DEVELOPMENT_AUDIT_KEY)
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver,[::1]"
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "carebridge.core",
    "carebridge.clinic",
    "carebridge.patients",
    "carebridge.accounts",
    "carebridge.proxies",
    "carebridge.audit",
    "carebridge.home",
    "carebridge.records",
    "carebridge.worker",
    "carebridge.scheduling",
    "carebridge.messaging",
    "carebridge.billing",
    "carebridge.notifications",
    "carebridge.staff",
    "carebridge.demo",
    "carebridge.backups",
    "oauth2_provider",
    "carebridge.fhir",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "carebridge.core.middleware.RequestIdMiddleware",
    "carebridge.core.middleware.SecurityHeadersMiddleware",
    "carebridge.core.middleware.MaintenanceModeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before Carebridge's middleware, which may add a message (RequireMFAMiddleware does).
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # allauth's session tracking (the account's sessions page), written at most once a minute.
    "carebridge.accounts.activity.SessionActivityMiddleware",
    # After authentication: a signed-in person's saved language wins over the browser's.
    "carebridge.accounts.middleware.UserLanguageMiddleware",
    "carebridge.accounts.middleware.SessionLimitsMiddleware",
    "carebridge.proxies.middleware.ActingForMiddleware",
    "carebridge.accounts.middleware.RequireMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "carebridge.urls"
WSGI_APPLICATION = "carebridge.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "carebridge.core.context_processors.portal",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        ENV.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'carebridge.sqlite3'}"),
        # Keep each worker's connection for a minute instead of opening one per request (and,
        # on SQLite, setting WAL mode again each time); health checks drop a broken one.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so concurrent writers queue
    # instead of failing half-way; WAL lets readers carry on while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and rate limits: shared by every worker and server --------------------------------
# allauth's limits live in the cache and Carebridge's attempt counters (carebridge.lib.ratelimit)
# in Redis or the database, so that two gunicorn workers, or two servers, never each allow the
# configured attempts. A per-process memory cache would multiply every limit.
REDIS_URL = ENV.get("REDIS_URL", "")
# The database cache's table (created by core's migration 0001).
DATABASE_CACHE_TABLE = "carebridge_cache"
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": DATABASE_CACHE_TABLE,
        }
    }
# Each process keeps what it worked out for a person (whom they act for, their counts: ADR 0014,
# carebridge/accounts/kept.py) in its own memory, keyed by the user's `kept_key`, which is read
# from the database on every request and renewed by every change to what was kept, so a change
# made through any process is seen by every other on its next request.
CACHES["kept"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "carebridge-kept",
    "OPTIONS": {"MAX_ENTRIES": 20_000},
}

# --- Background tasks -----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": ENV.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# The task worker (`carebridge worker`): a task whose worker has not been heard from for this many
# seconds is taken back and run again, at most this many times in all; the worker says it is alive
# this often while a task runs. Functions (dotted paths) run on idle ticks, at most this often.
CAREBRIDGE_TASK_LEASE_SECONDS = env_int("CAREBRIDGE_TASK_LEASE_SECONDS", 120)
CAREBRIDGE_TASK_MAX_ATTEMPTS = env_int("CAREBRIDGE_TASK_MAX_ATTEMPTS", 3)
CAREBRIDGE_WORKER_HEARTBEAT_SECONDS = env_int("CAREBRIDGE_WORKER_HEARTBEAT_SECONDS", 10)
# By default the worker delivers the e-mails due for a retry (or whose task was lost) and seals
# the audit events recorded since its last tick, and queues payment plan reminders.
CAREBRIDGE_WORKER_PERIODIC = env_list(
    "CAREBRIDGE_WORKER_PERIODIC",
    "carebridge.notifications.services.delivery.deliver_due_notices,"
    "carebridge.audit.services.seal_pending_events,"
    "carebridge.billing.services.plans.send_plan_reminders",
)
CAREBRIDGE_WORKER_PERIODIC_SECONDS = env_int("CAREBRIDGE_WORKER_PERIODIC_SECONDS", 5)

# --- Accounts, passwords and MFA ------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Length and a blocklist, no composition rules (NIST SP 800-63B).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {
        "NAME": "carebridge.accounts.passwords.MaximumLengthValidator",
        "OPTIONS": {"max_length": 128},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "carebridge.accounts.adapter.PortalAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# One address per account: changing it replaces the old one once the new one is confirmed.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Confirming who you are before a sensitive change takes the password or the second step, never
# only a code e-mailed to the address (which whoever reads that mailbox could type). allauth
# 65.22 added "code" to its default methods; it stays off here.
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Carebridge] "
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # Failed sign-ins and two-step codes are limited by carebridge.accounts.limits instead
    # (per address, per account on unknown devices, per known device): see docs/adr/0005.
    "login_failed": "",
    # The per-address limit on reset e-mails is carebridge.accounts.limits too.
    "reset_password": "20/m/ip",
    "reset_password_from_key": "20/m/ip",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
ACCOUNT_FORMS = {"reset_password": "carebridge.accounts.forms.PortalResetPasswordForm"}
MFA_FORMS = {
    "authenticate": "carebridge.accounts.forms.TwoStepForm",
    "reauthenticate": "carebridge.accounts.forms.TwoStepReauthenticateForm",
}
# Sign-in limits (carebridge.accounts.limits). Failures from one address (IP), failures at one
# account from browsers it has never signed in on, and failures from one known browser (one
# with the device cookie a successful sign-in sets) are each counted in their own window.
CAREBRIDGE_SIGN_IN_FAILURES_PER_ADDRESS = env_int("CAREBRIDGE_SIGN_IN_FAILURES_PER_ADDRESS", 10)
CAREBRIDGE_SIGN_IN_ADDRESS_WINDOW_SECONDS = env_int("CAREBRIDGE_SIGN_IN_ADDRESS_WINDOW_SECONDS", 60)
CAREBRIDGE_SIGN_IN_FAILURES_PER_ACCOUNT = env_int("CAREBRIDGE_SIGN_IN_FAILURES_PER_ACCOUNT", 5)
CAREBRIDGE_SIGN_IN_FAILURES_PER_DEVICE = env_int("CAREBRIDGE_SIGN_IN_FAILURES_PER_DEVICE", 5)
CAREBRIDGE_SIGN_IN_WINDOW_SECONDS = env_int("CAREBRIDGE_SIGN_IN_WINDOW_SECONDS", 300)
# Password-reset e-mails for one account: from unknown browsers together, and from each known one.
CAREBRIDGE_RESET_EMAILS_PER_ACCOUNT = env_int("CAREBRIDGE_RESET_EMAILS_PER_ACCOUNT", 5)
CAREBRIDGE_RESET_WINDOW_SECONDS = env_int("CAREBRIDGE_RESET_WINDOW_SECONDS", 60)
# The device cookie: signed, HttpOnly, kept this many days after each successful sign-in.
CAREBRIDGE_DEVICE_COOKIE_NAME = "carebridge_device"
CAREBRIDGE_DEVICE_COOKIE_DAYS = env_int("CAREBRIDGE_DEVICE_COOKIE_DAYS", 365)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Carebridge"
MFA_RATE_LIMITS = {"webauthn_login": "10/m/ip"}
# Passkeys need a secure origin; the development server on 127.0.0.1 is treated as one.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
USERSESSIONS_TRACK_ACTIVITY = True

# Session limits: idle timeout with a warning, and an absolute limit since sign-in.
CAREBRIDGE_SESSION_IDLE_SECONDS = env_int("CAREBRIDGE_SESSION_IDLE_SECONDS", 15 * 60)
CAREBRIDGE_SESSION_WARNING_SECONDS = env_int("CAREBRIDGE_SESSION_WARNING_SECONDS", 120)
CAREBRIDGE_SESSION_ABSOLUTE_SECONDS = env_int("CAREBRIDGE_SESSION_ABSOLUTE_SECONDS", 12 * 3600)
SESSION_COOKIE_AGE = CAREBRIDGE_SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "carebridge.home.views.csrf_failure"

# Enrolment: activation codes, and how many wrong tries an address gets.
CAREBRIDGE_ACTIVATION_CODE_DAYS = env_int("CAREBRIDGE_ACTIVATION_CODE_DAYS", 30)
CAREBRIDGE_ENROL_ATTEMPTS = env_int("CAREBRIDGE_ENROL_ATTEMPTS", 5)
CAREBRIDGE_ENROL_WINDOW_SECONDS = env_int("CAREBRIDGE_ENROL_WINDOW_SECONDS", 15 * 60)
CAREBRIDGE_ENROL_LINK_SECONDS = env_int("CAREBRIDGE_ENROL_LINK_SECONDS", 24 * 3600)
CAREBRIDGE_MAINTENANCE_MODE = env_bool("CAREBRIDGE_MAINTENANCE_MODE", default=False)
CAREBRIDGE_HOME_PANELS = [
    "carebridge.accounts.panels.todo_panel",
    "carebridge.scheduling.panels.appointments_panel",
    "carebridge.messaging.panels.messages_panel",
    "carebridge.records.panels.results_panel",
    "carebridge.records.panels.comments_panel",
    "carebridge.billing.panels.billing_panel",
]

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = ENV.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = ENV.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = ENV.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = ENV.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
# Seconds to wait for the mail relay before a delivery attempt counts as failed (and is retried).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = ENV.get("DEFAULT_FROM_EMAIL", "Carebridge <no-reply@carebridge.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation and time ----------------------------------------------------------
LANGUAGE_CODE = "en"
# Messages ("Signed in as …") stay on the server, in the session, in every mode: a cookie would
# carry the person's name (and whatever a message says) to and from the browser on every request.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
LOCALE_PATHS = [BASE_DIR / "carebridge" / "locale"]
# A page never claims a language it is not written in (`<html lang>` follows the active
# language): a language is offered only once its compiled catalogue is in the project, so a
# Spanish browser gets English pages that say lang="en" until the Spanish catalogue is complete.
_TRANSLATIONS = [("es", _("Spanish"))]
LANGUAGES = [("en", _("English"))] + [
    (code, name)
    for code, name in _TRANSLATIONS
    if any((path / code / "LC_MESSAGES" / "django.mo").is_file() for path in LOCALE_PATHS)
]
USE_I18N = True
# Dates, times and numbers in each language's own form (carebridge/formats/<code>/formats.py);
# pages use only the named formats (DATE_FORMAT, SHORT_DATE_FORMAT, TIME_FORMAT, ...).
FORMAT_MODULE_PATH = ["carebridge.formats"]
# The language cookie is only read by the server.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = ENV.get("TIME_ZONE", "America/New_York")
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Security headers -----------------------------------------------------------------------
# No inline script anywhere: every script is a file under /static/.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logging: no health information, so requests are logged by id and path only ------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": ENV.get("LOG_LEVEL", "INFO")},
    # pikepdf says at INFO that its logger is ready, in every process that reads a PDF.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "pikepdf": {"level": "WARNING"}},
}

# Every form field renders with aria-invalid and aria-describedby (carebridge.core.forms).
FORM_RENDERER = "carebridge.core.forms.PortalFormRenderer"


if PRODUCTION:
    refuse_unsafe_production_config(globals())
