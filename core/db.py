"""Database helpers shared by the services."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

#: The error code of a refusal caused by a duplicate that a concurrent request inserted first.
DUPLICATE = "duplicate"


def is_unique_violation(exc: IntegrityError) -> bool:
    """True for a unique-constraint violation (PostgreSQL SQLSTATE 23505, SQLite's "UNIQUE
    constraint failed"); False for the other integrity errors, which stay bugs."""
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate is not None:
        return sqlstate == "23505"
    return "UNIQUE constraint failed" in str(exc)


@contextmanager
def refuse_duplicate(message, *, field: str | None = None, code: str = DUPLICATE, files=()):
    """Run the writes of the block in a savepoint. If a unique constraint refuses them — two
    requests creating the same thing at the same moment, both having passed the form's own
    check — the block is rolled back, the files it stored are removed, and the loser gets a
    ValidationError (``code``, on ``field``) the form shows, instead of a server error.

    ``files``: a callable returning the FieldFiles the block may have stored."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        if not is_unique_violation(exc):
            raise
        for fieldfile in files() if callable(files) else files:
            if fieldfile:
                fieldfile.storage.delete(fieldfile.name)
        error = ValidationError(message, code=code)
        raise (ValidationError({field: [error]}) if field else error) from exc
