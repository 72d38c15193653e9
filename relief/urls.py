from django.urls import path

from . import views

app_name = "relief"
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
    path("homeless/", views.homeless_list, name="homeless_list"),
    path("homeless/<int:pk>/", views.homeless_detail, name="homeless_detail"),
    path("medical-aid/", views.medical_aid, name="medical_aid"),
    path("figures/", views.figures, name="figures"),
]
