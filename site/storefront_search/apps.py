from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class StorefrontSearchConfig(AppConfig):
    name = "storefront_search"
    label = "storefront_search"  # not "search": Oscar's search app has that label
    verbose_name = _("Recherche")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers

        post_migrate.connect(receivers.index_an_existing_catalogue, sender=self)
