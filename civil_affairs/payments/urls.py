from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("", views.payroll_list, name="payroll_list"),
    path("generate/", views.payroll_generate, name="payroll_generate"),
    path("<int:pk>/", views.payroll_detail, name="payroll_detail"),
    path("<int:pk>/progress/", views.payroll_progress, name="payroll_progress"),
    path("<int:pk>/regenerate/", views.payroll_regenerate, name="payroll_regenerate"),
    path("<int:pk>/submit/", views.payroll_submit, name="payroll_submit"),
    path("<int:pk>/approve/", views.payroll_approve, name="payroll_approve"),
    path("<int:pk>/return/", views.payroll_return, name="payroll_return"),
    path("<int:pk>/close/", views.payroll_close, name="payroll_close"),
    path("<int:pk>/discard/", views.payroll_discard, name="payroll_discard"),
    path("<int:pk>/rows/", views.payroll_rows, name="payroll_rows"),
    path("<int:pk>/export.csv", views.payroll_export_csv, name="payroll_export_csv"),
    path("<int:pk>/export-xlsx/", views.payroll_export_xlsx, name="payroll_export_xlsx"),
    path("<int:pk>/bank-file/", views.payroll_bank_file, name="payroll_bank_file"),
    path("<int:pk>/bank-return/", views.bank_return_upload, name="bank_return_upload"),
    path("rows/<int:pk>/hold/", views.payment_hold, name="payment_hold"),
    path("rows/<int:pk>/release/", views.payment_release, name="payment_release"),
    path("rows/<int:pk>/correct/", views.payment_correct, name="payment_correct"),
    path("failed/", views.failed_list, name="failed_list"),
    path("exports/<int:pk>/", views.export_job, name="export_job"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/<int:pk>/reverse/", views.ledger_reverse, name="ledger_reverse"),
    path("overpayments/", views.overpayment_list, name="overpayment_list"),
    path("overpayments/<int:pk>/recover/", views.overpayment_recover, name="overpayment_recover"),
    path("overpayments/<int:pk>/waive/", views.overpayment_waive, name="overpayment_waive"),
    path("reconciliation/", views.reconciliation, name="reconciliation"),
    path("reconciliation/run/", views.reconciliation_start, name="reconciliation_start"),
    path(
        "reconciliation/<int:pk>/progress/",
        views.reconciliation_progress,
        name="reconciliation_progress",
    ),
    path(
        "reconciliation/lines/<int:pk>/register/",
        views.reconciliation_register,
        name="reconciliation_register",
    ),
]
