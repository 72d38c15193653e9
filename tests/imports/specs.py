"""A staged import of the tests' own: people with an ID number, name and village, grouped by a
family key (a family's rows pass or fail together). It saves through people.services, as a
domain app's spec saves through its own services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.core.validators import clean_id_number, clean_text
from civil_affairs.imports import staged
from civil_affairs.people import services as people_services
from civil_affairs.people.models import Person

KEY = "tests.people"


@staged.register
class PeopleImport(staged.Spec):
    key = KEY
    label = _("People")
    action = "person.create"
    group_by = "family"
    columns = (
        staged.Column("family", _("household"), aliases=("户号",)),
        staged.Column(
            "id_number", _("ID number"), aliases=("身份证号", "公民身份号码"), required=True
        ),
        staged.Column("name", _("name"), aliases=("姓名",), required=True),
        staged.Column("area_code", _("division code"), aliases=("区划代码",), required=True),
        staged.Column("phone", _("phone"), aliases=("电话",)),
    )

    def check_row(self, row: staged.Row, ctx: staged.Context) -> None:
        villages = ctx.cache.setdefault(
            "villages", {a.code: a for a in Area.objects.filter(level=Area.Level.VILLAGE)}
        )
        try:
            row.cleaned["id_number"] = clean_id_number(row.get("id_number"))
        except ValidationError as exc:
            row.add(exc, "id_number")
        for column in ("name", "phone"):
            try:
                row.cleaned[column] = clean_text(
                    row.get(column), column, required=column == "name", max_length=100
                )
            except ValidationError as exc:
                row.add(exc)
        area = villages.get(row.get("area_code"))
        if area is None:
            row.error("area_code", "No village has this code.")
        elif not policy.may(ctx.user, "person.create", area=area):
            row.add(policy.outside_error("area_code"))
        row.cleaned["area"] = area

    def check_rows(self, rows: list[staged.Row], ctx: staged.Context) -> None:
        seen: dict[str, int] = {}
        numbers = [r.cleaned["id_number"] for r in rows if "id_number" in r.cleaned]
        on_file = set(
            Person.objects.filter(id_number__in=numbers).values_list("id_number", flat=True)
        )
        for row in rows:
            number = row.cleaned.get("id_number")
            if number is None:
                continue
            if number in seen:
                row.error("id_number", f"Also in row {seen[number]}.")
            seen.setdefault(number, row.number)
            if number in on_file:
                row.error("id_number", "Already on file.")

    def save(self, rows: list[staged.Row], ctx: staged.Context) -> None:
        for row in ctx.each(rows):
            people_services.person_create(
                actor=ctx.user,
                id_number=row.cleaned["id_number"],
                name=row.cleaned["name"],
                area=row.cleaned["area"],
                phone=row.cleaned["phone"],
            )


BULK_KEY = "tests.people_bulk"
HOLD_LOCK = 42_4242  # the test may hold this advisory lock to watch a save halfway
CHUNK = 1000


@staged.register
class PeopleBulkImport(PeopleImport):
    """The same checks; saved in chunks of 1,000 people at once (bulk_create), so that a
    20,000-row file goes through the job in seconds. Halfway it waits for HOLD_LOCK, which a
    test holds to see the progress bar mid-save."""

    key = BULK_KEY
    label = _("People (bulk)")

    def save(self, rows: list[staged.Row], ctx: staged.Context) -> None:
        from django.db import connection

        from civil_affairs.core.validators import id_facts

        for start in range(0, len(rows), CHUNK):
            ctx.report("saving", start, len(rows))
            if start and start >= len(rows) // 2 > start - CHUNK:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [HOLD_LOCK])
            Person.objects.bulk_create(
                Person(
                    id_number=row.cleaned["id_number"],
                    name=row.cleaned["name"],
                    area=row.cleaned["area"],
                    phone=row.cleaned["phone"],
                    birth_date=id_facts(row.cleaned["id_number"]).birth_date,
                    sex=id_facts(row.cleaned["id_number"]).sex,
                )
                for row in rows[start : start + CHUNK]
            )
