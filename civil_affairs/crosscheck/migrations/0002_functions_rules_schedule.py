"""The SQL functions the loader uses, the default rules and the monthly schedule.

Rules and schedule are data: the administrator edits them in the admin. The rules are named
in Chinese, the language the bureau works in; amounts are not here (thresholds are entered
by the administrator in the thresholds table, and the dibao standard is relief's).
"""

from django.db import migrations

from civil_affairs.crosscheck.sql import CREATE_FUNCTIONS, DROP_FUNCTIONS

RELIEF_PROGRAMS = ["dibao", "extreme_poverty", "disability_living", "disability_care"]

# kind, name, programs, severity, suggested action, reach, threshold, age, basis, days, active,
# description
RULES = [
    ("death", "死亡或火化：停发全部待遇", [], "high", "stop", "person", "", None, "event", 7,
     True, "本人死亡，自死亡次月起停发其全部待遇，已发放的次月起各月列为应追回资金。"),
    ("death", "低保家庭其他成员死亡：核减保障人口", ["dibao"], "medium", "review", "others", "",
     None, "event", 15, True, "家庭成员减少，低保金须按新的保障人数重新核定。"),
    ("household_move", "户籍迁出：核查居住地", [], "medium", "review", "person", "", None,
     "event", 30, True, "户籍迁出本县，核查是否仍在本地居住。"),
    ("vehicle", "车辆价值超过标准：暂停低保待核", ["dibao"], "high", "suspend", "household",
     "vehicle_value", None, "list", 15, True, "家庭成员名下车辆价值超过车辆核查标准。"),
    ("real_estate", "不动产价值超过标准：暂停低保待核", ["dibao"], "high", "suspend", "household",
     "property_value", None, "list", 15, True, "家庭成员名下不动产价值超过标准。"),
    ("company", "登记注册企业：核查经营收入", ["dibao"], "medium", "review", "household", "",
     None, "list", 30, True, "家庭成员为企业法定代表人或股东。"),
    ("public_payroll", "财政供养人员：核查", ["dibao", "extreme_poverty"], "medium", "review",
     "household", "", None, "list", 30, True, "家庭成员为机关事业单位在编或财政供养人员。"),
    ("pension", "养老金高于低保标准：核查", ["dibao", "extreme_poverty"], "medium", "review",
     "household", "relief_dibao", None, "list", 30, True,
     "家庭成员月养老金高于当地低保标准。"),
    ("other_county", "外县同项目在保：核查重复享受", RELIEF_PROGRAMS, "high", "review", "person",
     "", None, "list", 15, True, "外县（市、区）同项目在保名单中有本人。"),
    ("duplicate_benefit", "低保与特困重复享受", ["dibao", "extreme_poverty"], "high", "review",
     "person", "", None, "list", 15, True, "同一人同时享受低保和特困供养，须停发其一。"),
    ("duplicate_household", "一人关联两户", [], "medium", "review", "person", "", None, "list",
     30, True, "同一人是一户成员，又在另一户领取待遇。"),
    # Age events: their programs belong to apps that do not exist yet. Activate each rule once
    # the program is registered as a paying program under the code named here.
    ("age", "年满18周岁：儿童津贴终止", ["orphan_allowance", "unsupported_child_allowance"],
     "high", "stop", "person", "", 18, "birthday", 15, False,
     "孤儿、事实无人抚养儿童基本生活费至年满18周岁的次月终止。"),
    ("age", "年满80周岁：高龄津贴进入下一档", ["old_age_allowance"], "low", "review", "person",
     "", 80, "birthday", 30, False, "高龄津贴按年龄分档，满80周岁进入下一档。"),
    ("age", "年满90周岁：高龄津贴进入下一档", ["old_age_allowance"], "low", "review", "person",
     "", 90, "birthday", 30, False, "高龄津贴按年龄分档，满90周岁进入下一档。"),
    ("age", "年满100周岁：高龄津贴进入下一档", ["old_age_allowance"], "low", "review", "person",
     "", 100, "birthday", 30, False, "高龄津贴按年龄分档，满100周岁进入下一档。"),
]

SCHEDULE_NAME = "信息比对：每月比对（发放前）"


def add_rules(apps, schema_editor):
    MatchRule = apps.get_model("crosscheck", "MatchRule")
    for (kind, name, programs, severity, action, reach, threshold, age, basis, days, active,
         description) in RULES:
        MatchRule.objects.get_or_create(
            kind=kind,
            name=name,
            defaults={
                "programs": programs,
                "severity": severity,
                "suggested_action": action,
                "reach": reach,
                "threshold_name": threshold,
                "age_years": age,
                "effective_basis": basis,
                "escalate_after_days": days,
                "active": active,
                "description": description,
            },
        )


def remove_rules(apps, schema_editor):
    apps.get_model("crosscheck", "MatchRule").objects.filter(
        name__in=[r[1] for r in RULES], warnings__isnull=True
    ).delete()


def add_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # the 20th of each month, 02:00: before the payroll of the next month is prepared
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="2",
        day_of_month="20",
        month_of_year="*",
        day_of_week="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(
        name=SCHEDULE_NAME,
        defaults={
            "task": "crosscheck.monthly",
            "crontab": crontab,
            "enabled": True,
            "description": "Every cross-check for every county: lists, duplicates, age events.",
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name=SCHEDULE_NAME
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("crosscheck", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunSQL(CREATE_FUNCTIONS, DROP_FUNCTIONS),
        migrations.RunPython(add_rules, remove_rules),
        migrations.RunPython(add_schedule, remove_schedule),
    ]
