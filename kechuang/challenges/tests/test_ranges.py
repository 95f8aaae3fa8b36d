"""A challenge list's year within range (the budget and phase-one amount: test_challenges.py)."""

import pytest
from django.core.exceptions import ValidationError

from kechuang.challenges import services


def test_a_challenge_list_year_is_a_year(world):
    with pytest.raises(ValidationError) as error:
        services.challenge_list_build(by=world.users.bureau_officer, year=99999, quarter=1)
    assert error.value.message_dict == {"year": ["请输入不超过 2100 的数值。"]}
