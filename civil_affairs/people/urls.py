from django.urls import path

from . import views

app_name = "people"
# The model whose id each route's `pk` names, one line per route with an id: the security
# walk (tests/security/test_walk.py) tries every route with ids inside and outside each
# user's areas, and fails on a route with an id that is not declared here.
url_models = {
    "detail": "people.Person",
    "edit": "people.Person",
    "reveal": "people.Person",
}
urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("export.csv", views.person_export, name="export"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/reveal/", views.person_reveal, name="reveal"),
]
