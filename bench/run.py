"""``make bench``: seed a district on PostgreSQL, serve it with gunicorn (production-like
settings, workers = cores), load each key page with ``wrk`` as its proper role, then time the
batch jobs; print one table and write it as JSON under ``bench/results/``.

    .venv/bin/python -m bench.run [--studios 2000] [--duration 15] [--connections 8]

The database (``BENCH_DATABASE_URL``, default ``portal_bench`` on 127.0.0.1) is dropped and
created afresh. How to read the output: docs/performance.md.
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/portal_bench"

LUA_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
    .. '"socket_errors": %d, "non_2xx_3xx": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studios", type=int, default=2000)
    parser.add_argument("--reminder-studios", type=int, default=20000)
    parser.add_argument("--certificates", type=int, default=200)
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8090")))
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--pages", default="", help="comma-separated page names to load")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the bench database of an earlier run instead of dropping and seeding it",
    )
    parser.add_argument(
        "--no-batches", action="store_true", help="load the pages only, skip the batch jobs"
    )
    return parser.parse_args(argv)


# --- The database -------------------------------------------------------------------------


def prepare_environment() -> str:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_bench"
    os.environ.pop("REDIS_URL", None)  # tasks run eagerly: the batch figures include them
    os.environ.setdefault("PRIVATE_MEDIA_ROOT", tempfile.mkdtemp(prefix="portal-bench-media-"))
    return url


def recreate_database(url: str) -> None:
    match = re.match(
        r"postgres(?:ql)?://(?P<user>[^@:/]+)@(?P<host>[^:/]+):(?P<port>\d+)/(?P<db>\w+)", url
    )
    if not match:
        sys.exit(f"BENCH_DATABASE_URL must look like {DEFAULT_DB}")
    common = ["-h", match["host"], "-p", match["port"], "-U", match["user"]]
    subprocess.run(["dropdb", *common, "--if-exists", "--force", match["db"]], check=True)
    subprocess.run(["createdb", *common, match["db"]], check=True)


def seed(studios: int) -> dict:
    from django.core.management import call_command

    from bench.seed import seed_bench_extras

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", studios=studios, stdout=quiet)
    extras = seed_bench_extras()
    refresh_planner_statistics()
    extras["seconds"] = round(time.perf_counter() - started, 1)
    return extras


def refresh_planner_statistics() -> None:
    """What autovacuum does on a live database within minutes of a bulk load: without it the
    planner guesses a 2,000-row table holds 400 rows and picks worse plans than production's."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- The pages ------------------------------------------------------------------------------


def page_plan() -> list[dict]:
    """Each key page with the role that uses it."""
    from reviews.round_models import ReviewRound, RoundStatus
    from studios.lifecycle_models import RecognitionCycle

    studio_id = RecognitionCycle.objects.order_by("pk").values_list("studio_id", flat=True)[0]
    round_id = ReviewRound.objects.filter(status=RoundStatus.CLOSED).order_by("pk")[0].pk
    return [
        {"page": "baseline", "path": "/bench/baseline/", "role": "district"},
        {"page": "studio list", "path": "/studios/", "role": "district"},
        {"page": "studio detail", "path": f"/studios/{studio_id}/", "role": "district"},
        {"page": "expert assignments", "path": "/my-reviews/", "role": "expert"},
        {"page": "round results", "path": f"/rounds/{round_id}/results/", "role": "district"},
        {"page": "compliance grid", "path": "/ledgers/compliance/", "role": "district"},
        {"page": "finance dashboard", "path": "/funding/", "role": "finance"},
        {"page": "public directory", "path": "/directory/", "role": None},
    ]


def session_clients(roles) -> dict:
    """A logged-in Django test client per role (its session is stored in the bench database,
    so gunicorn accepts the same cookie)."""
    from django.test import Client

    from accounts.models import User

    clients = {None: Client()}
    for role in roles:
        if role is not None:
            client = Client()
            client.force_login(User.objects.get(username=role))
            clients[role] = client
    return clients


def cookie_of(client) -> str:
    return "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())


def queries_of(clients, plan) -> dict:
    """``X-Query-Count`` of one request to each page (after one warm-up request)."""
    counts = {}
    for item in plan:
        client = clients[item["role"]]
        client.get(item["path"])
        response = client.get(item["path"])
        if response.status_code != 200:
            raise SystemExit(f"{item['page']}: {item['path']} answered {response.status_code}")
        counts[item["page"]] = int(response["X-Query-Count"])
    return counts


# --- The server and the load ------------------------------------------------------------------


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(
        [
            gunicorn,
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/baseline/", timeout=2)
            return server
        except (urllib.error.URLError, ConnectionError):
            if server.poll() is not None:
                sys.exit("gunicorn did not start")
            time.sleep(0.3)
    stop(server)
    sys.exit("gunicorn did not answer within 30 s")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def check_over_http(url: str, cookie: str) -> None:
    """The page answers 200 to this cookie (wrk would count a redirect to login as success)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        status = urllib.request.build_opener(NoRedirect).open(request, timeout=30).status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise SystemExit(f"{url} answered {status} over http")


def wrk(url: str, cookie: str, args, duration: int, script: str) -> dict:
    command = ["wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{duration}s"]
    command += ["--timeout", "10s", "-s", script]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    raw = json.loads(line[len("BENCH ") :])
    seconds = raw["duration_us"] / 1e6
    return {
        "requests": raw["requests"],
        "requests_per_s": round(raw["requests"] / seconds, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "errors": raw["socket_errors"] + raw["non_2xx_3xx"],
    }


def load_pages(plan, clients, args) -> list[dict]:
    rows = []
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA_DONE)
    server = start_gunicorn(args.port, args.workers)
    try:
        for item in plan:
            url = f"http://127.0.0.1:{args.port}{item['path']}"
            cookie = cookie_of(clients[item["role"]]) if item["role"] else ""
            check_over_http(url, cookie)
            wrk(url, cookie, args, 2, script.name)  # warm each worker's caches
            figures = wrk(url, cookie, args, args.duration, script.name)
            print(f"  {item['page']:<20} {figures['requests_per_s']:>8} req/s", flush=True)
            rows.append({**item, **figures})
    finally:
        stop(server)
        os.unlink(script.name)
    return rows


# --- The report -------------------------------------------------------------------------------


def table(rows, batches) -> str:
    head = (
        f"{'page':<20} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} "
        f"{'@20k':>6} {'vs base':>8} {'p95/base':>9} {'errors':>7}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r['page']:<20} {r['requests_per_s']:>8} {r['p50_ms']:>8} {r['p95_ms']:>8} "
            f"{r['queries']:>8} {r.get('queries_at_scale', '-'):>6} "
            f"{r['throughput_vs_baseline']:>8.2f} {r['p95_vs_baseline']:>9.1f} {r['errors']:>7}"
        )
    if not batches:
        return "\n".join(lines)
    cert, rem, comp = batches["certificates"], batches["reminders"], batches["compliance"]
    lines += [
        "",
        f"certificates: {cert['certificates']} rendered in {cert['seconds']} s = "
        f"{cert['per_second']} /s ({cert['queries']} queries)",
        f"daily reminders over {rem['studios']} studios: {rem['first_run']['seconds']} s, "
        f"{rem['first_run']['queries']} queries, {rem['first_run']['sent']} sent; "
        f"again the same day: {rem['second_run']['seconds']} s, "
        f"{rem['second_run']['queries']} queries, {rem['second_run']['sent']} sent",
        f"yearly compliance: {comp['studios']} studios × {comp['years']} years in "
        f"{comp['seconds']} s, {comp['queries']} queries",
    ]
    return "\n".join(lines)


def run_batches(args, batch, add_studios) -> dict:
    """The batch figures of item 2; the reminder job runs after growing the district to
    ``--reminder-studios``, so the pages' queries can be counted again at that size."""
    print("Batch jobs …", flush=True)
    batches = {
        "certificates": batch.certificates(args.certificates),
        "compliance": batch.compliance(args.studios),
    }
    extra = args.reminder_studios - batch.Studio.objects.count()
    if extra > 0:
        print(f"  adding {extra} studios for the reminder job …", flush=True)
        add_studios(extra)
    batches["reminders"] = batch.reminders()
    return batches


def main(argv=None) -> int:
    args = parse_args(argv)
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (make bench installs Debian's wrk)")
    started = time.perf_counter()
    url = prepare_environment()
    if not args.reuse:
        recreate_database(url)
    import django

    django.setup()
    from django.db import connections

    from bench import batch
    from bench.seed import add_studios

    if args.reuse:
        seeded = {"reused": True, "studios": batch.Studio.objects.count()}
        print(f"Reusing the bench database: {seeded['studios']} studios", flush=True)
    else:
        print(f"Seeding {args.studios} studios …", flush=True)
        seeded = seed(args.studios)
        print(f"  seeded in {seeded['seconds']} s: {seeded}", flush=True)
    plan = page_plan()
    if args.pages:
        wanted = {"baseline", *args.pages.split(",")}
        plan = [item for item in plan if item["page"] in wanted]
    clients = session_clients({item["role"] for item in plan})
    queries = queries_of(clients, plan)
    connections.close_all()
    print(
        f"Loading {len(plan)} pages, {args.duration} s each, {args.connections} connections, "
        f"{args.workers} gunicorn workers …",
        flush=True,
    )
    rows = load_pages(plan, clients, args)
    batches = {} if args.no_batches else run_batches(args, batch, add_studios)
    at_scale = queries_of(clients, plan) if batches else {}
    base = next(r for r in rows if r["page"] == "baseline")
    for row in rows:
        row["queries"] = queries[row["page"]]
        row["queries_at_scale"] = at_scale.get(row["page"], "-")
        row["throughput_vs_baseline"] = round(row["requests_per_s"] / base["requests_per_s"], 3)
        row["p95_vs_baseline"] = round(row["p95_ms"] / max(base["p95_ms"], 0.1), 2)
    report = table(rows, batches)
    print()
    print(report)
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{stamp}.json"
    out.write_text(
        json.dumps(
            {
                "when": datetime.now().isoformat(timespec="seconds"),
                "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                "settings": {
                    "studios": args.studios,
                    "duration_s": args.duration,
                    "connections": args.connections,
                    "threads": args.threads,
                    "workers": args.workers,
                },
                "seed": seeded,
                "pages": rows,
                "batches": batches,
                "seconds": round(time.perf_counter() - started, 1),
            },
            indent=2,
            ensure_ascii=False,
            default=str,
        )
    )
    print(f"\nWritten {out.relative_to(ROOT)} ({time.perf_counter() - started:.0f} s in all).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
