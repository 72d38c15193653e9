from celery import shared_task

from . import services


@shared_task(name="backups.make")
def make_backup(user_id: int | None = None) -> int:
    """Nightly (a django-celery-beat PeriodicTask, 02:30), or on an administrator's request."""
    from django.contrib.auth import get_user_model

    actor = get_user_model().objects.get(pk=user_id) if user_id else None
    return services.backup_make(actor=actor).pk
