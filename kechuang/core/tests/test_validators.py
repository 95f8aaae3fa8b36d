import pytest
from django.core.exceptions import ValidationError

from kechuang.core.validators import uscc_check_character, validate_id_card, validate_mobile, validate_uscc

# Published codes of real companies (their business licences are public).
REAL_CODES = [
    "914403001922038216",  # 华为技术有限公司
    "9144030071526726XG",  # 腾讯科技（深圳）有限公司
    "91110108551385082Q",  # 小米科技有限责任公司
    "91110000802100433B",  # 百度在线网络技术（北京）有限公司
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_credit_codes_are_valid(code):
    validate_uscc(code)
    validate_uscc(code.lower())


@pytest.mark.parametrize("code", REAL_CODES)
def test_a_changed_check_character_is_refused(code):
    wrong = "0" if code[-1] != "0" else "1"
    with pytest.raises(ValidationError) as error:
        validate_uscc(code[:-1] + wrong)
    assert error.value.code == "uscc_check"


@pytest.mark.parametrize("code", REAL_CODES)
def test_a_changed_body_character_is_refused(code):
    body = list(code)
    body[10] = "1" if body[10] != "1" else "2"
    with pytest.raises(ValidationError) as error:
        validate_uscc("".join(body))
    assert error.value.code == "uscc_check"


@pytest.mark.parametrize(("code", "reason"), [
    ("91440300192203821", "uscc_length"),
    ("9144030019220382166", "uscc_length"),
    ("9144030019220382I6", "uscc_charset"),
    ("91440300O92203821O", "uscc_charset"),
    ("", "uscc_length"),
])
def test_malformed_codes_are_refused_with_a_reason(code, reason):
    with pytest.raises(ValidationError) as error:
        validate_uscc(code)
    assert error.value.code == reason


def test_the_check_character_follows_gb_32100():
    assert uscc_check_character("91440300192203821") == "6"
    assert uscc_check_character("9144030071526726X") == "G"


def test_the_message_is_chinese_by_default():
    with pytest.raises(ValidationError) as error:
        validate_uscc("914403001922038217")
    assert error.value.messages == ["统一社会信用代码校验位错误，请核对。"]


def test_id_card_check_character():
    validate_id_card("11010519491231002X")  # the example of GB 11643
    with pytest.raises(ValidationError):
        validate_id_card("110105194912310021")


@pytest.mark.parametrize("mobile", ["13812345678", "+86 138-1234-5678", "19912345678"])
def test_mainland_mobile_numbers(mobile):
    validate_mobile(mobile)


@pytest.mark.parametrize("mobile", ["12812345678", "1381234567", "023-12345678", ""])
def test_other_numbers_are_refused(mobile):
    with pytest.raises(ValidationError):
        validate_mobile(mobile)
