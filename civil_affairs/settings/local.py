"""A developer's laptop (`make run`, `make dev`): embedded services unless the environment
names real ones.

`make run` serves as users will see it: DEBUG off, so an error is the portal's translated
403/404/500 page, never Django's debug page with the code and settings; static files are
served by WhiteNoise straight from the apps' static folders (no collectstatic). `make dev`
sets DJANGO_DEBUG=1 for the debug pages.
"""

from .base import *  # noqa: F403
from .base import MIDDLEWARE, env_bool

DEBUG = env_bool("DJANGO_DEBUG", False)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
WHITENOISE_USE_FINDERS = True  # serve each app's static/ folder as runserver would
WHITENOISE_AUTOREFRESH = DEBUG
