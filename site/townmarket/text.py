import unicodedata


def sort_key(text):
    """Alphabetical order as a French reader expects it: « Épicerie » among the E."""
    return unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().casefold()
