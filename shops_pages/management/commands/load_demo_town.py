"""Load the demo: two towns on one install (issue 20), each a Wagtail Site on its own
host name. Val-sur-Ouche (catalogue_data: 22 shops, 740+ products with pictures, news,
accounts), the default Site, at http://val-sur-ouche.localhost:8000/ (127.0.0.1 and
localhost lead to it); Saint-Jean-de-Losne (saint_jean: 6 shops, its colour, news and
association account) at http://saint-jean.localhost:8000/. The port is make run's PORT.

Idempotent: a second run keeps existing data and only adds what is missing.
"""
import datetime
import io
import os
import time
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site as DjangoSite
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify
from oscar.core.loading import get_model
from wagtail.images.models import Image as WagtailImage
from wagtail.models import Collection, Locale, Page, Site

from backoffice import roles
from shops_pages.demo import catalogue_data as data
from shops_pages.demo import saint_jean
from shops_pages.demo.images import picture_bytes
from shops_pages import skeleton
from shops_pages.models import HomePage, NewsPage, ShopPage
from shops_pages.demo import legal as demo_legal
from shops_pages.shops import create_shop
from townmarket.models import DEMO_TOWN, TownSettings
from townmarket.signals import demo_town_loaded

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
Category = get_model("catalogue", "Category")

DEMO_PASSWORD = "demo-marche-2026"
ACCOUNTS = [
    # (username, email, first, last, role)
    ("admin", "admin@example.org", "Alice", "Admin", "admin"),
    ("association", "association@example.org", "Lara", "Mauger", "staff"),
    ("benevole", "benevole@example.org", "Paul", "Girard", "volunteer"),
    ("fabienne", "fabienne@example.org", "Fabienne", "Moreau", "merchant:epicerie-du-marche"),
    ("bertrand", "bertrand@example.org", "Bertrand", "Morey", "merchant:cave-morey"),
    ("helene", "helene@example.org", "Hélène", "Jourdan", "customer"),
]


HOSTNAME = "val-sur-ouche.localhost"  # browsers resolve *.localhost to 127.0.0.1


def demo_address():
    """(hostname, port) of the first town, where `make run` serves the demo: env HOST and
    PORT, else val-sur-ouche.localhost:8000 (the default Site: 127.0.0.1 and localhost
    reach it too)."""
    hostname = os.environ.get("HOST", "").strip() or HOSTNAME
    port = os.environ.get("PORT", "").strip() or "8000"
    if not port.isascii() or not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(f"PORT doit être un numéro de port (par exemple 8000), pas « {port} ».")
    return hostname, int(port)


class Command(BaseCommand):
    help = "Charge la ville de démonstration (commerces, produits, actualités, comptes)."

    def add_arguments(self, parser):
        parser.add_argument("--shops", type=int, default=None,
                            help="Ne charger que les N premiers commerces de Val-sur-Ouche, sans la deuxième ville "
                                 "(un chargement rapide, pour les tests et le banc d'essai).")
        parser.add_argument("--no-images", action="store_true", help="Ne pas générer d'images produit.")

    def handle(self, *args, **options):
        started = time.monotonic()
        self.with_images = not options["no_images"]
        self.step("Pages du site")
        home, shop_index, news_index = self.ensure_pages()
        self.step("Catégories")
        categories = self.ensure_categories()
        kinds = self.ensure_kinds()
        product_class, service_class = self.ensure_product_classes()
        both_towns = options["shops"] is None
        shops = data.SHOPS if both_towns else data.SHOPS[: options["shops"]]
        classes = (product_class, service_class)
        for number, shop in enumerate(shops, start=1):
            created = self.ensure_shop(shop, data, shop_index, kinds, categories, *classes)
            self.stdout.write(f"  [{number:>2}/{len(shops)}] {shop['name']}: {created} produit(s) ajouté(s)")
        self.step("Actualités")
        self.ensure_news(news_index, data.NEWS)
        self.step("Comptes de démonstration")
        groups = roles.ensure_roles()
        self.ensure_accounts(ACCOUNTS, groups)
        if both_towns:
            self.step(f"Deuxième ville : {saint_jean.TOWN['city']}")
            site, shop_index, news_index = self.ensure_second_town()
            for number, shop in enumerate(saint_jean.SHOPS, start=1):
                created = self.ensure_shop(shop, saint_jean, shop_index, kinds, categories, *classes, town=site)
                self.stdout.write(f"  [{number}/{len(saint_jean.SHOPS)}] {shop['name']}: {created} produit(s) ajouté(s)")
            self.ensure_news(news_index, saint_jean.NEWS)
            self.ensure_accounts(saint_jean.ACCOUNTS, roles.ensure_town_roles(site))
        # The plugins' demo data (delivery zone, gift cards) and the search index: the first
        # town's (the default Site), once both towns' shops are in.
        demo_town_loaded.send(sender=self.__class__, town=data.TOWN, site=Site.objects.get(is_default_site=True))
        self.stdout.write(self.style.SUCCESS(
            f"Démonstration prête : {Site.objects.count()} ville(s), {ShopPage.objects.count()} commerces, "
            f"{Product.objects.count()} produits, {Category.objects.count()} catégories "
            f"({time.monotonic() - started:.1f} s)."
        ))
        port = demo_address()[1]
        for site in Site.objects.filter(root_page__in=HomePage.objects.all()).order_by("-is_default_site", "pk"):
            self.stdout.write(f"  {site.site_name} : http://{site.hostname}:{port}/")

    def step(self, label):
        self.stdout.write(self.style.MIGRATE_HEADING(f"→ {label}"))

    # -- pages --------------------------------------------------------------------
    @transaction.atomic
    def ensure_pages(self):
        # Normally created by Wagtail's migrations; missing after a test database flush.
        Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        if not Collection.get_first_root_node():
            Collection.add_root(name="Root")
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        home = HomePage.objects.exclude(slug=saint_jean.HOME["slug"]).first()
        if home is None:
            home = root.add_child(instance=HomePage(
                title="Le marché de Val-sur-Ouche", slug="accueil",
                introduction="Tous les commerces de la ville, un seul panier. Commandez en ligne, retirez en boutique.",
            ))
            # Replace Wagtail's default welcome page as the site root.
            for page in root.get_children().exclude(pk=home.pk):
                if page.specific_class is Page:
                    page.delete()
        # The demo's public address, where `make run` serves it (HOST, PORT): links in
        # e-mails and PDFs are built on it (townmarket.absolute_urls).
        hostname, port = demo_address()
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": hostname, "port": port, "root_page": home, "site_name": settings.WAGTAIL_SITE_NAME},
        )
        DjangoSite.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": f"{hostname}:{port}", "name": settings.WAGTAIL_SITE_NAME})
        # The town's identity (Paramètres → Identité du marché): the demo's, unless edited.
        TownSettings.objects.get_or_create(site=Site.objects.get(is_default_site=True), defaults=DEMO_TOWN)
        shop_index = skeleton.add_shop_directory(
            home, "Épiceries, cavistes, coiffeurs, fleuristes… tous les commerces qui vendent en ligne.")
        news_index = skeleton.add_news_index(home, "Les nouvelles de l'association des commerçants.")
        skeleton.add_legal_pages(home)
        return home, shop_index, news_index

    @transaction.atomic
    def ensure_second_town(self):
        """Saint-Jean-de-Losne: its home page tree beside the first town's, its Site on its
        own host name (make run's port), its identity and site settings, its role groups."""
        root = Page.get_first_root_node()
        home = HomePage.objects.child_of(root).filter(slug=saint_jean.HOME["slug"]).first()
        if home is None:
            home = root.add_child(instance=HomePage(**saint_jean.HOME))
        site, _ = Site.objects.update_or_create(root_page=home, defaults={
            "hostname": saint_jean.HOSTNAME, "port": demo_address()[1], "site_name": saint_jean.HOME["title"],
            "is_default_site": False})
        TownSettings.objects.get_or_create(site=site, defaults=saint_jean.SETTINGS)
        skeleton.ensure_site_settings(site)
        shop_index = skeleton.add_shop_directory(home, saint_jean.DIRECTORY)
        news_index = skeleton.add_news_index(home, "Les nouvelles des commerçants du port.")
        skeleton.add_legal_pages(home)
        return site, shop_index, news_index

    def ensure_categories(self):
        categories = {}
        for name in data.CATEGORIES:
            category = Category.objects.filter(name=name, depth=1).first()
            if category is None:
                category = Category.add_root(name=name, slug=slugify(name), is_public=True,
                                             contains_alcohol=name in data.ALCOHOL_CATEGORIES)
            categories[name] = category
        return categories

    def ensure_kinds(self):
        return skeleton.ensure_shop_kinds()

    def ensure_product_classes(self):
        product, _ = ProductClass.objects.get_or_create(
            slug="produit", defaults={"name": "Produit", "requires_shipping": True, "track_stock": True})
        service, _ = ProductClass.objects.get_or_create(
            slug="prestation", defaults={"name": "Prestation", "requires_shipping": False, "track_stock": False})
        return product, service

    # -- shops and products ---------------------------------------------------------
    @transaction.atomic
    def ensure_shop(self, shop, town_data, shop_index, kinds, categories, product_class, service_class, town=None):
        """One shop of the town `town_data` describes (catalogue_data or saint_jean), sold
        on `town` (its Site; None: the default Site)."""
        page = ShopPage.objects.filter(slug=shop["slug"]).select_related("partner").first()
        if page is None:
            cover = self.wagtail_image(f"Vitrine {shop['name']}", shop["name"], data.KINDS[shop["kind"]][0])
            city = town_data.TOWN["city"]
            page = create_shop(
                shop_index, name=shop["name"], slug=shop["slug"], opening_hours=data.HOURS, kind=kinds[shop["kind"]],
                introduction=f"{shop['owner']} vous accueille au cœur de {city} : {data.KINDS[shop['kind']][0].lower()}.",
                cover_image=cover, street=shop["street"], postcode=town_data.TOWN["postcode"], city=city,
                phone=f"03 80 {10 + len(shop['slug']):02d} {len(shop['name']) * 3 % 100:02d} {len(shop['street']) * 7 % 100:02d}",
                email=f"{shop['slug']}@example.org", featured=shop.get("featured", False),
                **self.place(shop, town_data),
                body=[("paragraph", f"<p>Bienvenue chez {shop['name']} ! {shop['owner']} vous accueille "
                                    f"du mardi au samedi et prépare vos commandes à retirer en boutique.</p>"),
                      ("quote", {"text": "Commander en ligne chez nous, c'est soutenir le commerce de la ville.",
                                 "attribute_name": shop["owner"]})],
            )
        if town is not None and page.partner.town_id != town.pk:  # the shop sells in its own town
            page.partner.town = town
            page.partner.save(update_fields=["town"])
        if not page.partner.siret:  # the seller's identity, shown on the vitrine and the invoices
            number = town_data.SHOPS.index(shop) + getattr(town_data, "SIRET_NUMBERS", 0)
            for field, value in demo_legal.identity(shop, number, town_data.TOWN).items():
                setattr(page.partner, field, value)
            page.partner.save()
        return self.ensure_products(shop, page.partner, categories, product_class, service_class)

    @staticmethod
    def place(shop, town_data=data):
        """Where the shop stands, for its « Voir sur la carte » link: around the town's
        centre, a few streets apart."""
        number = town_data.SHOPS.index(shop)
        latitude, longitude = town_data.CENTRE
        return {"latitude": latitude + Decimal("0.0009") * (number % 5 - 2),
                "longitude": longitude + Decimal("0.0012") * (number // 5 - 2)}

    def ensure_products(self, shop, partner, categories, product_class, service_class):
        """A massage or a haircut is a service (done at the shop, never collected or
        delivered); the creams and shampoos the same shops sell are products."""
        existing = set(Product.objects.filter(upc__startswith=f"{shop['slug']}-").values_list("upc", flat=True))
        to_create, links = [], []
        number = 0
        for category_name, items in shop["items"]:
            for base_name, price in items:
                for variant, factor in shop["variants"]:
                    number += 1
                    upc = f"{shop['slug']}-{number:03d}"[:64]
                    if upc in existing:
                        continue
                    title = f"{base_name}{variant}"
                    product = Product(
                        upc=upc, title=title, slug=slugify(title)[:255], is_public=True,
                        product_class=service_class if base_name in data.SERVICES else product_class,
                        description=f"<p>{title}, proposé par {shop['name']}. {self.describe(category_name)}</p>",
                    )
                    # Round to ten cents, as shops price things.
                    price_value = (Decimal(price) * Decimal(factor)).quantize(Decimal("0.1")).quantize(Decimal("0.01"))
                    to_create.append((product, category_name, price_value, number))
        if not to_create:
            return 0
        Product.objects.bulk_create([p for p, *_ in to_create])
        created = {p.upc: p for p in Product.objects.filter(upc__in=[p.upc for p, *_ in to_create])}
        stockrecords, images = [], []
        for product, category_name, price_value, number in to_create:
            product = created[product.upc]
            links.append(ProductCategory(product=product, category=categories[category_name]))
            stockrecords.append(StockRecord(
                product=product, partner=partner, partner_sku=product.upc, price=price_value,
                price_currency="EUR", num_in_stock=5 + number % 20, num_allocated=0, vat_rate=shop["vat"],
            ))
            if self.with_images:
                images.append(ProductImage(product=product, original=self.product_picture(product), display_order=0,
                                           caption=product.title))
        ProductCategory.objects.bulk_create(links)
        StockRecord.objects.bulk_create(stockrecords)
        ProductImage.objects.bulk_create(images)
        return len(to_create)

    @staticmethod
    def describe(category_name):
        return {
            "Vins et spiritueux": "Sélectionné chez des vignerons de la région.",
            "Fromages et crèmerie": "Affiné dans nos caves.",
            "Soins et massages": "Prestation réalisée à l'institut, sur rendez-vous.",
            "Coiffure": "Au salon, sur rendez-vous.",
        }.get(category_name, "Disponible en retrait en boutique.")

    def product_picture(self, product):
        relative = Path("images/products/demo") / f"{product.upc}.jpg"
        target = Path(settings.MEDIA_ROOT) / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(picture_bytes(product.title, size=(360, 360)))
        return str(relative)

    def wagtail_image(self, title, text, subtitle):
        if not self.with_images:
            return None
        image = WagtailImage.objects.filter(title=title).first()
        if image is None:
            content = picture_bytes(text, subtitle, size=(1200, 400))
            image = WagtailImage(title=title, file=ImageFile(io.BytesIO(content), name=f"{slugify(title)}.jpg"))
            image.save()
        return image

    # -- news and accounts ------------------------------------------------------------
    def ensure_news(self, news_index, news):
        today = datetime.date.today()
        for offset, (title, intro, text) in enumerate(news):
            if NewsPage.objects.child_of(news_index).filter(title=title).exists():
                continue
            news_index.add_child(instance=NewsPage(
                title=title, slug=slugify(title), date=today - datetime.timedelta(days=7 * offset),
                introduction=intro, body=[("paragraph", f"<p>{text}</p>")],
            ))

    @transaction.atomic
    def ensure_accounts(self, accounts, groups):
        """`groups`: the town's role groups (roles.ensure_roles() for the default town,
        roles.ensure_town_roles(site) for another)."""
        User = get_user_model()
        for username, email, first, last, role in accounts:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, email=email, first_name=first, last_name=last)
                user.set_password(DEMO_PASSWORD)
            if role == "admin":
                user.is_staff = user.is_superuser = True
            user.save()
            if role == "staff":
                user.groups.add(groups[roles.ASSOCIATION])
            elif role == "volunteer":
                user.groups.add(groups[roles.VOLUNTEERS])
            elif role.startswith("merchant:"):
                partner = Partner.objects.filter(code=role.split(":", 1)[1]).first()
                if partner:  # absent when only some shops were loaded (--shops)
                    roles.add_merchant(partner, user)
            self.stdout.write(f"  {username} <{email}> ({role})")
