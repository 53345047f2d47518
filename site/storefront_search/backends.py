"""The database's full-text search as a modelsearch backend, with one fast query for the
storefront: the best `limit` documents of a model for some stemmed terms, each with its
score, ranked with the title weighing more than the body.

modelsearch's own database backends answer through the model's queryset, with a score
subquery per row on SQLite (a search matching 10,000 products ran 10,000 FTS queries) and
no index usable on PostgreSQL (they match `title || body`, which has none); these two
queries use the FTS5 table and the GIN index on `body`, and nothing else."""
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router
from modelsearch.backends.database import SearchBackend as database_backend
from modelsearch.conf import get_app_config

TITLE_WEIGHT = 10.0


def ranked_ids_sqlite(model, terms, limit):
    IndexEntry = get_app_config().get_model("IndexEntry")
    entries = IndexEntry._meta.db_table
    # Terms are letters and digits (storefront_search.text); quoted (a quote doubled, should
    # one ever come out of Unicode normalisation), FTS5 reads each as words, never as syntax.
    match = " AND ".join('"%s"' % term.replace('"', '""') for term in terms)
    # bm25() is lower for better matches; the FTS5 columns are (autocomplete, body, title).
    sql = (
        f"SELECT e.object_id, bm25({entries}_fts, 0.0, 1.0, %s) AS score "
        f"FROM {entries}_fts JOIN {entries} e ON e.id = {entries}_fts.rowid "
        f"WHERE {entries}_fts MATCH %s AND e.content_type_id = %s "
        f"ORDER BY score, e.object_id LIMIT %s"
    )
    return _run(IndexEntry, sql, [TITLE_WEIGHT, match, _content_type(model), limit], sign=-1)


def ranked_ids_postgres(model, terms, limit):
    IndexEntry = get_app_config().get_model("IndexEntry")
    entries = IndexEntry._meta.db_table
    sql = (
        f"SELECT e.object_id, ts_rank(e.title, q) * %s + ts_rank(e.body, q) AS score "
        f"FROM {entries} e, plainto_tsquery('simple', %s) q "
        f"WHERE e.body @@ q AND e.content_type_id = %s "
        f"ORDER BY score DESC, e.object_id LIMIT %s"
    )
    return _run(IndexEntry, sql, [TITLE_WEIGHT, " ".join(terms), _content_type(model), limit], sign=1)


def index_all_sqlite(model):
    """Every row of the document table `model` into the index in one statement (a rebuild:
    its entries were deleted first; one indexed meanwhile by a task is kept); the FTS5
    table follows through modelsearch's triggers."""
    IndexEntry = get_app_config().get_model("IndexEntry")
    _execute(IndexEntry, (
        f"INSERT INTO {IndexEntry._meta.db_table} (content_type_id, object_id, title, autocomplete, body, title_norm) "
        f"SELECT %s, CAST(id AS TEXT), title, '', body, 1.0 FROM {model._meta.db_table} WHERE true "
        f"ON CONFLICT (content_type_id, object_id) DO NOTHING"), [_content_type(model)])


def index_all_postgres(model):
    """The same on PostgreSQL, with the tsvectors modelsearch's indexer writes (its weights)."""
    from modelsearch.backends.database.postgres.weights import get_weight

    IndexEntry = get_app_config().get_model("IndexEntry")
    title_boost = next(field.boost for field in model.search_fields if field.field_name == "title")
    _execute(IndexEntry, (
        f"INSERT INTO {IndexEntry._meta.db_table} "
        f"(content_type_id, object_id, title, autocomplete, body, title_norm, title_text, body_text) "
        f"SELECT %s, id::text, setweight(to_tsvector('simple', title), %s), to_tsvector(''), "
        f"setweight(to_tsvector('simple', body), %s), 1.0, title, body FROM {model._meta.db_table} "
        f"ON CONFLICT (content_type_id, object_id) DO NOTHING"),
        [_content_type(model), get_weight(title_boost), get_weight(None)])


def _execute(IndexEntry, sql, params):
    with connections[router.db_for_write(IndexEntry)].cursor() as cursor:
        cursor.execute(sql, params)


def _content_type(model):
    return ContentType.objects.get_for_model(model).pk


def _run(IndexEntry, sql, params, sign):
    with connections[router.db_for_read(IndexEntry)].cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(object_id), sign * score) for object_id, score in cursor.fetchall()]


def SearchBackend(params):
    """modelsearch's database backend for this database, able to answer `ranked_ids`."""
    backend = database_backend(params)
    vendor = connections[router.db_for_read(get_app_config().get_model("IndexEntry"))].vendor
    fast = {"sqlite": (ranked_ids_sqlite, index_all_sqlite),
            "postgresql": (ranked_ids_postgres, index_all_postgres)}.get(vendor)
    if fast is not None and type(backend).__name__ != "DatabaseSearchBackend":  # not the plain-LIKE fallback
        backend.ranked_ids, backend.index_all = fast
    return backend
