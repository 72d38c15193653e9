"""Fill each application's area and turn the townships' one flag into dated delegations."""

import datetime

import django.db.models.deletion
from django.db import migrations, models

# what the one flag per township meant: every monthly program approved by the township
PROGRAMS = ("dibao", "extreme_poverty", "disability_living", "disability_care")


def forward(apps, schema_editor):
    """An application's area is its household's; each township whose flag said "approval
    delegated" gets one delegation per monthly program, from the start of the records."""
    application = apps.get_model("relief", "Application")
    for row in application.objects.filter(area__isnull=True).select_related("household"):
        row.area_id = row.household.area_id
        row.save(update_fields=["area"])
    area = apps.get_model("areas", "Area")
    delegation = apps.get_model("relief", "ApprovalDelegation")
    for township in area.objects.filter(level="township", approval_delegated=True):
        for program in PROGRAMS:
            delegation.objects.get_or_create(
                township=township,
                program=program,
                valid_from=datetime.date(2000, 1, 1),
                defaults={"note": "approval_delegated"},
            )


def backward(apps, schema_editor):
    apps.get_model("relief", "ApprovalDelegation").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("relief", "0008_case_order_and_rules")]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.AlterField(
            model_name="application",
            name="area",
            field=models.ForeignKey(
                help_text="The household's, or where a non-resident's emergency happened.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="areas.area",
                verbose_name="village or community",
            ),
        ),
    ]
