"""REST endpoints: lists (upload, rejected rows), runs, warnings (confirm, dismiss).

Serializers only parse; the services decide and the selectors scope every read.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from civil_affairs.areas.api import ScopedReadMixin
from civil_affairs.areas.models import Area
from civil_affairs.core import api
from civil_affairs.core.api import MonthField

from . import selectors, services
from .forms import QueueFilterForm
from .kinds import LIST_KIND_CHOICES
from .models import Action, ExternalList, MatchRun, RejectedRow, Warning


class ListKindField(serializers.ChoiceField):
    """A kind of list (one choice set for every field named "kind" in this API)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=LIST_KIND_CHOICES, **kwargs)


class ExternalListSerializer(serializers.ModelSerializer):
    kind = ListKindField(read_only=True)
    area: serializers.SlugRelatedField[Area] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = ExternalList
        fields = [
            "id",
            "kind",
            "area",
            "valid_on",
            "source",
            "original_name",
            "columns",
            "encoding",
            "status",
            "progress",
            "rows_total",
            "rows_loaded",
            "rows_rejected",
            "error",
            "created_at",
            "loaded_at",
        ]
        read_only_fields = fields


class ListUploadSerializer(serializers.Serializer):
    kind = ListKindField()
    area: serializers.SlugRelatedField[Area] = serializers.SlugRelatedField(
        slug_field="code", queryset=Area.objects.all()
    )
    valid_on = serializers.DateField()
    source = serializers.CharField(max_length=200)  # type: ignore[assignment] # the department
    file = serializers.FileField()
    delimiter = serializers.CharField(
        max_length=1, required=False, trim_whitespace=False, help_text="default: the saved one"
    )
    columns = serializers.JSONField(
        required=False, help_text="field → column heading; default: the saved mapping"
    )


class RejectedRowSerializer(serializers.ModelSerializer):
    problem_text = serializers.CharField(source="get_problem_display", read_only=True)

    class Meta:
        model = RejectedRow
        fields = ["row_number", "field", "problem", "problem_text", "value"]


class ExternalListViewSet(
    ScopedReadMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = ExternalListSerializer
    view_action = "crosscheck.view"
    parser_classes = [api.MultiPartParser, api.FormParser, api.JSONParser]
    filterset_fields = ["kind", "status"]

    queryset = ExternalList.objects.none()  # for the schema; reads go through the selector

    def get_queryset(self) -> QuerySet[ExternalList]:
        if getattr(self, "swagger_fake_view", False):
            return ExternalList.objects.none()
        self.require_view()
        return selectors.list_list(user=self.request.user)

    @extend_schema(request=ListUploadSerializer, responses={202: ExternalListSerializer})
    def create(self, request: Request) -> Response:
        """Upload a list: it is loaded in the background (poll `status` and `progress`)."""
        incoming = ListUploadSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        # not given: the kind's saved mapping and delimiter, as the upload page offers them
        saved_columns, saved_delimiter = selectors.mapping_for(data["kind"])
        columns = data.get("columns")
        if not isinstance(columns, dict):
            columns = saved_columns
        upload = data["file"]
        lst = services.list_upload(
            actor=request.user,
            kind=data["kind"],
            area=data["area"],
            valid_on=data["valid_on"],
            source=data["source"],
            file=upload,
            file_name=upload.name,
            columns={str(k): str(v) for k, v in columns.items()},
            delimiter=data.get("delimiter") or saved_delimiter,
        )
        return Response(ExternalListSerializer(lst).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={200: RejectedRowSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def rejected(self, request: Request, pk: str) -> Response:
        """The rows not loaded, by row number, and why."""
        lst = self.get_object()
        page = self.paginate_queryset(selectors.rejected_rows(external_list=lst))
        return self.get_paginated_response(RejectedRowSerializer(page, many=True).data)

    @extend_schema(request=None, responses={200: ExternalListSerializer})
    @action(detail=True, methods=["post"])
    def retire(self, request: Request, pk: str) -> Response:
        lst = services.list_retire(actor=request.user, external_list=self.get_object())
        return Response(ExternalListSerializer(lst).data)


class MatchRunSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", queryset=Area.objects.all())
    checks = serializers.ListField(
        child=serializers.ChoiceField(choices=MatchRun.Check.choices), required=False
    )
    progress = serializers.IntegerField(read_only=True)

    class Meta:
        model = MatchRun
        fields = [
            "id",
            "area",
            "as_of",
            "checks",
            "status",
            "progress",
            "chunks_total",
            "chunks_done",
            "warnings_created",
            "created_at",
            "started_at",
            "finished_at",
            "error",
        ]
        read_only_fields = [
            "status",
            "chunks_total",
            "chunks_done",
            "warnings_created",
            "created_at",
            "started_at",
            "finished_at",
            "error",
        ]
        extra_kwargs = {"as_of": {"required": False}}


class MatchRunViewSet(
    ScopedReadMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = MatchRunSerializer
    view_action = "crosscheck.view"

    queryset = MatchRun.objects.none()  # for the schema; reads go through the selector

    def get_queryset(self) -> QuerySet[MatchRun]:
        if getattr(self, "swagger_fake_view", False):
            return MatchRun.objects.none()
        self.require_view()
        return selectors.run_list(user=self.request.user)

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.run_start(
            actor=self.request.user,
            area=data["area"],
            checks=data.get("checks"),
            as_of=data.get("as_of"),
        )


class WarningSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(
        read_only=True, help_text="a list kind, or duplicate_household, duplicate_benefit, age"
    )
    rule = serializers.CharField(source="rule.name", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)
    person_id_number = serializers.CharField(source="person.masked_id_number", read_only=True)
    subject_name = serializers.CharField(source="subject.name", read_only=True)
    area = serializers.CharField(source="area.code", read_only=True)
    evidence_row = serializers.SerializerMethodField()
    suggested_month = MonthField(read_only=True)
    effective_month = MonthField(read_only=True)
    suggested_action = serializers.CharField(
        read_only=True, help_text="stop, suspend, change_amount, review or keep"
    )
    resolution_action = serializers.CharField(
        read_only=True, help_text="what confirming it did: stop, suspend, change_amount, keep"
    )

    class Meta:
        model = Warning
        fields = [
            "id",
            "rule",
            "rule_id",
            "kind",
            "severity",
            "person",
            "person_name",
            "person_id_number",
            "subject",
            "subject_name",
            "area",
            "evidence_row",
            "evidence_key",
            "evidence",
            "suggested_action",
            "suggested_month",
            "status",
            "created_at",
            "resolved_by",
            "resolved_at",
            "resolution_action",
            "effective_month",
            "new_amount",
            "resolution_note",
            "outcome",
        ]
        read_only_fields = fields

    def get_evidence_row(self, warning: Warning) -> dict[str, Any] | None:
        row = warning.list_row
        if row is None:
            return None
        return {
            "list": row.list_id,
            "kind": row.list.kind,
            "source": row.list.source,
            "valid_on": row.list.valid_on,
            "row_number": row.row_number,
            "name": row.name,
            "event_date": row.event_date,
            "value": str(row.value) if row.value is not None else None,
            "detail": row.detail,
        }


class BenefitSerializer(serializers.Serializer):
    """A benefit of any app (civil_affairs/benefits.py), as a warning's case lists them."""

    ref = serializers.CharField(help_text="<source>:<id>, what confirm's `benefits` takes")
    program = serializers.CharField()
    program_label = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    start_month = MonthField()
    end_month = MonthField(allow_null=True)
    monthly_amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    area_name = serializers.CharField()
    affected = serializers.BooleanField(help_text="the warning concerns it")


class ConfirmSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[
            (a.value, a.label)
            for a in (Action.STOP, Action.SUSPEND, Action.CHANGE_AMOUNT, Action.KEEP)
        ]
    )
    effective_month = MonthField()
    new_amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    benefits = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="refs of the benefits to change (<source>:<id>, as in the warning's "
        "evidence); default: every open benefit the warning concerns",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    also_identical = serializers.BooleanField(required=False, default=False)


class DismissSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)
    also_identical = serializers.BooleanField(required=False, default=False)


QUEUE_PARAMETERS = [
    OpenApiParameter("status", str, description="open (default), confirmed, dismissed, or empty"),
    OpenApiParameter("kind", str),
    OpenApiParameter("severity", str),
    OpenApiParameter("min_age_days", int),
    OpenApiParameter("overdue", bool),
    OpenApiParameter("area", str, description="area code: that area and below"),
    OpenApiParameter("q", str, description="name prefix or whole ID number"),
    OpenApiParameter("mine", bool, description="only households the user is caseworker of"),
]


class WarningViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = WarningSerializer
    filter_backends: list[Any] = []  # the queue's filters are the selector's

    def get_queryset(self) -> QuerySet[Warning]:
        params = self.request.query_params
        if self.action != "list":
            return selectors.warning_queue(
                user=self.request.user, filters=selectors.QueueFilter(status="")
            )
        form = QueueFilterForm(params)  # the queue page's filters, checked the same way
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        return selectors.warning_queue(user=self.request.user, filters=form.filters())

    @extend_schema(parameters=QUEUE_PARAMETERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: BenefitSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def benefits(self, request: Request, pk: str) -> Response:
        """The beneficiary's open benefits in every app; `affected`: the warning concerns it
        (what confirm changes unless `benefits` names fewer)."""
        case = selectors.warning_case(user=request.user, warning=self.get_object())
        affected = {row.benefit.ref for row in case.affected}
        rows = [
            {
                "ref": b.ref,
                "program": b.program,
                "program_label": b.program_label,
                "status": b.status,
                "status_label": b.status_label,
                "start_month": b.start_month,
                "end_month": b.end_month,
                "monthly_amount": b.monthly_amount,
                "area_name": row.area_name,
                "affected": b.ref in affected,
            }
            for row in case.benefits
            for b in [row.benefit]
        ]
        return Response(BenefitSerializer(rows, many=True).data)

    @extend_schema(request=ConfirmSerializer, responses={200: WarningSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        """Confirm: the benefit stops, is suspended or changes from the month given."""
        warning = self.get_object()
        incoming = ConfirmSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        result = services.warnings_confirm(
            actor=request.user,
            warnings=selectors.warning_group(
                user=request.user, warning=warning, also_identical=data["also_identical"]
            ),
            action=data["action"],
            effective_month=data["effective_month"],
            new_amount=data.get("new_amount"),
            benefit_refs=data.get("benefits"),
            note=data["note"],
        )
        return Response(WarningSerializer(result.warnings, many=True).data)

    @extend_schema(request=DismissSerializer, responses={200: WarningSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: str) -> Response:
        """Dismiss with a reason; the same evidence never raises it again."""
        warning = self.get_object()
        incoming = DismissSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        result = services.warnings_dismiss(
            actor=request.user,
            warnings=selectors.warning_group(
                user=request.user,
                warning=warning,
                also_identical=incoming.validated_data["also_identical"],
            ),
            reason=incoming.validated_data["reason"],
        )
        return Response(WarningSerializer(result.warnings, many=True).data)


routes: list[tuple[str, Any, str]] = [
    ("crosscheck/lists", ExternalListViewSet, "crosscheck-list"),
    ("crosscheck/runs", MatchRunViewSet, "crosscheck-run"),
    ("crosscheck/warnings", WarningViewSet, "crosscheck-warning"),
]
