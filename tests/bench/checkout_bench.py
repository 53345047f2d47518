#!/usr/bin/env python
"""Only the checkout benchmark of `make bench` (issue 19, item 4), not a test:

    .venv/bin/python tests/bench/checkout_bench.py [--products 2000] [--orders 160] [--worker]

Builds a PostgreSQL town (database bench_checkout, dropped after), starts gunicorn with 4
workers under the production settings (tests/bench/run_bench.py's environment) and
places `--orders` orders of three products from three shops, each by a distinct guest,
`--concurrency` at a time (run_bench.place_orders). `--worker`: the task worker
(`manage.py db_worker`) runs beside gunicorn during the measure, on the same cores, as
in production: it renders the e-mails and issues the invoices the requests left to it,
and the script waits for it to finish and checks that every order got its invoices and
e-mails. Prints the figures; writes nothing to docs/benchmark.md (run_bench.py does)."""
import argparse
import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.bench import run_bench  # noqa: E402
from tests.bench.run_bench import RESULTS, ROOT, SERVER_SETTINGS  # noqa: E402
from tests.support.servers import GunicornServer, collectstatic, wait_until  # noqa: E402

DATABASE = "bench_checkout"


def count(database_url, sql):
    import psycopg

    with psycopg.connect(database_url) as conn:
        return conn.execute(sql).fetchone()[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shops", type=int, default=200)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--orders", type=int, default=160)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--worker", action="store_true", help="run the task worker during the measure")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    args = parser.parse_args()

    RESULTS.mkdir(exist_ok=True)
    static_root = RESULTS / "static-checkout"
    shutil.rmtree(static_root, ignore_errors=True)
    database_url = f"{args.postgres}/{DATABASE}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SERVER_SETTINGS, "TWO_SERVERS_STATIC_ROOT": str(static_root),
           "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1", "REDIS_URL": args.redis,
           "PYTHONPATH": f"{ROOT / 'site'}:{ROOT}", "PRIVATE_MEDIA_ROOT": str(RESULTS / "private"),
           "DATABASE_URL": database_url, "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}
    collectstatic(env, static_root)
    run_bench.postgres_admin(args.postgres, f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    run_bench.postgres_admin(args.postgres, f"CREATE DATABASE {DATABASE}")
    run_bench.flush_redis(args.redis)
    worker = None
    try:
        town = run_bench.build_in_child(database_url, args)
        server = GunicornServer("checkout-only", env, RESULTS, 4, extra_args=["--max-requests", "0"])
        try:
            server.start().wait_ready(timeout=120)
            if args.worker:
                worker = subprocess.Popen(
                    [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay",
                     "--no-reload"], cwd=ROOT, env=env, stdout=open(RESULTS / "checkout-worker.log", "wb"),
                    stderr=subprocess.STDOUT, start_new_session=True)
            load = os.getloadavg()[0]
            result = run_bench.place_orders(server, town, args)
            result["load"] = (load, os.getloadavg()[0])
        finally:
            server.stop()
        print(f"Checkout: {result}", flush=True)
        if worker is not None:
            started = time.perf_counter()
            wait_until(lambda: count(database_url, "SELECT count(*) FROM townmarket_outboxmessage "
                                                   "WHERE status <> 'sent'") == 0
                       and count(database_url, "SELECT count(*) FROM order_shoporder s JOIN order_order o ON o.id = s.order_id "
                                               "WHERE o.guest_email LIKE 'client-%%' AND NOT EXISTS (SELECT 1 FROM invoicing_document d WHERE d.shop_order_id = s.id "
                                               "AND d.kind = 'facture')") == 0,
                       600, "the worker sent every e-mail and issued every invoice")
            print(f"Worker done {time.perf_counter() - started:.1f} s after the last order: "
                  f"{count(database_url, 'SELECT count(*) FROM invoicing_document')} invoices, "
                  f"{count(database_url, 'SELECT count(*) FROM townmarket_outboxmessage')} e-mails sent", flush=True)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        run_bench.flush_redis(args.redis)
        run_bench.postgres_admin(args.postgres, f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


if __name__ == "__main__":
    main()
