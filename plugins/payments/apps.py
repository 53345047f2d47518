from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    """Paying online by card through Stripe, recording payments made in the shop,
    refunds and what the association owes each shop (README, "Plugins")."""

    name = "plugins.payments"
    label = "payments"
    verbose_name = _("Paiements")

    def ready(self):
        from . import door, hooks, panels, receivers  # noqa: F401  registers hooks and receivers

        post_migrate.connect(receivers.grant_permissions, sender=self)
