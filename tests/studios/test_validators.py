import pytest

from core.refusals import Refusal
from studios.validators import uscc_check_char, validate_uscc

# The worked example commonly cited with GB 32100-2015; its check character is "3".
STANDARD_EXAMPLE = "91350100M000100Y43"
VALID = [STANDARD_EXAMPLE, "91110000100003962Y", "91110302MA01AB8X32"]


def test_check_character_matches_the_standard_worked_example():
    assert uscc_check_char(STANDARD_EXAMPLE[:17]) == "3"


@pytest.mark.parametrize("code", VALID)
def test_r4_accepts_valid_unified_social_credit_codes(code):
    validate_uscc(code)
    validate_uscc(code.lower())  # typed in lower case: accepted, stored upper


def test_r4_rejects_wrong_check_character():
    code = VALID[0]
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(Refusal) as exc:
        validate_uscc(wrong)
    assert exc.value.code == "R4"
    assert "第四条" in exc.value.messages[0] and "校验" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("9111000010000396", "18"),  # too short: the message gives the length
        ("91110000100003962RX", "18"),
        ("9111000010000396IO", "I O"),  # the characters it may not contain
    ],
)
def test_r4_rejects_malformed_codes(code, error):
    with pytest.raises(Refusal) as exc:
        validate_uscc(code)
    assert exc.value.code == "R4"
    assert "第四条" in exc.value.messages[0] and error in exc.value.messages[0]
