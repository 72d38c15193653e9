"""REST endpoints of payments: payrolls (generate and the approval steps), their rows, the
fund ledger and overpayments. Serializers only parse; the services decide."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from civil_affairs.areas import policy
from civil_affairs.areas.api import ScopedReadMixin
from civil_affairs.areas.models import Area
from civil_affairs.core.api import MonthField

from . import selectors, services
from .models import LedgerEntry, Overpayment, Payment, Payroll


class PayrollSerializer(serializers.ModelSerializer):
    area: serializers.SlugRelatedField[Area] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    areas: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    month = MonthField(read_only=True)
    generated_by = serializers.CharField(source="generated_by.username", read_only=True)
    approved_by = serializers.CharField(
        source="approved_by.username", read_only=True, default=None, allow_null=True
    )
    kind = serializers.CharField(read_only=True, help_text="regular or supplementary")
    payable_rows = serializers.IntegerField(read_only=True)
    payable_amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = Payroll
        fields = [
            "id",
            "month",
            "kind",
            "programs",
            "area",
            "areas",
            "status",
            "rows",
            "amount",
            "held_rows",
            "held_amount",
            "payable_rows",
            "payable_amount",
            "generated_by",
            "approved_by",
            "approved_at",
            "generation_started_at",
            "generation_finished_at",
            "totals",
        ]
        read_only_fields = fields


class GenerateSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    programs = serializers.ListField(child=serializers.CharField())
    areas = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="area codes; yours by default"
    )


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PayrollViewSet(ScopedReadMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PayrollSerializer
    filterset_fields = ["status", "kind", "month"]
    view_action = "payroll.view"

    def get_queryset(self) -> QuerySet[Payroll]:
        if getattr(self, "swagger_fake_view", False):  # the schema needs only the model
            return Payroll.objects.none()
        self.require_view()
        return selectors.payroll_list(user=self.request.user).prefetch_related("areas")

    @extend_schema(request=GenerateSerializer, responses={202: PayrollSerializer})
    def create(self, request: Request) -> Response:
        """Start the payroll's generation; poll the payroll until its status is "draft"."""
        data = GenerateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        codes = data.validated_data.get("areas") or []
        areas = list(Area.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {a.code for a in areas})
        if unknown:
            raise serializers.ValidationError(
                {"areas": [_("Unknown area code: %(codes)s.") % {"codes": ", ".join(unknown)}]}
            )
        payroll = services.payroll_generate(
            actor=request.user,
            month=data.validated_data["month"],
            programs=data.validated_data["programs"],
            areas=areas or None,
        )
        return Response(PayrollSerializer(payroll).data, status=status.HTTP_202_ACCEPTED)

    def _step(self, request: Request, service: Any) -> Response:
        payroll = self.get_object()
        data = NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        payroll = service(actor=request.user, payroll=payroll, note=data.validated_data["note"])
        return Response(PayrollSerializer(payroll).data)

    @extend_schema(request=NoteSerializer, responses=PayrollSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        return self._step(request, services.payroll_submit)

    @extend_schema(request=NoteSerializer, responses=PayrollSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        return self._step(request, services.payroll_approve)

    @extend_schema(request=NoteSerializer, responses=PayrollSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def send_back(self, request: Request, pk: str) -> Response:
        return self._step(request, services.payroll_return)

    @extend_schema(request=NoteSerializer, responses=PayrollSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        return self._step(request, services.payroll_close)

    @extend_schema(request=NoteSerializer, responses=PayrollSerializer)
    @action(detail=True, methods=["post"])
    def discard(self, request: Request, pk: str) -> Response:
        return self._step(request, services.payroll_discard)

    @extend_schema(
        responses=inline_serializer(
            "PayrollProgress",
            {
                "status": serializers.CharField(),
                "done": serializers.IntegerField(),
                "total": serializers.IntegerField(),
            },
        )
    )
    @action(detail=True, methods=["get"])
    def progress(self, request: Request, pk: str) -> Response:
        payroll = self.get_object()
        progress = selectors.generation_progress(payroll)
        return Response({"status": payroll.status, "done": progress.done, "total": progress.total})


class PaymentSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)
    id_number_masked = serializers.CharField(source="person.masked_id_number", read_only=True)
    area: serializers.SlugRelatedField[Area] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    month = MonthField(read_only=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "reference",
            "payroll",
            "person",
            "person_name",
            "id_number_masked",
            "program",
            "month",
            "area",
            "amount",
            "status",
            "hold_reason",
            "bank_reason",
            "settled_at",
            "reissued",
            "reissue_of",
        ]
        read_only_fields = fields


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class PaymentViewSet(viewsets.ReadOnlyModelViewSet):
    """Payroll rows in your areas. Paid rows are never edited; rows can be held (with a reason)
    and released before their payroll is approved."""

    serializer_class = PaymentSerializer
    filterset_fields = ["payroll", "status", "program", "month", "person"]

    def get_queryset(self) -> QuerySet[Payment]:
        if getattr(self, "swagger_fake_view", False):  # the schema needs only the model
            return Payment.objects.none()
        user = self.request.user
        if "pk" not in self.kwargs and not self._may_read():  # one row: get_object decides
            policy.require(user, "payroll.view")
        return policy.scope(user, Payment.objects.select_related("person", "area")).order_by("id")

    def _may_read(self, payment: Payment | None = None) -> bool:
        user = self.request.user
        return policy.may(user, "payroll.view", payment) or policy.may(
            user, "payment.correct", payment
        )

    def get_object(self) -> Payment:
        """A row outside the user's areas is 404 (the scoped queryset); inside, a role that
        reads no payroll rows is 403."""
        payment: Payment = super().get_object()
        if not self._may_read(payment):
            policy.require(self.request.user, "payroll.view", payment)
        return payment

    @extend_schema(request=ReasonSerializer, responses=PaymentSerializer)
    @action(detail=True, methods=["post"])
    def hold(self, request: Request, pk: str) -> Response:
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        payment = services.payment_hold(
            actor=request.user, payment=self.get_object(), reason=data.validated_data["reason"]
        )
        return Response(PaymentSerializer(payment).data)

    @extend_schema(request=None, responses=PaymentSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: str) -> Response:
        payment = services.payment_release(actor=request.user, payment=self.get_object())
        return Response(PaymentSerializer(payment).data)


class LedgerEntrySerializer(serializers.ModelSerializer):
    kind = serializers.CharField(
        read_only=True, help_text="allocation, disbursement, return, recovery or reversal"
    )
    area: serializers.SlugRelatedField[Area] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    created_by = serializers.CharField(source="created_by.username", read_only=True)

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "program",
            "kind",
            "amount",
            "booked_on",
            "area",
            "payroll",
            "bank_return",
            "overpayment",
            "reversal_of",
            "reference",
            "note",
            "created_by",
            "created_at",
        ]
        read_only_fields = [
            "kind",
            "area",
            "payroll",
            "bank_return",
            "overpayment",
            "reversal_of",
            "created_by",
            "created_at",
        ]
        extra_kwargs = {"booked_on": {"required": False}}


class LedgerEntryViewSet(ScopedReadMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The special account's entries. POST records an allocation (finance)."""

    serializer_class = LedgerEntrySerializer
    filterset_fields = ["program", "kind", "payroll"]
    view_action = "ledger.view"

    def get_queryset(self) -> QuerySet[LedgerEntry]:
        if getattr(self, "swagger_fake_view", False):  # the schema needs only the model
            return LedgerEntry.objects.none()
        self.require_view()
        return selectors.ledger_entries(user=self.request.user)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.ledger_allocate(
            actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(
        responses=inline_serializer(
            "FundBalance",
            {
                "program": serializers.CharField(),
                **{
                    name: serializers.DecimalField(14, 2)
                    for name in (
                        "allocated",
                        "disbursed",
                        "returned",
                        "recovered",
                        "reversed",
                        "balance",
                    )
                },
            },
            many=True,
        )
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def balances(self, request: Request) -> Response:
        policy.require(request.user, "ledger.view")
        return Response(
            [
                {
                    "program": b.program,
                    "allocated": str(b.allocated),
                    "disbursed": str(b.disbursed),
                    "returned": str(b.returned),
                    "recovered": str(b.recovered),
                    "reversed": str(b.reversed),
                    "balance": str(b.balance),
                }
                for b in selectors.ledger_balances(user=request.user)
            ]
        )


class OverpaymentSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    area: serializers.SlugRelatedField[Area] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    month = MonthField(read_only=True)
    outstanding = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = Overpayment
        fields = [
            "id",
            "payment",
            "person",
            "person_name",
            "program",
            "month",
            "area",
            "amount",
            "recovered",
            "outstanding",
            "status",
            "reason",
            "source",
        ]
        read_only_fields = fields


class RecoverSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class OverpaymentViewSet(ScopedReadMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = OverpaymentSerializer
    filterset_fields = ["status", "program", "person"]
    view_action = "overpayment.view"

    def get_queryset(self) -> QuerySet[Overpayment]:
        if getattr(self, "swagger_fake_view", False):  # the schema needs only the model
            return Overpayment.objects.none()
        self.require_view()
        return selectors.overpayment_list(user=self.request.user).order_by("id")

    @extend_schema(request=RecoverSerializer, responses=LedgerEntrySerializer)
    @action(detail=True, methods=["post"])
    def recover(self, request: Request, pk: str) -> Response:
        data = RecoverSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.overpayment_recover(
            actor=request.user, overpayment=self.get_object(), **data.validated_data
        )
        return Response(LedgerEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReasonSerializer, responses=OverpaymentSerializer)
    @action(detail=True, methods=["post"])
    def waive(self, request: Request, pk: str) -> Response:
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        overpayment = services.overpayment_waive(
            actor=request.user, overpayment=self.get_object(), reason=data.validated_data["reason"]
        )
        return Response(OverpaymentSerializer(overpayment).data)


routes: list[tuple[str, Any, str]] = [
    ("payrolls", PayrollViewSet, "payroll"),
    ("payments", PaymentViewSet, "payment"),
    ("ledger", LedgerEntryViewSet, "ledgerentry"),
    ("overpayments", OverpaymentViewSet, "overpayment"),
]
