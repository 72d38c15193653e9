"""The cross-check's 80/90/100 age rules ask for a review of the old-age allowance's tier. The
allowance's payroll moves to the next tier by itself (its tiers are standards), so those
rules are told to spare the people whose tier the payroll sets (the fact the allowance
states): a warning would ask for a change the payroll already makes."""

from django.db import migrations

TIER_BY_PAYROLL = "eldercare:tier_by_payroll"
AGES = (80, 90, 100)


def spare(apps, schema_editor):
    rules = apps.get_model("crosscheck", "MatchRule").objects.filter(
        kind="age", age_years__in=AGES, programs=["old_age_allowance"], unless_fact=""
    )
    rules.update(unless_fact=TIER_BY_PAYROLL)


def unspare(apps, schema_editor):
    apps.get_model("crosscheck", "MatchRule").objects.filter(
        kind="age", age_years__in=AGES, unless_fact=TIER_BY_PAYROLL
    ).update(unless_fact="")


class Migration(migrations.Migration):
    dependencies = [
        ("eldercare", "0001_initial"),
        ("crosscheck", "0007_benefit_refs"),
    ]

    operations = [migrations.RunPython(spare, unspare)]
