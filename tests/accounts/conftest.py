import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """Nothing in the cache carries over between accounts tests (login throttle counts live in
    the database, rolled back with each test)."""
    cache.clear()
    yield
    cache.clear()
