"""Catalogue views that query the database directly.

Oscar's stock CatalogueView goes through haystack; its "simple" backend shows no
products (STACK-NOTES, Oscar #4366). These views filter with the ORM instead:
category, shop, price range, keyword, sorting, pagination.
"""
from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from oscar.apps.catalogue.views import ProductDetailView as CoreProductDetailView
from oscar.core.loading import get_model

from shops_pages.models import ShopPage
from storefront_search import engine as search_engine
from storefront_search import text as search_text
from townmarket import extensions
from townmarket.sites import current_site
from townmarket.text import sort_key

from .forms import ProductFilterForm
from .listing import filter_products, in_town, products_for_listing, town_products

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
Partner = get_model("partner", "Partner")


class CatalogueView(TemplateView):
    template_name = "oscar/catalogue/browse.html"
    category = None

    def get(self, request, *args, **kwargs):
        data = request.GET.copy()
        if len(data.get("q", "")) > search_text.MAX_QUERY_LENGTH:  # cut, not refused (README, "Search")
            data["q"] = data["q"][:search_text.MAX_QUERY_LENGTH]
        self.form = ProductFilterForm(
            data or None,
            shops=Partner.objects.filter(shop_page__live=True, town=current_site(request)).order_by("name")
            .values_list("code", "name"),
        )
        self.form.is_valid()
        query = (self.form.value_or_none("q") or "").strip()
        self.found = search_engine.search(query, town=current_site(request)) if query else None
        return super().get(request, *args, **kwargs)

    def get_products(self):
        return filter_products(town_products(self.request), self.form, category=self.category, found=self.found)

    def get_shops(self):
        """Published shops matching the query, best first, shown above the products."""
        if not self.found or not self.found.shop_ids or self.category or self.form.value_or_none("boutique"):
            return []
        shops = {shop.pk: shop for shop in ShopPage.objects.live().public().filter(pk__in=self.found.shop_ids)
                 .filter(partner__town=current_site(self.request))
                 .select_related("kind", "cover_image").prefetch_related("cover_image__renditions")}
        return [shops[pk] for pk in self.found.shop_ids if pk in shops]

    def paginate(self, queryset):
        paginator = Paginator(queryset, settings.OSCAR_PRODUCTS_PER_PAGE)
        try:
            return paginator.page(self.request.GET.get("page") or 1)
        except (EmptyPage, PageNotAnInteger):
            raise Http404(_("Cette page de résultats n'existe pas."))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = self.paginate(self.get_products())
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            form=self.form,
            page_obj=page,
            products=page.object_list,
            category=self.category,
            summary=self.category.name if self.category else _("Tous les produits"),
            query_string=query.urlencode(),
            categories=sorted(Category.objects.browsable().filter(depth=1), key=lambda c: sort_key(c.name)),
            search_text=self.form.value_or_none("q") or "",
            corrected_text=self.found.corrected if self.found else "",
            shops=self.get_shops(),
            # shown on the « Filtrer » disclosure, closed on a phone: « Filtrer (2) »
            active_filters=sum(1 for name in ("boutique", "prix_min", "prix_max", "tri") if self.request.GET.get(name)),
        )
        return context


class ProductCategoryView(CatalogueView):
    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category.objects.browsable(), pk=kwargs["pk"])
        expected = self.category.get_absolute_url()
        if request.path != expected:
            target = expected + (f"?{request.GET.urlencode()}" if request.GET else "")
            return HttpResponsePermanentRedirect(target)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["ancestors"] = self.category.get_ancestors()
        context["subcategories"] = self.category.get_children().filter(is_public=True)
        return context


class ProductDetailView(CoreProductDetailView):
    def get_queryset(self):
        return products_for_listing(in_town(Product.objects.all(), current_site(self.request)))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        product = self.object
        stockrecord = product.stockrecords.all()[0] if product.stockrecords.all() else None
        context["stockrecord"] = stockrecord
        context["shop_page"] = getattr(stockrecord.partner, "shop_page", None) if stockrecord else None
        if stockrecord:
            context["same_shop_products"] = products_for_listing(
                town_products(self.request).filter(stockrecords__partner_id=stockrecord.partner_id)
                .exclude(pk=product.pk)
            ).order_by("-date_created")[:4]
        context["product_categories"] = product.get_categories().all()
        panel = extensions.product_purchase(self.request, product, stockrecord)
        if panel is not None:  # a plugin's own form (a gift card's amount and recipient)
            context["purchase_panel"] = render_to_string(panel.template_name, panel.context, request=self.request)
        return context
