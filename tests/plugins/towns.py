"""A second town (a Wagtail Site with its own home page, directory and shops) beside the
test town of `tests.factories` (the default Site), and staff who work for one town only,
for the plugins' tests of issue 20 (several towns on one install)."""
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils.text import slugify
from oscar.core.loading import get_model
from wagtail.models import Page, Site

from shops_pages.models import HomePage, ShopIndexPage, ShopKind
from shops_pages.shops import create_shop
from tests import factories
from townmarket.models import TownSettings

Partner = get_model("partner", "Partner")
OTHER_HOST = "beaune-test.localhost"


def default_town():
    factories.build_site()
    return Site.objects.get(is_default_site=True)


def second_town(name="Beaune-Test", hostname=OTHER_HOST):
    """Another town: its Site on `hostname` (port 80, as the test client asks), its home
    page beside the test town's, its directory, and its identity."""
    factories.build_site()
    existing = Site.objects.filter(hostname=hostname).first()
    if existing is not None:
        return existing
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title=f"Le marché de {name}", slug=f"accueil-{name.lower()}"))
    home.add_child(instance=ShopIndexPage(title="Les commerces", slug="commerces"))
    site = Site.objects.create(hostname=hostname, port=80, root_page=home, site_name=name)
    identity = TownSettings.for_site(site)
    identity.name = f"Le marché de {name}"
    identity.association_name = f"Association des commerçants de {name}"
    identity.save()
    return site


def shop_in(site, name, kind="Épicerie", is_food=True):
    """A shop (Partner + vitrine) of `site`'s town."""
    if site.is_default_site:
        page = factories.shop(name, kind=kind, is_food=is_food)
    else:
        shop_index = ShopIndexPage.objects.descendant_of(site.root_page).first()
        shop_kind, _ = ShopKind.objects.get_or_create(slug=slugify(kind), defaults={"name": kind, "is_food": is_food})
        slug = slugify(name)
        page = create_shop(shop_index, name=name, slug=slug, live=True, opening_hours=[(1, "09:00", "12:30")],
                           kind=shop_kind, street="2 rue du Test", postcode="21200", city=site.site_name,
                           phone="03 80 11 11 11", email=f"{slug}@example.org")
    Partner.objects.filter(pk=page.partner.pk).update(town=site)
    page.partner.refresh_from_db()
    return page


def town_staff(site, role, username):
    """A member of `site`'s « Association » or « Bénévoles » group (the default town's
    groups keep those names; another town's are its own, from roles.ensure_town_roles)."""
    from backoffice import roles

    if site.is_default_site:
        return factories.role_user(role, username)
    groups = roles.ensure_town_roles(site)
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw-role-2026")
    user.groups.add(groups[role])
    return user


def client_of(site):
    """A test client asking for `site`'s host name."""
    return Client(HTTP_HOST=site.hostname)
