from django.apps import AppConfig


class TownmarketConfig(AppConfig):
    name = "townmarket"
    verbose_name = "Marché de la ville"

    def ready(self):
        from . import db  # noqa: F401  registers UNACCENT on SQLite connections
