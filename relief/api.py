"""REST endpoints: households, applications (with one action per case step) and entitlements.

Serializers only parse; every write is a service call, every read a scoped selector, and the
project's exception handler turns service errors into 400/403/404 with field messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.validators import mask_certificate

from . import selectors, services
from .models import Application, Entitlement, EntitlementPeriod, Household, HouseholdMember
from .services.households import MEMBER_FIELDS
from .steps import STEP_BY_NAME


class MemberSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(max_length=18, write_only=True)
    id_number_masked = serializers.CharField(source="person.masked_id_number", read_only=True)
    disability_certificate_masked = serializers.SerializerMethodField()
    name = serializers.CharField(max_length=50, write_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)
    monthly_income = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = HouseholdMember
        fields = [
            "id_number",
            "id_number_masked",
            "name",
            "person_name",
            "relationship",
            "work_capacity",
            "health",
            "disability_certificate",
            "disability_certificate_masked",
            "disability_type",
            "disability_grade",
            *HouseholdMember.INCOME_FIELDS,
            "monthly_income",
            "vehicles",
            "real_estate",
            "deposits",
        ]
        read_only_fields = ["disability_type", "disability_grade"]
        extra_kwargs = {  # the service validates (same messages as the form and the import)
            f: {"validators": [], "required": False}
            | ({"write_only": True} if f == "disability_certificate" else {})
            for f in (
                "relationship",
                "work_capacity",
                "health",
                "disability_certificate",
                *HouseholdMember.INCOME_FIELDS,
                "vehicles",
                "real_estate",
                "deposits",
            )
        }

    def get_disability_certificate_masked(self, member: HouseholdMember) -> str:
        """The certificate is the ID number and two digits: masked like the ID number."""
        return mask_certificate(member.disability_certificate)


class HouseholdSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(
        slug_field="code", queryset=Area.objects.filter(level=Area.Level.VILLAGE)
    )
    members = MemberSerializer(many=True)

    class Meta:
        model = Household
        fields = ["id", "area", "address", "registered_type", "category", "members"]
        extra_kwargs = {"registered_type": {"validators": []}, "category": {"required": False}}


def _member_rows(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in m.items() if k in MEMBER_FIELDS} for m in members]


class HouseholdViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Households with their members. `?q=` searches a full ID number or a name prefix."""

    serializer_class = HouseholdSerializer
    filterset_fields = ["registered_type", "category"]

    def get_queryset(self) -> QuerySet[Household]:
        rows = policy.scope(
            self.request.user, Household.objects.select_related("area")
        ).prefetch_related("members__person")
        query = self.request.query_params.get("q", "").strip()
        if query:
            members = selectors.case_search(user=self.request.user, query=query, limit=200)
            rows = rows.filter(pk__in={m.household_id for m in members})
        return rows.order_by("-id")

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.household_create(
            actor=self.request.user,
            area=data["area"],
            address=data.get("address", ""),
            registered_type=data["registered_type"],
            category=data.get("category", Household.Category.A),
            members=_member_rows(data["members"]),
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        household = serializer.instance
        members = data.pop("members", None)
        data.pop("area", None)
        services.household_update(actor=self.request.user, household=household, **data)
        if members is not None:
            services.household_set_members(
                actor=self.request.user, household=household, members=_member_rows(members)
            )
        serializer.instance = selectors.household_get(user=self.request.user, pk=household.pk)


class ApplicationSerializer(serializers.ModelSerializer):
    household = serializers.PrimaryKeyRelatedField(queryset=Household.objects.all())
    # read-only and empty until assessed: documented as such (schemathesis checks the answers)
    self_care = serializers.ChoiceField(
        choices=Application.SelfCare.choices, allow_blank=True, read_only=True
    )
    person = serializers.IntegerField(source="person_id")
    entitlement = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "household",
            "person",
            "program",
            "status",
            "status_reason",
            "statement",
            "applied_on",
            "coverage",
            "support_mode",
            "self_care",
            "assistance_kind",
            "requested_amount",
            "urgent",
            "start_month",
            "notice_start",
            "notice_end",
            "approved_amount",
            "documents_pending",
            "entitlement",
            "area",
            "finance_check_authorised",
            "staff_relative",
            "staff_relative_note",
            "special_case",
            "accepted_on",
            "proposed_amount",
            "notice_round",
            "notice_objections",
            "confirmed_grade",
            "confirmed_type",
            "approved_delegated",
        ]
        read_only_fields = [
            "status",
            "status_reason",
            "self_care",  # the level of the six-activity assessment used at approval
            "notice_start",
            "notice_end",
            "approved_amount",
            "documents_pending",
            "area",
            "accepted_on",
            "proposed_amount",
            "notice_round",
            "notice_objections",
            "confirmed_grade",
            "confirmed_type",
            "approved_delegated",
        ]
        extra_kwargs = {"applied_on": {"required": False}, "statement": {"validators": []}}

    def get_entitlement(self, obj: Application) -> int | None:
        entitlement = obj.entitlements.first()
        return entitlement.pk if entitlement else None

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:  # only households the user may see can be named
            household: Any = fields["household"]
            household.queryset = policy.scope(request.user, Household.objects.all())
        return fields


class StepSerializer(serializers.Serializer):
    """What a step may carry (for the schema): each step checks the fields it needs with its
    page's form (relief/steps.py)."""

    note = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    result = serializers.CharField(required=False, allow_blank=True, default="")
    opinion = serializers.CharField(required=False, allow_blank=True, default="")
    objections = serializers.CharField(required=False, allow_blank=True, default="")
    start = serializers.DateField(required=False)
    visited_on = serializers.DateField(required=False)
    visitors = serializers.CharField(required=False, allow_blank=True, default="")
    findings = serializers.CharField(required=False, allow_blank=True, default="")
    objection = serializers.CharField(required=False, allow_blank=True, default="")
    finance_check_authorised = serializers.BooleanField(required=False, default=False)
    staff_relative = serializers.BooleanField(required=False, default=False)
    staff_relative_note = serializers.CharField(required=False, allow_blank=True, default="")
    grade = serializers.IntegerField(required=False)
    disability_type = serializers.CharField(required=False, allow_blank=True, default="")


def _required(data: dict[str, Any], name: str) -> Any:
    """The value of a field this action needs, or a 400 naming it."""
    if data.get(name) in (None, ""):
        raise serializers.ValidationError({name: [_("This field is required.")]})
    return data[name]


class ApplicationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Applications; each step of the case is a POST to `/<id>/<step>/`."""

    serializer_class = ApplicationSerializer
    filterset_fields = ["status", "program", "household"]

    def get_queryset(self) -> QuerySet[Application]:
        return policy.scope(
            self.request.user, Application.objects.select_related("household__area", "person")
        ).order_by("-id")

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.application_create(actor=self.request.user, **data)

    def _step(self, request: Request, pk: str, step: str) -> Response:
        application = self.get_object()
        definition = STEP_BY_NAME[step]
        if not isinstance(request.data, Mapping):  # a JSON list, a number…
            raise serializers.ValidationError(
                {"non_field_errors": [_("Send the step's fields as one object.")]}
            )
        form = definition.form(request.data, request.FILES)  # the page's form, the same checks
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        definition.call(request.user, application, form.cleaned_data, request.FILES)
        application.refresh_from_db()
        return Response(self.get_serializer(application).data, status=status.HTTP_200_OK)

    @extend_schema(request=StepSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, "accept")

    @extend_schema(request=StepSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def visit(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, "visit")

    @extend_schema(request=StepSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def request_crosscheck(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, "request_crosscheck")

    @extend_schema(request=StepSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def clear_crosscheck(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, "clear_crosscheck")

    @extend_schema(request=StepSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def start_notice(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, "start_notice")

    @extend_schema(request=StepSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, "submit")

    @extend_schema(request=StepSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, "review")

    @extend_schema(request=StepSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def close_notice(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, "close_notice")

    @extend_schema(request=StepSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def record_objection(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, "record_objection")

    @extend_schema(request=StepSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def confirm_grade(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, "confirm_grade")

    @extend_schema(request=StepSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def record_authorisation(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, "record_authorisation")

    @extend_schema(request=StepSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, "approve")

    @extend_schema(request=StepSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def pay_first(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, "pay_first")

    @extend_schema(request=StepSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, "refuse")

    @extend_schema(request=StepSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, "withdraw")


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = EntitlementPeriod
        fields = ["valid_from", "valid_to", "monthly_amount"]


class EntitlementSerializer(serializers.ModelSerializer):
    person_masked_id = serializers.CharField(source="person.masked_id_number", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)
    area = serializers.CharField(source="area.code", read_only=True)
    periods = PeriodSerializer(many=True, read_only=True)

    class Meta:
        model = Entitlement
        fields = [
            "id",
            "program",
            "person",
            "person_name",
            "person_masked_id",
            "area",
            "household",
            "application",
            "monthly_amount",
            "start_month",
            "end_month",
            "suspended_from",
            "status",
            "status_reason",
            "basis",
            "periods",
            "payee_name",
            "caregiver",
            "caregiver_from",
            "caregiver_to",
        ]
        read_only_fields = fields


class EntitlementChangeSerializer(serializers.Serializer):
    effective_month = serializers.DateField()
    reason = serializers.CharField(allow_blank=True)
    monthly_amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )


class EntitlementViewSet(viewsets.ReadOnlyModelViewSet):
    """What is paid monthly; changes are POSTs that name their effective month (YYYY-MM-01)."""

    serializer_class = EntitlementSerializer
    filterset_fields = ["program", "status", "household"]

    def get_queryset(self) -> QuerySet[Entitlement]:
        return (
            policy.scope(self.request.user, Entitlement.objects.select_related("person", "area"))
            .prefetch_related("periods")
            .order_by("-id")
        )

    def _change(self, request: Request, what: str) -> Response:
        entitlement = self.get_object()
        params = EntitlementChangeSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        common = {
            "actor": request.user,
            "entitlement": entitlement,
            "effective_month": data["effective_month"],
            "reason": data["reason"],
        }
        if what == "change_amount":
            _required(data, "monthly_amount")
            services.entitlement_change_amount(monthly_amount=data["monthly_amount"], **common)
        else:
            {
                "stop": services.entitlement_stop,
                "suspend": services.entitlement_suspend,
                "resume": services.entitlement_resume,
                "gradual_exit": services.entitlement_gradual_exit,
            }[what](**common)
        entitlement = self.get_queryset().get(pk=entitlement.pk)
        return Response(self.get_serializer(entitlement).data)

    @extend_schema(request=EntitlementChangeSerializer, responses=EntitlementSerializer)
    @action(detail=True, methods=["post"])
    def stop(self, request: Request, pk: str) -> Response:
        return self._change(request, "stop")

    @extend_schema(request=EntitlementChangeSerializer, responses=EntitlementSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request: Request, pk: str) -> Response:
        return self._change(request, "suspend")

    @extend_schema(request=EntitlementChangeSerializer, responses=EntitlementSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str) -> Response:
        return self._change(request, "resume")

    @extend_schema(request=EntitlementChangeSerializer, responses=EntitlementSerializer)
    @action(detail=True, methods=["post"])
    def change_amount(self, request: Request, pk: str) -> Response:
        return self._change(request, "change_amount")

    @extend_schema(request=EntitlementChangeSerializer, responses=EntitlementSerializer)
    @action(detail=True, methods=["post"])
    def gradual_exit(self, request: Request, pk: str) -> Response:
        return self._change(request, "gradual_exit")


routes: list[tuple[str, Any, str]] = [
    ("relief/households", HouseholdViewSet, "relief-household"),
    ("relief/applications", ApplicationViewSet, "relief-application"),
    ("relief/entitlements", EntitlementViewSet, "relief-entitlement"),
]
