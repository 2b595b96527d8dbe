"""The one settings module: every deployment difference is an environment variable.

The README's "Configuration" section lists each variable read here.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from opendoors.client_ip import trusted_proxies_parse

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


# Production unless told otherwise: a deployment that forgets this variable must not show
# debug pages. `make demo` and the tests turn development mode on explicitly.
DEBUG = env_bool("OPENDOORS_DEBUG", False)
SECRET_KEY = env_str("OPENDOORS_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set OPENDOORS_SECRET_KEY: OpenDoors runs in production mode unless "
            "OPENDOORS_DEBUG=true (development only; `make demo` sets it)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("OPENDOORS_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("OPENDOORS_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin, for superusers only: opendoors/admin_site.py.
    "opendoors.admin_site.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    # Before allauth, so that the site's account/ and allauth/ templates override allauth's.
    "opendoors",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "schools",
    "inquiry",
    "teams",
    "visits",
    "growth",
    "insights",
    # Last of the apps: the demo district stands on all of them, none on it.
    "demo",
    "ninja",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "opendoors.security.PermissionsPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last: Django's technical 404/500 pages become the friendly ones in development too.
    "opendoors.errors.FriendlyErrorPagesMiddleware",
]

if not DEBUG:
    # Production serves collected static files itself; development uses runserver's finder.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "opendoors.urls"
WSGI_APPLICATION = "opendoors.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "opendoors.navigation.navigation",
            ],
        },
    },
]

# `{{ form }}` and `{{ field.as_field_group }}` draw the design system's components.
FORM_RENDERER = "opendoors.forms.FormRenderer"

# SQLite by default so a bare machine runs the demo; DATABASE_URL picks any other database.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Reusing connections halves the database's work per sync request (bench/README.md).
        conn_max_age=env_int("OPENDOORS_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The task worker and the web server write to one file: wait for the lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "schools.Person"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("OPENDOORS_TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("OPENDOORS_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("OPENDOORS_MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded files (artifacts, imports) on S3-compatible object storage, for a district that runs
# several app servers: OPENDOORS_S3_BUCKET turns it on (and OPENDOORS_S3_ENDPOINT_URL names a
# store other than Amazon's). Credentials come from the usual AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY variables, or the machine's role. Objects keep the bucket's private
# default: OpenDoors serves every file itself, as a download, to those allowed.
if env_str("OPENDOORS_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("OPENDOORS_S3_BUCKET"),
            "endpoint_url": env_str("OPENDOORS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("OPENDOORS_S3_REGION") or None,
            "location": env_str("OPENDOORS_S3_PREFIX"),
            "default_acl": None,
            # Two uploads of "IMG_0001.jpg" keep two files.
            "file_overwrite": False,
        },
    }

# Every page works without inline scripts or style attributes: scripts and styles are static
# files, htmx is told not to inject its indicator styles (base.html), and uploaded files are
# only ever downloads (opendoors/uploads.py). data: images are the favicon and the API docs'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Background work (imports now; reminders and solving later) runs in `opendoors db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Imports larger than this are refused before they are read.
OPENDOORS_MAX_IMPORT_BYTES = env_int("OPENDOORS_MAX_IMPORT_MB", 20) * 1024 * 1024
# Where people reach the site: links in emails point here.
OPENDOORS_SITE_URL = env_str("OPENDOORS_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The key that signs Open Badges credentials (growth/credentials.py): the PEM itself, or a
# file holding it (`opendoors credentials-key -o FILE` makes one). Neither: none are issued.
OPENDOORS_CREDENTIALS_KEY = env_str("OPENDOORS_CREDENTIALS_KEY")
OPENDOORS_CREDENTIALS_KEY_FILE = env_str("OPENDOORS_CREDENTIALS_KEY_FILE")

# Sign-in: people are provisioned by imports and administrators, never by self sign-up.
LOGIN_REDIRECT_URL = "home"
LOGIN_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "opendoors.adapters.ClosedAccountAdapter"
SOCIALACCOUNT_ADAPTER = "opendoors.adapters.ExistingPeopleSocialAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_ONLY = False
# Failed sign-ins are throttled per client address (allauth's ACCOUNT_RATE_LIMITS defaults).
# Behind a load balancer, name it here (addresses or networks): the client's address is then
# read from X-Forwarded-For, and only on requests that come from these proxies.
OPENDOORS_TRUSTED_PROXIES = trusted_proxies_parse(env_list("OPENDOORS_TRUSTED_PROXIES"))


def oidc_providers() -> list[dict]:
    """Single sign-on apps from OPENDOORS_SSO=google,microsoft,… and OPENDOORS_SSO_<ID>_* ."""
    apps = []
    for provider_id in env_list("OPENDOORS_SSO"):
        prefix = f"OPENDOORS_SSO_{provider_id.upper().replace('-', '_')}_"
        missing = [
            key for key in ("SERVER_URL", "CLIENT_ID", "SECRET") if not env_str(prefix + key)
        ]
        if missing:
            raise ImproperlyConfigured(
                f"Single sign-on '{provider_id}' needs {', '.join(prefix + m for m in missing)}."
            )
        apps.append(
            {
                "provider_id": provider_id,
                "name": env_str(prefix + "NAME", provider_id.title()),
                "client_id": env_str(prefix + "CLIENT_ID"),
                "secret": env_str(prefix + "SECRET"),
                "settings": {"server_url": env_str(prefix + "SERVER_URL")},
            }
        )
    return apps


SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": oidc_providers()}}

EMAIL_BACKEND = env_str("OPENDOORS_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("OPENDOORS_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("OPENDOORS_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("OPENDOORS_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("OPENDOORS_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("OPENDOORS_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("OPENDOORS_FROM_EMAIL", "OpenDoors <opendoors@localhost>")

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("OPENDOORS_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("OPENDOORS_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("OPENDOORS_LOG_LEVEL", "WARNING")},
}
