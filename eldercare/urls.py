from django.urls import path

from . import views

app_name = "eldercare"
url_models = {
    "institution_detail": "eldercare.Institution",
    "institution_edit": "eldercare.Institution",
    "inspection_detail": "eldercare.Inspection",
    "finding_detail": "eldercare.Finding",
    "resident_detail": "eldercare.Resident",
    "centre_detail": "eldercare.HomeCareCentre",
    "modification_detail": "eldercare.Modification",
    "careworker_detail": "eldercare.CareWorker",
    "allowance_detail": "eldercare.OldAgeAllowance",
}
urlpatterns = [
    path("", views.institution_list, name="institution_list"),
    path("institutions/new/", views.institution_create, name="institution_create"),
    path("institutions/<int:pk>/", views.institution_detail, name="institution_detail"),
    path("institutions/<int:pk>/edit/", views.institution_edit, name="institution_edit"),
    path("residents/<int:pk>/", views.resident_detail, name="resident_detail"),
    path("inspections/", views.inspection_list, name="inspection_list"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("findings/overdue/", views.overdue_list, name="overdue_list"),
    path("findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("screening/", views.screening_list, name="screening_list"),
    path("centres/", views.centre_list, name="centre_list"),
    path("centres/<int:pk>/", views.centre_detail, name="centre_detail"),
    path("modifications/", views.modification_list, name="modification_list"),
    path("modifications/<int:pk>/", views.modification_detail, name="modification_detail"),
    path("care-workers/", views.careworker_list, name="careworker_list"),
    path("care-workers/<int:pk>/", views.careworker_detail, name="careworker_detail"),
    path("allowances/", views.allowance_list, name="allowance_list"),
    path("allowances/<int:pk>/", views.allowance_detail, name="allowance_detail"),
]
