from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class LocalDeliveryConfig(AppConfig):
    """Home delivery by volunteer rounds and postal delivery (README, "Plugins")."""

    name = "plugins.local_delivery"
    label = "local_delivery"
    verbose_name = _("Livraisons")

    def ready(self):
        from . import checkout, flyer, personal_data, receivers, report_figures  # noqa: F401  registers the hooks and signal receivers

        post_migrate.connect(receivers.grant_permissions, sender=self)
