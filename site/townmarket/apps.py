from django.apps import AppConfig


class TownmarketConfig(AppConfig):
    name = "townmarket"
    verbose_name = "Marché de la ville"
