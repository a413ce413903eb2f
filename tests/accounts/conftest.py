import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """Login throttle counters live in the cache: every accounts test starts with none."""
    cache.clear()
    yield
    cache.clear()
