"""REST endpoints of the children's app. Serializers only parse; every write is a service call,
every read a scoped selector. Mandatory reports are scoped to the roles that handle them:
anyone else gets 404 for one and 403 for the list."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from civil_affairs.areas import policy
from civil_affairs.areas.api import ScopedReadMixin
from civil_affairs.areas.models import Area
from civil_affairs.core.api import MonthField

from . import selectors, services
from .models import (
    Allowance,
    Appointment,
    CareActivity,
    Child,
    FollowUp,
    MandatoryReport,
    ParentSituation,
    Visit,
)


class ChildParentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ParentSituation
        fields = ["id", "parent", "situation", "evidence", "since", "ended_on"]
        read_only_fields = ["id", "ended_on"]
        extra_kwargs = {"evidence": {"required": False}}


class ChildGuardianSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    relationship = serializers.CharField(max_length=30)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    entrusted = serializers.BooleanField(required=False, default=False)


class ChildSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(max_length=18, write_only=True)
    id_number_masked = serializers.CharField(source="person.masked_id_number", read_only=True)
    name = serializers.CharField(source="person.name", max_length=50)
    birth_date = serializers.DateField(source="person.birth_date", read_only=True)
    area = serializers.SlugRelatedField(
        slug_field="code", queryset=Area.objects.filter(level=Area.Level.VILLAGE)
    )
    parents = ChildParentSerializer(many=True, required=False)
    guardians = ChildGuardianSerializer(many=True, required=False)

    class Meta:
        model = Child
        fields = [
            "id",
            "id_number",
            "id_number_masked",
            "name",
            "birth_date",
            "area",
            "category",
            "registered_on",
            "school",
            "in_full_time_education",
            "left_school_on",
            "risk_level",
            "status",
            "parents",
            "guardians",
        ]
        read_only_fields = ["status", "left_school_on"]


class ChildViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The children's registry. `?q=` is a full ID number or a name prefix."""

    queryset = Child.objects.none()  # the schema's model; reads use get_queryset
    serializer_class = ChildSerializer
    filterset_fields = ["category", "risk_level", "status"]

    def get_queryset(self) -> QuerySet[Child]:
        if "pk" not in self.kwargs:
            policy.require(self.request.user, "child.view")
        return selectors.children(
            user=self.request.user, query=self.request.query_params.get("q", "")
        ).prefetch_related("parents", "guardians")

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        person = data.pop("person")
        serializer.instance = services.child_register(
            actor=self.request.user,
            name=person["name"],
            parents=[dict(p) for p in data.pop("parents", [])],
            guardians=[dict(g) for g in data.pop("guardians", [])],
            **data,
        )


class ChildAllowanceSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    start_month = MonthField(read_only=True)
    end_month = MonthField(read_only=True, allow_null=True)
    suspended_from = MonthField(read_only=True, allow_null=True)

    class Meta:
        model = Allowance
        fields = [
            "id",
            "child",
            "person_name",
            "program",
            "variant",
            "start_month",
            "end_month",
            "suspended_from",
            "status",
            "status_reason",
        ]
        read_only_fields = fields


class ChildAllowanceGrantSerializer(serializers.Serializer):
    child = serializers.IntegerField()
    start_month = MonthField()


class ChildAllowanceChangeSerializer(serializers.Serializer):
    effective_month = MonthField(required=False, allow_null=True)
    reason = serializers.CharField(allow_blank=True)


class AllowanceViewSet(viewsets.ReadOnlyModelViewSet):
    """Child allowances. The amount of each month is the standard in force that month."""

    queryset = Allowance.objects.none()  # the schema's model; reads use get_queryset
    serializer_class = ChildAllowanceSerializer
    filterset_fields = ["program", "status"]

    def get_queryset(self) -> QuerySet[Allowance]:
        if "pk" not in self.kwargs:
            policy.require(self.request.user, "child.view")
        return selectors.allowances(user=self.request.user)

    @extend_schema(request=ChildAllowanceGrantSerializer, responses=ChildAllowanceSerializer)
    @action(detail=False, methods=["post"])
    def grant(self, request: Request) -> Response:
        params = ChildAllowanceGrantSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        child = selectors.child_get(user=request.user, pk=params.validated_data["child"])
        allowance = services.allowance_grant(
            actor=request.user, child=child, start_month=params.validated_data["start_month"]
        )
        return Response(self.get_serializer(allowance).data, status=201)

    def _change(self, request: Request, what: str) -> Response:
        allowance = self.get_object()
        params = ChildAllowanceChangeSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        if what == "resume":
            services.allowance_resume(
                actor=request.user, allowance=allowance, reason=data["reason"]
            )
        else:
            month = data.get("effective_month")
            if month is None:
                raise serializers.ValidationError({"effective_month": ["This field is required."]})
            change = services.allowance_stop if what == "stop" else services.allowance_suspend
            change(
                actor=request.user,
                allowance=allowance,
                effective_month=month,
                reason=data["reason"],
            )
        allowance.refresh_from_db()
        return Response(self.get_serializer(allowance).data)

    @extend_schema(request=ChildAllowanceChangeSerializer, responses=ChildAllowanceSerializer)
    @action(detail=True, methods=["post"])
    def stop(self, request: Request, pk: str) -> Response:
        return self._change(request, "stop")

    @extend_schema(request=ChildAllowanceChangeSerializer, responses=ChildAllowanceSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request: Request, pk: str) -> Response:
        return self._change(request, "suspend")

    @extend_schema(request=ChildAllowanceChangeSerializer, responses=ChildAllowanceSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str) -> Response:
        return self._change(request, "resume")


class ChildVisitSerializer(serializers.ModelSerializer):
    visitor = serializers.CharField(source="visitor.username", read_only=True)
    child = serializers.PrimaryKeyRelatedField(queryset=Child.objects.all())

    class Meta:
        model = Visit
        fields = ["id", "child", "visited_on", "visitor", "findings", "risk_level", "referral"]
        extra_kwargs = {"referral": {"required": False}}


class VisitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Visits; one with a high risk opens a follow-up."""

    queryset = Visit.objects.none()  # the schema's model; reads use get_queryset
    serializer_class = ChildVisitSerializer
    filterset_fields = ["child", "risk_level"]

    def get_queryset(self) -> QuerySet[Visit]:
        if "pk" not in self.kwargs:
            policy.require(self.request.user, "child.view")
        return selectors.visits(user=self.request.user).order_by("-visited_on", "-id")

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        serializer = super().get_serializer(*args, **kwargs)
        if hasattr(serializer, "fields") and "child" in serializer.fields:
            serializer.fields["child"].queryset = selectors.children(user=self.request.user)
        return serializer

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.visit_record(
            actor=self.request.user, **serializer.validated_data
        )


class ChildFollowUpSerializer(serializers.ModelSerializer):
    child_name = serializers.CharField(source="child.person.name", read_only=True)

    class Meta:
        model = FollowUp
        fields = ["id", "child", "child_name", "visit", "deadline", "status", "done_on", "outcome"]
        read_only_fields = fields


class ChildFollowUpCloseSerializer(serializers.Serializer):
    done_on = serializers.DateField()
    outcome = serializers.CharField(allow_blank=True)


class FollowUpViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = FollowUp.objects.none()  # the schema's model; reads use get_queryset
    serializer_class = ChildFollowUpSerializer
    filterset_fields = ["status"]

    def get_queryset(self) -> QuerySet[FollowUp]:
        if "pk" not in self.kwargs:
            policy.require(self.request.user, "child.view")
        return selectors.follow_ups(user=self.request.user, open_only=False)

    @extend_schema(request=ChildFollowUpCloseSerializer, responses=ChildFollowUpSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        follow_up = self.get_object()
        params = ChildFollowUpCloseSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.follow_up_close(actor=request.user, follow_up=follow_up, **params.validated_data)
        follow_up.refresh_from_db()
        return Response(self.get_serializer(follow_up).data)


class ChildStaffAppointmentSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", queryset=Area.objects.all())

    class Meta:
        model = Appointment
        fields = ["id", "post", "area", "name", "phone", "appointed_on", "ended_on"]
        read_only_fields = ["ended_on"]
        extra_kwargs = {"phone": {"required": False}}


class AppointmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Child directors (villages) and supervisors (townships)."""

    queryset = Appointment.objects.none()  # the schema's model; reads use get_queryset
    serializer_class = ChildStaffAppointmentSerializer
    filterset_fields = ["post"]

    def get_queryset(self) -> QuerySet[Appointment]:
        if "pk" not in self.kwargs:
            policy.require(self.request.user, "child.view")
        return selectors.appointments(user=self.request.user, current_only=False)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.appointment_create(
            actor=self.request.user, **serializer.validated_data
        )


class MandatoryReportSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", queryset=Area.objects.all())

    class Meta:
        model = MandatoryReport
        fields = [
            "id",
            "area",
            "received_at",
            "reporter",
            "reporter_unit",
            "child_name",
            "description",
            "referred_to",
            "referred_on",
            "police_case_number",
            "outcome",
            "status",
        ]
        read_only_fields = [
            "referred_to",
            "referred_on",
            "police_case_number",
            "outcome",
            "status",
        ]
        extra_kwargs = {"reporter_unit": {"required": False}}


class MandatoryReportViewSet(
    ScopedReadMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Mandatory reports of harm to minors: only the children's officer and administrators.
    A report is 404 for everyone else, whatever their areas."""

    queryset = MandatoryReport.objects.none()  # the schema's model; reads use get_queryset
    serializer_class = MandatoryReportSerializer
    view_action = "mandatory_report.view"
    filterset_fields = ["status"]

    def get_queryset(self) -> QuerySet[MandatoryReport]:
        self.require_view()
        return policy.scope(
            self.request.user,
            MandatoryReport.objects.select_related("area"),
            "mandatory_report.view",
        ).order_by("-received_at", "-id")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.mandatory_report_receive(
            actor=self.request.user, **serializer.validated_data
        )


class CareActivitySerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", queryset=Area.objects.all())

    class Meta:
        model = CareActivity
        fields = [
            "id",
            "area",
            "held_on",
            "theme",
            "organiser",
            "children_reached",
            "funds_raised",
            "goods_value",
        ]
        extra_kwargs = {
            f: {"required": False}
            for f in ("organiser", "children_reached", "funds_raised", "goods_value")
        }


class CareActivityViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = CareActivity.objects.none()  # the schema's model; reads use get_queryset
    serializer_class = CareActivitySerializer

    def get_queryset(self) -> QuerySet[CareActivity]:
        return selectors.care_activities(user=self.request.user)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.care_activity_record(
            actor=self.request.user, **serializer.validated_data
        )


routes: list[tuple[str, Any, str]] = [
    ("children/children", ChildViewSet, "children-child"),
    ("children/allowances", AllowanceViewSet, "children-allowance"),
    ("children/visits", VisitViewSet, "children-visit"),
    ("children/follow-ups", FollowUpViewSet, "children-follow-up"),
    ("children/appointments", AppointmentViewSet, "children-appointment"),
    ("children/mandatory-reports", MandatoryReportViewSet, "children-mandatory-report"),
    ("children/care-activities", CareActivityViewSet, "children-care-activity"),
]
