import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from civil_affairs.areas import policy
from civil_affairs.areas.models import Area
from civil_affairs.areas.services import area_create
from civil_affairs.people.models import Person
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_area_codes_are_checked_against_level_and_parent(areas, staff):
    with pytest.raises(ValidationError) as exc:
        area_create(
            actor=staff.admin, code="43092210", name="x", level="township", parent=areas.county
        )
    assert "code" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        area_create(
            actor=staff.admin, code="430923100", name="x", level="township", parent=areas.county
        )
    assert "430922" in exc.value.message_dict["code"][0]
    with pytest.raises(ValidationError) as exc:
        area_create(
            actor=staff.admin, code="430922100301", name="x", level="village", parent=areas.county
        )
    assert "parent" in exc.value.message_dict
    village = area_create(
        actor=staff.admin, code="430922100301", name="新村", level="village", parent=areas.a
    )
    assert village.township == areas.a


def test_only_administrators_create_areas(areas, staff):
    with pytest.raises(PermissionDenied):
        area_create(
            actor=staff.caseworker_a, code="430922100302", name="x", level="village", parent=areas.a
        )
    assert not Area.objects.filter(code="430922100302").exists()


def test_scope_covers_the_assigned_area_and_below(staff, person_a, person_b):
    assert list(policy.scope(staff.caseworker_a, Person.objects.all())) == [person_a]
    assert list(policy.scope(staff.caseworker_b, Person.objects.all())) == [person_b]
    assert set(policy.scope(staff.approver, Person.objects.all())) == {person_a, person_b}


def test_require_answers_404_outside_and_403_for_the_wrong_role(staff, person_a, person_b):
    policy.require(staff.caseworker_a, "person.update", person_a)
    with pytest.raises(Http404):
        policy.require(staff.caseworker_a, "person.update", person_b)
    with pytest.raises(PermissionDenied):
        policy.require(staff.finance, "person.update", person_a)


def test_user_without_assignment_sees_nothing(db, person_a):
    from tests.factories import UserFactory

    assert not policy.scope(UserFactory(), Person.objects.all()).exists()


def test_roles_are_django_groups_with_permissions(staff):
    assert set(staff.caseworker_a.groups.values_list("name", flat=True)) == {"caseworker"}
    assert staff.caseworker_a.has_perm("people.change_person")
    assert not staff.finance.has_perm("people.change_person")


def test_scope_for_an_action_keeps_only_areas_where_the_role_allows_it(staff, person_a, person_b):
    everyone = Person.objects.all()
    assert set(policy.scope(staff.finance, everyone, "payroll.generate")) == {person_a, person_b}
    assert not policy.scope(staff.caseworker_a, everyone, "payroll.generate").exists()
    assert list(policy.scope(staff.caseworker_a, everyone, "person.update")) == [person_a]


def test_area_within_takes_the_subtree(areas):
    codes = set(Area.objects.within(areas.a.code).values_list("code", flat=True))
    assert codes == {"430922100", "430922100201", "430922100001"}


def test_assignments_made_in_the_admin_follow_the_policy_and_move_the_groups(areas, staff):
    """An administrator assigns only in their own areas; the user's group follows the role,
    also when the role is changed."""
    from django.contrib.auth import get_user_model

    from civil_affairs.areas.models import Role, StaffAssignment
    from civil_affairs.areas.services import assignment_create

    newcomer = get_user_model().objects.create(username="newcomer")
    client = login(staff.admin)
    response = client.post(
        "/admin/areas/staffassignment/add/",
        {"user": newcomer.pk, "area": areas.a.pk, "role": Role.CASEWORKER},
    )
    assert response.status_code == 302
    assignment = StaffAssignment.objects.get(user=newcomer)
    newcomer.refresh_from_db()
    assert newcomer.is_staff
    assert list(newcomer.groups.values_list("name", flat=True)) == [Role.CASEWORKER]
    response = client.post(
        f"/admin/areas/staffassignment/{assignment.pk}/change/",
        {"user": newcomer.pk, "area": areas.a.pk, "role": Role.TOWNSHIP_REVIEWER},
    )
    assert response.status_code == 302
    assert list(newcomer.groups.values_list("name", flat=True)) == [Role.TOWNSHIP_REVIEWER]

    township_admin = get_user_model().objects.create(username="township_admin")
    assignment_create(user=township_admin, area=areas.a, role=Role.ADMINISTRATOR)
    response = login(township_admin).post(
        "/admin/areas/staffassignment/add/",
        {"user": newcomer.pk, "area": areas.b.pk, "role": Role.CASEWORKER},
    )
    assert response.status_code == 200  # the form again, with the area's error
    assert 'class="errorlist' in response.content.decode()
    assert StaffAssignment.objects.filter(user=newcomer).count() == 1


def test_an_areas_code_cannot_be_changed_in_the_admin(areas, staff):
    response = login(staff.admin).get(f"/admin/areas/area/{areas.a.pk}/change/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="code"' not in page
    assert 'name="name"' in page
