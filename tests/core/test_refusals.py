import pytest
from django.utils import translation

from core.refusals import article_label, chinese_number, refuse


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (5, "五"), (10, "十"), (14, "十四"), (20, "二十"), (26, "二十六")]
)
def test_chinese_number(n, text):
    assert chinese_number(n) == text


def test_article_label_follows_the_language():
    with translation.override("zh-hans"):
        assert article_label("R26a") == "第二十六条"
        assert article_label("R32-4") == "第三十二条"
    with translation.override("en"):
        assert article_label("R14b") == "Article 14"


def test_refusal_carries_its_rule_as_code_and_cites_the_article():
    with translation.override("zh-hans"):
        exc = refuse("R27", "测试")
    assert exc.code == "R27"
    assert exc.messages == ["不符合第二十七条：测试"]


def test_refusal_on_a_field_keeps_the_rule_code():
    with translation.override("en"):
        exc = refuse("R5", "too small", field="area_m2")
    assert exc.code == "R5"
    assert exc.error_dict["area_m2"][0].code == "R5"
    assert exc.message_dict == {"area_m2": ["Not in line with Article 5: too small"]}
