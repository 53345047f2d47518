"""What the search engine indexes: one document per product and per shop, holding the
search terms of its text (text.terms), and the vocabulary that typos are corrected from.

The documents are indexed by Wagtail's search framework (modelsearch) in the backend
named "storefront" in MODELSEARCH_BACKENDS: the database's own full-text search
(SQLite FTS5, PostgreSQL tsvector with GIN indexes), or OpenSearch/Elasticsearch."""
from django.db import models
from modelsearch import index


class SearchDocument(index.Indexed, models.Model):
    """`title` weighs more than `body` (which repeats the title, so that every word of a
    query may be found in either)."""

    title = models.TextField(blank=True)
    body = models.TextField(blank=True)

    search_fields = [
        index.SearchField("title", boost=10),
        index.SearchField("body"),
    ]
    search_auto_update = False  # indexed by storefront_search.indexing, in the task queue

    class Meta:
        abstract = True


class ProductDocument(SearchDocument):
    """Its primary key is the product's."""

    id = models.BigIntegerField(primary_key=True)


class ShopDocument(SearchDocument):
    """Its primary key is the shop's vitrine (ShopPage)."""

    id = models.BigIntegerField(primary_key=True)


class SearchWord(models.Model):
    """A word of the catalogue's titles, shops, kinds and categories, without accents."""

    word = models.CharField(max_length=64, unique=True)
    documents = models.PositiveIntegerField(default=1)


class SearchTrigram(models.Model):
    """Three letters of a word (with a space before and after it): words sharing the
    most trigrams with a typo are the candidates for « Vouliez-vous dire ».
    """

    trigram = models.CharField(max_length=3, db_index=True)
    word = models.ForeignKey(SearchWord, on_delete=models.CASCADE, related_name="trigrams")
