"""Alcoholic drinks: the products of a category flagged « boissons alcoolisées »
(Category.contains_alcohol), or of any of its sub-categories. They carry the health message
(HEALTH_WARNING, loi Évin: Code de la santé publique, art. L3323-4) on their page and card,
and a basket holding one asks the customer to confirm they are 18 or over (art. L3342-1).

    is_alcohol(product)        -> bool (uses the listing's annotation when there is one)
    lines_with_alcohol(lines)  -> the basket or order lines whose product is alcohol
    alcohol_notice(order, lines) -> what the merchant reads on an order with alcohol, or ""
    with_alcohol_flag(qs)      -> products annotated with `contains_alcohol`, no extra query
"""
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

ADULT_CONFIRMED = _("Contient de l'alcool : majorité confirmée par le client")
ADULT_NOT_CONFIRMED = _("Contient de l'alcool : majorité non confirmée, vérifiez l'âge du client à la remise")
HEALTH_WARNING = _("L'abus d'alcool est dangereux pour la santé, à consommer avec modération.")
ANNOTATION = "contains_alcohol"


def _flagged_categories_of(product_ref, parent_ref):
    """Exists: one of the product's (or its parent's) categories is flagged, or lies under one."""
    Category = get_model("catalogue", "Category")
    ProductCategory = get_model("catalogue", "ProductCategory")
    # A tree path starts with its ancestors' paths (treebeard's materialised path).
    flagged_ancestor = Category.objects.filter(
        contains_alcohol=True, path=Substr(OuterRef("category__path"), 1, Length("path")))
    links = ProductCategory.objects.filter(Q(product=product_ref) | Q(product=parent_ref))
    return Exists(links.filter(Exists(flagged_ancestor)))


def with_alcohol_flag(queryset):
    return queryset.annotate(**{ANNOTATION: _flagged_categories_of(OuterRef("pk"), OuterRef("parent_id"))})


def is_alcohol(product):
    if product is None:
        return False
    known = getattr(product, ANNOTATION, None)
    if known is not None:
        return bool(known)
    Product = get_model("catalogue", "Product")
    return with_alcohol_flag(Product.objects.filter(pk=product.pk)).filter(**{ANNOTATION: True}).exists()


def alcohol_product_ids(product_ids):
    """The ids among `product_ids` that are alcohol, in one query."""
    Product = get_model("catalogue", "Product")
    ids = {pk for pk in product_ids if pk is not None}
    if not ids:
        return set()
    return set(with_alcohol_flag(Product.objects.filter(pk__in=ids)).filter(**{ANNOTATION: True})
               .values_list("pk", flat=True))


def lines_with_alcohol(lines):
    """The basket or order lines (anything with a `product_id`) whose product is alcohol;
    a line whose product was deleted is not."""
    lines = list(lines)
    alcoholic = alcohol_product_ids(line.product_id for line in lines)
    return [line for line in lines if line.product_id in alcoholic]


def alcohol_notice(order, lines):
    """For the merchant (back office, the shop's e-mail): `lines` are their part of `order`."""
    if not lines_with_alcohol(lines):
        return ""
    return str(ADULT_CONFIRMED if order.adult_confirmed_at else ADULT_NOT_CONFIRMED)
