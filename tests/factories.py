"""Factories shared by every app's tests."""

import datetime
import itertools

import factory
from django.contrib.auth import get_user_model

from civil_affairs.areas.models import Area
from civil_affairs.core.idgen import make_id_number
from civil_affairs.core.validators import id_facts
from civil_affairs.people.models import Person

_sequence = itertools.count(1)


def next_id_number(born: datetime.date = datetime.date(1960, 1, 1)) -> str:
    """A valid ID number not used before in this test run."""
    n = next(_sequence)
    return make_id_number("430922", born + datetime.timedelta(days=n // 1000), n % 1000)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        self.set_password(extracted or "pw")
        if create:
            self.save(update_fields=["password"])


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    id_number = factory.LazyFunction(next_id_number)
    name = factory.Sequence(lambda n: f"居民{n}")
    area = factory.LazyFunction(lambda: Area.objects.get(code="430922100201"))
    birth_date = factory.LazyAttribute(lambda p: id_facts(p.id_number).birth_date)
    sex = factory.LazyAttribute(lambda p: id_facts(p.id_number).sex)
