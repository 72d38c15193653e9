import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civil_affairs.settings.local")

app = Celery("civil_affairs")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
