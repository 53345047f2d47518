"""Database helpers shared by PostgreSQL and SQLite."""
import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import Func, TextField


def strip_accents(text):
    if text is None:
        return None
    return "".join(c for c in unicodedata.normalize("NFKD", str(text)) if not unicodedata.combining(c))


class Unaccent(Func):
    """UNACCENT(expression): PostgreSQL's extension, or a Python function on SQLite."""

    function = "UNACCENT"
    output_field = TextField()


def register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("UNACCENT", 1, strip_accents, deterministic=True)


connection_created.connect(register_sqlite_functions)
