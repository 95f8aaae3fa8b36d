"""Kechuang settings: one file, driven by environment variables (see .env.example).

DJANGO_ENV selects the profile: "development" (default, the embedded SQLite demo),
"test" (config.test_settings) or "production" (strict, passes check --deploy).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KECHUANG_VAR_DIR", BASE_DIR / "var"))

ENV = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = ENV == "production"


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def required_in_production(name, development_default):
    value = os.environ.get(name)
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_ENV=production")
    return development_default


SECRET_KEY = required_in_production(
    "DJANGO_SECRET_KEY", "dev-only-insecure-key-kechuang-never-use-in-production-0123456789"
)
# Off unless a developer asks for it: the demo shows the platform's own error pages, never
# Django's debug page with the settings.
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_ENV=production")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# SM4 key for personal data at rest and the key of the SM3 blind index (both 128-bit hex).
# The development defaults are public; production must provide its own.
FIELD_ENCRYPTION_KEY = required_in_production("KECHUANG_FIELD_KEY", "00112233445566778899aabbccddeeff")
FIELD_DIGEST_KEY = required_in_production("KECHUANG_DIGEST_KEY", "ffeeddccbbaa99887766554433221100")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # tsvector search fields; harmless on SQLite
    "django.forms",  # the built-in widget templates, found by the project-wide form renderer
    "django_htmx",
    "ninja",  # serves the API docs page from local static files, not a CDN
    "django_tasks_db",
    "kechuang.core",
    "kechuang.accounts",
    "kechuang.achievements",
    "kechuang.demands",
    "kechuang.experts",
    "kechuang.vouchers",
    "kechuang.matching",
    "kechuang.instruments",
    "kechuang.programs",
    "kechuang.challenges",
    "kechuang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "kechuang.core.middleware.PermissionsPolicyMiddleware",
    # Static files from the app server itself in every profile: runserver serves them only with
    # DEBUG, and in production nginx may serve them before they reach it.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kechuang.core.middleware.PlatformLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kechuang.core.middleware.ClientIPMiddleware",
    "kechuang.core.middleware.RefuseNullCharactersMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Widgets may use templates from templates/ (e.g. the table rows of an application form).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kechuang.core.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite (WAL, IMMEDIATE transactions) unless DATABASE_URL names another.
SQLITE_PATH = VAR_DIR / "kechuang.sqlite3"
DATABASE_URL = required_in_production("DATABASE_URL", f"sqlite:///{SQLITE_PATH}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60 if PRODUCTION else 0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["kechuang.accounts.backends.MobileOrEmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Personal API tokens expire this many days after they are made (docs/security.md).
KECHUANG_TOKEN_LIFETIME_DAYS = int(os.environ.get("KECHUANG_TOKEN_LIFETIME_DAYS", 90))
# Sign-in throttling (ADR 6): failures are counted per (account, client address) and per client
# address. Past its limit a counter blocks for LOGIN_BLOCK, doubled for every further failure up
# to LOGIN_BLOCK_MAX; a counter with no failure for LOGIN_FAILURE_MEMORY after its block ended
# starts again. A stranger's failures never block the owner signing in from another address.
LOGIN_FAILURE_LIMIT = 5
LOGIN_ADDRESS_FAILURE_LIMIT = 20
LOGIN_BLOCK = timedelta(minutes=1)
LOGIN_BLOCK_MAX = timedelta(hours=24)
LOGIN_FAILURE_MEMORY = timedelta(hours=1)

# Idle timeout: every request pushes the expiry 30 minutes ahead.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["kechuang.core.formats"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
if not PRODUCTION:
    # Outside production WhiteNoise reads the files where they lie (no collectstatic); it still
    # looks into STATIC_ROOT and warns when the folder is missing.
    WHITENOISE_USE_FINDERS = True
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("KECHUANG_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploads: limits checked by kechuang.core.files before anything reads a file.
UPLOAD_MAX_BYTES = int(os.environ.get("KECHUANG_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
UPLOAD_MAX_UNPACKED_BYTES = int(os.environ.get("KECHUANG_UPLOAD_MAX_UNPACKED_BYTES", 100 * 1024 * 1024))
UPLOAD_MAX_ZIP_ENTRIES = int(os.environ.get("KECHUANG_UPLOAD_MAX_ZIP_ENTRIES", 2000))

# Instrument purchases at or above this estimated price, in 10,000 yuan (万元), go through duplication
# review.
KECHUANG_PURCHASE_REVIEW_THRESHOLD = os.environ.get("KECHUANG_PURCHASE_REVIEW_THRESHOLD", "200")

# Instrument bookings: the longest slot one booking may hold, and how far ahead it may start, in
# days, so that no booking blocks an instrument for everyone.
KECHUANG_BOOKING_MAX_DAYS = int(os.environ.get("KECHUANG_BOOKING_MAX_DAYS", 14))
KECHUANG_BOOKING_MAX_AHEAD_DAYS = int(os.environ.get("KECHUANG_BOOKING_MAX_AHEAD_DAYS", 180))

# Matching (docs/matching.md): where the embedded index lives, which backend holds it, which
# bundled encoder makes its vectors ("use", or "e5" with the e5 extra), and an optional local
# sentence-transformers folder to use instead.
KECHUANG_MATCHING = {
    "BACKEND": os.environ.get("KECHUANG_MATCHING_BACKEND", "local"),
    "DIR": Path(os.environ.get("KECHUANG_MATCHING_DIR", VAR_DIR / "matching")),
    "ENCODER": os.environ.get("KECHUANG_MATCHING_ENCODER", "use"),
    "ENCODER_FOLDER": os.environ.get("KECHUANG_MATCHING_ENCODER_FOLDER", ""),
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Background work: django.tasks, the database-backed worker by default.
# At scale: TASKS_BACKEND=django_tasks_celery.CeleryBackend (see docs/deploy.md).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
if TASKS["default"]["BACKEND"] == "django_tasks_celery.CeleryBackend":
    TASKS["default"]["OPTIONS"] = {"CELERY_APP": "config.celery.app"}
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
    CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
    CELERY_RESULT_EXTENDED = True
    CELERY_TASK_ACKS_LATE = True

# E-mail (Django 6.1 MAILERS): files under var/mail in development, SMTP in production.
if PRODUCTION or os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", 25)),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": os.environ.get("EMAIL_USE_TLS", "0") == "1",
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kechuang@localhost")

SITE_URL = os.environ.get("KECHUANG_SITE_URL", "http://127.0.0.1:8000")

# Behind nginx, the client address comes from this header (set it only behind a trusted proxy).
CLIENT_IP_HEADER = os.environ.get("KECHUANG_CLIENT_IP_HEADER", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "kechuang.core.logging.MaskPersonalDataFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["personal_data"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every rendering step at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# Browser security headers, in every profile (docs/security.md). Scripts come from the site only:
# no inline script, no inline event handler, no eval (htmx is told so in base.html). Inline style
# attributes stay allowed: templates and Bootstrap's components use them widely, and a style
# cannot run code.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "same-origin"
# Browser features no page of the platform uses, denied to the page and anything it embeds.
PERMISSIONS_POLICY_DENIED = [
    "accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "hid", "magnetometer",
    "microphone", "midi", "payment", "serial", "usb",
]

NINJA_PAGINATION_PER_PAGE = 50
PLATFORM_NAME = _("Kechuang science and technology innovation service platform")

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    X_FRAME_OPTIONS = "DENY"
