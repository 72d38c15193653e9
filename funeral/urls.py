from django.urls import path

from . import views

app_name = "funeral"
# The model whose id each route's `pk` names (the security walk tries each with ids inside
# and outside every user's areas).
url_models = {
    "death_detail": "funeral.Death",
    "cemetery_detail": "funeral.Cemetery",
    "marriage_detail": "funeral.Marriage",
    "divorce_detail": "funeral.DivorceApplication",
    "agency_detail": "funeral.MarriageAgency",
    "naming_detail": "funeral.NamingDecision",
    "correction_detail": "funeral.CorrectionTask",
    "boundary_detail": "funeral.Boundary",
}
urlpatterns = [
    path("deaths/", views.deaths, name="deaths"),
    path("deaths/<int:pk>/", views.death_detail, name="death_detail"),
    path("cemeteries/", views.cemeteries, name="cemeteries"),
    path("cemeteries/<int:pk>/", views.cemetery_detail, name="cemetery_detail"),
    path("plans/", views.plans, name="plans"),
    path("marriages/", views.marriages, name="marriages"),
    path("marriages/<int:pk>/", views.marriage_detail, name="marriage_detail"),
    path("divorces/", views.divorces, name="divorces"),
    path("divorces/<int:pk>/", views.divorce_detail, name="divorce_detail"),
    path("refusals/", views.refusals, name="refusals"),
    path("relatives/", views.kinships, name="kinships"),
    path("agencies/", views.agencies, name="agencies"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("places/", views.places, name="places"),
    path("namings/", views.namings, name="namings"),
    path("namings/<int:pk>/", views.naming_detail, name="naming_detail"),
    path("corrections/", views.corrections, name="corrections"),
    path("corrections/<int:pk>/", views.correction_detail, name="correction_detail"),
    path("entries/", views.entries, name="entries"),
    path("boundaries/", views.boundaries, name="boundaries"),
    path("boundaries/<int:pk>/", views.boundary_detail, name="boundary_detail"),
]
