"""From text to search terms: the same steps for what is indexed and what is typed, so
that every backend (SQLite FTS5, PostgreSQL, OpenSearch) compares the same words.

Lower case, French stemming (Snowball, the algorithm of PostgreSQL's `french`
configuration: « fromages » and « fromage » both give « fromag »), accents removed after
stemming (« crème » and « creme » give « crem »), common French words dropped. Only
letters and digits survive, so nothing typed can reach a query language as an operator
(FTS5's `"`, `*`, `NEAR`, `^`, `-`; tsquery's `&`, `|`, `!`)."""
import re
import unicodedata
from functools import lru_cache

import snowballstemmer

from townmarket.db import strip_accents

MAX_QUERY_LENGTH = 100  # characters of a query; the rest is ignored
MAX_QUERY_TERMS = 8
WORD = re.compile(r"[^\W_]+")  # letters and digits of any alphabet
STOP_WORDS = frozenset(
    "a au aux avec ce ces d dans de des du en et l la le les leur mais ou par pour sa se ses son sur un une "
    "y à".split()
)

_stemmer = snowballstemmer.stemmer("french")


def words(text):
    """The words of `text`, lower case, accents kept, common words dropped."""
    text = unicodedata.normalize("NFC", str(text or "")).lower()
    return [word for word in WORD.findall(text) if word not in STOP_WORDS]


@lru_cache(maxsize=50_000)
def stem(word):
    return strip_accents(_stemmer.stemWord(word))


def terms(text):
    """The search terms of a text to index: stems joined by spaces."""
    return " ".join(stem(word) for word in words(text))


def query_words(query):
    """The words of a typed query, cut at MAX_QUERY_LENGTH characters and MAX_QUERY_TERMS words."""
    query = str(query or "")[:MAX_QUERY_LENGTH]
    unique = []
    for word in words(query):
        if word not in unique:
            unique.append(word)
    return unique[:MAX_QUERY_TERMS]


def town_term(site_id):
    """The term every document of a town's shop holds (indexing.py) and every search in
    that town adds (engine.search): the engine ranks that town's documents only, so a
    town's best results are never crowded out by other towns'. Letters and digits only,
    like any term; kept out of the vocabulary."""
    return f"zzville{int(site_id)}"


def plain(word):
    """A word as kept in the vocabulary (and compared for typos): no accents."""
    return strip_accents(word)
