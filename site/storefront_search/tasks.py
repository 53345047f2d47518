"""Index updates run by the task worker (django-tasks, `manage.py db_worker`), so that a
merchant saving a product never waits for the index."""
from django_tasks import task

from . import indexing


@task()
def index_products(ids):
    indexing.index_products(ids)


@task()
def index_shops(ids):
    indexing.index_shops(ids)


@task()
def index_products_of(partner_ids=(), category_ids=()):
    """A shop or a category renamed: its products' documents hold its name."""
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    ids = set(Product.objects.filter(stockrecords__partner_id__in=partner_ids).values_list("pk", flat=True))
    ids |= set(Product.objects.filter(categories__in=category_ids).values_list("pk", flat=True))
    indexing.index_products(ids)
