"""REST endpoints of elder care. Serializers only parse; every write is a service call, every
read a scoped queryset (ScopedReadMixin: 404 outside the user's areas, 403 for a role that
may not view elder care), and the project's exception handler maps service errors."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from civil_affairs.areas import policy
from civil_affairs.areas.api import ScopedReadMixin
from civil_affairs.areas.models import Area
from civil_affairs.core.api import MonthField
from civil_affairs.core.months import first_of_month
from civil_affairs.people.models import Person

from . import selectors, services
from .models import (
    CareWorker,
    Finding,
    FundraisingScreening,
    HomeCareCentre,
    Inspection,
    Institution,
    Modification,
    OldAgeAllowance,
    Resident,
)

VIEW = "eldercare.view"


def _scoped_field(serializer: serializers.Serializer, name: str, qs: QuerySet[Any]) -> None:
    """Only rows in the user's areas can be named in a write."""
    request = serializer.context.get("request")
    field: Any = serializer.fields.get(name)
    if request is not None and field is not None and not field.read_only:
        field.queryset = policy.scope(request.user, qs)


class AreaField(serializers.SlugRelatedField):  # type: ignore[type-arg]
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Area.objects.all())
        super().__init__(slug_field="code", **kwargs)


class _Base(ScopedReadMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    view_action = VIEW
    model: Any = None

    def rows(self) -> QuerySet[Any]:
        return self.model.objects.all()

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()  # type: ignore[no-any-return]
        self.require_view()
        return policy.scope(self.request.user, self.rows(), VIEW).order_by("-id")


# ---- institutions and residents


class InstitutionSerializer(serializers.ModelSerializer):
    area = AreaField()

    class Meta:
        model = Institution
        fields = [
            "id",
            "name",
            "credit_code",
            "nature",
            "filing_date",
            "filing_number",
            "beds",
            "nursing_beds",
            "operator",
            "area",
        ]
        # the service checks (the same messages as the form and the import)
        extra_kwargs: dict[str, dict[str, Any]] = {
            f: {"validators": []} for f in ("name", "credit_code", "filing_number", "operator")
        }


class InstitutionViewSet(
    _Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Care institutions. Create: the elder-care officer files one in an area of theirs."""

    serializer_class = InstitutionSerializer
    model = Institution
    filterset_fields = ["nature"]

    def rows(self) -> QuerySet[Institution]:
        return Institution.objects.select_related("area")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.institution_create(
            actor=self.request.user, **serializer.validated_data
        )


class ResidentSerializer(serializers.ModelSerializer):
    institution = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all())
    id_number = serializers.CharField(max_length=20, write_only=True)
    name = serializers.CharField(max_length=50, write_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)
    id_number_masked = serializers.CharField(source="person.masked_id_number", read_only=True)
    centralised_support = serializers.SerializerMethodField()

    class Meta:
        model = Resident
        fields = [
            "id",
            "institution",
            "id_number",
            "name",
            "person_name",
            "id_number_masked",
            "admitted_on",
            "discharged_on",
            "ability_level",
            "assessed_on",
            "vaccinated",
            "vaccinated_on",
            "centralised_support",
        ]
        read_only_fields = ["discharged_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _scoped_field(self, "institution", Institution.objects.all())

    def get_centralised_support(self, obj: Resident) -> bool:
        """Whether relief supports the resident there as extreme poverty (centralised)."""
        return obj.person_id in selectors.centralised_support([obj.person_id])


class ResidentViewSet(
    _Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Residents of institutions. Create: admit a person (found or registered by ID number)."""

    serializer_class = ResidentSerializer
    model = Resident
    filterset_fields = ["institution", "vaccinated", "ability_level"]

    def rows(self) -> QuerySet[Resident]:
        return Resident.objects.select_related("person", "institution")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.resident_admit(
            actor=self.request.user, **serializer.validated_data
        )


# ---- inspections and findings


class SafetyInspectionSerializer(serializers.ModelSerializer):
    institution = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all())
    # not "kind": the schema's enum of that name is the cross-check's kinds of list
    inspection_kind = serializers.ChoiceField(choices=Inspection.Kind.choices, source="kind")

    class Meta:
        model = Inspection
        fields = ["id", "institution", "inspection_kind", "inspected_on", "inspectors", "notes"]
        extra_kwargs: dict[str, dict[str, Any]] = {
            "inspectors": {"validators": []},
            "notes": {"validators": []},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _scoped_field(self, "institution", Institution.objects.all())


class InspectionViewSet(
    _Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    serializer_class = SafetyInspectionSerializer
    model = Inspection
    filterset_fields = ["institution"]

    def rows(self) -> QuerySet[Inspection]:
        return Inspection.objects.select_related("institution")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.inspection_record(
            actor=self.request.user, **serializer.validated_data
        )


class FindingSerializer(serializers.ModelSerializer):
    inspection = serializers.PrimaryKeyRelatedField(queryset=Inspection.objects.all())
    verified_by = serializers.CharField(
        source="verified_by.username", read_only=True, default=None, allow_null=True
    )
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Finding
        fields = [
            "id",
            "inspection",
            "description",
            "severity",
            "deadline",
            "status",
            "overdue",
            "fixed_on",
            "evidence",
            "verified_by",
            "verified_on",
        ]
        read_only_fields = ["status", "fixed_on", "evidence", "verified_on"]
        extra_kwargs: dict[str, dict[str, Any]] = {"description": {"validators": []}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _scoped_field(self, "inspection", Inspection.objects.all())

    def get_overdue(self, obj: Finding) -> bool:
        return obj.status == Finding.Status.OPEN and obj.deadline < timezone.localdate()


class FindingCloseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    fixed_on = serializers.DateField()
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    verified = serializers.BooleanField(required=False, default=False)


class FindingViewSet(
    _Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Findings of inspections. `?overdue=true`: open ones past their deadline. Close one with
    POST `/<id>/close/` (a major hazard needs evidence and `verified`)."""

    serializer_class = FindingSerializer
    model = Finding
    filterset_fields = ["status", "severity", "inspection"]

    def rows(self) -> QuerySet[Finding]:
        rows = Finding.objects.select_related("verified_by")
        if self.request.query_params.get("overdue") in ("1", "true"):
            rows = rows.filter(status=Finding.Status.OPEN, deadline__lt=timezone.localdate())
        return rows

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.finding_add(
            actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=FindingCloseSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        finding = self.get_object()
        data = FindingCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        finding = services.finding_close(actor=request.user, finding=finding, **data.validated_data)
        return Response(self.get_serializer(finding).data, status=status.HTTP_200_OK)


class ScreeningSerializer(serializers.ModelSerializer):
    institution = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.all(), required=False, allow_null=True
    )
    centre = serializers.PrimaryKeyRelatedField(
        queryset=HomeCareCentre.objects.all(), required=False, allow_null=True
    )
    area = AreaField(required=False, allow_null=True)

    class Meta:
        model = FundraisingScreening
        fields = [
            "id",
            "unit_kind",
            "unit_name",
            "institution",
            "centre",
            "area",
            "screened_on",
            "result",
            "notes",
        ]
        read_only_fields = ["unit_kind"]
        extra_kwargs = {
            "unit_name": {"validators": [], "required": False},
            "notes": {"validators": []},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _scoped_field(self, "institution", Institution.objects.all())
        _scoped_field(self, "centre", HomeCareCentre.objects.all())


class ScreeningViewSet(
    _Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Units screened for illegal fund-raising: an institution, a centre, or another unit with
    养老 in its name (unit_name and area)."""

    serializer_class = ScreeningSerializer
    model = FundraisingScreening
    filterset_fields = ["unit_kind", "result"]

    def rows(self) -> QuerySet[FundraisingScreening]:
        return FundraisingScreening.objects.select_related("area")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.screening_record(
            actor=self.request.user, **serializer.validated_data
        )


# ---- home-care centres


class CentreSerializer(serializers.ModelSerializer):
    area = AreaField()

    class Meta:
        model = HomeCareCentre
        fields = [
            "id",
            "name",
            "area",
            "operator",
            "services",
            "meal_service",
            "status",
            "planned_on",
            "construction_started_on",
            "built_on",
            "opened_on",
        ]
        read_only_fields = ["status", "construction_started_on", "built_on", "opened_on"]
        extra_kwargs: dict[str, dict[str, Any]] = {
            f: {"validators": []} for f in ("name", "operator", "services")
        }


class CentreAdvanceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    status = serializers.ChoiceField(choices=HomeCareCentre.Status.choices)
    on = serializers.DateField()
    operator = serializers.CharField(required=False, allow_blank=True, default="")


class CentreViewSet(
    _Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Home-care service centres; POST `/<id>/advance/` moves one to its next stage."""

    serializer_class = CentreSerializer
    model = HomeCareCentre
    filterset_fields = ["status", "meal_service"]

    def rows(self) -> QuerySet[HomeCareCentre]:
        return HomeCareCentre.objects.select_related("area")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.centre_create(
            actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=CentreAdvanceSerializer, responses=CentreSerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request: Request, pk: str) -> Response:
        centre = self.get_object()
        data = CentreAdvanceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        centre = services.centre_advance(actor=request.user, centre=centre, **data.validated_data)
        return Response(self.get_serializer(centre).data, status=status.HTTP_200_OK)


# ---- home modification, care workers


class ModificationSerializer(serializers.ModelSerializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    area: serializers.SlugRelatedField[Area] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Modification
        fields = [
            "id",
            "person",
            "area",
            "address",
            "dependent",
            "applied_on",
            "status",
            "eligibility",
            "assessed_on",
            "total_cost",
            "works_started_on",
            "contractor",
            "accepted_on",
        ]
        read_only_fields = [
            "status",
            "eligibility",
            "assessed_on",
            "total_cost",
            "works_started_on",
            "contractor",
            "accepted_on",
        ]
        extra_kwargs: dict[str, dict[str, Any]] = {"address": {"validators": []}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _scoped_field(self, "person", Person.objects.all())


class ModificationViewSet(
    _Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Aging-friendly home modifications. Create: an application (eligibility is checked on
    the facts relief states about the elder)."""

    serializer_class = ModificationSerializer
    model = Modification
    filterset_fields = ["status"]

    def rows(self) -> QuerySet[Modification]:
        return Modification.objects.select_related("area")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.modification_apply(
            actor=self.request.user, **serializer.validated_data
        )


class CareWorkerSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    id_number_masked = serializers.CharField(source="person.masked_id_number", read_only=True)
    certified = serializers.BooleanField(read_only=True)

    class Meta:
        model = CareWorker
        fields = [
            "id",
            "person_name",
            "id_number_masked",
            "institution",
            "centre",
            "skill_level",
            "certificate_number",
            "certified_on",
            "certified",
            "employed_from",
            "employed_until",
        ]
        read_only_fields = fields


class CareWorkerViewSet(_Base, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = CareWorkerSerializer
    model = CareWorker
    filterset_fields = ["institution", "centre", "skill_level"]

    def rows(self) -> QuerySet[CareWorker]:
        return CareWorker.objects.select_related("person")


# ---- old-age allowance


class OldAgeAllowanceSerializer(serializers.ModelSerializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    area: serializers.SlugRelatedField[Area] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    first_month = MonthField(read_only=True)
    end_month = MonthField(read_only=True, allow_null=True)
    suspended_from = MonthField(read_only=True, allow_null=True)
    tier = serializers.SerializerMethodField()
    monthly_amount = serializers.SerializerMethodField()

    class Meta:
        model = OldAgeAllowance
        fields = [
            "id",
            "person",
            "area",
            "applied_on",
            "first_month",
            "end_month",
            "suspended_from",
            "status",
            "status_reason",
            "tier",
            "monthly_amount",
        ]
        read_only_fields = ["status", "status_reason"]
        extra_kwargs = {"applied_on": {"required": False}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _scoped_field(self, "person", Person.objects.all())

    def _tier(self, obj: OldAgeAllowance) -> Any:
        return services.tier_in(obj.person, obj.area, first_of_month(timezone.localdate()))

    def get_tier(self, obj: OldAgeAllowance) -> str | None:
        """This month's tier (a standards variant: 80, 90, 100), null before the first."""
        tier = self._tier(obj)
        return tier.variant if tier is not None else None

    def get_monthly_amount(self, obj: OldAgeAllowance) -> str | None:
        """This month's amount by the standards in force, as a decimal string."""
        tier = self._tier(obj)
        return f"{tier.amount:.2f}" if tier is not None and tier.amount is not None else None


class OldAgeAllowanceChangeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    effective_month = MonthField(required=False)
    reason = serializers.CharField(max_length=300)


class AllowanceViewSet(
    _Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Old-age allowances. Create: enrol a person (first month computed from the birth date
    and the standards). POST `/<id>/stop/`, `/<id>/suspend/` (from `effective_month`),
    `/<id>/resume/`."""

    serializer_class = OldAgeAllowanceSerializer
    model = OldAgeAllowance
    filterset_fields = ["status"]

    def rows(self) -> QuerySet[OldAgeAllowance]:
        return OldAgeAllowance.objects.select_related("person", "area")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.allowance_enrol(
            actor=self.request.user, **serializer.validated_data
        )

    def _change(self, request: Request, name: str) -> Response:
        allowance = self.get_object()
        data = OldAgeAllowanceChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if name == "resume":
            allowance = services.allowance_resume(
                actor=request.user, allowance=allowance, reason=values["reason"]
            )
        else:
            if not values.get("effective_month"):
                raise serializers.ValidationError(
                    {"effective_month": [_("This field is required.")]}
                )
            call = services.allowance_stop if name == "stop" else services.allowance_suspend
            allowance = call(
                actor=request.user,
                allowance=allowance,
                effective_month=values["effective_month"],
                reason=values["reason"],
            )
        return Response(self.get_serializer(allowance).data, status=status.HTTP_200_OK)

    @extend_schema(request=OldAgeAllowanceChangeSerializer, responses=OldAgeAllowanceSerializer)
    @action(detail=True, methods=["post"])
    def stop(self, request: Request, pk: str) -> Response:
        return self._change(request, "stop")

    @extend_schema(request=OldAgeAllowanceChangeSerializer, responses=OldAgeAllowanceSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request: Request, pk: str) -> Response:
        return self._change(request, "suspend")

    @extend_schema(request=OldAgeAllowanceChangeSerializer, responses=OldAgeAllowanceSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str) -> Response:
        return self._change(request, "resume")


routes: list[tuple[str, Any, str]] = [
    ("eldercare/institutions", InstitutionViewSet, "eldercare-institution"),
    ("eldercare/residents", ResidentViewSet, "eldercare-resident"),
    ("eldercare/inspections", InspectionViewSet, "eldercare-inspection"),
    ("eldercare/findings", FindingViewSet, "eldercare-finding"),
    ("eldercare/screenings", ScreeningViewSet, "eldercare-screening"),
    ("eldercare/centres", CentreViewSet, "eldercare-centre"),
    ("eldercare/modifications", ModificationViewSet, "eldercare-modification"),
    ("eldercare/care-workers", CareWorkerViewSet, "eldercare-careworker"),
    ("eldercare/allowances", AllowanceViewSet, "eldercare-allowance"),
]
