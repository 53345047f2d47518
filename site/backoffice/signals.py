"""Keep each shop group's page permissions in step with its vitrine."""
from django.db.models.signals import post_save
from django.dispatch import receiver

from shops_pages.models import ShopPage

from .roles import sync_shop_permissions


@receiver(post_save, sender=ShopPage)
def shop_page_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.partner_id:
        sync_shop_permissions(instance)


@receiver(post_save, sender="wagtailcore.Site")
def town_saved(sender, instance, created=False, raw=False, **kwargs):
    """A new town gets its role groups; a town whose home page changed moves its staff's
    page permissions to it (one query when nothing changed)."""
    from wagtail.models import GroupPagePermission

    from .roles import ensure_roles, ensure_town_roles

    if raw:
        return
    if created:  # every town's roles: the first town's files get a collection of their own
        ensure_roles()
    elif not GroupPagePermission.objects.filter(
            page_id=instance.root_page_id, group__town_team__town=instance,
            group__town_team__role="association").exists():
        ensure_town_roles(instance)
