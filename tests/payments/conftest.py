"""Payments' tests run Celery tasks in this process, except those marked `worker`, which
start a real worker on Redis (see test_worker.py)."""

from typing import Any

import pytest

from civil_affairs.celery import app

from .workers import workers  # noqa: F401 - the fixture of the worker tests


@pytest.fixture(autouse=True)
def _celery_in_process(request: Any) -> Any:
    if request.node.get_closest_marker("worker"):
        yield
        return
    old = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = old
