import logging

from kechuang.core.crypto import blind_index, sm3_hex, sm4_decrypt, sm4_encrypt
from kechuang.core.masking import mask_id_card, mask_mobile, mask_personal_data_in_text


def test_sm3_matches_the_standard_example():
    # GB/T 32905-2016, appendix A.1
    assert sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_sm4_round_trip_with_a_fresh_nonce():
    first, second = sm4_encrypt("13812345678"), sm4_encrypt("13812345678")
    assert first != second
    assert sm4_decrypt(first) == sm4_decrypt(second) == "13812345678"


def test_blind_index_is_keyed_and_stable(settings):
    digest = blind_index("13812345678")
    assert digest == blind_index("13812345678")
    settings.FIELD_DIGEST_KEY = "0123456789abcdef0123456789abcdef"
    assert blind_index("13812345678") != digest


def test_masks():
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_id_card("11010519491231002X") == "1101**********002X"
    assert mask_personal_data_in_text("电话13812345678，身份证11010519491231002X") == (
        "电话138****5678，身份证1101**********002X"
    )


def test_personal_data_never_reaches_the_log(caplog):
    from kechuang.core.logging import MaskPersonalDataFilter

    logger = logging.getLogger("kechuang.test")
    handler_filter = MaskPersonalDataFilter()
    caplog.handler.addFilter(handler_filter)
    try:
        logger.warning("sign-in of %s from %s", "13812345678", "11010519491231002X")
    finally:
        caplog.handler.removeFilter(handler_filter)
    assert "13812345678" not in caplog.text and "138****5678" in caplog.text
    assert "11010519491231002X" not in caplog.text


def test_the_configured_handlers_carry_the_filter(settings):
    assert "personal_data" in settings.LOGGING["handlers"]["console"]["filters"]
