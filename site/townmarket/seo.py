"""Found by search engines and shared well.

- /sitemap.xml: the Site's live, public Wagtail pages (wagtail.contrib.sitemaps:
  home, directory, vitrines, news, legal pages), then the public categories (shared
  by every town) and the town's own products; every address built by absolute_url()
  from the Wagtail Site, never from the request's Host header.
- /robots.txt: everything allowed but the back office, the basket, the checkout and
  the customer's account; the sitemap's address.
- head_tags(): what templates/includes/seo/head.html writes in every page's head:
  the meta description (from the page's own text), Open Graph and Twitter card tags
  with an image, and JSON-LD (schema.org LocalBusiness on a vitrine, Product and Offer
  on a product page, BreadcrumbList), escaped so that no text can close the script.
"""
import json
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from oscar.core.loading import get_model
from wagtail.contrib.sitemaps.sitemap_generator import Sitemap as WagtailSitemap

from .absolute_urls import absolute_url, site_root_url
from .sites import current_site

DESCRIPTION_LENGTH = 160
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DISALLOWED = ["/admin/", "/django-admin/", "/boutique/dashboard/", "/boutique/basket/", "/boutique/checkout/",
              "/boutique/accounts/", "/paiement/"]


# --- sitemap.xml ---------------------------------------------------------------------

class SiteAddressMixin:
    """Addresses on the Wagtail Site's root (absolute_url), whatever the Host header or
    django.contrib.sites' row say."""

    request = None

    def get_protocol(self, protocol=None):
        return site_root_url(self.request).split("://", 1)[0]

    def get_domain(self, site=None):
        return site_root_url(self.request).split("://", 1)[1]


class PageSitemap(SiteAddressMixin, WagtailSitemap):
    """The request's Site's live pages without view restrictions (Wagtail's own), each
    address rebuilt by absolute_url()."""

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            parts = urlsplit(url["location"])
            url["location"] = absolute_url(parts.path + (f"?{parts.query}" if parts.query else ""), self.request)
        return urls


class ProductSitemap(SiteAddressMixin, DjangoSitemap):
    changefreq = "weekly"

    def __init__(self, request=None):
        self.request = request

    def items(self):
        from oscar_apps.catalogue.listing import town_products

        return town_products(self.request).order_by("pk").only("pk", "slug", "date_updated")

    def lastmod(self, product):
        return product.date_updated


class CategorySitemap(SiteAddressMixin, DjangoSitemap):
    changefreq = "weekly"

    def __init__(self, request=None):
        self.request = request

    def items(self):
        return get_model("catalogue", "Category").objects.browsable().order_by("path")


SITEMAPS = {"pages": PageSitemap, "categories": CategorySitemap, "products": ProductSitemap}


@require_safe
def sitemap(request):
    if current_site(request) is None:
        raise Http404("Aucun site Wagtail")
    return sitemap_views.sitemap(request, {name: cls(request) for name, cls in SITEMAPS.items()})


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", *[f"Disallow: {path}" for path in DISALLOWED]]
    if current_site(request) is not None:
        lines += ["", f"Sitemap: {absolute_url(reverse('sitemap'), request)}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# --- JSON-LD, Open Graph, meta description -----------------------------------------------

def json_ld(data):
    """A JSON-LD script's body: < > & escaped as \\u003C… (still the same JSON), so a
    shop's text can never close the script or open another one."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026"))


def plain_text(html, length=DESCRIPTION_LENGTH):
    text = " ".join(strip_tags(str(html or "")).split())
    return Truncator(text).chars(length) if length else text


def breadcrumbs(items):
    """[(name, url)] → schema.org BreadcrumbList."""
    return {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": position, "name": name, "item": url}
        for position, (name, url) in enumerate(items, start=1)]}


def site_home(request):
    site = current_site(request)
    return site.root_page.specific if site is not None else None


def page_trail(page, request):
    """The page and its ancestors from the Site's home page: [(title, absolute URL)]."""
    site = current_site(request)
    root_depth = site.root_page.depth if site is not None else 2
    ancestors = page.get_ancestors(inclusive=True).filter(depth__gte=root_depth).live()
    return [(ancestor.title, absolute_url(ancestor.get_url(request), request)) for ancestor in ancestors]


def image_url(image, request, spec="fill-1200x630"):
    """A Wagtail image's rendition, absolute; "" if it cannot be made."""
    try:
        return absolute_url(image.get_rendition(spec).url, request)
    except Exception:  # a missing or unreadable file: share the page without a picture
        return ""


def local_business(shop, request):
    business = {
        "@context": "https://schema.org", "@type": "LocalBusiness", "name": shop.title,
        "url": absolute_url(shop.get_url(request), request),
        "address": {"@type": "PostalAddress", "streetAddress": shop.street, "postalCode": shop.postcode,
                    "addressLocality": shop.city, "addressCountry": "FR"},
    }
    if shop.introduction:
        business["description"] = shop.introduction
    if shop.phone:
        business["telephone"] = shop.phone
    if shop.email:
        business["email"] = shop.email
    hours = sorted(shop.opening_hours.all(), key=lambda row: (row.weekday, row.opens))
    if hours:
        business["openingHoursSpecification"] = [
            {"@type": "OpeningHoursSpecification", "dayOfWeek": f"https://schema.org/{WEEKDAYS[row.weekday]}",
             "opens": f"{row.opens:%H:%M}", "closes": f"{row.closes:%H:%M}"} for row in hours]
    if shop.latitude is not None and shop.longitude is not None:
        business["geo"] = {"@type": "GeoCoordinates", "latitude": float(shop.latitude),
                           "longitude": float(shop.longitude)}
    if shop.cover_image_id:
        picture = image_url(shop.cover_image, request)
        if picture:
            business["image"] = picture
    return business


def product_data(product, request, picture):
    from oscar_apps.partner.strategy import Selector

    strategy = getattr(request, "strategy", None) or Selector().strategy(request)
    info = strategy.fetch_for_product(product)
    data = {"@context": "https://schema.org", "@type": "Product", "name": product.get_title(),
            "url": absolute_url(product.get_absolute_url(), request)}
    description = plain_text(product.description, length=None)
    if description:
        data["description"] = description
    if picture:
        data["image"] = picture
    stockrecord = info.stockrecord
    if stockrecord is not None:
        data["sku"] = stockrecord.partner_sku
    if info.price.exists:
        offer = {"@type": "Offer", "price": f"{info.price.incl_tax:.2f}", "priceCurrency": info.price.currency,
                 "availability": "https://schema.org/InStock" if info.availability.is_available_to_buy
                 else "https://schema.org/OutOfStock",
                 "url": data["url"]}
        shop_page = getattr(stockrecord.partner, "shop_page", None) if stockrecord else None
        if shop_page is not None and shop_page.live:
            offer["seller"] = {"@type": "LocalBusiness", "name": stockrecord.partner.name,
                               "url": absolute_url(shop_page.get_url(request), request)}
        data["offers"] = offer
    return data


def product_picture(product, request):
    from oscar_apps.catalogue import thumbnails

    image = next(iter(product.images.all()), None)
    if image is None or not image.original:
        return ""
    try:
        return absolute_url(thumbnails.url(image.original, thumbnails.PAGE), request)
    except Exception:  # a missing file: share the page without a picture
        return ""


def head_tags(context):
    """What the page's head says about it: title, description, url, type, image and
    JSON-LD blocks (see includes/seo/head.html)."""
    request = context.get("request")
    if request is None or current_site(request) is None:
        return {}  # no Wagtail Site yet (a fresh install): no absolute address to give
    marketplace = context.get("marketplace")
    town_name = str(getattr(marketplace, "name", "") or "")
    tags = {"site_name": town_name, "type": "website", "url": absolute_url(request.path, request),
            "title": town_name, "description": "", "image": "", "json_ld": []}
    product, page, category = context.get("product"), context.get("page"), context.get("category")
    home = None
    if product is not None and hasattr(product, "get_absolute_url"):
        tags.update(type="product", title=product.get_title(), url=absolute_url(product.get_absolute_url(), request),
                    description=plain_text(product.description))
        tags["image"] = product_picture(product, request)
        home = site_home(request)
        trail = [(home.title, absolute_url("/", request))] if home else []
        categories = context.get("product_categories")  # the product page's own, already read
        first_category = next(iter(categories if categories is not None else product.get_categories().all()), None)
        if first_category is not None:
            trail += [(c.name, absolute_url(c.get_absolute_url(), request))
                      for c in first_category.get_ancestors_and_self()]
        trail.append((product.get_title(), tags["url"]))
        tags["json_ld"] = [product_data(product, request, tags["image"]), breadcrumbs(trail)]
    elif page is not None and hasattr(page, "get_ancestors") and page.pk and page.path:
        specific = getattr(page, "specific", page)
        tags.update(title=page.seo_title or page.title, url=absolute_url(page.get_url(request), request),
                    description=plain_text(page.search_description or getattr(specific, "introduction", "")))
        picture = (getattr(specific, "cover_image", None) or getattr(specific, "hero_image", None)
                   or getattr(specific, "image", None))
        if picture is not None:
            tags["image"] = image_url(picture, request)
        if specific.__class__.__name__ == "NewsPage":
            tags["type"] = "article"
        trail = page_trail(page, request)
        if specific.__class__.__name__ == "ShopPage":
            tags["json_ld"].append(local_business(specific, request))
            if not tags["description"]:  # « Fromagerie à Val-sur-Ouche, 1 rue du Test : … »
                tags["description"] = plain_text(_("%(kind)s à %(city)s, %(street)s : horaires, téléphone et produits "
                                                   "à commander en ligne.") % {
                    "kind": specific.kind.name if specific.kind_id else specific.title, "city": specific.city,
                    "street": specific.street})
        if len(trail) > 1:
            tags["json_ld"].append(breadcrumbs(trail))
    elif category is not None and hasattr(category, "get_ancestors_and_self"):
        tags.update(title=category.name, url=absolute_url(category.get_absolute_url(), request),
                    description=plain_text(category.description))
        home = site_home(request)
        trail = [(home.title, absolute_url("/", request))] if home else []
        trail += [(c.name, absolute_url(c.get_absolute_url(), request)) for c in category.get_ancestors_and_self()]
        tags["json_ld"].append(breadcrumbs(trail))
    if not tags["description"] and town_name:
        tags["description"] = _("%(town)s : les commerces de la ville en ligne. Commandez chez vos commerçants "
                                "et retirez vos achats en boutique.") % {"town": town_name}
    if not tags["image"]:
        logo = getattr(marketplace, "logo", None)
        if logo is not None:
            tags["image"] = image_url(logo, request, spec="max-1200x630")
    tags["json_ld"] = [json_ld(block) for block in tags["json_ld"]]
    return tags
