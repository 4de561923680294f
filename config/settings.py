"""Vrijuit settings, read from environment variables with safe defaults.

Development and the demo run on these defaults (SQLite in WAL mode, console e-mail).
Production uses ``config.production``, which refuses to start without a real secret key
and turns on every transport-security setting.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-development-key-change-me-" + "x" * 20)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",
    "vrijuit.core",
    "vrijuit.networks",
    "vrijuit.accounts",
    "vrijuit.catalogue",
    "vrijuit.participants",
    "vrijuit.passes",
    "vrijuit.checkins",
    "vrijuit.finance",
    "vrijuit.api",
    "vrijuit.desk",
    "vrijuit.public",
    "vrijuit.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "vrijuit.core.caching.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "vrijuit.api.middleware.ApiProblemMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "vrijuit.core.middleware.AuditContextMiddleware",
    "vrijuit.core.tenancy.TenantGuardMiddleware",
    "vrijuit.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "vrijuit.core.middleware.RequestSizeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "vrijuit" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vrijuit.core.context_processors.shell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# Default: an SQLite file in the project. WAL lets readers work while one writer writes;
# IMMEDIATE transactions take the write lock up front so concurrent writers queue
# instead of failing with "database is locked".
SQLITE_PATH = BASE_DIR / "var" / "vrijuit.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if DEBUG else DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=20000;"
            # Freed content is overwritten with zeros, so that an erased or corrected name,
            # address or pass number does not linger in unused parts of the database file.
            "PRAGMA secure_delete=ON;"
            # A page cache of 32 MB per connection (SQLite's default is 2 MB): the guide's
            # and the reports' indexes stay in it between requests.
            f"PRAGMA cache_size=-{int(os.environ.get('SQLITE_CACHE_KB', '32768'))};"
        ),
    }
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # The test database is a file, not Django's default in-memory database: the concurrency
    # and crash tests share it between threads (each with its own connection, queueing on
    # the real file lock) and with a server process. One file per test process, so that two
    # test runs on one machine never delete each other's database (pytest-xdist adds a suffix
    # per worker); Django deletes it at the end of the run.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"vrijuit-test-{os.getpid()}.sqlite3")
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": os.environ.get("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": os.environ.get("CACHE_LOCATION", "vrijuit"),
    }
}

# --- Accounts ---------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "desk:entry"
LOGOUT_REDIRECT_URL = "accounts:login"

# Staff sessions end after 8 idle hours (a working day at the desk) and when the browser
# closes; every request renews the idle timer.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login throttling: after 5 failed attempts for one username from one address, that
# combination waits 15 minutes; after 20 failed attempts from one address for any user
# names within 15 minutes (password spraying), that address waits 15 minutes.
AXES_HANDLER = "vrijuit.accounts.throttle.LoginThrottleHandler"
# Behind one reverse proxy that appends the visitor's address to X-Forwarded-For (nginx:
# proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for), set USE_X_FORWARDED_FOR=1,
# or every login counts against the proxy's address.
USE_X_FORWARDED_FOR = env_bool("USE_X_FORWARDED_FOR", False)
AXES_CLIENT_IP_CALLABLE = "vrijuit.core.middleware.client_ip"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Vrijuit"

# --- E-mail ----------------------------------------------------------------------------
# Console by default (e-mails are printed); EMAIL_BACKEND=smtp with EMAIL_HOST etc. sends them.


def mailers(backend):
    if backend == "smtp":
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {
                    "host": os.environ.get("EMAIL_HOST", "localhost"),
                    "port": int(os.environ.get("EMAIL_PORT", "587")),
                    "username": os.environ.get("EMAIL_HOST_USER", ""),
                    "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                    "use_tls": env_bool("EMAIL_USE_TLS", True),
                    "timeout": 20,
                },
            }
        }
    known = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
    }
    return {"default": {"BACKEND": known.get(backend, backend)}}


MAILERS = mailers(os.environ.get("EMAIL_BACKEND", "console"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Vrijuit <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Language, time, formats ------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

# --- Static files -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# --- Security headers -------------------------------------------------------------------
# No inline scripts or styles anywhere: the policy has no 'unsafe-inline'.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Tenancy ----------------------------------------------------------------------------
# A query on a tenant model without a network, during a request (vrijuit.core.tenancy):
# "raise" (the test suite), "log" (an error in the log; the default) or "off".
TENANCY_GUARD = os.environ.get("TENANCY_GUARD", "log")

# --- API --------------------------------------------------------------------------------
# Requests per minute, per token (authenticated) or per address (anonymous).
API_RATE_AUTHENTICATED = os.environ.get("API_RATE_AUTHENTICATED", "600/m")
API_RATE_ANONYMOUS = os.environ.get("API_RATE_ANONYMOUS", "120/m")
NINJA_NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
