"""Keeping the index up to date: documents are (re)built from the catalogue and handed to
the "storefront" search backend. Changes reach it through the task queue
(storefront_search.tasks, enqueued by storefront_search.receivers); `manage.py
rebuild_search_index` rebuilds everything."""
import html

from django.db import transaction
from django.utils.html import strip_tags
from modelsearch.backends import get_search_backend
from oscar.core.loading import get_model

from shops_pages.models import ShopPage

from . import text
from .engine import trigrams
from .models import ProductDocument, SearchTrigram, SearchWord, ShopDocument

Product = get_model("catalogue", "Product")
BATCH = 500


def backend():
    return get_search_backend("storefront")


def product_documents(ids):
    """Documents of the products `ids` that exist (hidden ones too: the listing filters them)."""
    products = Product.objects.filter(pk__in=ids).prefetch_related(
        "stockrecords__partner", "categories").only("pk", "title", "description")
    documents, vocabulary = [], []
    for product in products:
        shops = [record.partner.name for record in product.stockrecords.all()]
        categories = [category.name for category in product.categories.all()]
        description = html.unescape(strip_tags(product.description or ""))
        towns = sorted({text.town_term(record.partner.town_id) for record in product.stockrecords.all()})
        documents.append(ProductDocument(
            id=product.pk, title=text.terms(product.title),
            body=" ".join([text.terms(" ".join([product.title, description, *shops, *categories])), *towns])))
        vocabulary += [product.title, *shops, *categories]
    return documents, vocabulary


def shop_documents(ids):
    shops = ShopPage.objects.filter(pk__in=ids).select_related("kind", "partner")
    documents, vocabulary = [], []
    for shop in shops:
        kind = shop.kind.name if shop.kind else ""
        towns = [text.town_term(shop.partner.town_id)] if shop.partner_id else []
        documents.append(ShopDocument(
            id=shop.pk, title=text.terms(shop.title),
            body=" ".join([text.terms(" ".join([shop.title, kind, shop.introduction, shop.city])), *towns])))
        vocabulary += [shop.title, kind]
    return documents, vocabulary


def index_products(ids, push=True):
    _index(ProductDocument, product_documents, ids, push)


def index_shops(ids, push=True):
    _index(ShopDocument, shop_documents, ids, push)


def _index(model, build, ids, push=True):
    """Documents of `ids` (re)built, removed if their object is gone, and handed to the
    backend (unless `push` is False: a rebuild hands them over all at once)."""
    ids = sorted(set(int(pk) for pk in ids))
    engine = backend()
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        documents, vocabulary = build(chunk)
        with transaction.atomic():
            found = {document.pk for document in documents}
            gone = [pk for pk in chunk if pk not in found]
            for document in model.objects.filter(pk__in=gone):
                engine.delete(document)
            model.objects.filter(pk__in=gone).delete()
            model.objects.bulk_create(documents, update_conflicts=True, unique_fields=["id"],
                                      update_fields=["title", "body"])
            if documents and push:
                engine.add_bulk(model, documents)
            remember_words(vocabulary)


def remember_words(texts):
    """Adds the words of `texts` to the vocabulary (never removed but by a rebuild)."""
    new = {text.plain(word) for value in texts for word in text.words(value)}
    new = {word for word in new if 3 <= len(word) <= 64 and not word.isdigit()}
    if not new:
        return
    known = set(SearchWord.objects.filter(word__in=new).values_list("word", flat=True))
    added = SearchWord.objects.bulk_create([SearchWord(word=word) for word in sorted(new - known)],
                                           ignore_conflicts=True)
    words = SearchWord.objects.filter(word__in=[word.word for word in added])
    SearchTrigram.objects.bulk_create(
        [SearchTrigram(word=word, trigram=trigram) for word in words for trigram in trigrams(word.word)])


def forget_all(engine, model):
    if hasattr(engine, "ranked_ids"):  # the database's index: one table for every model
        from django.contrib.contenttypes.models import ContentType
        from modelsearch.conf import get_app_config

        get_app_config().get_model("IndexEntry").objects.filter(
            content_type=ContentType.objects.get_for_model(model)).delete()
    else:  # Elasticsearch, OpenSearch: an index per model
        engine.get_index_for_model(model).reset()


def rebuild(log=lambda message: None):
    """Every product and shop indexed again, and the vocabulary rebuilt."""
    engine = backend()
    SearchTrigram.objects.all().delete()
    SearchWord.objects.all().delete()
    for model in (ProductDocument, ShopDocument):
        forget_all(engine, model)
        model.objects.all().delete()
    # The database's index takes every document in one statement per table.
    push = not hasattr(engine, "index_all")
    shop_ids = list(ShopPage.objects.values_list("pk", flat=True))
    index_shops(shop_ids, push=push)
    log(f"commerces : {len(shop_ids)}")
    product_ids = list(Product.objects.values_list("pk", flat=True))
    for start in range(0, len(product_ids), 5 * BATCH):
        index_products(product_ids[start:start + 5 * BATCH], push=push)
        log(f"produits : {min(start + 5 * BATCH, len(product_ids))}/{len(product_ids)}")
    if not push:
        with transaction.atomic():
            for model in (ProductDocument, ShopDocument):
                engine.index_all(model)
            engine.get_index_for_model(ProductDocument)._refresh_title_norms(full=True)
