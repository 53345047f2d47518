#!/usr/bin/env python
"""Benchmark of the storefront and the checkout, not a test: `make bench`.

Builds a town of 200 shops and 10,000 products (`--products 100000` for the large one)
and measures, on SQLite and then on PostgreSQL (+ Redis), each page of issue 19's table
beside the trivial view (/ping) measured in the same run:

- uncached: a visitor with a basket (its cookie sent with every request), whom no page
  cache may serve; the empty basket page is asked without cookies;
- cached: an anonymous visitor (no cookie), when the anonymous page cache
  (townmarket/page_cache.py) is there;
- checkout (PostgreSQL, gunicorn 4 workers): each order placed by a distinct guest with a
  basket of three products from three shops, timed from « Valider la commande » to the
  redirect to the thank-you page (stock allocated, e-mails queued in the outbox).

Server: `gunicorn -c gunicorn.conf.py`, 2 sync workers, production settings. Load: wrk
(Debian's `wrk` package: `apt-get install wrk`), 2 threads, 8 connections, after a
warm-up; without wrk, a Python keep-alive client (slower: the trivial view is then the
client's ceiling, say so when reading the figures). Writes docs/benchmark.md (the
earlier runs are kept under its « Earlier runs » heading) and tests/bench/results/.

Only 127.0.0.1 is contacted; every load loop is bounded in count and time.
"""
import argparse
import concurrent.futures
import datetime
import http.client
import json
import os
import re
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
DOCUMENT = ROOT / "docs" / "benchmark.md"
EARLIER = "## Earlier runs"
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]

from tests.support.servers import GunicornServer, collectstatic, form_fields  # noqa: E402

SERVER_SETTINGS = "tests.support.two_servers_settings"  # production, static files in the run's folder
BASELINE = "trivial view"
PAGE_CACHE = ROOT / "site" / "townmarket" / "page_cache.py"
NOT_CACHEABLE = {BASELINE, "basket, empty"}

# Issue 19's figures (wrk, 8 connections, 15 s; 10,000 products, 200 shops, 2 workers),
# before this work: req/s and p50 in ms, per database.
PREVIOUS = {
    "sqlite": {BASELINE: (2872, 3), "home": (44, 177), "shop vitrine": (64, 118), "category, 24 products": (30, 258),
               "all products": (34, 229), "shop-filtered list": (36, 207), "price-filtered list": (28, 274),
               "product page": (67, 115), "search, common word": (18, 413), "search, rare word": (8, 896),
               "basket, empty": (97, 90)},
    "postgresql": {BASELINE: (3572, 2), "home": (34, 222), "shop vitrine": (31, 246),
                   "category, 24 products": (25, 314), "all products": (25, 299), "shop-filtered list": (29, 262),
                   "price-filtered list": (10, 749), "product page": (43, 183), "search, common word": (13, 570),
                   "search, rare word": (15, 499), "basket, empty": (98, 80)},
}


# -- building a town (in a child process: one Django setup per database) -----------------
def build_town(database_url, shops, products, orders):
    """Migrate `database_url`, build the town and print what to measure as JSON."""
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
    from django.conf import settings

    if "storefront_search" in settings.INSTALLED_APPS:
        call_command("rebuild_search_index", verbosity=0)
    from django.urls import reverse
    from oscar.core.loading import get_model

    Category = get_model("catalogue", "Category")
    Product = get_model("catalogue", "Product")
    from shops_pages.models import ShopPage

    category = Category.objects.filter(depth=1, contains_alcohol=False).order_by("pk").first()
    bench = Product.objects.filter(upc__startswith="bench-").order_by("pk")
    demo_titles = Product.objects.exclude(upc__startswith="bench-").order_by("pk").values_list("title", flat=True)
    rare_word = max((w for title in demo_titles[:20] for w in re.findall(r"\w+", title)), key=len)
    first_shop = ShopPage.objects.filter(slug__startswith="bench-").order_by("slug").first()
    print(json.dumps({
        "pages": {
            BASELINE: "/ping",
            "home": "/",
            "shop vitrine": first_shop.url,
            "category, 24 products": category.get_absolute_url(),
            "all products": reverse("catalogue:index"),
            "shop-filtered list": reverse("catalogue:index") + "?boutique=" + first_shop.partner.code,
            "price-filtered list": reverse("catalogue:index") + "?prix_min=10&prix_max=40",
            "product page": bench.first().get_absolute_url(),
            "search, common word": reverse("catalogue:index") + "?q=article",
            "search, rare word": reverse("catalogue:index") + f"?q={rare_word}",
            "basket, empty": reverse("basket:summary"),
        },
        # three consecutive bench products belong to three shops (build_catalogue.py)
        "checkout_baskets": [
            [(p.get_absolute_url(), reverse("basket:add", kwargs={"pk": p.pk})) for p in bench[3 * n + 7:3 * n + 10]]
            for n in range(orders)
        ],
        "checkout": reverse("checkout:index"),
        "thank_you": reverse("checkout:thank-you"),
    }))


def build_in_child(database_url, args):
    done = subprocess.run(
        [sys.executable, __file__, "--build-town", database_url, "--shops", str(args.shops),
         "--products", str(args.products), "--orders", str(args.orders)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True, env={**os.environ, "DATABASE_URL": database_url})
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- PostgreSQL and Redis -------------------------------------------------------------------
def postgres_admin(postgres_url, statement):
    import psycopg

    with psycopg.connect(f"{postgres_url}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def flush_redis(redis_url):
    import redis

    redis.Redis.from_url(redis_url, socket_connect_timeout=2).flushdb()


# -- a browser-like visitor (setting up, not measured) ---------------------------------------
def visitor(base_url):
    import requests

    browser = requests.Session()
    browser.trust_env = False  # no proxy between the benchmark and 127.0.0.1
    browser.headers["Host"] = "127.0.0.1"
    return browser


def add_to_basket(browser, base_url, product_url, add_url):
    from bs4 import BeautifulSoup

    page = browser.get(base_url + product_url, timeout=30)
    for _ in range(2):  # a page from the anonymous cache has no CSRF token: the 403 page asks again, with one
        form = BeautifulSoup(page.text, "html.parser").find("form", action=add_url)
        added = browser.post(base_url + add_url, {**form_fields(form), "quantity": "1"},
                             headers={"Referer": base_url + product_url}, allow_redirects=False, timeout=30)
        if added.status_code != 403:
            break
        page = added
    if added.status_code != 302:
        raise SystemExit(f"adding {product_url} to the basket answered {added.status_code}")


def basket_cookie(base_url, product):
    """The Cookie header of a visitor with one product in the basket."""
    browser = visitor(base_url)
    add_to_basket(browser, base_url, *product)
    # The page after « Ajouter au panier » shows its message once, as a browser following
    # the redirect would: the messages cookie is gone, not sent with every measured request.
    browser.get(base_url + product[0], timeout=30)
    return "; ".join(f"{name}={value}" for name, value in browser.cookies.items())


# -- load -----------------------------------------------------------------------------------
def get(port, path, cookie=""):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"Host": "127.0.0.1", **({"Cookie": cookie} if cookie else {})})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


def wrk_duration(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def load_with_wrk(port, path, cookie, args):
    headers = ["-H", "Host: 127.0.0.1"] + (["-H", f"Cookie: {cookie}"] if cookie else [])
    url = f"http://127.0.0.1:{port}{path}"
    command = ["wrk", "-t2", f"-c{args.concurrency}", "--timeout", "30s", "--latency", *headers, url]
    subprocess.run(command[:1] + [f"-d{args.warmup}s"] + command[1:], capture_output=True, check=True)
    out = subprocess.run(command[:1] + [f"-d{args.seconds}s"] + command[1:], capture_output=True, text=True,
                         check=True).stdout
    latency = dict(re.findall(r"^\s*(50|99)(?:\.0+)?%\s+(\S+)\s*$", out, re.M))
    if set(latency) != {"50", "99"}:
        raise SystemExit(f"wrk's output for {path} has no latency distribution:\n{out}")
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": wrk_duration(latency["50"]), "p99": wrk_duration(latency["99"]), "errors": errors}


def load_with_python(port, path, cookie, args):
    """`concurrency` keep-alive clients for `seconds` (after a warm-up)."""
    headers = {"Host": "127.0.0.1", **({"Cookie": cookie} if cookie else {})}

    def run(seconds):
        latencies, errors, lock = [], [], threading.Lock()
        deadline = time.monotonic() + seconds

        def client():
            conn, local = http.client.HTTPConnection("127.0.0.1", port, timeout=30), []
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    if response.status != 200:
                        errors.append(response.status)
                except OSError as exc:
                    errors.append(repr(exc))
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                local.append(time.perf_counter() - started)
            conn.close()
            with lock:
                latencies.extend(local)

        began = time.perf_counter()
        threads = [threading.Thread(target=client, daemon=True) for _ in range(args.concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return latencies, errors, time.perf_counter() - began

    run(args.warmup)
    latencies, errors, elapsed = run(args.seconds)
    return {"rps": len(latencies) / elapsed, **percentiles(latencies), "errors": len(errors)}


def percentiles(latencies):
    latencies = sorted(latencies)
    return {"p50": statistics.median(latencies) * 1000,
            "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000}


def measure_pages(label, server, town, args):
    """Each page uncached (a visitor with a basket), then cached (anonymous) when the
    page cache exists; the trivial view once."""
    load = load_with_wrk if shutil.which("wrk") and not args.python_client else load_with_python
    print(f"\n{label}", flush=True)
    wanted = [part.strip() for part in args.pages.split(",") if part.strip()]
    pages = {name: path for name, path in town["pages"].items()
             if name == BASELINE or not wanted or any(part in name for part in wanted)}
    cookie = basket_cookie(server.url, town["checkout_baskets"][-1][0])
    series = [("uncached", cookie)] + ([("cached", "")] if PAGE_CACHE.exists() else [])
    rows = []
    for name, path in pages.items():
        for kind, sent_cookie in series:
            if kind == "cached" and name in NOT_CACHEABLE:
                continue
            if name == "basket, empty":
                sent_cookie = ""
            status = get(server.port, path, sent_cookie)
            if status != 200:
                raise SystemExit(f"{path} answers {status}:\n{server.log()}")
            result = load(server.port, path, sent_cookie, args)
            rows.append((name, kind, result))
            print(f"  {name:<22} {kind:<8} {result['rps']:8.1f} req/s  p50 {result['p50']:6.1f} ms  "
                  f"p99 {result['p99']:7.1f} ms" + (f"  errors {result['errors']}" if result["errors"] else ""),
                  flush=True)
    return rows


def place_orders(server, town, args):
    """Guests with a basket of three shops' products, then every « Valider la commande »
    at `concurrency` at a time: p50, p99 and orders per second."""
    from bs4 import BeautifulSoup

    base_url, checkout = server.url, town["checkout"]

    def prepare(basket):
        browser = visitor(base_url)
        for product in basket:
            add_to_basket(browser, base_url, *product)
        page = browser.get(base_url + checkout, timeout=30)
        form = BeautifulSoup(page.text, "html.parser").find("form", class_="checkout-form")
        data = {**form_fields(form), "first_name": "Client", "last_name": "Banc", "phone": "06 12 34 56 78",
                "email": f"client-{secrets.token_hex(6)}@example.org", "payment_method": "pay_at_pickup",
                "accept_terms": "on"}
        if form.find("input", attrs={"name": "adult_confirmed"}):
            data["adult_confirmed"] = "on"
        return browser, data

    with concurrent.futures.ThreadPoolExecutor(args.concurrency) as pool:
        customers = list(pool.map(prepare, town["checkout_baskets"]))

    def place(customer):
        browser, data = customer
        started = time.perf_counter()
        placed = browser.post(base_url + checkout, data, headers={"Referer": base_url + checkout},
                              allow_redirects=False, timeout=60)
        took = time.perf_counter() - started
        return took, placed.status_code == 302 and placed.headers.get("Location", "").endswith(town["thank_you"])

    began = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(args.concurrency) as pool:
        done = list(pool.map(place, customers))
    elapsed = time.perf_counter() - began
    latencies = [took for took, _ in done]
    return {"orders": len(done), "rps": len(done) / elapsed, **percentiles(latencies),
            "errors": sum(1 for _, ok in done if not ok)}


# -- the document ---------------------------------------------------------------------------
def table(title, rows, previous):
    baseline = next(r for name, _, r in rows if name == BASELINE)["rps"]
    lines = [title, "", "| page | visitor | req/s | p50 (ms) | p99 (ms) | share of trivial view | before: req/s (p50) "
             "| before: share | errors |", "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    before_baseline = previous[BASELINE][0]
    for name, kind, r in rows:
        before = previous.get(name)
        was = f"{before[0]:,} ({before[1]} ms)" if before and kind != "cached" else ""
        was_share = f"{before[0] / before_baseline:.1%}" if before and kind != "cached" else ""
        lines.append(f"| {name} | {kind} | {r['rps']:.1f} | {r['p50']:.1f} | {r['p99']:.1f} | "
                     f"{r['rps'] / baseline:.1%} | {was} | {was_share} | {r['errors']} |")
    return "\n".join(lines)


def write_document(sections, args, started, loads):
    earlier = ""
    if DOCUMENT.exists():
        text = DOCUMENT.read_text()
        earlier = text[text.index(EARLIER):] if EARLIER in text else ""
    client = "wrk" if shutil.which("wrk") and not args.python_client else "a Python keep-alive client"
    head = [
        "# Benchmark figures", "",
        f"Produced by `make bench` (tests/bench/run_bench.py) on {started:%Y-%m-%d, %H:%M}–"
        f"{datetime.datetime.now(datetime.timezone.utc):%H:%M} UTC, {os.cpu_count()} CPU cores: {args.shops} shops, "
        f"{args.products:,} products, gunicorn 2 sync workers, production settings, load by {client} "
        f"({args.concurrency} connections, {args.seconds} s per page after {args.warmup} s of warm-up), on the same "
        f"cores as the server and the database. Load average (1 min) at the start, middle and end: "
        f"{', '.join(f'{x:.1f}' for x in loads)}; figures taken while other programs run are lower, "
        "compare each page with the trivial view of the same run (its share), not absolute figures across runs.", "",
        "« uncached »: a visitor with a basket (its cookie on every request), whom no page cache may serve "
        "(the empty basket page: no cookie); « cached »: an anonymous visitor, served by the page cache. "
        "« before »: issue 19's figures (wrk, 15 s, same sizes) before this work.", "",
    ]
    DOCUMENT.write_text("\n".join(head) + "\n" + "\n\n".join(sections) + "\n\n" + (earlier or f"{EARLIER}\n"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shops", type=int, default=200)
    parser.add_argument("--products", type=int, default=10_000, help="10,000; 100,000 for the large town")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=10, help="measured seconds per page")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per page")
    parser.add_argument("--orders", type=int, default=160, help="orders placed in the checkout benchmark")
    parser.add_argument("--runs", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--python-client", action="store_true", help="the Python client even when wrk is there")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432",
                        help="PostgreSQL server (database bench_townmarket, dropped after)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14",
                        help="Redis database of the PostgreSQL run (flushed before and after)")
    parser.add_argument("--build-town", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    parser.add_argument("--town", nargs=2, metavar=("DATABASE_URL", "TOWN_JSON"),
                        help="measure a town built before (the JSON --build-town printed) instead of building "
                             "one; writes tests/bench/results/partial.md, not docs/benchmark.md")
    parser.add_argument("--pages", default="", help="comma-separated pages to measure (parts of their names); "
                                                    "the trivial view is always measured")
    args = parser.parse_args()
    if args.build_town:
        return build_town(args.build_town, args.shops, args.products, args.orders)

    started = datetime.datetime.now(datetime.timezone.utc)
    loads = [os.getloadavg()[0]]
    if not shutil.which("wrk") and not args.python_client:
        print("wrk is not installed (apt-get install wrk): the Python client measures instead", file=sys.stderr)
    RESULTS.mkdir(exist_ok=True)
    static_root = RESULTS / "static"
    shutil.rmtree(static_root, ignore_errors=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SERVER_SETTINGS, "TWO_SERVERS_STATIC_ROOT": str(static_root),
           "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1", "REDIS_URL": "",
           "PYTHONPATH": f"{ROOT / 'site'}:{ROOT}", "PRIVATE_MEDIA_ROOT": str(RESULTS / "private")}
    collectstatic(env, static_root)
    no_recycling = ["--max-requests", "0"]  # a worker replaced mid-run would cost its start-up
    sections, failed = [], False

    def run(vendor, label, server_env, town):
        nonlocal failed
        server = GunicornServer(vendor, server_env, RESULTS, 2, extra_args=no_recycling)
        try:
            server.start().wait_ready(timeout=120)
            rows = measure_pages(label, server, town, args)
        finally:
            server.stop()
        loads.append(os.getloadavg()[0])
        failed |= any(r["errors"] for _, _, r in rows)
        sections.append(table(f"## {label}", rows, PREVIOUS[vendor]))

    if args.town:
        database_url, town_json = args.town
        town = json.loads(Path(town_json).read_text().strip().splitlines()[-1])
        vendor = "sqlite" if database_url.startswith("sqlite") else "postgresql"
        server_env = {**env, "DATABASE_URL": database_url}
        if vendor == "postgresql":
            flush_redis(args.redis)
            server_env["REDIS_URL"] = args.redis
        run(vendor, f"{vendor}, a town built before", server_env, town)
        (RESULTS / "partial.md").write_text("\n\n".join(sections) + "\n")
        print("\n\n".join(sections))
        sys.exit(1 if failed else 0)

    if args.runs in ("sqlite", "both"):
        db_path = RESULTS / "bench.sqlite3"
        for leftover in RESULTS.glob("bench.sqlite3*"):
            leftover.unlink()
        print(f"Base SQLite : {db_path}", flush=True)
        town = build_in_child(f"sqlite:///{db_path}", args)
        run("sqlite", "SQLite, caches in the database", {**env, "DATABASE_URL": f"sqlite:///{db_path}"}, town)

    if args.runs in ("postgresql", "both"):
        database_url = f"{args.postgres}/bench_townmarket"
        print(f"Base PostgreSQL : {database_url}, Redis : {args.redis}", flush=True)
        postgres_admin(args.postgres, "DROP DATABASE IF EXISTS bench_townmarket WITH (FORCE)")
        postgres_admin(args.postgres, "CREATE DATABASE bench_townmarket")
        flush_redis(args.redis)
        try:
            town = build_in_child(database_url, args)
            pg_env = {**env, "DATABASE_URL": database_url, "REDIS_URL": args.redis}
            run("postgresql", "PostgreSQL, caches in Redis", pg_env, town)
            server = GunicornServer("checkout", pg_env, RESULTS, 4, extra_args=no_recycling)
            try:
                server.start().wait_ready(timeout=120)
                result = place_orders(server, town, args)
            finally:
                server.stop()
            failed |= bool(result["errors"])
            print(f"\nCheckout: {result}", flush=True)
            sections.append(
                "## Checkout, PostgreSQL, gunicorn 4 workers\n\n"
                f"{result['orders']} orders, each by a distinct guest, of three products from three shops "
                f"(stock allocated, e-mails queued), {args.concurrency} at a time; timed from « Valider la "
                "commande » to the redirect to the thank-you page. Target (issue 19): p99 at most 500 ms, at "
                "least 20 orders per second.\n\n"
                "| orders/s | p50 (ms) | p99 (ms) | errors |\n|---:|---:|---:|---:|\n"
                f"| {result['rps']:.1f} | {result['p50']:.1f} | {result['p99']:.1f} | {result['errors']} |")
        finally:
            flush_redis(args.redis)
            postgres_admin(args.postgres, "DROP DATABASE IF EXISTS bench_townmarket WITH (FORCE)")

    loads.append(os.getloadavg()[0])
    write_document(sections, args, started, loads)
    (RESULTS / "latest.md").write_text("\n\n".join(sections) + "\n")
    print("\n\n".join(sections))
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
