from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class GiftCardsConfig(AppConfig):
    """Shop gift cards, service vouchers and the town card: bought online, spent
    online or in the shop, every movement in a ledger (README, "Plugins")."""

    name = "plugins.gift_cards"
    label = "gift_cards"
    verbose_name = _("Cartes cadeaux")

    def ready(self):
        from backoffice import roles
        from townmarket import page_cache

        from . import checkout, demo, personal_data, purchase, receivers, report_figures  # noqa: F401  registers hooks and receivers

        post_migrate.connect(receivers.setup, sender=self)
        for role, names in receivers.GRANTS.items():
            roles.grant_to_role(self, role, names)
        # the purchase form sits on product pages, which anonymous visitors get from the cache
        page_cache.confirm_once("gift_cards_add", _("Ajouter au panier"))
