from django.urls import path

from . import views

app_name = "social_orgs"
# The model whose id each route's `pk` names (the security walk tries each with ids inside
# and outside each user's areas).
url_models = {
    "organisation_detail": "social_orgs.Organisation",
    "list_entry_remove": "social_orgs.ListEntry",
    "enforcement_detail": "social_orgs.EnforcementCase",
    "charity_detail": "social_orgs.Charity",
    "station_detail": "social_orgs.Station",
    "volunteer_detail": "social_orgs.Volunteer",
}
urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("inspections/", views.inspection_list, name="inspection_list"),
    path("lists/", views.list_entries, name="list_entries"),
    path("lists/<int:pk>/remove/", views.list_entry_remove, name="list_entry_remove"),
    path("enforcement/", views.enforcement_list, name="enforcement_list"),
    path("enforcement/<int:pk>/", views.enforcement_detail, name="enforcement_detail"),
    path("charities/", views.charity_list, name="charity_list"),
    path("charities/<int:pk>/", views.charity_detail, name="charity_detail"),
    path("stations/", views.station_list, name="station_list"),
    path("stations/<int:pk>/", views.station_detail, name="station_detail"),
    path("volunteers/", views.volunteer_list, name="volunteer_list"),
    path("volunteers/<int:pk>/", views.volunteer_detail, name="volunteer_detail"),
    path("lottery/", views.lottery, name="lottery"),
]
