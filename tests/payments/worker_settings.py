"""Settings of the worker processes that payments' worker tests start (test_worker.py).

The test settings, plus a Redis key prefix unique to the test run, so that the run's
queues, unacknowledged messages and their restore sweeps never meet another run's (or a
developer's worker's); a restarted worker may also get a short visibility timeout, to take
over the messages of a worker that was killed.
"""

import os

from civil_affairs.settings.test import *  # noqa: F403
from civil_affairs.settings.test import CELERY_BROKER_TRANSPORT_OPTIONS

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "global_keyprefix": os.environ["PAYMENTS_TEST_KEYPREFIX"],
}
if os.environ.get("PAYMENTS_TEST_VISIBILITY"):
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        visibility_timeout=int(os.environ["PAYMENTS_TEST_VISIBILITY"]),
        unacked_restore_interval=1,
        unacked_restore_throttle=1,
    )
