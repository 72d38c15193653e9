"""The daily beat job that forgets old uploads, as a PeriodicTask the admin can edit."""

from django.db import migrations

TASK_NAME = "分步导入：清理过期上传文件（每日）"


def create(apps, schema_editor):
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = crontab_model.objects.get_or_create(
        minute="20",
        hour="3",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Shanghai",
    )
    task_model.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": "imports.purge",
            "crontab": schedule,
            "enabled": True,
            "description": "Deletes uploads and their dry runs older than IMPORTS_KEEP_DAYS "
            "(daily, 03:20); what they imported stays.",
        },
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
