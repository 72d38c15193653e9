from django.urls import URLPattern

app_name = "crosscheck"
urlpatterns: list[URLPattern] = []
