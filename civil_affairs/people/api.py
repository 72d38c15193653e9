from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from civil_affairs.areas.models import Area

from . import selectors, services
from .models import Person


class PersonSerializer(serializers.ModelSerializer):
    """ID numbers go out masked; `reveal` returns the whole number and logs it."""

    id_number = serializers.CharField(max_length=18, write_only=True)
    id_number_masked = serializers.CharField(source="masked_id_number", read_only=True)
    area = serializers.SlugRelatedField(slug_field="code", queryset=Area.objects.all())

    class Meta:
        model = Person
        fields = [
            "id",
            "id_number",
            "id_number_masked",
            "name",
            "sex",
            "birth_date",
            "phone",
            "address",
            "area",
            "bank_name",
            "death_date",
        ]
        read_only_fields = ["sex", "birth_date"]
        # validation is the service's: the serializer only parses
        extra_kwargs: dict[str, Any] = {"name": {"validators": []}}

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | QuerySet):
            fields["id_number"].required = False
        return fields


class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PersonSerializer
    filterset_fields = ["area__code", "sex"]

    def get_queryset(self) -> QuerySet[Person]:
        return selectors.person_search(
            user=self.request.user, query=self.request.query_params.get("q", "")
        )

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.person_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("id_number", None)
        serializer.instance = services.person_update(
            actor=self.request.user, person=serializer.instance, **data
        )

    @extend_schema(
        request=None, responses={200: {"type": "object", "properties": {"id_number": {}}}}
    )
    @action(detail=True, methods=["post"])
    def reveal(self, request: Request, pk: str) -> Response:
        person = self.get_object()
        return Response({"id_number": services.person_reveal_id(actor=request.user, person=person)})
