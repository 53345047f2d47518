from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    """Paying online by card through Stripe, recording payments made in the shop,
    refunds and what the association owes each shop (README, "Plugins")."""

    name = "plugins.payments"
    label = "payments"
    verbose_name = _("Paiements")

    def ready(self):
        from backoffice import roles

        from . import door, hooks, panels, receivers  # noqa: F401  registers hooks and receivers

        for role, names in receivers.GRANTS.items():
            roles.grant_to_role(self, role, names)
