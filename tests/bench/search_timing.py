#!/usr/bin/env python
"""Timing of the catalogue's search on PostgreSQL, not a test:

    python tests/bench/search_timing.py --products 10000 [--keep]

Builds the benchmark town (tests/bench/build_catalogue.py: 200 shops, bulk inserts) in
the database `bench_search` (created, and dropped unless --keep), gives its products
varied French titles (« Confiture d'abricot bio 00042 »: the builder's titles all share
their words), rebuilds the search index, then times each query many times in this
process: the engine alone (storefront_search.engine.search: ranked ids of products and
shops) and the whole search page (the Django view, 24 product cards rendered), and
prints p50 and p99 in milliseconds. Only 127.0.0.1 is contacted."""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]

NOUNS = ["Confiture", "Fromage", "Pain", "Miel", "Chocolat", "Savon", "Bougie", "Tisane", "Café", "Thé",
         "Biscuit", "Terrine", "Huile", "Vinaigre", "Moutarde", "Cidre", "Bière", "Vin", "Jus", "Sirop",
         "Gâteau", "Tarte", "Brioche", "Saucisson", "Jambon", "Pâté", "Yaourt", "Beurre", "Crème", "Farine",
         "Lentilles", "Pâtes", "Riz", "Sel", "Poivre", "Épices", "Livre", "Carnet", "Vase", "Panier"]
KINDS = ["d'abricot", "de chèvre", "de campagne", "de lavande", "noir", "au lait", "fermier", "artisanal",
         "de Bourgogne", "aux noix", "aux herbes", "de saison", "du terroir", "à l'ancienne", "aux fraises",
         "de sarrasin", "au citron", "de montagne", "fumé", "épicé", "doux", "corsé", "léger", "aux figues",
         "de pays"]
LABELS = ["bio", "maison", "local", "extra", "nature", "grand cru", "en vrac", "du jour"]
QUERIES = {
    "one word": "confiture",
    "one word, plural": "confitures",
    "three words": "confiture abricot bio",
    "a typo": "confture",
    "a rare word (number)": "00042",
}


def setup(database_url):
    os.environ["DATABASE_URL"] = database_url
    # Static files without collectstatic, no query log; the queries and templates are production's.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townmarket.settings.test")
    import django

    django.setup()


def create_database(name, drop_first):
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as connection:
        if drop_first:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
        return not exists


def build(products):
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from tests.bench.build_catalogue import build as build_catalogue

    build_catalogue(shops=200, products=products, log=lambda line: print(line, file=sys.stderr, flush=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE catalogue_product SET title = (%s::text[])[id %% %s + 1] || ' ' || (%s::text[])[(id / %s) %% %s + 1]"
            " || ' ' || (%s::text[])[(id / 7) %% %s + 1] || ' ' || right(upc, 5) WHERE upc LIKE 'bench-%%'",
            [NOUNS, len(NOUNS), KINDS, len(NOUNS), len(KINDS), LABELS, len(LABELS)])
    started = time.monotonic()
    call_command("rebuild_search_index", verbosity=0)
    print(f"  index rebuilt in {time.monotonic() - started:.0f} s", file=sys.stderr)
    with connection.cursor() as cursor:  # as autovacuum would soon do on a live site
        cursor.execute("VACUUM ANALYZE")


def timings(function, runs):
    function()  # warm up
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        durations.append((time.perf_counter() - started) * 1000)
    durations.sort()
    return statistics.median(durations), durations[int(len(durations) * 0.99) - 1]


def measure(runs):
    from django.test import Client
    from oscar.core.loading import get_model

    from storefront_search import engine

    from django.conf import settings

    settings.PAGE_CACHE_SECONDS = 0  # the view itself, as for a visitor with a basket: no page cache
    Product = get_model("catalogue", "Product")
    client = Client()
    print(f"{Product.objects.count()} products; p50 / p99 in ms over {runs} runs")
    print(f"{'query':<24} {'results':>7} {'engine p50':>10} {'p99':>6} {'page p50':>9} {'p99':>6}")
    for label, query in QUERIES.items():
        found = engine.search(query)
        engine_p50, engine_p99 = timings(lambda: engine.search(query), runs)

        def whole_page():
            response = client.get("/boutique/catalogue/", {"q": query}, HTTP_HOST="localhost")
            assert response.status_code == 200

        page_p50, page_p99 = timings(whole_page, runs)
        print(f"{label + ' «' + query + '»':<24} {len(found.product_ids):>7} {engine_p50:>10.1f} {engine_p99:>6.1f}"
              f" {page_p50:>9.1f} {page_p99:>6.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--database", default="bench_search")
    parser.add_argument("--keep", action="store_true", help="keep the database (and reuse it next time)")
    parser.add_argument("--rebuild", action="store_true", help="drop the kept database first")
    args = parser.parse_args()
    created = create_database(args.database, drop_first=args.rebuild)
    setup(f"postgres://postgres@127.0.0.1:5432/{args.database}")
    if created:
        build(args.products)
    try:
        measure(args.runs)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            import psycopg

            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{args.database}"')


if __name__ == "__main__":
    main()
