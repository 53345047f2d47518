from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LocalDeliveryConfig(AppConfig):
    """Home delivery by volunteer rounds and postal delivery (README, "Plugins")."""

    name = "plugins.local_delivery"
    label = "local_delivery"
    verbose_name = _("Livraisons")

    def ready(self):
        from backoffice import roles

        from . import checkout, flyer, personal_data, receivers, report_figures  # noqa: F401  registers the hooks and signal receivers

        for role, names in receivers.GRANTS.items():
            roles.grant_to_role(self, role, names)
