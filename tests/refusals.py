"""Refusal tests assert the rule, not just "some error" (core.refusals)."""

from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError


@contextmanager
def refused(rule, match=None):
    """A refusal under ``rule``: its code is the rule id, whatever the message says."""
    with pytest.raises(ValidationError, match=match) as info:
        yield info
    assert info.value.code == rule, (info.value.code, info.value.messages)
