"""Searching: a typed query becomes stemmed terms (storefront_search.text), the search
backend ranks the products and shops whose documents hold every term, and a query that
finds nothing is tried again with each unknown word replaced by the nearest word of the
catalogue's vocabulary (« fromge » → « fromage »).

The backend returns ranked ids only; what may be shown (a public product, a published
shop) and the listing's filters are applied by the caller on the live tables, so a
hidden product is never found, whatever the index holds."""
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from modelsearch.backends import get_search_backend

from . import text
from .models import ProductDocument, SearchTrigram, SearchWord, ShopDocument

MAX_SHOPS = 6


@dataclass
class Found:
    words: list = field(default_factory=list)  # the words searched (corrected ones included)
    product_ids: list = field(default_factory=list)  # best first
    shop_ids: list = field(default_factory=list)
    corrected: str = ""  # the query searched instead of the typed one, if it was corrected

    def __bool__(self):
        return bool(self.product_ids or self.shop_ids)


def search(query, town=None):
    """`town`: a Wagtail Site, whose shops' products and shops only are ranked (None: every town's)."""
    words = text.query_words(query)
    if not words:
        return Found()
    found = _search(words, town)
    if not found:
        corrected = [correct(word) for word in words]
        if corrected != words:
            found = _search(corrected, town)
            if found:
                found.corrected = " ".join(corrected)
    return found


def _search(words, town=None):
    terms = [term for term in (text.stem(word) for word in words) if term]
    if not terms:
        return Found(words=words)
    if town is not None:
        terms.append(text.town_term(town.pk))
    backend = get_search_backend("storefront")
    return Found(
        words=words,
        product_ids=[pk for pk, _ in ranked_ids(backend, ProductDocument, terms, settings.SEARCH_MAX_RESULTS)],
        shop_ids=[pk for pk, _ in ranked_ids(backend, ShopDocument, terms, MAX_SHOPS)],
    )


def ranked_ids(backend, model, terms, limit):
    """[(id, score)], best first: the database's own query, or any modelsearch backend's."""
    if hasattr(backend, "ranked_ids"):
        return backend.ranked_ids(model, terms, limit)
    results = backend.search(" ".join(terms), model, operator="and").annotate_score("_score")[:limit]
    return [(document.pk, document._score) for document in results]


def correct(word):
    """The vocabulary's word nearest to `word` (at most one typo in a short word, two in a
    longer one), or `word` itself."""
    plain = text.plain(word)
    if len(plain) < 3 or plain.isdigit() or SearchWord.objects.filter(word=plain).exists():
        return word
    candidates = (SearchTrigram.objects.filter(trigram__in=trigrams(plain))
                  .values("word__word").annotate(shared=Count("id")).order_by("-shared", "word__word")[:30])
    allowed = 1 if len(plain) <= 4 else 2
    best = None
    for candidate in candidates:
        other = candidate["word__word"]
        distance = edit_distance(plain, other)
        if distance <= allowed and (best is None or (distance, -candidate["shared"]) < best[:2]):
            best = (distance, -candidate["shared"], other)
    return best[2] if best else word


def trigrams(word):
    padded = f" {word} "
    return sorted({padded[i:i + 3] for i in range(len(padded) - 2)})


def edit_distance(a, b):
    """Damerau-Levenshtein (optimal string alignment): a swap of two letters is one typo."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]
