"""Oscar caches each category's address (its ancestors' slugs joined, key
CATEGORY_URL_<language>_<pk>, in the "default" cache) and never forgets it: after a
category is renamed, moved or deleted, every server kept linking to the old address,
and two processes that disagreed sent a visitor back and forth between the old and the
new one (ProductCategoryView redirects to the address it computes). Forget it, for the
category and its descendants, in every language, whenever a category is saved or
deleted; with REDIS_URL the cache is shared, so every server computes the new one."""
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from oscar.core.loading import get_model

Category = get_model("catalogue", "Category")


def forget_addresses(categories):
    languages = {code for code, _name in settings.LANGUAGES} | {settings.LANGUAGE_CODE}
    keys = [f"CATEGORY_URL_{language}_{pk}" for pk in categories for language in sorted(languages)]
    if keys:
        cache.delete_many(keys)


@receiver(post_save, sender=Category, dispatch_uid="townmarket_category_saved")
def category_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    # The descendants' addresses start with this one's slug (treebeard paths: by prefix).
    forget_addresses(Category.objects.filter(path__startswith=instance.path).values_list("pk", flat=True))


@receiver(post_delete, sender=Category, dispatch_uid="townmarket_category_deleted")
def category_deleted(sender, instance, **kwargs):
    forget_addresses([instance.pk])
