from django.urls import path

from . import views

app_name = "children"
# The model whose id each route's `pk` names (the security walk tries each with ids inside
# and outside each user's areas).
url_models = {
    "child_detail": "children.Child",
    "follow_up_detail": "children.FollowUp",
    "appointment_detail": "children.Appointment",
    "report_detail": "children.MandatoryReport",
}
urlpatterns = [
    path("", views.child_list, name="child_list"),
    path("new/", views.child_create, name="child_create"),
    path("export.csv", views.child_export, name="child_export"),
    path("<int:pk>/", views.child_detail, name="child_detail"),
    path("follow-ups/", views.follow_up_list, name="follow_up_list"),
    path("follow-ups/<int:pk>/", views.follow_up_detail, name="follow_up_detail"),
    path("overdue-visits/", views.overdue_visits, name="overdue_visits"),
    path("staff/", views.staff, name="staff"),
    path("staff/<int:pk>/", views.appointment_detail, name="appointment_detail"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/export.csv", views.report_export, name="report_export"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("activities/", views.activity_list, name="activity_list"),
]
