#!/usr/bin/env python
"""Benchmark of the main pages, not a test: `make bench`.

Builds a town of 200 shops and 10,000 products and measures requests per second and
p50/p99 latency for the home page, a shop vitrine, a category page of 24 products and a
product page, each beside a trivial Django view (/ping) measured in the same run, twice:

- one server: gunicorn (gunicorn.conf.py, 2 workers, production settings, whitenoise) on
  an SQLite file, its caches in the database (production without REDIS_URL);
- two servers: two such gunicorn servers (2 × 2 workers) on one PostgreSQL database
  (bench_townmarket, created and dropped here) and one Redis database (REDIS_URL), the
  load client sending each client's requests to both in turn, as a load balancer would.

Only 127.0.0.1 is contacted; every load loop is bounded in count and time.
"""
import argparse
import http.client
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]

from tests.support.servers import GunicornServer, collectstatic  # noqa: E402

SERVER_SETTINGS = "tests.support.two_servers_settings"  # production, static files in the run's folder
BASELINE = "trivial Django view"


# -- building a town (in a child process: one Django setup per database) -----------------
def build_town(database_url, shops, products):
    """Migrate `database_url`, build the town and print the pages to measure as JSON."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townmarket.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # production's caches without Redis
    from tests.bench.build_catalogue import build

    build(shops=shops, products=products, log=lambda line: print(line, file=sys.stderr, flush=True))
    from django.db import connection

    if connection.vendor == "postgresql":
        # The planner's statistics, as autovacuum would soon gather them on a live site:
        # without them, just after the bulk inserts, PostgreSQL joins the 10,000 products
        # and their stock records by scanning (40 ms instead of 1 ms for a vitrine's list).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    from oscar.core.loading import get_model

    Category = get_model("catalogue", "Category")
    Product = get_model("catalogue", "Product")
    from shops_pages.models import ShopPage

    category = Category.objects.filter(depth=1).order_by("pk").first()
    print(json.dumps({
        BASELINE: "/ping",
        "home page": "/",
        "shop vitrine": ShopPage.objects.filter(slug__startswith="bench-").order_by("slug").first().url,
        "category, 24 products": category.get_absolute_url(),
        "product page": Product.objects.filter(upc__startswith="bench-").order_by("pk").first().get_absolute_url(),
    }))


def build_in_child(database_url, args):
    done = subprocess.run(
        [sys.executable, __file__, "--build-town", database_url, "--shops", str(args.shops),
         "--products", str(args.products)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True, env={**os.environ, "DATABASE_URL": database_url})
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- PostgreSQL and Redis of the two-server run ----------------------------------------------
def postgres_admin(postgres_url, statement):
    import psycopg

    with psycopg.connect(f"{postgres_url}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def flush_redis(redis_url):
    import redis

    redis.Redis.from_url(redis_url, socket_connect_timeout=2).flushdb()


# -- load -----------------------------------------------------------------------------------
def hammer(ports, path, concurrency, requests_per_worker, max_seconds):
    """`concurrency` keep-alive clients; client i sends its k-th request to
    ports[(i + k) % len(ports)], so every server gets its share, as behind a balancer."""
    latencies, errors = [], []
    lock = threading.Lock()
    deadline = time.monotonic() + max_seconds

    def worker(index):
        conns = {port: http.client.HTTPConnection("127.0.0.1", port, timeout=30) for port in ports}
        local = []
        for k in range(requests_per_worker):
            if time.monotonic() > deadline:
                break
            port = ports[(index + k) % len(ports)]
            started = time.perf_counter()
            try:
                conns[port].request("GET", path, headers={"Host": "127.0.0.1"})
                response = conns[port].getresponse()
                response.read()
                if response.status != 200:
                    errors.append(response.status)
            except Exception as exc:  # noqa: BLE001
                errors.append(repr(exc))
                conns[port].close()
                conns[port] = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            local.append(time.perf_counter() - started)
        for conn in conns.values():
            conn.close()
        with lock:
            latencies.extend(local)

    began = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return {"requests": len(latencies), "rps": len(latencies) / elapsed, "p50": statistics.median(latencies) * 1000,
            "p99": p99 * 1000, "errors": len(errors), "first_errors": errors[:3]}


def measure(label, servers, pages, args):
    """Start `servers`, warm every worker, then load each page in turn."""
    print(f"\n{label}")
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready(timeout=120)
        for path in pages.values():  # warm every worker; a page that fails stops the run at once
            for server in servers:
                for _ in range(6):
                    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
                    conn.request("GET", path, headers={"Host": "127.0.0.1"})
                    response = conn.getresponse()
                    response.read()
                    conn.close()
                    if response.status != 200:
                        raise SystemExit(f"{path} answers {response.status} on server {server.name}:\n{server.log()}")
        rows = []
        for name, path in pages.items():
            result = hammer([s.port for s in servers], path, args.concurrency, args.requests, args.max_seconds)
            rows.append((name, path, result))
            print(f"  {name:<24} {result['rps']:7.1f} req/s  p50 {result['p50']:6.1f} ms  p99 {result['p99']:6.1f} ms"
                  + (f"  errors {result['errors']} {result['first_errors']}" if result["errors"] else ""))
        return rows
    except Exception:
        for server in servers:
            print(server.log(), file=sys.stderr)
        raise
    finally:
        for server in servers:
            server.stop()


def table(title, rows):
    baseline = dict((name, r) for name, _, r in rows)[BASELINE]["rps"]
    lines = [title, "", "| page | req/s | p50 (ms) | p99 (ms) | vs trivial view | errors |",
             "|---|---:|---:|---:|---:|---:|"]
    for name, _, r in rows:
        lines.append(f"| {name} | {r['rps']:.1f} | {r['p50']:.1f} | {r['p99']:.1f} | "
                     f"{r['rps'] / baseline:.2f}× | {r['errors']} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shops", type=int, default=200)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--requests", type=int, default=40, help="requests per client and page")
    parser.add_argument("--max-seconds", type=float, default=30)
    parser.add_argument("--runs", choices=["one", "two", "both"], default="both",
                        help="the one-server run (SQLite), the two-server run (PostgreSQL + Redis), or both")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432",
                        help="PostgreSQL server of the two-server run (database bench_townmarket, dropped after)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14",
                        help="Redis database of the two-server run (flushed before and after)")
    parser.add_argument("--build-town", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_town:
        return build_town(args.build_town, args.shops, args.products)

    RESULTS.mkdir(exist_ok=True)
    static_root = RESULTS / "static"
    shutil.rmtree(static_root, ignore_errors=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SERVER_SETTINGS, "TWO_SERVERS_STATIC_ROOT": str(static_root),
           "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1", "REDIS_URL": "",
           "PYTHONPATH": f"{ROOT / 'site'}:{ROOT}", "PRIVATE_MEDIA_ROOT": str(RESULTS / "private")}
    collectstatic(env, static_root)
    no_recycling = ["--max-requests", "0"]  # a worker replaced mid-run would cost its start-up
    common = f"{args.shops} shops, {args.products} products, {args.concurrency} concurrent clients, " \
             f"{os.cpu_count()} CPU cores (load client on the same cores)"
    tables = []

    if args.runs in ("one", "both"):
        db_path = RESULTS / "bench.sqlite3"
        print(f"Base SQLite : {db_path}")
        pages = build_in_child(f"sqlite:///{db_path}", args)
        one_env = {**env, "DATABASE_URL": f"sqlite:///{db_path}"}
        rows = measure("Un serveur (SQLite)", [GunicornServer("one", one_env, RESULTS, 2, extra_args=no_recycling)],
                       pages, args)
        tables.append((table(f"One server: gunicorn 2 workers, SQLite, caches in the database; {common}.", rows), rows))

    if args.runs in ("two", "both"):
        database_url = f"{args.postgres}/bench_townmarket"
        print(f"Base PostgreSQL : {database_url}, Redis : {args.redis}")
        postgres_admin(args.postgres, "DROP DATABASE IF EXISTS bench_townmarket WITH (FORCE)")
        postgres_admin(args.postgres, "CREATE DATABASE bench_townmarket")
        flush_redis(args.redis)
        try:
            pages = build_in_child(database_url, args)
            two_env = {**env, "DATABASE_URL": database_url, "REDIS_URL": args.redis}
            servers = [GunicornServer(name, two_env, RESULTS, 2, extra_args=no_recycling) for name in ("A", "B")]
            rows = measure("Deux serveurs (PostgreSQL + Redis)", servers, pages, args)
            tables.append((table(f"Two servers: 2 × gunicorn 2 workers, one PostgreSQL, one Redis; {common}.", rows),
                           rows))
        finally:
            flush_redis(args.redis)
            postgres_admin(args.postgres, "DROP DATABASE IF EXISTS bench_townmarket WITH (FORCE)")

    text = "\n\n".join(t for t, _ in tables)
    print()
    print(text)
    (RESULTS / "latest.md").write_text(text + "\n")
    if any(r["errors"] for _, rows in tables for _, _, r in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
