"""Where files nobody may fetch by URL are kept (settings.STORAGES["private"])."""
from django.core.files.storage import storages


def private_storage():
    """A callable, so a FileField's migration names it rather than a path on disk."""
    return storages["private"]
