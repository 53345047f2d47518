"""Keep each shop group's page permissions in step with its vitrine."""
from django.db.models.signals import post_save
from django.dispatch import receiver

from shops_pages.models import ShopPage

from .roles import sync_shop_permissions


@receiver(post_save, sender=ShopPage)
def shop_page_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.partner_id:
        sync_shop_permissions(instance)
