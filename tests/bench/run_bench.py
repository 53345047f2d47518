#!/usr/bin/env python
"""Benchmark of the main pages, not a test: `make bench`.

Builds a town of 200 shops and 10,000 products in its own SQLite file, serves it
with gunicorn (2 workers, production settings, whitenoise), and measures requests
per second and p50/p99 latency for the home page, a shop vitrine, a category page
of 24 products and a product page, each beside a trivial Django view measured in the
same run. Only 127.0.0.1 is contacted; every load loop is bounded in count and time.
"""
import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]


def setup_database(db_path, shops, products):
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townmarket.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tests.bench.build_catalogue import build

    build(shops=shops, products=products)
    call_command("collectstatic", interactive=False, verbosity=0)
    from oscar.core.loading import get_model

    Category = get_model("catalogue", "Category")
    Product = get_model("catalogue", "Product")
    from shops_pages.models import ShopPage

    category = Category.objects.filter(depth=1).order_by("pk").first()
    return {
        "trivial Django view": "/healthz",
        "home page": "/",
        "shop vitrine": ShopPage.objects.filter(slug__startswith="bench-").order_by("slug").first().url,
        "category, 24 products": category.get_absolute_url(),
        "product page": Product.objects.filter(upc__startswith="bench-").order_by("pk").first().get_absolute_url(),
    }


def hammer(port, path, concurrency, requests_per_worker, max_seconds):
    latencies, errors = [], []
    lock = threading.Lock()
    deadline = time.monotonic() + max_seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        local = []
        for _ in range(requests_per_worker):
            if time.monotonic() > deadline:
                break
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors.append(response.status)
            except Exception as exc:  # noqa: BLE001
                errors.append(repr(exc))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            local.append(time.perf_counter() - started)
        conn.close()
        with lock:
            latencies.extend(local)

    began = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return {"requests": len(latencies), "rps": len(latencies) / elapsed, "p50": statistics.median(latencies) * 1000,
            "p99": p99 * 1000, "errors": len(errors)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shops", type=int, default=200)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--requests", type=int, default=40, help="requests per client and page")
    parser.add_argument("--max-seconds", type=float, default=30)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    RESULTS.mkdir(exist_ok=True)
    db_path = RESULTS / "bench.sqlite3"
    print(f"Base de test : {db_path}")
    pages = setup_database(db_path, args.shops, args.products)

    env = dict(os.environ, DATABASE_URL=f"sqlite:///{db_path}", DJANGO_SETTINGS_MODULE="townmarket.settings.production",
               SECRET_KEY="bench-only-secret", ALLOWED_HOSTS="127.0.0.1", PYTHONPATH=f"{ROOT / 'site'}:{ROOT}")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "townmarket.wsgi:application", "--workers", "2",
         "--bind", f"127.0.0.1:{args.port}", "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        for path in pages.values():  # warm both workers
            for _ in range(4):
                conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
                conn.request("GET", path)
                conn.getresponse().read()
        rows = []
        for name, path in pages.items():
            result = hammer(args.port, path, args.concurrency, args.requests, args.max_seconds)
            rows.append((name, path, result))
            print(f"  {name:<24} {result['rps']:7.1f} req/s  p50 {result['p50']:6.1f} ms  p99 {result['p99']:6.1f} ms")
    finally:
        server.terminate()
        server.wait(timeout=10)

    baseline = rows[0][2]["rps"]
    lines = [
        f"Benchmark: {args.shops} shops, {args.products} products, gunicorn 2 workers, SQLite, "
        f"{args.concurrency} concurrent clients, {os.cpu_count()} CPU cores.",
        "",
        "| page | req/s | p50 (ms) | p99 (ms) | vs trivial view | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, _, r in rows:
        lines.append(f"| {name} | {r['rps']:.1f} | {r['p50']:.1f} | {r['p99']:.1f} | "
                     f"{r['rps'] / baseline:.2f}× | {r['errors']} |")
    table = "\n".join(lines)
    print()
    print(table)
    (RESULTS / "latest.md").write_text(table + "\n")
    if any(r["errors"] for _, _, r in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
