"""Real services a fault test starts, breaks and restarts on its own: a private redis-server
(ports 6390–6399, no persistence) and a Celery worker process (``celery -A config worker``)."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import require

REDIS_PORTS = range(6390, 6400)
ROOT = Path(__file__).resolve().parents[2]


def _port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def wait_for(condition, timeout=60.0, step=0.1, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class PrivateRedis:
    """A redis-server of the test's own, killed with SIGKILL to simulate an outage."""

    def __init__(self):
        require(shutil.which("redis-server") is not None, "needs redis-server")
        free = [p for p in REDIS_PORTS if _port_is_free(p)]
        require(bool(free), "no free private Redis port in 6390–6399")
        self.port = free[0]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: not _port_is_free(self.port), timeout=10, what="redis-server")
        return self

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        wait_for(lambda: _port_is_free(self.port), timeout=10, what="redis-server to stop")


@contextmanager
def celery_broker(url: str):
    """Point the Celery app at ``url`` and send tasks for real (not eagerly) inside the block."""
    from config.celery import app

    saved = (app.conf.broker_url, app.conf.task_always_eager)
    _drop_connections(app)
    app.conf.broker_url = url
    app.conf.task_always_eager = False
    try:
        yield app
    finally:
        _drop_connections(app)
        app.conf.broker_url, app.conf.task_always_eager = saved


def _drop_connections(app):
    """Close and forget kombu's shared pools, so the next task opens a connection to the
    broker now configured (a closed pool left in kombu's registry would refuse to lend)."""
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


class Worker:
    """``celery -A config worker`` in a process group of its own, on the test's database and
    private media root, so SIGKILL takes it down at once as a crash would."""

    def __init__(self, broker_url: str, database_url: str, media_root: str, log_path: Path):
        self.env = {
            **os.environ,
            "REDIS_URL": broker_url,
            "DATABASE_URL": database_url,
            "PRIVATE_MEDIA_ROOT": media_root,
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        self.log_path = log_path
        self.process = None

    def start(self):
        celery = Path(sys.executable).with_name("celery")
        self.log = open(self.log_path, "ab")  # noqa: SIM115 - closed in kill()
        self.process = subprocess.Popen(
            [
                str(celery),
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def kill(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.log.close()


def database_url_of(connection) -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host, port = s["HOST"] or "127.0.0.1", s["PORT"] or 5432
    return f"postgres://{s['USER']}{password}@{host}:{port}/{s['NAME']}"
