from django.urls import URLPattern

app_name = "relief"
urlpatterns: list[URLPattern] = []
