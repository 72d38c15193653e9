"""A developer's laptop: debug on, embedded services unless the environment names real ones."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
