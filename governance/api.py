"""REST endpoints of governance: committees with their members, vacancies (with the
eligibility check and the by-election as actions), cancelled certificates and certificate
requests. Serializers only parse; every write is a service call, every read a scoped
selector."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from civil_affairs.areas.models import Area

from . import selectors, services
from .models import CancelledCertificate, CertificateRequest, Committee, Member, Sex, Vacancy


@extend_schema_serializer(component_name="CommitteeMember")
class MemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = Member
        fields = [
            "id",
            "name",
            "sex",
            "post",
            "elected_on",
            "by_election",
            "left_on",
            "left_reason",
        ]


class CommitteeSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", queryset=Area.objects.all())
    members = MemberSerializer(many=True, read_only=True)
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = Committee
        fields = [
            "id",
            "area",
            "kind",
            "parent",
            "elected_on",
            "term_ends_on",
            "dissolved_on",
            "members",
            "warnings",
        ]
        read_only_fields = ["parent", "term_ends_on", "dissolved_on"]
        validators: list[Any] = []

    def get_warnings(self, committee: Committee) -> list[str]:
        return services.committee_warnings(committee)


class CommitteeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Current committees in the user's areas; POST records an election (or forms a
    sub-committee under the village's committee)."""

    serializer_class = CommitteeSerializer
    filterset_fields = ["kind"]

    def get_queryset(self) -> QuerySet[Committee]:
        return selectors.committees(user=self.request.user).order_by("area__code", "kind")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.committee_elect(
            actor=self.request.user, **dict(serializer.validated_data)
        )


class VacancySerializer(serializers.ModelSerializer):
    committee: serializers.PrimaryKeyRelatedField[Committee] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )

    class Meta:
        model = Vacancy
        fields = [
            "id",
            "committee",
            "post",
            "arose_on",
            "reason",
            "status",
            "candidate_name",
            "candidate_sex",
            "checked_on",
            "eligible",
            "check_note",
            "held_on",
            "votes_cast",
            "votes_for",
            "elected",
        ]
        read_only_fields = fields


class CheckSerializer(serializers.Serializer):
    candidate_name = serializers.CharField(max_length=50)
    candidate_sex = serializers.ChoiceField(choices=Sex.choices)
    candidate_id_number = serializers.CharField(required=False, allow_blank=True, default="")
    checked_on = serializers.DateField()
    eligible = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ByElectionSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    votes_cast = serializers.IntegerField(min_value=0)
    votes_for = serializers.IntegerField(min_value=0)
    elected = serializers.BooleanField()


def _parsed(serializer_class: Any, request: Request) -> dict[str, Any]:
    if not isinstance(request.data, Mapping):
        raise serializers.ValidationError(
            {"non_field_errors": [_("Send the fields as one object.")]}
        )
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class VacancyViewSet(viewsets.ReadOnlyModelViewSet):
    """Vacancies awaiting a by-election (`?all=1`: every vacancy). POST `/<id>/check/`
    records the candidate's eligibility check; POST `/<id>/by_election/` the result."""

    serializer_class = VacancySerializer

    def get_queryset(self) -> QuerySet[Vacancy]:
        pending = self.request.query_params.get("all") != "1" and self.action == "list"
        return selectors.vacancies(user=self.request.user, pending=pending).order_by("pk")

    @extend_schema(request=CheckSerializer, responses=VacancySerializer)
    @action(detail=True, methods=["post"])
    def check(self, request: Request, pk: str) -> Response:
        vacancy = self.get_object()
        services.vacancy_check_eligibility(
            actor=request.user, vacancy=vacancy, **_parsed(CheckSerializer, request)
        )
        return Response(self.get_serializer(vacancy).data)

    @extend_schema(request=ByElectionSerializer, responses=VacancySerializer)
    @action(detail=True, methods=["post"])
    def by_election(self, request: Request, pk: str) -> Response:
        vacancy = self.get_object()
        services.vacancy_record_by_election(
            actor=request.user, vacancy=vacancy, **_parsed(ByElectionSerializer, request)
        )
        return Response(self.get_serializer(vacancy).data)


class CancelledCertificateSerializer(serializers.ModelSerializer):
    area: serializers.SlugRelatedField[Area] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = CancelledCertificate
        fields = ["id", "area", "item", "legal_basis", "cancelled_on", "status"]


class CancelledCertificateViewSet(viewsets.ReadOnlyModelViewSet):
    """The certificates committees no longer issue, decided in the user's areas or above."""

    serializer_class = CancelledCertificateSerializer

    queryset = CancelledCertificate.objects.none()  # the schema's model; rows: get_queryset

    def get_queryset(self) -> QuerySet[CancelledCertificate]:
        if getattr(self, "swagger_fake_view", False):
            return CancelledCertificate.objects.none()
        return selectors.cancelled_certificates(user=self.request.user).order_by("pk")


class CertificateRequestSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", queryset=Area.objects.all())

    class Meta:
        model = CertificateRequest
        fields = ["id", "area", "applicant", "item", "requested_on", "outcome", "basis"]
        read_only_fields = ["outcome", "basis"]
        validators: list[Any] = []


class CertificateRequestViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Certificate requests; a request for a cancelled certificate is recorded as refused,
    with the basis of the cancellation in `basis`."""

    serializer_class = CertificateRequestSerializer

    def get_queryset(self) -> QuerySet[CertificateRequest]:
        return selectors.certificate_requests(user=self.request.user).order_by("-pk")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.certificate_request(
            actor=self.request.user, **dict(serializer.validated_data)
        )


routes: list[tuple[str, Any, str]] = [
    ("governance/committees", CommitteeViewSet, "governance-committee"),
    ("governance/vacancies", VacancyViewSet, "governance-vacancy"),
    ("governance/cancelled-certificates", CancelledCertificateViewSet, "governance-cancelled"),
    ("governance/certificate-requests", CertificateRequestViewSet, "governance-request"),
]
