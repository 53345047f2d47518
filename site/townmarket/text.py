import unicodedata


def sort_key(text):
    """Alphabetical order as a French reader expects it: « Épicerie » among the E."""
    return unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().casefold()


def is_row_id(value):
    """Whether a posted value is a plain row id: ASCII digits only (not « ² »), short
    enough for int() and for the database's integer column."""
    value = str(value or "")
    return value.isascii() and value.isdigit() and len(value) <= 9
