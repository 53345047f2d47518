"""Every change that alters what a search finds enqueues its re-indexing task; the
visibility of a product or shop (public, published) is checked when searching, so the
index holds text only."""
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from oscar.core.loading import get_model

from shops_pages.models import ShopKind, ShopPage
from townmarket.signals import demo_town_loaded

from . import tasks

Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")
Partner = get_model("partner", "Partner")


@receiver(post_save, sender=Product)
@receiver(post_delete, sender=Product)
def product_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        tasks.index_products.enqueue([instance.pk])


# A stock record's price and stock change at every sale: only a new or removed one (a
# product given to a shop) changes the text, which holds the shop's name.
@receiver(post_save, sender=StockRecord)
@receiver(post_delete, sender=StockRecord)
@receiver(post_save, sender=ProductCategory)
@receiver(post_delete, sender=ProductCategory)
def product_link_changed(sender, instance, raw=False, created=True, **kwargs):
    if not raw and created:
        tasks.index_products.enqueue([instance.product_id])


@receiver(m2m_changed, sender=Product.categories.through)
def product_categories_changed(sender, instance, action, pk_set=None, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        if isinstance(instance, Product):
            tasks.index_products.enqueue([instance.pk])
        else:
            tasks.index_products.enqueue(sorted(pk_set or []))


@receiver(post_save, sender=Partner)
def shop_renamed(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not created:
        tasks.index_products_of.enqueue(partner_ids=[instance.pk])


@receiver(post_save, sender=Category)
def category_renamed(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not created:
        tasks.index_products_of.enqueue(category_ids=[instance.pk])


@receiver(post_save, sender=ShopPage)
@receiver(post_delete, sender=ShopPage)
def shop_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        tasks.index_shops.enqueue([instance.pk])


@receiver(post_save, sender=ShopKind)
def shop_kind_renamed(sender, instance, raw=False, **kwargs):
    if not raw:
        tasks.index_shops.enqueue(list(ShopPage.objects.filter(kind=instance).values_list("pk", flat=True)))


@receiver(demo_town_loaded)
def index_the_demo_town(sender, **kwargs):
    from . import indexing

    indexing.rebuild()


def index_an_existing_catalogue(sender, **kwargs):
    """After `migrate`: a catalogue from before the search engine (or restored from a
    backup) gets indexed once."""
    from .models import ProductDocument

    using = kwargs.get("using", "default")
    if (Product.objects.using(using).exists() or ShopPage.objects.using(using).exists()) and \
            not ProductDocument.objects.using(using).exists():
        from . import indexing

        indexing.rebuild()
