import pytest

from kechuang.matching.tests.conftest import own_index  # noqa: F401  (every test gets its own index folder)
from kechuang.programs.tests.factories import make_call


@pytest.fixture
def call(world):
    return make_call()
