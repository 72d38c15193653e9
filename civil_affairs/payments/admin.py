"""Read-only admin views of payments: the pages and the API change them, through the services.

Nothing here edits a row (a paid row least of all); the admin lists, filters, searches and
shows history, scoped by the access policy like every other interface.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from civil_affairs.areas.admin import ScopedAdmin

from .models import BankReturn, LedgerEntry, Overpayment, Payment, Payroll


class ReadOnlyAdmin(ScopedAdmin):
    view_action = "payroll.view"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Payroll)
class PayrollAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "month", "kind", "status", "area", "rows", "amount", "held_rows"]
    list_filter = ["status", "kind", "month"]
    list_select_related = ["area"]
    exclude = ["totals"]
    date_hierarchy = "month"


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "person_name", "masked_id", "program", "month", "amount", "status"]
    list_filter = ["status", "program", "month"]
    list_select_related = ["person", "area", "payroll"]
    search_fields = ["=person__id_number", "person__name", "=id"]
    raw_id_fields = ["payroll", "person", "area", "reissue_of", "bank_return"]
    exclude = ["bank_account"]
    readonly_fields = ["masked_account"]
    show_full_result_count = False  # millions of rows: no count(*) per page

    @admin.display(description=_("beneficiary"))
    def person_name(self, obj: Payment) -> str:
        return obj.person.name

    @admin.display(description=_("ID number"))
    def masked_id(self, obj: Payment) -> str:
        return obj.person.masked_id_number

    @admin.display(description=_("bank account"))
    def masked_account(self, obj: Payment) -> str:
        return obj.masked_bank_account


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    view_action = "ledger.view"
    list_display = ["booked_on", "program", "kind", "amount", "payroll", "reference", "created_by"]
    list_filter = ["program", "kind"]
    raw_id_fields = ["payroll", "bank_return", "overpayment", "reversal_of"]


@admin.register(Overpayment)
class OverpaymentAdmin(ReadOnlyAdmin):
    view_action = "overpayment.view"
    list_display = ["person", "program", "month", "amount", "recovered", "status"]
    list_filter = ["status", "program"]
    search_fields = ["=person__id_number", "person__name"]
    raw_id_fields = ["payment", "person", "area"]


@admin.register(BankReturn)
class BankReturnAdmin(ReadOnlyAdmin):
    list_display = [
        "file_name",
        "payroll",
        "uploaded_at",
        "uploaded_by",
        "paid_rows",
        "failed_rows",
    ]
    exclude = ["content"]
    raw_id_fields = ["payroll"]
