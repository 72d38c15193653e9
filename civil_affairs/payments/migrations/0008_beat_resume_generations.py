"""The beat job that resumes interrupted payroll generations, every minute, as a PeriodicTask
the admin can edit."""

from django.db import migrations

TASK_NAME = "资金发放：续跑中断的名册生成（每分钟）"


def create(apps, schema_editor):
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = interval_model.objects.get_or_create(every=60, period="seconds")
    task_model.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": "payments.resume_generations",
            "interval": schedule,
            "enabled": True,
            "description": (
                "Queues again the parts of a payroll generation whose worker stopped "
                "(every minute)."
            ),
        },
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0007_chunk_lease"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
