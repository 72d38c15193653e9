"""Tests: real PostgreSQL (DATABASE_URL) and, for queue tests, real Redis (REDIS_URL)."""

import os

from .base import *  # noqa: F403
from .base import DATABASES

# Several checkouts may test against one server at once: give each run its own database.
DATABASES["default"]["TEST"] = {
    "NAME": os.environ.get("TEST_DATABASE_NAME", f"test_civil_affairs_{os.getpid()}")
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed: tests only
AXES_FAILURE_LIMIT = 3
LANGUAGE_CODE = "zh-hans"
