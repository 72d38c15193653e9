"""The daily beat job that marks overdue reviews, as a PeriodicTask the admin can edit."""

from django.db import migrations

TASK_NAME = "社会救助：标记逾期复核（每日）"


def create(apps, schema_editor):
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = crontab_model.objects.get_or_create(
        minute="30",
        hour="1",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Shanghai",
    )
    task_model.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": "relief.mark_overdue_reviews",
            "crontab": schedule,
            "enabled": True,
            "description": "Marks due reviews whose date has passed as overdue (daily, 01:30).",
        },
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("relief", "0003_casework"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
