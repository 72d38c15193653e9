from django.urls import path

from . import views
from .selectors import DOMAINS

app_name = "dashboard"
# The model whose id each route's `pk` names (the security walk, tests/security/test_walk.py).
url_models = {
    "report_detail": "dashboard.AnnualReport",
    "report_docx": "dashboard.AnnualReport",
    "report_pdf": "dashboard.AnnualReport",
}

urlpatterns = [
    path("", views.overview, name="overview"),
    *(path(f"{app}/", views.domain(app), name=app) for app in DOMAINS),
    path("chart.png", views.chart_png, name="chart"),
    path("export/figures.xlsx", views.export_figures, name="export_figures"),
    path("export/areas.xlsx", views.export_breakdown, name="export_breakdown"),
    path("export/queues.xlsx", views.export_queues, name="export_queues"),
    path("refresh/", views.refresh, name="refresh"),
    path("refresh/progress/", views.refresh_progress, name="refresh_progress"),
    path("report/", views.report_page, name="report"),
    path("report/generate/", views.report_generate, name="report_generate"),
    path("report/<int:pk>/", views.report_detail, name="report_detail"),
    path("report/<int:pk>/report.docx", views.report_docx, name="report_docx"),
    path("report/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
]
