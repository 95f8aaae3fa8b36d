"""A logging filter that keeps mobile and ID-card numbers out of every log line."""

import logging

from kechuang.core.masking import mask_personal_data_in_text


class MaskPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal_data_in_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
