"""A walk of governance's and social_orgs' own pages and API over their demo data, as users
inside and outside the objects' areas (the project's security walk covers them too, with the
whole demo): no server error, 404 outside the user's areas, odd query strings answered."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse

from civil_affairs.areas import policy
from civil_affairs.core import demo
from governance import demo as governance_demo
from governance import urls as governance_urls
from social_orgs import demo as orgs_demo
from social_orgs import urls as orgs_urls

from ..conftest import login

pytestmark = pytest.mark.django_db
ODD = {
    "q": "\x00",
    "status": "\x00",
    "kind": "\x00",
    "year": "99999999",
    "from": "2024-13-45",
    "to": "x",
    "area": "\x00",
    "page": "\x00",
}


def test_every_page_with_an_id_and_every_list(db):
    areas = demo.load_areas()
    demo.load_users(areas)
    governance_demo.load(areas)
    orgs_demo.load(areas)
    users = get_user_model().objects.exclude(username="admin")
    failures = []
    for module, app in ((governance_urls, "governance"), (orgs_urls, "social_orgs")):
        for pattern in module.urlpatterns:
            name = f"{app}:{pattern.name}"
            label = module.url_models.get(pattern.name)
            for user in users:
                client = login(user)
                if label is None:
                    for verb in ("get", "post"):
                        response = getattr(client, verb)(
                            reverse(name), ODD if verb == "get" else {"form": "x"}
                        )
                        if response.status_code >= 500:
                            failures.append((name, user.username, verb, response.status_code))
                    continue
                model = apps.get_model(label)
                for obj in model.objects.all()[:20]:
                    inside = policy.scope(user, model.objects.filter(pk=obj.pk)).exists()
                    for verb in ("get", "post"):
                        response = getattr(client, verb)(reverse(name, args=[obj.pk]))
                        code = response.status_code
                        if code >= 500 or (not inside and code != 404):
                            failures.append((name, user.username, verb, obj.pk, inside, code))
    assert failures == []


def test_the_api_answers_404_outside_and_never_500(db):
    areas = demo.load_areas()
    demo.load_users(areas)
    governance_demo.load(areas)
    orgs_demo.load(areas)
    from governance.models import Committee, Vacancy
    from social_orgs.models import Organisation

    clerk_b = get_user_model().objects.create_user("clerk_b_walk")
    from civil_affairs.areas.models import Role
    from civil_affairs.areas.services import assignment_create

    assignment_create(user=clerk_b, area=areas["430922101"], role=Role.CIVIL_AFFAIRS_CLERK)
    client = login(clerk_b)
    vacancy = Vacancy.objects.get(status="open")  # in township A
    assert client.get(f"/api/governance/vacancies/{vacancy.pk}/").status_code == 404
    assert (
        client.post(
            f"/api/governance/vacancies/{vacancy.pk}/check/", {}, content_type="application/json"
        ).status_code
        == 404
    )
    committee = Committee.objects.filter(area__code__startswith="430922100").first()
    assert client.get(f"/api/governance/committees/{committee.pk}/").status_code == 404
    county_org = Organisation.objects.filter(area__code="430922").first()
    assert client.get(f"/api/social_orgs/organisations/{county_org.pk}/").status_code == 404
    for url in (
        "/api/social_orgs/organisations/",
        "/api/social_orgs/inspections/",
        "/api/governance/committees/",
        "/api/governance/vacancies/",
    ):
        assert client.get(url, {"status": "\x00", "year": "\x00", "kind": "\x00"}).status_code in (
            200,
            400,
        )
