"""The daily beat job that deems overdue divorce applications withdrawn, as a PeriodicTask the
admin can edit."""

from django.db import migrations

TASK_NAME = "婚姻登记：离婚申请逾期视为撤回（每日）"


def create(apps, schema_editor):
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = crontab_model.objects.get_or_create(
        minute="10",
        hour="1",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Shanghai",
    )
    task_model.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": "funeral.expire_divorce_applications",
            "crontab": schedule,
            "enabled": True,
            "description": "Divorce applications whose certificate was not applied for within "
            "the window are deemed withdrawn (daily, 01:10).",
        },
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("funeral", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
