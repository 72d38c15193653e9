"""REST endpoints of the funeral app (under /api/funeral/…): reads through the access policy
(ScopedReadMixin: 404 outside the user's areas, 403 for a role that may not read), writes
through the same services as the pages. Each POST's body is described by its serializer."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from civil_affairs.areas import policy
from civil_affairs.areas.api import ScopedReadMixin
from civil_affairs.areas.models import Area

from . import services
from .models import (
    AgencyInspection,
    Boundary,
    BoundaryInspection,
    BoundaryMarker,
    Cemetery,
    CertificateReplacement,
    CorrectionTask,
    Death,
    DivorceApplication,
    EntryChange,
    Kinship,
    Marriage,
    MarriageAgency,
    NamingDecision,
    PlaceName,
    TombSweepingPlan,
)


def _area() -> serializers.PrimaryKeyRelatedField:  # type: ignore[type-arg]
    return serializers.PrimaryKeyRelatedField(queryset=Area.objects.all())


class ServiceViewSet(
    ScopedReadMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Reads of `model` in the user's areas; POST (when `create_input` is set) calls
    `create_service(actor=…, **validated input)` and answers with the row."""

    model: Any = None
    select: tuple[str, ...] = ()
    create_input: type[serializers.Serializer] | None = None  # type: ignore[type-arg]
    create_service: Callable[..., Any] | None = None

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # the schema needs only the model
            return self.model.objects.none()  # type: ignore[no-any-return]
        self.require_view()
        rows = self.model.objects.select_related(*self.select)
        return policy.scope(self.request.user, rows).order_by("-id")

    def _answer(self, obj: Any, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=obj.pk) if obj.pk else obj
        return Response(self.get_serializer(fresh).data, status=code)

    def _run(self, request: Request, params_class: Any, call: Callable[..., Any]) -> Any:
        params = params_class(data=request.data)
        params.is_valid(raise_exception=True)
        return call(actor=request.user, **params.validated_data)


def creating(input_class: Any, service: Callable[..., Any]) -> Any:
    """A `create` for a ServiceViewSet: parse `input_class`, call `service`, answer 201."""

    @extend_schema(request=input_class)
    def create(self: ServiceViewSet, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self._run(request, input_class, service)
        return self._answer(obj, status.HTTP_201_CREATED)

    return create


def _detail_action(
    name: str, input_class: Any, call: Callable[..., Any], output: Any = None
) -> Any:
    """A POST on one row (`{id}/<name>/`): look it up (404 outside the areas), then call the
    service."""

    @extend_schema(request=input_class, responses=output)
    def run(self: ServiceViewSet, request: Request, pk: str) -> Response:
        obj = self.get_object()
        result = self._run(request, input_class, lambda **kw: call(obj, **kw))
        if output is not None:
            return Response(output(result).data)
        return self._answer(obj)

    run.__name__ = run.__qualname__ = name
    return action(detail=True, methods=["post"], url_path=name.replace("_", "-"))(run)


# ---- funerals


class DeathSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id_number = serializers.CharField(source="masked_id_number", read_only=True)
    fee_waiver = serializers.SerializerMethodField()

    class Meta:
        model = Death
        fields = [
            "id",
            "area",
            "id_number",
            "name",
            "died_on",
            "disposal",
            "handled_on",
            "facility",
            "cremation_certificate",
            "sent_list",
            "fee_waiver",
        ]

    def get_fee_waiver(self, death: Death) -> str | None:
        waiver = getattr(death, "fee_waiver", None)
        return str(waiver.amount) if waiver else None


class DeathInput(serializers.Serializer):  # type: ignore[type-arg]
    area = _area()
    id_number = serializers.CharField(max_length=18)
    name = serializers.CharField(max_length=100)
    died_on = serializers.DateField()
    handled_on = serializers.DateField()
    disposal = serializers.ChoiceField(choices=Death.Disposal.choices, default="cremation")
    facility = serializers.CharField(max_length=200, required=False, allow_blank=True)
    cremation_certificate = serializers.CharField(max_length=40, required=False, allow_blank=True)


class SendInput(serializers.Serializer):  # type: ignore[type-arg]
    area = _area()


class SentSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(help_text="The cross-check's external list.")
    status = serializers.CharField()


class NoInput(serializers.Serializer):  # type: ignore[type-arg]
    pass


class DeathViewSet(ServiceViewSet):
    """Deaths handled. POST `send/` sends the unsent ones of an area to the cross-check as a
    death list; POST `{id}/fee_waiver/` waives and pays the fees of a dibao/特困 family."""

    model, view_action, select = Death, "funeral.view", ("fee_waiver",)
    serializer_class = DeathSerializer
    filterset_fields = ["disposal", "area"]
    create = creating(DeathInput, services.death_record)
    fee_waiver = _detail_action(
        "fee_waiver", NoInput, lambda death, **kw: services.fee_waiver_pay(death=death, **kw)
    )

    @extend_schema(request=SendInput, responses=SentSerializer)
    @action(detail=False, methods=["post"])
    def send(self, request: Request) -> Response:
        sent = self._run(request, SendInput, services.deaths_send)
        return Response({"id": sent.pk, "status": sent.status}, status=status.HTTP_201_CREATED)


class CemeterySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Cemetery
        fields = ["id", "area", "name", "planned_plots", "investment", "status", "progress"]


class CemeteryInput(serializers.Serializer):  # type: ignore[type-arg]
    area = _area()
    name = serializers.CharField(max_length=200)
    planned_plots = serializers.IntegerField(min_value=0, default=0)
    investment = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, default=Decimal("0")
    )


class CemeteryReportInput(serializers.Serializer):  # type: ignore[type-arg]
    reported_on = serializers.DateField()
    progress = serializers.IntegerField(min_value=0, max_value=100)
    plots_built = serializers.IntegerField(min_value=0, default=0)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class CemeteryViewSet(ServiceViewSet):
    """Public-welfare cemeteries; POST `{id}/report/` records construction progress."""

    model, view_action = Cemetery, "funeral.view"
    serializer_class = CemeterySerializer
    create = creating(CemeteryInput, services.cemetery_create)
    report = _detail_action(
        "report", CemeteryReportInput, lambda c, **kw: services.cemetery_report(cemetery=c, **kw)
    )


class PlanSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = TombSweepingPlan
        fields = ["id", "area", "year", "title", "starts_on", "ends_on", "measures", "staff"]


class PlanInput(serializers.Serializer):  # type: ignore[type-arg]
    area = _area()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    title = serializers.CharField(max_length=200)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    measures = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    staff = serializers.IntegerField(min_value=0, default=0)


class PlanViewSet(ServiceViewSet):
    model, view_action = TombSweepingPlan, "funeral.view"
    serializer_class = PlanSerializer
    create = creating(PlanInput, services.plan_create)


# ---- marriage (the registrar's alone: ID numbers whole)


class MarriageSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Marriage
        fields = [
            "id",
            "area",
            "registered_on",
            "certificate_no",
            "party_a_id_number",
            "party_a_name",
            "party_b_id_number",
            "party_b_name",
            "status",
            "ended_on",
        ]


class MarriageInput(serializers.Serializer):  # type: ignore[type-arg]
    area = _area()
    registered_on = serializers.DateField()
    party_a_id_number = serializers.CharField(max_length=18)
    party_a_name = serializers.CharField(max_length=100)
    party_b_id_number = serializers.CharField(max_length=18)
    party_b_name = serializers.CharField(max_length=100)
    certificate_no = serializers.CharField(max_length=40)
    both_present = serializers.BooleanField(default=True)


class DivorceSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = DivorceApplication
        fields = [
            "id",
            "marriage",
            "applied_on",
            "cooling_off_ends",
            "certificate_by",
            "status",
            "withdrawn_by",
            "closed_on",
            "certificate_no",
        ]


class DivorceInput(serializers.Serializer):  # type: ignore[type-arg]
    applied_on = serializers.DateField()
    both_present = serializers.BooleanField(default=True)


class ReplacementSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = CertificateReplacement
        fields = ["id", "marriage", "kind", "party_id_number", "issued_on", "certificate_no"]


class ReplacementInput(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=CertificateReplacement.Kind.choices)
    party_id_number = serializers.CharField(max_length=18)
    issued_on = serializers.DateField()
    certificate_no = serializers.CharField(max_length=40)
    reason = serializers.CharField(max_length=200)


class MarriageViewSet(ServiceViewSet):
    """Marriages. A POST the law bars answers 400 with the reasons per party; POST
    `{id}/divorce/` opens a divorce by agreement; `{id}/replacement/` issues a certificate
    again."""

    model, view_action = Marriage, "marriage.view"
    serializer_class = MarriageSerializer
    filterset_fields = ["status"]
    create = creating(MarriageInput, services.marriage_register)
    divorce = _detail_action(
        "divorce",
        DivorceInput,
        lambda m, **kw: services.divorce_apply(marriage=m, **kw),
        DivorceSerializer,
    )
    replacement = _detail_action(
        "replacement",
        ReplacementInput,
        lambda m, **kw: services.certificate_replace(marriage=m, **kw),
        ReplacementSerializer,
    )


class WithdrawInput(serializers.Serializer):  # type: ignore[type-arg]
    party_id_number = serializers.CharField(max_length=18)
    on = serializers.DateField()


class CertifyInput(serializers.Serializer):  # type: ignore[type-arg]
    on = serializers.DateField()
    certificate_no = serializers.CharField(max_length=40)
    both_present = serializers.BooleanField(default=True)


class DivorceViewSet(ServiceViewSet):
    """Divorce applications: `{id}/withdraw/` within the cooling-off, `{id}/certify/` in the
    window after it."""

    model, view_action, select = DivorceApplication, "marriage.view", ("marriage",)
    serializer_class = DivorceSerializer
    filterset_fields = ["status"]
    withdraw = _detail_action(
        "withdraw", WithdrawInput, lambda a, **kw: services.divorce_withdraw(application=a, **kw)
    )
    certify = _detail_action(
        "certify", CertifyInput, lambda a, **kw: services.divorce_certify(application=a, **kw)
    )


class KinshipSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Kinship
        fields = ["id", "area", "id_number_a", "id_number_b", "degree", "evidence"]


class KinshipInput(serializers.Serializer):  # type: ignore[type-arg]
    area = _area()
    id_number_a = serializers.CharField(max_length=18)
    id_number_b = serializers.CharField(max_length=18)
    degree = serializers.ChoiceField(choices=Kinship.Degree.choices)
    evidence = serializers.CharField(max_length=300, required=False, allow_blank=True)


class KinshipViewSet(ServiceViewSet):
    model, view_action = Kinship, "marriage.view"
    serializer_class = KinshipSerializer
    create = creating(KinshipInput, services.kinship_record)


class AgencySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = MarriageAgency
        fields = ["id", "area", "name", "credit_code", "manager", "phone", "address", "status"]


class AgencyInput(serializers.Serializer):  # type: ignore[type-arg]
    area = _area()
    name = serializers.CharField(max_length=200)
    credit_code = serializers.CharField(max_length=18)
    manager = serializers.CharField(max_length=100, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)


class AgencyInspectionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = AgencyInspection
        fields = ["id", "agency", "inspected_on", "result", "findings", "rectify_by"]


class AgencyInspectionInput(serializers.Serializer):  # type: ignore[type-arg]
    inspected_on = serializers.DateField()
    result = serializers.ChoiceField(choices=AgencyInspection.Result.choices)
    findings = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    rectify_by = serializers.DateField(required=False, allow_null=True)


class AgencyViewSet(ServiceViewSet):
    model, view_action = MarriageAgency, "agency.view"
    serializer_class = AgencySerializer
    create = creating(AgencyInput, services.agency_create)
    inspect = _detail_action(
        "inspect",
        AgencyInspectionInput,
        lambda a, **kw: services.agency_inspect(agency=a, **kw),
        AgencyInspectionSerializer,
    )


# ---- place names


class PlaceNameSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = PlaceName
        fields = [
            "id",
            "area",
            "name",
            "pinyin",
            "kind",
            "longitude",
            "latitude",
            "status",
            "meaning",
        ]


class PlaceNameInput(serializers.Serializer):  # type: ignore[type-arg]
    area = _area()
    name = serializers.CharField(max_length=100)
    pinyin = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=PlaceName.Kind.choices)
    longitude = serializers.CharField(max_length=20, required=False, allow_blank=True)
    latitude = serializers.CharField(max_length=20, required=False, allow_blank=True)
    meaning = serializers.CharField(max_length=300, required=False, allow_blank=True)


class PlaceNameViewSet(ServiceViewSet):
    model, view_action = PlaceName, "placename.view"
    serializer_class = PlaceNameSerializer
    filterset_fields = ["kind", "status", "area"]
    create = creating(PlaceNameInput, services.place_name_create)


class NamingSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = NamingDecision
        fields = [
            "id",
            "area",
            "kind",
            "place",
            "place_kind",
            "new_name",
            "new_pinyin",
            "reason",
            "procedure",
            "status",
            "decided_on",
            "document_no",
            "notice_on",
        ]


class NamingInput(serializers.Serializer):  # type: ignore[type-arg]
    area = _area()
    kind = serializers.ChoiceField(choices=NamingDecision.Kind.choices)
    place = serializers.PrimaryKeyRelatedField(
        queryset=PlaceName.objects.all(), required=False, allow_null=True
    )
    place_kind = serializers.ChoiceField(
        choices=PlaceName.Kind.choices, required=False, allow_blank=True
    )
    new_name = serializers.CharField(max_length=100)
    new_pinyin = serializers.CharField(max_length=200)
    procedure = serializers.ChoiceField(choices=NamingDecision.Procedure.choices)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class DecideInput(serializers.Serializer):  # type: ignore[type-arg]
    approve = serializers.BooleanField()
    decided_on = serializers.DateField()
    document_no = serializers.CharField(max_length=100, required=False, allow_blank=True)
    notice_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class NamingViewSet(ServiceViewSet):
    """Naming and renaming: `{id}/decide/` approves (or files) with the public notice's date,
    writing the registry, or rejects."""

    model, view_action = NamingDecision, "placename.view"
    serializer_class = NamingSerializer
    create = creating(NamingInput, services.naming_propose)
    decide = _detail_action(
        "decide", DecideInput, lambda d, **kw: services.naming_decide(decision=d, **kw)
    )


class CorrectionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = CorrectionTask
        fields = [
            "id",
            "area",
            "place",
            "found_on",
            "problem",
            "status",
            "corrected_on",
            "correction",
        ]


class CorrectionInput(serializers.Serializer):  # type: ignore[type-arg]
    area = _area()
    place = serializers.PrimaryKeyRelatedField(
        queryset=PlaceName.objects.all(), required=False, allow_null=True
    )
    found_on = serializers.DateField()
    problem = serializers.CharField(max_length=300)


class CorrectionCloseInput(serializers.Serializer):  # type: ignore[type-arg]
    corrected_on = serializers.DateField()
    correction = serializers.CharField(max_length=300)


class CorrectionViewSet(ServiceViewSet):
    model, view_action = CorrectionTask, "placename.view"
    serializer_class = CorrectionSerializer
    filterset_fields = ["status"]
    create = creating(CorrectionInput, services.correction_open)
    close = _detail_action(
        "close", CorrectionCloseInput, lambda t, **kw: services.correction_close(task=t, **kw)
    )


class EntrySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = EntryChange
        fields = [
            "id",
            "area",
            "change",
            "entry_name",
            "entry_code",
            "effective_on",
            "detail",
            "document_no",
        ]


class EntryInput(serializers.Serializer):  # type: ignore[type-arg]
    area = _area()
    change = serializers.ChoiceField(choices=EntryChange.Change.choices)
    entry_name = serializers.CharField(max_length=100)
    entry_code = serializers.CharField(max_length=12)
    effective_on = serializers.DateField()
    detail = serializers.CharField(max_length=300, required=False, allow_blank=True)
    document_no = serializers.CharField(max_length=100, required=False, allow_blank=True)


class EntryViewSet(ServiceViewSet):
    model, view_action = EntryChange, "placename.view"
    serializer_class = EntrySerializer
    create = creating(EntryInput, services.entry_change_record)


class MarkerSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = BoundaryMarker
        fields = ["id", "number", "longitude", "latitude", "condition"]


class BoundarySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    markers = MarkerSerializer(many=True, read_only=True)

    class Meta:
        model = Boundary
        fields = ["id", "area", "name", "parties", "length_km", "markers"]


class BoundaryInput(serializers.Serializer):  # type: ignore[type-arg]
    area = _area()
    name = serializers.CharField(max_length=200)
    parties = serializers.CharField(max_length=200)
    length_km = serializers.DecimalField(
        max_digits=8, decimal_places=2, min_value=0, default=Decimal("0")
    )


class MarkerInput(serializers.Serializer):  # type: ignore[type-arg]
    number = serializers.CharField(max_length=40)
    longitude = serializers.CharField(max_length=20, required=False, allow_blank=True)
    latitude = serializers.CharField(max_length=20, required=False, allow_blank=True)
    condition = serializers.ChoiceField(choices=BoundaryMarker.Condition.choices, default="intact")


class BoundaryInspectionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = BoundaryInspection
        fields = ["id", "boundary", "inspected_on", "parties", "markers_checked", "disputes"]


class BoundaryInspectionInput(serializers.Serializer):  # type: ignore[type-arg]
    inspected_on = serializers.DateField()
    parties = serializers.CharField(max_length=300)
    markers_checked = serializers.IntegerField(min_value=0)
    disputes = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class BoundaryViewSet(ServiceViewSet):
    """Boundaries with their markers: `{id}/markers/` adds one, `{id}/inspect/` records a
    joint inspection."""

    model, view_action = Boundary, "placename.view"
    serializer_class = BoundarySerializer
    create = creating(BoundaryInput, services.boundary_create)
    markers = _detail_action(
        "markers",
        MarkerInput,
        lambda b, **kw: services.marker_add(boundary=b, **kw),
        MarkerSerializer,
    )
    inspect = _detail_action(
        "inspect",
        BoundaryInspectionInput,
        lambda b, **kw: services.boundary_inspect(boundary=b, **kw),
        BoundaryInspectionSerializer,
    )

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().prefetch_related("markers")


routes: list[tuple[str, Any, str]] = [
    ("funeral/deaths", DeathViewSet, "funeral-death"),
    ("funeral/cemeteries", CemeteryViewSet, "funeral-cemetery"),
    ("funeral/plans", PlanViewSet, "funeral-plan"),
    ("funeral/marriages", MarriageViewSet, "funeral-marriage"),
    ("funeral/divorces", DivorceViewSet, "funeral-divorce"),
    ("funeral/relatives", KinshipViewSet, "funeral-relative"),
    ("funeral/agencies", AgencyViewSet, "funeral-agency"),
    ("funeral/place-names", PlaceNameViewSet, "funeral-place-name"),
    ("funeral/namings", NamingViewSet, "funeral-naming"),
    ("funeral/corrections", CorrectionViewSet, "funeral-correction"),
    ("funeral/entries", EntryViewSet, "funeral-entry"),
    ("funeral/boundaries", BoundaryViewSet, "funeral-boundary"),
]
