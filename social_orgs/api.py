"""REST endpoints of social_orgs: the registry (register, list, read), annual inspections and
stations. Serializers only parse; every write is a service call (the same credit-code and
one-inspection-a-year checks as the pages), every read a scoped selector."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import mixins, serializers, viewsets

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area

from . import selectors, services
from .models import Inspection, Organisation, Station


class OrganisationSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", queryset=Area.objects.all())
    credit_code = serializers.CharField(max_length=30, required=False, allow_blank=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "area",
            "name",
            "credit_code",
            "org_type",
            "registration",
            "supervising_unit",
            "direct_registration",
            "legal_representative",
            "funds",
            "members",
            "address",
            "business_scope",
            "registered_on",
            "status",
            "status_on",
            "status_reason",
        ]
        read_only_fields = ["status", "status_on", "status_reason"]
        validators: list[Any] = []  # the service checks (messages as in the form and import)
        extra_kwargs: dict[str, dict[str, Any]] = {
            f: {"validators": []}
            for f in (
                "name",
                "supervising_unit",
                "legal_representative",
                "address",
                "business_scope",
            )
        }


class OrganisationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Social organisations in the user's areas. POST registers one (or files a community
    organisation): a credit code with a wrong check character, or whose type digit is not
    the organisation's type, is a 400 naming `credit_code`."""

    serializer_class = OrganisationSerializer
    filterset_fields = ["status", "org_type", "registration"]

    def get_queryset(self) -> QuerySet[Organisation]:
        return selectors.organisations(user=self.request.user).order_by("name", "pk")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.organisation_register(
            actor=self.request.user, **dict(serializer.validated_data)
        )


@extend_schema_serializer(component_name="AnnualInspection")
class InspectionSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())

    class Meta:
        model = Inspection
        fields = ["id", "organisation", "year", "reported_on", "result", "reasons", "rectification"]
        validators: list[Any] = []

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:  # only organisations the user may see can be named
            organisation: Any = fields["organisation"]
            organisation.queryset = selectors.organisations(user=request.user)
        return fields


class InspectionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Annual inspections; POST records one (a second one for the organisation and year is a
    400 naming `year`)."""

    serializer_class = InspectionSerializer
    filterset_fields = ["year", "result", "organisation"]

    def get_queryset(self) -> QuerySet[Inspection]:
        return selectors.inspections(user=self.request.user).order_by("-year", "pk")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.inspection_record(
            actor=self.request.user, **dict(serializer.validated_data)
        )


class StationSerializer(serializers.ModelSerializer):
    area: serializers.SlugRelatedField[Area] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    # many=True makes DRF return a ManyRelatedField, which the stubs do not know
    villages: serializers.ManyRelatedField = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="code", many=True, read_only=True
    )
    staff = serializers.SerializerMethodField()

    class Meta:
        model = Station
        fields = ["id", "area", "name", "opened_on", "stars", "villages", "staff", "closed_on"]

    def get_staff(self, station: Station) -> list[dict[str, str]]:
        return [{"name": s.name, "qualification": s.qualification} for s in station.staff.all()]


class StationViewSet(viewsets.ReadOnlyModelViewSet):
    """Township social-work stations with their staff and the villages they serve."""

    serializer_class = StationSerializer

    def get_queryset(self) -> QuerySet[Station]:
        if getattr(self, "swagger_fake_view", False):  # the schema, built without a user
            return Station.objects.none()
        policy.require(self.request.user, "organisation.view")
        return selectors.stations(user=self.request.user).order_by("area__code")


routes: list[tuple[str, Any, str]] = [
    ("social_orgs/organisations", OrganisationViewSet, "social_orgs-organisation"),
    ("social_orgs/inspections", InspectionViewSet, "social_orgs-inspection"),
    ("social_orgs/stations", StationViewSet, "social_orgs-station"),
]
