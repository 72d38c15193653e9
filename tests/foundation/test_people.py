import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from civil_affairs.core.validators import mask_id_number
from civil_affairs.people import services
from civil_affairs.people.models import AccessLog, Person

pytestmark = pytest.mark.django_db

VALID = "11010519491231002X"
# The interface speaks Chinese by default: messages are checked as the clerk reads them.
BAD_ID_NUMBERS = {
    "110105194912310021": "校验码错误",  # wrong check digit
    "110105194913310029": "出生日期不存在",  # month 13
    "1101051949123100": "应为18位",  # too short
}


def test_create_derives_birth_date_and_sex(staff, areas):
    person = services.person_create(
        actor=staff.caseworker_a, id_number=VALID.lower(), name="测试", area=areas.village_a
    )
    assert person.id_number == VALID
    assert str(person.birth_date) == "1949-12-31"
    assert person.sex == "F"  # sequence 002: even
    assert person.history.count() == 1
    assert person.history.first().history_user == staff.caseworker_a


@pytest.mark.parametrize(("number", "words"), BAD_ID_NUMBERS.items())
def test_invalid_id_numbers_are_refused_on_the_field(staff, areas, number, words):
    with pytest.raises(ValidationError) as exc:
        services.person_create(
            actor=staff.caseworker_a, id_number=number, name="x", area=areas.village_a
        )
    assert words in exc.value.message_dict["id_number"][0]
    assert not Person.objects.exists()


def test_one_person_per_id_number(staff, areas, person_a):
    with pytest.raises(ValidationError) as exc:
        services.person_create(
            actor=staff.caseworker_a, id_number=person_a.id_number, name="x", area=areas.village_a
        )
    assert "已登记" in exc.value.message_dict["id_number"][0]


def test_cannot_create_in_another_township(staff, areas):
    with pytest.raises(ValidationError) as exc:
        services.person_create(
            actor=staff.caseworker_a, id_number=VALID, name="x", area=areas.village_b
        )
    assert "area" in exc.value.message_dict
    assert not Person.objects.exists()


def test_update_keeps_history_with_old_and_new_values(staff, person_a):
    services.person_update(actor=staff.caseworker_a, person=person_a, phone="13800000000")
    newest, older = person_a.history.all()[:2]
    delta = newest.diff_against(older)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("phone", "", "13800000000")]
    assert newest.history_user == staff.caseworker_a


def test_update_of_another_township_is_404(staff, person_b):
    with pytest.raises(Http404):
        services.person_update(actor=staff.caseworker_a, person=person_b, phone="1")


def test_masking():
    assert mask_id_number("430922198001010015") == "430922********0015"


def test_reveal_is_logged(staff, person_a):
    assert (
        services.person_reveal_id(actor=staff.caseworker_a, person=person_a) == person_a.id_number
    )
    log = AccessLog.objects.get()
    assert (log.user, log.person, log.action) == (staff.caseworker_a, person_a, "view_id")


@pytest.mark.parametrize(
    ("value", "kwargs", "error"),
    [
        ("  王五 ", {}, None),
        ("", {"required": True}, "This field is required."),
        ("=HYPERLINK(1)", {}, "formula"),
        ("长" * 6, {"max_length": 5}, "At most 5 characters."),
    ],
)
def test_service_text_is_stripped_and_checked_under_its_field_name(value, kwargs, error):
    from django.utils import translation

    from civil_affairs.core.validators import clean_text

    if error is None:
        assert clean_text(value, "name", **kwargs) == "王五"
        return
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        clean_text(value, "name", **kwargs)
    assert list(caught.value.message_dict) == ["name"]
    assert error in caught.value.message_dict["name"][0]


def test_a_bank_account_is_8_to_32_digits_and_kept_without_spaces(staff, person_a):
    updated = services.person_update(
        actor=staff.caseworker_a, person=person_a, bank_account="6227 0000 1111 2222"
    )
    assert updated.bank_account == "6227000011112222"
    for bad in ("62-27", "1234567", "6" * 33):
        with pytest.raises(ValidationError) as caught:
            services.person_update(actor=staff.caseworker_a, person=person_a, bank_account=bad)
        assert list(caught.value.message_dict) == ["bank_account"]
    person_a.refresh_from_db()
    assert person_a.bank_account == "6227000011112222"


def test_a_person_is_found_by_the_id_number_as_typed_within_the_users_areas(staff, person_a):
    from civil_affairs.people.selectors import person_by_id_number

    typed = f" {person_a.id_number[:6]} {person_a.id_number[6:].lower()} "
    assert person_by_id_number(user=staff.caseworker_a, id_number=typed) == person_a
    assert person_by_id_number(user=staff.caseworker_b, id_number=typed) is None
