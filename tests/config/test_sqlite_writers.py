"""The embedded default (SQLite in a file, ``make run``) copes with a few users writing at once:
WAL, a busy timeout and IMMEDIATE transactions (config/settings.py) make the writers queue
instead of failing with "database is locked" (192 such 500s in one run before).

The writes run in a separate process against a real file database, configured by the project's
own settings — not the in-memory database of the other tests."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
THREADS, EACH = 8, 15

WRITERS = f"""
import threading, django
django.setup()
from django.db import connection, transaction
from accounts.models import User
from audit.services import record_event, verify_chain

user = User.objects.create(username="writer")
errors, barrier = [], threading.Barrier({THREADS})

def write():
    barrier.wait()
    try:
        for i in range({EACH}):
            try:
                with transaction.atomic():
                    User.objects.filter(pk=user.pk).exists()   # read first, then write
                    record_event(user, "load.write", user, after={{"i": i}})
            except Exception as exc:
                errors.append(repr(exc))
    finally:
        connection.close()

threads = [threading.Thread(target=write) for _ in range({THREADS})]
for t in threads: t.start()
for t in threads: t.join()
from audit.models import AuditEvent
print("ERRORS", len(errors), sorted(set(errors))[:3])
print("EVENTS", AuditEvent.objects.filter(action="load.write").count())
print("INTACT", verify_chain() is None)
print("JOURNAL", connection.cursor().execute("PRAGMA journal_mode").fetchone()[0])
"""


def test_parallel_writers_on_the_file_database_never_see_database_is_locked(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    result = subprocess.run(
        [sys.executable, "-c", WRITERS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "ERRORS 0 " in out, out
    assert f"EVENTS {THREADS * EACH}" in out and "INTACT True" in out, out
    assert "JOURNAL wal" in out, out
