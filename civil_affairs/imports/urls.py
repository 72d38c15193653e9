from django.urls import path

from . import views

app_name = "imports"
# The model whose id each route's `pk` names (the security walk tries each with ids inside
# and outside each user's areas).
url_models = {
    "detail": "imports.StagedImport",
    "progress": "imports.StagedImport",
    "confirm": "imports.StagedImport",
    "errors": "imports.StagedImport",
}
urlpatterns = [
    path("", views.index, name="index"),
    path("runs/<int:pk>/", views.detail, name="detail"),
    path("runs/<int:pk>/progress/", views.progress, name="progress"),
    path("runs/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("runs/<int:pk>/errors.csv", views.errors, name="errors"),
    path("<str:spec_key>/", views.upload, name="upload"),
]
