"""Builders for a small town: pages, shops (Partner + ShopPage), products with stock.

They work on an empty database too (after a transactional test's flush), creating
the Wagtail root and locale when they are missing."""
from decimal import Decimal
from itertools import count

from django.contrib.sites.models import Site as DjangoSite
from django.utils.text import slugify
from oscar.core.loading import get_model
from wagtail.models import Locale, Page, Site

from shops_pages.models import HomePage, NewsIndexPage, ShopIndexPage, ShopKind
from shops_pages.shops import create_shop

StockRecord = get_model("partner", "StockRecord")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
Category = get_model("catalogue", "Category")

_sequence = count(1)
# The default Site's address when build_site() creates it (links in e-mails and PDFs,
# townmarket.absolute_urls); browser tests set the live server's.
SITE_ADDRESS = ("localhost", 80)


def build_site():
    Locale.objects.get_or_create(language_code="fr")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Racine", slug="root"))
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(instance=HomePage(title="Le marché de test", slug="accueil"))
    hostname, port = SITE_ADDRESS  # a test that set the Site's address keeps it
    Site.objects.update_or_create(is_default_site=True, defaults={"root_page": home},
                                  create_defaults={"hostname": hostname, "port": port, "root_page": home})
    DjangoSite.objects.update_or_create(pk=1, defaults={"domain": "testserver", "name": "Test"})
    shop_index = ShopIndexPage.objects.first() or home.add_child(instance=ShopIndexPage(title="Les commerces", slug="commerces"))
    news_index = NewsIndexPage.objects.first() or home.add_child(instance=NewsIndexPage(title="Actualités", slug="actualites"))
    return home, shop_index, news_index


def product_class():
    return ProductClass.objects.get_or_create(
        slug="produit", defaults={"name": "Produit", "track_stock": True, "requires_shipping": True}
    )[0]


def category(name="Fromages"):
    existing = Category.objects.filter(name=name, depth=1).first()
    return existing or Category.add_root(name=name, slug=slugify(name), is_public=True)


def shop(name, kind="Épicerie", is_food=True, email=None, live=True):
    _, shop_index, _ = build_site()
    slug = slugify(name)
    shop_kind, _ = ShopKind.objects.get_or_create(slug=slugify(kind), defaults={"name": kind, "is_food": is_food})
    return create_shop(
        shop_index, name=name, slug=slug, live=live, opening_hours=[(1, "09:00", "12:30")], kind=shop_kind,
        street="1 rue du Test", postcode="21130", city="Val-sur-Ouche", phone="03 80 00 00 00",
        email=email or f"{slug}@example.org",
    )


def product(shop_page, title=None, price="10.00", stock=10, category_name="Fromages", vat_rate="5.5"):
    number = next(_sequence)
    title = title or f"Produit {number}"
    item = Product.objects.create(
        title=title, slug=slugify(title), upc=f"T{number:06d}", product_class=product_class(), is_public=True,
        description=f"<p>Description de {title}</p>",
    )
    ProductCategory.objects.create(product=item, category=category(category_name))
    StockRecord.objects.create(
        product=item, partner=shop_page.partner, partner_sku=f"SKU{number}", price=Decimal(price),
        num_in_stock=stock, num_allocated=0, vat_rate=vat_rate,
    )
    return item


def products(shop_page, n, **kwargs):
    return [product(shop_page, **kwargs) for _ in range(n)]


def merchant(shop_page, username, password="pw-marchand-2026"):
    """A merchant account of `shop_page`'s shop, with the shop group's permissions."""
    from django.contrib.auth import get_user_model

    from backoffice import roles

    roles.ensure_roles()
    roles.sync_shop_permissions(shop_page)
    user = get_user_model().objects.create_user(username, f"{username}@example.org", password)
    roles.add_merchant(shop_page.partner, user)
    return user


def role_user(role, username):
    """A user in the "Association" or "Bénévoles" group."""
    from django.contrib.auth import get_user_model

    from backoffice import roles

    groups = roles.ensure_roles()
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw-role-2026")
    user.groups.add(groups[role])
    return user
