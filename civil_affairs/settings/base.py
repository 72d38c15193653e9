"""Settings shared by every environment. Everything that differs comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _
from import_export.formats.base_formats import CSV, XLSX

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("CIVIL_AFFAIRS_VAR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-development-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")

# One app per bureau domain: they plug into the shared registries and never import each
# other; the URL conf mounts each one's `urls` at /<app>/ and its `api.routes` under /api/.
DOMAIN_APPS = ["relief", "eldercare", "children", "governance", "social_orgs", "funeral"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    # third party
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our static files, no CDN
    "django_filters",
    "django_celery_beat",
    "django_celery_results",
    "import_export",
    "simple_history",
    "axes",
    "django_htmx",
    "bootstrap",
    # shared apps of the project
    "civil_affairs.core",
    "civil_affairs.areas",
    "civil_affairs.people",
    "civil_affairs.standards",
    "civil_affairs.payments",
    "civil_affairs.crosscheck",
    "civil_affairs.imports",
    "civil_affairs.backups",
    "civil_affairs.dashboard",
    # domain apps
    *DOMAIN_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "civil_affairs.core.middleware.RefuseNulMiddleware",  # before anything reads a parameter
    "civil_affairs.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "civil_affairs.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # axes last: it must see the authentication result
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "civil_affairs.urls"
WSGI_APPLICATION = "civil_affairs.wsgi.application"

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
            ],
        },
    },
]

# Database: PostgreSQL only. `scripts/local_services.py` sets DATABASE_URL to the
# embedded server when no real server is configured.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/civil_affairs"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        # a kept connection is checked before a request reuses it (after a database restart)
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions: a working day at most, and none survives closing the browser (README, Security).
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy of every response (core.middleware): scripts and style sheets only
# from our own static files (no inline script, no eval, no CDN); inline style *attributes* are
# allowed because Django's admin, import-export and simple-history templates write some (a
# progress bar's width too), but no <style> element. The one hash is import-export's export
# page's "select all" handler, which that package writes inline.
CONTENT_SECURITY_POLICY: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": [
        "'self'",
        "'unsafe-hashes'",
        "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='",  # onSelectToggleChange(event)
    ],
    "style-src": ["'self'"],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: lock the account and IP pair after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Languages: Simplified Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))

# Backups (civil_affairs/backups): nightly pg_dump in custom format plus the uploaded files,
# kept this many days. Put BACKUP_DIR on another disk (or copy it off the machine) in production.
BACKUP_DIR = Path(os.environ.get("DJANGO_BACKUP_DIR", VAR_DIR / "backups"))
BACKUP_KEEP_DAYS = int(os.environ.get("DJANGO_BACKUP_KEEP_DAYS", "14"))
BACKUP_TIMEOUT_SECONDS = 3 * 3600
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # no NUL character, no spreadsheet formula in any text read (core/api.py)
    "DEFAULT_PARSER_CLASSES": [
        "civil_affairs.core.api.JSONParser",
        "civil_affairs.core.api.FormParser",
        "civil_affairs.core.api.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "civil_affairs.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Civil affairs case portal API",
    "DESCRIPTION": "Cases, beneficiaries and payments of a county civil affairs bureau.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "civil_affairs.core.api.document_errors",  # 400/401/403/404/415 on every operation
    ],
}
# The API schema's enum names where apps' choices share a field name (drf-spectacular W001).
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    **SPECTACULAR_SETTINGS.get("ENUM_NAME_OVERRIDES", {}),  # type: ignore[dict-item]
    # eldercare
    "FindingStatusEnum": "eldercare.models.Finding.Status",
    "CentreStatusEnum": "eldercare.models.HomeCareCentre.Status",
    "ModificationStatusEnum": "eldercare.models.Modification.Status",
    "AllowanceStatusEnum": "eldercare.models.OldAgeAllowance.Status",
}

# children: its choice sets named apart from other apps' fields of the same name
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    **SPECTACULAR_SETTINGS.get("ENUM_NAME_OVERRIDES", {}),  # type: ignore[dict-item]
    "ChildStaffPostEnum": "children.models.Appointment.Post",
    "ChildStatusEnum": "children.models.Child.Status",
    "ChildFollowUpStatusEnum": "children.models.FollowUp.Status",
    "MandatoryReportStatusEnum": "children.models.MandatoryReport.Status",
}

# Celery: Redis when REDIS_URL is set, otherwise kombu's filesystem transport under var/
# so that a laptop needs no broker server.
REDIS_URL = os.environ.get("REDIS_URL", "")
BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # a Redis that does not answer fails a request's send within 2 s (the task then waits in
    # core.QueuedTask, core/queue.py) instead of holding the page
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "visibility_timeout": 3600,
        "socket_connect_timeout": 2,
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    for folder in ("out", "control"):  # kombu does not create them
        (BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "out"),
        "data_folder_out": str(BROKER_DIR / "out"),
        "control_folder": str(BROKER_DIR / "control"),
    }
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_CACHE_BACKEND = "django-cache"
CELERY_TASK_ACKS_LATE = True  # a killed worker's chunk is redelivered, not lost
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 60 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 55 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "civil_affairs")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# The staged import (civil_affairs/imports): the largest file and the most rows one upload may
# have, and the number of rows above which a file is checked and saved by a Celery job.
IMPORTS_MAX_BYTES = int(os.environ.get("IMPORTS_MAX_BYTES", str(20 * 1024 * 1024)))
IMPORTS_MAX_ROWS = int(os.environ.get("IMPORTS_MAX_ROWS", "50000"))
IMPORTS_JOB_ROWS = int(os.environ.get("IMPORTS_JOB_ROWS", "2000"))
IMPORTS_KEEP_DAYS = int(os.environ.get("IMPORTS_KEEP_DAYS", "30"))  # then `imports.purge`

# django-import-export: the formats a bureau's staff use
IMPORT_EXPORT_FORMATS = [CSV, XLSX]

# django-simple-history: past versions are shown in the admin, never restored from there
# (a revert would write around the services; core/admin.py refuses it whatever the role)
SIMPLE_HISTORY_REVERT_DISABLED = True

# choice sets of the same field name in several apps, named apart (the deploy check fails on
# drf-spectacular's collision warnings); a set shared by two apps has one name
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    **SPECTACULAR_SETTINGS.get("ENUM_NAME_OVERRIDES", {}),  # type: ignore[dict-item]
    "ListKindEnum": "civil_affairs.crosscheck.kinds.LIST_KIND_CHOICES",
    "SexEnum": "civil_affairs.people.models.Person.Sex",
    "CommitteePostEnum": "governance.models.Member.Post",
    "PlaceKindEnum": "funeral.models.PlaceName.Kind",
    "NamingKindEnum": "funeral.models.NamingDecision.Kind",
}
