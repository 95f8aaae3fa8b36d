from kechuang.matching.tests.conftest import own_index  # noqa: F401  (every test gets its own index folder)
