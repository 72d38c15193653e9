from django.urls import path

from . import views

app_name = "relief"
# The model whose id each route's `pk` names, one line per route with an id: the security
# walk (tests/security/test_walk.py) tries every route with ids inside and outside each
# user's areas, and fails on a route with an id that is not declared here.
url_models = {
    "household_detail": "relief.Household",
    "household_edit": "relief.Household",
    "application_create": "relief.Household",
    "application_detail": "relief.Application",
    "application_step": "relief.Application",
    "visit_photo": "relief.VisitPhoto",
    "review_detail": "relief.Review",
    "entitlement_detail": "relief.Entitlement",
    "entitlement_payee": "relief.Entitlement",
    "homeless_detail": "relief.HomelessCase",
    "member_means": "relief.HouseholdMember",
    "change_payee": "relief.Household",
    "monitoring_register": "relief.Household",
    "monitoring_act": "relief.MonitoringAlert",
    "spot_check_record": "relief.SpotCheck",
}
urlpatterns = [
    path("", views.household_list, name="household_list"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("households/<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("members/<int:pk>/", views.member_means, name="member_means"),
    path("households/<int:pk>/apply/", views.application_create, name="application_create"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/<slug:step>/", views.application_step, name="application_step"),
    path("photos/<int:pk>/", views.visit_photo, name="visit_photo"),
    path("approvals/", views.approval_queue, name="approval_queue"),
    path("reviews/", views.due_reviews, name="due_reviews"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("entitlements/", views.entitlement_list, name="entitlement_list"),
    path("entitlements/<int:pk>/", views.entitlement_detail, name="entitlement_detail"),
    path("entitlements/<int:pk>/payee/", views.entitlement_payee, name="entitlement_payee"),
    path("homeless/", views.homeless_list, name="homeless_list"),
    path("homeless/<int:pk>/", views.homeless_detail, name="homeless_detail"),
    path("medical-aid/", views.medical_aid, name="medical_aid"),
    path("figures/", views.figures, name="figures"),
    path("cases/", views.open_cases, name="open_cases"),
    path("public/", views.public_list, name="public_list"),
    path("non-resident/", views.non_resident_create, name="non_resident_create"),
    path("spot-checks/", views.spot_checks, name="spot_checks"),
    path("spot-checks/<int:pk>/", views.spot_check_record, name="spot_check_record"),
    path("households/<int:pk>/payee/", views.change_payee, name="change_payee"),
    path("monitoring/", views.monitoring, name="monitoring"),
    path("households/<int:pk>/monitor/", views.monitoring_register, name="monitoring_register"),
    path("monitoring/<int:pk>/act/", views.monitoring_act, name="monitoring_act"),
]
