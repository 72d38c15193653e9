"""Django groups mirror the roles, so the admin's model permissions follow the role.

`sync_groups` runs after every migrate; a user joins a role's group through
`services.assignment_create`. Which *area* a permission covers is the policy's business.
"""

from django.contrib.auth.models import Group, Permission

from .models import Role

VIEW_PEOPLE = ["people.view_person", "areas.view_area"]
# relief: the read-only admin views of cases (their pages are governed by the policy)
RELIEF_CASES = [
    "relief.view_household",
    "relief.view_householdmember",
    "relief.view_application",
    "relief.view_entitlement",
    "relief.view_entitlementperiod",
    "relief.view_review",
    "relief.view_homelesscase",
    "relief.view_homelessservice",
    "relief.view_patrolzone",
    "relief.view_medicalaid",
]

GROUP_PERMISSIONS: dict[str, list[str]] = {
    Role.CASEWORKER: [
        *VIEW_PEOPLE,
        "people.add_person",
        "people.change_person",
        "relief.view_household",
        "relief.add_household",
        "relief.change_household",
        "relief.view_application",
        "relief.view_entitlement",
        *RELIEF_CASES,
        "relief.add_patrolzone",
        "relief.change_patrolzone",
        "payments.view_overpayment",
        "crosscheck.view_warning",
    ],
    Role.TOWNSHIP_REVIEWER: [
        *VIEW_PEOPLE,
        "relief.view_household",
        "relief.view_application",
        "relief.view_entitlement",
        *RELIEF_CASES,
        "payments.view_payroll",
        "payments.view_payment",
        "payments.view_overpayment",
        "crosscheck.view_warning",
        "crosscheck.view_externallist",
        "crosscheck.view_matchrun",
    ],
    Role.COUNTY_APPROVER: [
        *VIEW_PEOPLE,
        "relief.view_household",
        "relief.view_application",
        "relief.view_entitlement",
        *RELIEF_CASES,
        "payments.view_payroll",
        "payments.view_payment",
        "payments.view_ledgerentry",
        "payments.view_overpayment",
        "payments.view_bankreturn",
        "crosscheck.view_externallist",
        "crosscheck.add_externallist",
        "crosscheck.view_warning",
        "crosscheck.view_matchrun",
    ],
    Role.FINANCE: [
        *VIEW_PEOPLE,
        "relief.view_entitlement",
        "relief.view_reservefund",
        "relief.add_reservefund",
        "relief.change_reservefund",
        "payments.view_payroll",
        "payments.view_payment",
        "payments.view_ledgerentry",
        "payments.view_overpayment",
        "payments.view_bankreturn",
    ],
    Role.ADMINISTRATOR: [
        *VIEW_PEOPLE,
        "areas.add_area",
        "areas.change_area",
        "areas.view_staffassignment",
        "areas.add_staffassignment",
        "areas.change_staffassignment",
        "people.add_person",
        "people.change_person",
        "people.view_accesslog",
        "payments.view_payroll",
        "payments.view_payment",
        "payments.view_ledgerentry",
        "payments.view_overpayment",
        "payments.view_bankreturn",
        "relief.view_household",
        "relief.add_household",
        "relief.change_household",
        "standards.view_standard",
        "standards.add_standard",
        "standards.change_standard",
        *RELIEF_CASES,
        # relief: delegation of approval per program and dated, holidays, reserve funds
        "relief.view_approvaldelegation",
        "relief.add_approvaldelegation",
        "relief.change_approvaldelegation",
        "relief.view_holiday",
        "relief.add_holiday",
        "relief.change_holiday",
        "relief.view_reservefund",
        "relief.add_reservefund",
        "relief.change_reservefund",
        "crosscheck.view_matchrule",
        "crosscheck.change_matchrule",
        "crosscheck.add_matchrule",
        "crosscheck.view_threshold",
        "crosscheck.add_threshold",
        "crosscheck.change_threshold",
        "crosscheck.view_columnmapping",
        "crosscheck.view_externallist",
        "crosscheck.view_matchrun",
        "crosscheck.view_warning",
        "django_celery_beat.view_periodictask",
        "django_celery_beat.change_periodictask",
        # the schedules; changed only from a county-level assignment (policy.holds_county_wide)
        "django_celery_beat.view_crontabschedule",
        "django_celery_beat.add_crontabschedule",
        "django_celery_beat.change_crontabschedule",
        "django_celery_beat.view_intervalschedule",
        "django_celery_beat.add_intervalschedule",
        "django_celery_beat.change_intervalschedule",
    ],
    Role.DISABILITY_FEDERATION: [*VIEW_PEOPLE],
    Role.ELDERCARE_OFFICER: [*VIEW_PEOPLE],
    Role.CHILDREN_OFFICER: [*VIEW_PEOPLE],
    Role.CHILD_SUPERVISOR: [*VIEW_PEOPLE],
    Role.CHILD_DIRECTOR: [*VIEW_PEOPLE],
    Role.CIVIL_AFFAIRS_CLERK: [*VIEW_PEOPLE],
    Role.GOVERNANCE_OFFICER: [*VIEW_PEOPLE],
    Role.REGISTRATION_OFFICER: [*VIEW_PEOPLE],
    Role.FUNERAL_OFFICER: [*VIEW_PEOPLE],
    Role.MARRIAGE_REGISTRAR: [*VIEW_PEOPLE],
    Role.PLACE_NAMES_OFFICER: [*VIEW_PEOPLE],
}


def sync_groups(**_: object) -> None:
    for role, names in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for name in names:
            app_label, codename = name.split(".")
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:  # an app that is not installed yet grants nothing
                wanted.append(perm)
        group.permissions.set(wanted)
