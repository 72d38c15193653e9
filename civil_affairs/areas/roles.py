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
# eldercare: every record viewed (and exported) in the admin; institutions and the county's
# modification item lists added and changed there (through the services)
ELDERCARE_ADMIN = [
    *(
        f"eldercare.view_{model}"
        for model in (
            "institution",
            "grade",
            "resident",
            "inspection",
            "finding",
            "homecarecentre",
            "fundraisingscreening",
            "modificationitem",
            "modification",
            "modificationline",
            "careworker",
            "training",
            "oldageallowance",
        )
    ),
    "eldercare.add_institution",
    "eldercare.change_institution",
    "eldercare.add_modificationitem",
    "eldercare.change_modificationitem",
]

# governance and social_orgs: the admin's read-only views and exports (writes are the pages')
GOVERNANCE_VIEW = [
    f"governance.view_{m}"
    for m in (
        "committee",
        "member",
        "vacancy",
        "listitem",
        "cancelledcertificate",
        "certificaterequest",
        "villagerules",
        "deliberation",
        "deliberationstep",
        "disclosure",
    )
]
SOCIAL_ORGS_VIEW = [
    f"social_orgs.view_{m}"
    for m in (
        "organisation",
        "organisationchange",
        "inspection",
        "evaluation",
        "listentry",
        "enforcementcase",
        "charity",
        "donation",
        "station",
        "stationstaff",
        "volunteer",
        "volunteerservice",
        "lotterysales",
        "funduse",
    )
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
        *ELDERCARE_ADMIN,
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
        # backups: county-wide, read by a county-level administrator (policy.holds_county_wide)
        "backups.view_backup",
    ],
    Role.DISABILITY_FEDERATION: [*VIEW_PEOPLE],
    Role.ELDERCARE_OFFICER: [*VIEW_PEOPLE, *ELDERCARE_ADMIN],
    Role.CHILDREN_OFFICER: [*VIEW_PEOPLE],
    Role.CHILD_SUPERVISOR: [*VIEW_PEOPLE],
    Role.CHILD_DIRECTOR: [*VIEW_PEOPLE],
    Role.CIVIL_AFFAIRS_CLERK: [*VIEW_PEOPLE, *GOVERNANCE_VIEW, *SOCIAL_ORGS_VIEW],
    Role.GOVERNANCE_OFFICER: [*VIEW_PEOPLE, *GOVERNANCE_VIEW],
    Role.REGISTRATION_OFFICER: [*VIEW_PEOPLE, *SOCIAL_ORGS_VIEW],
    Role.FUNERAL_OFFICER: [*VIEW_PEOPLE],
    Role.MARRIAGE_REGISTRAR: [*VIEW_PEOPLE],
    Role.PLACE_NAMES_OFFICER: [*VIEW_PEOPLE],
}

# funeral: the admin's read-only views and exports (writes go through the pages' services);
# marriage records are the registrar's alone
FUNERAL_VIEWS = [
    "funeral.view_death",
    "funeral.view_feewaiver",
    "funeral.view_cemetery",
    "funeral.view_tombsweepingplan",
]
MARRIAGE_VIEWS = [
    "funeral.view_marriage",
    "funeral.view_marriagerefusal",
    "funeral.view_kinship",
    "funeral.view_divorceapplication",
    "funeral.view_certificatereplacement",
]
AGENCY_VIEWS = ["funeral.view_marriageagency", "funeral.view_agencyinspection"]
PLACE_NAME_VIEWS = [
    "funeral.view_placename",
    "funeral.view_namingdecision",
    "funeral.view_correctiontask",
    "funeral.view_entrychange",
    "funeral.view_boundary",
    "funeral.view_boundaryinspection",
]
GROUP_PERMISSIONS[Role.FUNERAL_OFFICER] += FUNERAL_VIEWS
GROUP_PERMISSIONS[Role.MARRIAGE_REGISTRAR] += [*MARRIAGE_VIEWS, *AGENCY_VIEWS]
GROUP_PERMISSIONS[Role.PLACE_NAMES_OFFICER] += PLACE_NAME_VIEWS
GROUP_PERMISSIONS[Role.COUNTY_APPROVER] += FUNERAL_VIEWS
GROUP_PERMISSIONS[Role.ADMINISTRATOR] += [*FUNERAL_VIEWS, *AGENCY_VIEWS, *PLACE_NAME_VIEWS]
GROUP_PERMISSIONS[Role.CIVIL_AFFAIRS_CLERK] += PLACE_NAME_VIEWS


# ---- children: the admin's read-only views of the registry (the policy decides the areas;
# mandatory reports only for the children's officer and administrators)
CHILDREN_VIEW = [
    "children.view_child",
    "children.view_parentsituation",
    "children.view_guardian",
    "children.view_allowance",
    "children.view_appointment",
    "children.view_training",
    "children.view_visit",
    "children.view_followup",
    "children.view_careactivity",
]
for _role, _perms in {
    Role.CHILDREN_OFFICER: [
        *CHILDREN_VIEW,
        "children.add_appointment",
        "children.view_mandatoryreport",
    ],
    Role.ADMINISTRATOR: [
        *CHILDREN_VIEW,
        "children.add_appointment",
        "children.view_mandatoryreport",
    ],
    Role.CHILD_SUPERVISOR: CHILDREN_VIEW,
    Role.CHILD_DIRECTOR: CHILDREN_VIEW,
    Role.CASEWORKER: CHILDREN_VIEW,
    Role.TOWNSHIP_REVIEWER: CHILDREN_VIEW,
    Role.COUNTY_APPROVER: CHILDREN_VIEW,
}.items():
    GROUP_PERMISSIONS[_role] = [*GROUP_PERMISSIONS[_role], *_perms]


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


# dashboards and the annual report: targets are data the county approver and the
# administrator keep (policy "target.manage"); reports are read in the admin too
for _role in (Role.COUNTY_APPROVER, Role.ADMINISTRATOR):
    GROUP_PERMISSIONS[_role] = [
        *GROUP_PERMISSIONS[_role],
        "dashboard.view_target",
        "dashboard.add_target",
        "dashboard.change_target",
        "dashboard.view_annualreport",
    ]
