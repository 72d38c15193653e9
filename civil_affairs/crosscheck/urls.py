from django.urls import path

from . import views

app_name = "crosscheck"
# The model whose id each route's `pk` names, one line per route with an id: the security
# walk (tests/security/test_walk.py) tries every route with ids inside and outside each
# user's areas, and fails on a route with an id that is not declared here.
url_models = {
    "warning_detail": "crosscheck.Warning",
    "warning_confirm": "crosscheck.Warning",
    "warning_dismiss": "crosscheck.Warning",
    "list_detail": "crosscheck.ExternalList",
    "list_progress": "crosscheck.ExternalList",
    "list_rejected_csv": "crosscheck.ExternalList",
    "list_retire": "crosscheck.ExternalList",
    "list_reload": "crosscheck.ExternalList",
    "run_detail": "crosscheck.MatchRun",
    "run_progress": "crosscheck.MatchRun",
}
urlpatterns = [
    path("warnings/", views.warning_list, name="warning_list"),
    path("warnings/bulk/", views.warning_bulk, name="warning_bulk"),
    path("warnings/<int:pk>/", views.warning_detail, name="warning_detail"),
    path("warnings/<int:pk>/confirm/", views.warning_confirm, name="warning_confirm"),
    path("warnings/<int:pk>/dismiss/", views.warning_dismiss, name="warning_dismiss"),
    path("lists/", views.list_index, name="list_index"),
    path("lists/upload/", views.list_upload, name="list_upload"),
    path("lists/<int:pk>/", views.list_detail, name="list_detail"),
    path("lists/<int:pk>/progress/", views.list_progress, name="list_progress"),
    path("lists/<int:pk>/rejected.csv", views.list_rejected_csv, name="list_rejected_csv"),
    path("lists/<int:pk>/retire/", views.list_retire, name="list_retire"),
    path("lists/<int:pk>/reload/", views.list_reload, name="list_reload"),
    path("runs/", views.run_list, name="run_list"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
]
