from typing import Any

from import_export import fields

from civil_affairs.areas import policy
from civil_affairs.core.resources import SafeResource

from . import services
from .models import Person


class PersonResource(SafeResource):
    """Export of people: ID numbers whole only for roles that may export them; logged."""

    id_number = fields.Field(column_name="id_number")
    area_code = fields.Field(attribute="area__code", column_name="area_code")

    class Meta:
        model = Person
        fields = ["id_number", "name", "sex", "birth_date", "phone", "address", "area_code"]
        export_order = fields

    def __init__(self, user: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user
        self.full_ids = user is not None and policy.may(user, "person.export_full_id")

    def dehydrate_id_number(self, person: Person) -> str:
        return person.id_number if self.full_ids else person.masked_id_number

    def export(self, queryset: Any = None, **kwargs: Any) -> Any:
        data = super().export(queryset, **kwargs)
        if self.user is not None:
            services.export_logged(actor=self.user, what="people (admin)", rows=len(data))
        return data
