"""Names are one line of visible text: ``core.validators.no_control_characters`` on every name
field refuses line breaks, tabs, escapes and bidi overrides (issue 14: a CR/LF in a rename's new
name made the staff e-mails fail five times over)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.validators import NoControlCharacters, no_control_characters, one_line
from studios.lifecycle_models import RenameRequest
from studios.models import Studio
from tests.factories.accounts import DistrictStaffFactory, UnionUserFactory
from tests.studios.test_lifecycle_views import recognised_studios

HOSTILE = [
    "甲\r\nBcc: x@evil.example",
    "甲\n乙",
    "甲\t乙",
    "甲\x00",
    "甲\x1b[31m",
    "甲\u2028乙",
    "甲\u202e乙",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_control_characters_are_refused_with_a_code(value):
    with pytest.raises(ValidationError) as caught:
        no_control_characters(value)
    assert caught.value.code == "control_characters"


@pytest.mark.parametrize(
    "value", ["张三焊接创新工作室", "Zhang San (No. 1) – 工作室", "👩‍🔧 工作室", ""]
)
def test_ordinary_names_pass(value):
    no_control_characters(value)


def test_one_line_makes_a_safe_subject():
    assert one_line("更名申请：\r\nBcc: x@evil.example\t 甲\u2028乙") == (
        "更名申请： Bcc: x@evil.example 甲 乙"
    )


def name_fields():
    from django.apps import apps

    wanted = {
        ("studios", "studio", "name"),
        ("studios", "enterprise", "name"),
        ("studios", "enterprise", "contact_name"),
        ("studios", "leader", "name"),
        ("studios", "member", "name"),
        ("studios", "renamerequest", "new_name"),
        ("studios", "renamerequest", "new_leader_name"),
        ("ledgers", "patent", "title"),
        ("ledgers", "activity", "title"),
        ("ledgers", "achievement", "title"),
        ("ledgers", "innovationproject", "title"),
        ("funding", "expenditure", "payee"),
        ("reviews", "call", "title"),
    }
    return [apps.get_model(a, m)._meta.get_field(f) for a, m, f in sorted(wanted)]


@pytest.mark.parametrize("field", name_fields(), ids=str)
def test_every_name_field_carries_the_validator(field):
    assert any(isinstance(v, NoControlCharacters) for v in field.validators)


@pytest.mark.django_db
def test_a_rename_to_a_name_with_a_line_break_is_refused_on_the_form(client_for):
    staff = DistrictStaffFactory()
    union = UnionUserFactory()
    studio = recognised_studios(staff, 1, enterprise=union.enterprise)[0]
    response = client_for(union).post(
        reverse("studios:rename_request", args=[studio.pk]),
        {"new_name": "新名字\r\n创新工作室", "new_leader_name": "赵六", "reason": "领军人调任"},
    )
    assert response.status_code == 200
    codes = [e.code for e in response.context["form"].errors.as_data()["new_name"]]
    assert codes == ["control_characters"]
    assert not RenameRequest.objects.exists()


@pytest.mark.django_db
def test_a_studio_name_with_a_tab_is_refused_on_the_form(client_for):
    union = UnionUserFactory()
    response = client_for(union).post(
        reverse("studios:studio_create"),
        {
            "name": "张三\t工作室",
            "type": "technical",
            "founded_on": "2024-01-10",
            "area_m2": "35.5",
            "address": "",
            "equipment": "",
            "working_funds_cny": "",
            "introduction": "",
        },
    )
    assert response.status_code == 200
    assert "control_characters" in [
        e.code for e in response.context["form"].errors.as_data()["name"]
    ]
    assert not Studio.objects.exists()
