"""Settings for Lotse.

Everything an operator sets comes from environment variables prefixed ``LOTSE_`` (and
``DATABASE_URL``). Production fails closed: with DEBUG off the app refuses to start without a
secret key and allowed hosts.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"LOTSE_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
DEMO = env_bool("DEMO", False)
TESTING = env_bool("TESTING", "pytest" in sys.modules)

SECRET_KEY = env("SECRET_KEY") or ""
if not SECRET_KEY:
    if DEBUG or DEMO or TESTING:
        SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "LOTSE_SECRET_KEY ist nicht gesetzt. Ohne geheimen Schlüssel startet Lotse im "
            "Produktivbetrieb (LOTSE_DEBUG aus) nicht."
        )

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if (DEBUG or DEMO or TESTING) else ""
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

DATA_DIR = Path(env("DATA_DIR") or PROJECT_DIR / "var")

# Field-level encryption of Art. 9 GDPR data (lotse.core.fieldcrypto): the key file lives
# outside the database and is independent of SECRET_KEY. The tests create a temporary key
# file per session (tests/conftest.py). Production fails closed without a valid key file,
# except for `lotse fieldkeys …`, which creates and inspects it.
LOTSE_FIELD_KEYS_FILE = env("FIELD_KEYS_FILE") or (
    str(DATA_DIR / "field-keys.json") if (DEBUG or DEMO) else ""
)
if not (DEBUG or DEMO or TESTING) and sys.argv[1:2] != ["fieldkeys"]:
    from lotse.core.fieldcrypto import read_key_file

    read_key_file(LOTSE_FIELD_KEYS_FILE)  # raises ImproperlyConfigured with a German message

# Signed checkpoints of the access log (lotse.audit.checkpoints): an Ed25519 key outside the
# database, like the field keys; production does not start without it, except for
# `lotse auditcheckpoint init`, which creates it. The checkpoints are appended to a JSON-lines
# file, logged (logger lotse.audit.checkpoint) and mailed to the data protection officers.
LOTSE_AUDIT_SIGNING_KEY_FILE = env("AUDIT_SIGNING_KEY_FILE") or str(
    DATA_DIR / "audit-signing-key.json"
)
LOTSE_AUDIT_CHECKPOINT_FILE = env("AUDIT_CHECKPOINT_FILE") or str(
    DATA_DIR / "audit-checkpoints.jsonl"
)
if not (DEBUG or DEMO or TESTING) and sys.argv[1:2] not in (["fieldkeys"], ["auditcheckpoint"]):
    from lotse.audit.signing import read_signing_key

    read_signing_key(LOTSE_AUDIT_SIGNING_KEY_FILE)  # ImproperlyConfigured, German message

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "rest_framework",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "lotse.core",
    "lotse.tenancy",
    "lotse.accounts",
    "lotse.directory",
    "lotse.people",
    "lotse.cases",
    "lotse.teams",
    "lotse.audit",
    "lotse.deadlines",
    "lotse.intake",
    "lotse.agreements",
    "lotse.offers",
    "lotse.assignments",
    "lotse.conferences",
    "lotse.governance",
    "lotse.portal",
    "lotse.oparl",
    "lotse.programmes",
    "lotse.spreadsheets",
    "lotse.consent",
    "lotse.sharing",
    "lotse.retention",
    "lotse.privacy",
    "lotse.sso",
    "lotse.api",
    "lotse.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lotse.core.middleware.RequestIdMiddleware",
    "lotse.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lotse.api.errors.ApiErrorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "lotse.retention.middleware.RestrictionMiddleware",
    "lotse.accounts.security.SessionTimeoutMiddleware",
    "lotse.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "lotse.core.middleware.NoStoreMiddleware",
    "lotse.audit.denials.DenialMiddleware",
]

ROOT_URLCONF = "lotse.urls"
WSGI_APPLICATION = "lotse.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Project templates override the admin's (admin/base_site.html, edit_inline/tabular.html).
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lotse.core.context_processors.lotse",
                "lotse.accounts.context_processors.second_factor",
            ],
        },
    }
]
# {{ form }} renders KERN UX markup with accessible errors (see lotse.core.forms).
FORM_RENDERER = "lotse.core.forms.KernFormRenderer"

_default_sqlite = f"sqlite:///{DATA_DIR / 'lotse.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or _default_sqlite,
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60") or 60),
        conn_health_checks=True,
    )
}
LOTSE_SQLITE_BUSY_TIMEOUT_MS = int(env("SQLITE_BUSY_TIMEOUT_MS", "15000") or 15000)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        # Applied on every new connection (Django runs each statement of init_command).
        # busy_timeout: how long a writer waits for the write lock before "database is locked";
        # longer than any write transaction of Lotse (the import writes in short batches).
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            f"PRAGMA busy_timeout={LOTSE_SQLITE_BUSY_TIMEOUT_MS};"
        ),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: Lotse's queries read a few index ranges, but the planner's cost
    # estimate for a UNION over a large Träger passes jit_above_cost, and compiling then takes
    # 0.5-4 s per call, longer than the query (issue 14, docs/performance.md).
    # random_page_cost 1.1 (the default 4 is for spinning disks): a database on SSD or in
    # memory reads an index entry's row about as fast as the next row of a scan, and with 4 the
    # planner read all of a Träger's persons instead of the few thousand of a team (issue 14).
    # Options given in DATABASE_URL (?options=-c …) come later and win.
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options["options"] = (
        f"-c jit=off -c random_page_cost=1.1 {_pg_options.get('options', '')}".strip()
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {
        "NAME": "lotse.accounts.validators.MaximumLengthValidator",
        "OPTIONS": {"max_length": 128},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LOGIN_URL = "login"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "lotse.sso.backends.IdentityProviderBackend",
]
# Sign-in via the municipality's OpenID Connect provider (lotse.sso, docs/operations.md): active
# only with issuer, client id and secret; endpoints from the provider's discovery document unless
# set explicitly. Users are never created from the provider: they are linked to existing ones.
LOTSE_OIDC_ISSUER = env("OIDC_ISSUER", "") or ""
LOTSE_OIDC_CLIENT_ID = env("OIDC_CLIENT_ID", "") or ""
LOTSE_OIDC_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", "") or ""
LOTSE_OIDC_AUTHORIZATION_ENDPOINT = env("OIDC_AUTHORIZATION_ENDPOINT", "") or ""
LOTSE_OIDC_TOKEN_ENDPOINT = env("OIDC_TOKEN_ENDPOINT", "") or ""
LOTSE_OIDC_JWKS_ENDPOINT = env("OIDC_JWKS_ENDPOINT", "") or ""
LOTSE_OIDC_USERINFO_ENDPOINT = env("OIDC_USERINFO_ENDPOINT", "") or ""
LOTSE_OIDC_SCOPES = env("OIDC_SCOPES", "openid email") or "openid email"
LOTSE_OIDC_SIGN_ALGO = env("OIDC_SIGN_ALGO", "RS256") or "RS256"
LOTSE_OIDC_LINK_BY_EMAIL = env_bool("OIDC_LINK_BY_EMAIL", True)
LOTSE_OIDC_MFA_AMR = env_list("OIDC_MFA_AMR", "mfa,otp,hwk")
LOTSE_OIDC_MFA_ACR = env_list("OIDC_MFA_ACR", "")
LOTSE_OIDC_TIMEOUT = int(env("OIDC_TIMEOUT", "10") or 10)
LOTSE_LOGIN_MAX_FAILURES = int(env("LOGIN_MAX_FAILURES", "5") or 5)
LOTSE_LOGIN_LOCKOUT_MINUTES = int(env("LOGIN_LOCKOUT_MINUTES", "15") or 15)
LOTSE_IDLE_TIMEOUT_MINUTES = int(env("IDLE_TIMEOUT_MINUTES", "30") or 30)
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT") or DATA_DIR / "static")
MEDIA_ROOT = Path(env("MEDIA_ROOT") or DATA_DIR / "media")
MEDIA_URL = "/media/"
STORAGES = {
    # Uploads are encrypted at rest with the field keys (lotse.core.filecrypto).
    "default": {"BACKEND": "lotse.core.filecrypto.EncryptedFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (DEBUG or TESTING)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploads (and their directories) are private to the service user, like the whole data directory.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
UPLOAD_MAX_BYTES = int(env("UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)) or 0)
# Import: an XLSX whose parts together unpack to more than this is refused (decompression bombs).
LOTSE_IMPORT_MAX_UNPACKED_MB = int(env("IMPORT_MAX_UNPACKED_MB", "50") or 50)

SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 3600)) or 0)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if not (DEBUG or DEMO or TESTING):
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("HSTS_SECONDS", "31536000") or 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds every subdomain of the operator's domain to HTTPS for years; that
        # is the municipality's decision (LOTSE_HSTS_PRELOAD=1), not a default of ours.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

EMAIL_BACKEND = env("EMAIL_BACKEND") or (
    "django.core.mail.backends.filebased.EmailBackend"
    if (DEBUG or DEMO)
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25") or 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "lotse@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Betrieb", a) for a in env_list("ADMINS")]

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "lotse.api.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "lotse.api.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_VERSIONING_CLASS": None,
    "EXCEPTION_HANDLER": "lotse.api.exceptions.exception_handler",
}
# API tokens (lotse.api.models.ApiToken): default and longest validity in days.
LOTSE_API_TOKEN_DAYS = int(env("API_TOKEN_DAYS", "90") or 90)
LOTSE_API_TOKEN_MAX_DAYS = int(env("API_TOKEN_MAX_DAYS", "365") or 365)
SPECTACULAR_SETTINGS = {
    "TITLE": "Lotse API",
    "DESCRIPTION": "JSON-API für Personen, Fälle und Verlaufseinträge (Version 1).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # Never at DEBUG, whatever LOTSE_LOG_LEVEL says: these debug records carry personal data
    # (SQL parameters; the repr of the object a template lookup failed on).
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.template": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# The public address of Lotse: links in e-mails (reminders, digests, consent notices) are
# absolute with it. Checked at start (lotse.core.links): a set value must be an http(s) address
# without query or fragment (else Lotse refuses to start); unset in production is a system
# check warning (lotse.W001).
from lotse.core.links import check_base_url  # noqa: E402 - model-free, refuses a typo

LOTSE_BASE_URL = check_base_url(
    env("BASE_URL", "http://127.0.0.1:8000" if (DEBUG or DEMO) else "") or ""
)
LOTSE_REMINDER_DAYS = int(env("REMINDER_DAYS", "3") or 3)
# "Meine Woche" and the daily digest: overdue items older than this many days are counted, not
# listed (the worklists have them); consents and residence titles ending within the notice
# periods are shown.
LOTSE_OVERDUE_HORIZON_DAYS = int(env("OVERDUE_HORIZON_DAYS", "90") or 90)
LOTSE_CONSENT_NOTICE_DAYS = int(env("CONSENT_NOTICE_DAYS", "30") or 30)
LOTSE_RESIDENCE_NOTICE_DAYS = int(env("RESIDENCE_NOTICE_DAYS", "90") or 90)

# Security keys / passkeys (WebAuthn) as a second factor (lotse.accounts.security_keys): the
# relying party's ID (host name) and origin. Production takes them from the settings only
# (explicit, else LOTSE_BASE_URL, else the single allowed host); if none fits, security keys
# are off (LOTSE_WEBAUTHN_ENABLED), and explicit values that do not fit refuse the start.
# Development and tests use the request's host (validated against ALLOWED_HOSTS) when unset.
LOTSE_WEBAUTHN_RP_ID = env("WEBAUTHN_RP_ID", "") or ""
LOTSE_WEBAUTHN_ORIGIN = env("WEBAUTHN_ORIGIN", "") or ""
if not (DEBUG or DEMO or TESTING):
    from lotse.accounts.relying_party import resolve_production

    LOTSE_WEBAUTHN_RP_ID, LOTSE_WEBAUTHN_ORIGIN = resolve_production(
        rp_id=LOTSE_WEBAUTHN_RP_ID,
        origin=LOTSE_WEBAUTHN_ORIGIN,
        base_url=LOTSE_BASE_URL or "",
        allowed_hosts=ALLOWED_HOSTS,
    )
LOTSE_WEBAUTHN_ENABLED = bool(DEBUG or DEMO or TESTING or LOTSE_WEBAUTHN_ORIGIN)
LOTSE_SCHEDULER_TIME = env("SCHEDULER_TIME", "06:00")
# /healthz: a worker or scheduler silent for longer than this counts as stopped ("degraded").
LOTSE_HEARTBEAT_STALE_SECONDS = int(env("HEARTBEAT_STALE_SECONDS", "60") or 60)

LOTSE_ACCESSIBILITY_CONTACT = env("ACCESSIBILITY_CONTACT", "barrierefreiheit@kreis-lippe.example")
LOTSE_OPERATOR_NAME = env("OPERATOR_NAME", "Kreis Lippe – Servicestelle Einwanderungsmanagement")
