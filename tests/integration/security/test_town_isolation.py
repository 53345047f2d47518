"""Several towns on one install (issue 20): the association staff of one town see and
change nothing of another town, whatever URL they type or forge: its orders, shops,
products, vitrines and news, applications, users, settings, phone-order customers,
sales. A platform administrator (superuser) sees both."""
import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.urls import reverse
from oscar.core.loading import get_model
from wagtail.documents import get_document_model
from wagtail.images.models import Image
from wagtail.models import Page, Site, Workflow

from backoffice import roles
from backoffice.models import ShopApplication
from shops_pages.models import HomePage, NewsIndexPage, NewsPage, ShopIndexPage, ShopKind
from shops_pages.shops import create_shop
from tests import factories
from tests.integration.helpers import place_order
from tests.integration.security.test_wagtail_admin_isolation import admin_urls
from tests.support.images import photo
from townmarket.models import TownSettings

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")
ShopOrder = get_model("order", "ShopOrder")
StockRecord = get_model("partner", "StockRecord")
Document = get_document_model()
User = get_user_model()

# Words only town B's things carry.
B_SECRETS = ["Boulangerie de Bourg", "Pain de seigle bourguignon", "Bérénice Bourdon", "Fête du pain de Bourg",
             "Épicerie candidate de Bourg", "bea-bourg", "Devanture de Bourg", "Bail de Bourg"]


def second_town():
    """Town B: its own Site (bourg.localhost), home page tree, a shop with a product."""
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Le marché de Bourg", slug="bourg"))
    site = Site.objects.create(hostname="bourg.localhost", port=80, root_page=home, site_name="Bourg")
    shops = home.add_child(instance=ShopIndexPage(title="Les commerces de Bourg", slug="commerces"))
    news = home.add_child(instance=NewsIndexPage(title="Actualités de Bourg", slug="actualites"))
    article = news.add_child(instance=NewsPage(title="Fête du pain de Bourg", slug="fete-du-pain",
                                               date=datetime.date(2026, 11, 2)))
    kind, _ = ShopKind.objects.get_or_create(slug="boulangerie", defaults={"name": "Boulangerie", "is_food": True})
    bakery = create_shop(shops, name="Boulangerie de Bourg", slug="boulangerie-de-bourg", kind=kind,
                         opening_hours=[(1, "07:00", "13:00")], street="2 place du Marché", postcode="01000",
                         city="Bourg", phone="04 74 00 00 00", email="boulangerie@example.org")
    get_model("partner", "Partner").objects.filter(pk=bakery.partner_id).update(town=site)
    bakery.partner.refresh_from_db()
    bread = factories.product(bakery, title="Pain de seigle bourguignon", price="4.20", stock=10)
    roles.ensure_roles()
    return {"site": site, "home": home, "shops": shops, "article": article, "bakery": bakery, "bread": bread}


@pytest.fixture
def towns(client, town, team):
    """Town A (the default town: the cheese shop and the bookshop, Lara its association
    staff) and town B (Bourg: a bakery run by Béa, an order by Bérénice, an application,
    Bastien its association staff)."""
    b = second_town()
    b["bea"] = factories.merchant(b["bakery"], "bea-bourg")
    b["staff"] = User.objects.create_user("bastien", "bastien@example.org", "pw-role-2026")
    b["staff"].groups.add(roles.ensure_town_roles(b["site"])[roles.ASSOCIATION])
    b["customer"] = User.objects.create_user("berenice", "berenice@example.org", "pw-client-2026",
                                             first_name="Bérénice", last_name="Bourdon")
    client.defaults["HTTP_HOST"] = "bourg.localhost"
    order = place_order(client, [(b["bread"], 1)], first_name="Bérénice", last_name="Bourdon",
                        email="berenice@example.org", phone="06 99 88 77 66")
    client.logout()
    # Back on town A's address: with two towns, an unknown host (« testserver ») is sent to
    # the default town's (townmarket.unknown_host).
    client.defaults["HTTP_HOST"] = Site.objects.get(is_default_site=True).hostname
    Order.objects.filter(pk=order.pk).update(town=b["site"], user=b["customer"])
    b["order"] = order
    b["part"] = ShopOrder.objects.get(order=order)
    b["application"] = ShopApplication.objects.create(
        town=b["site"], shop_name="Épicerie candidate de Bourg", siret="73282932000074", street="3 rue Neuve",
        postcode="01000", city="Bourg", contact_name="Camille Candidat", phone="+33474000001",
        email="candidat@example.org")
    TownSettings.for_site(b["site"])  # its identity, made as the admin's switcher would
    collection = roles.shop_collection(b["bakery"].partner)
    b["image"] = Image.objects.create(title="Devanture de Bourg", collection=collection, uploaded_by_user=b["bea"],
                                      file=ImageFile(photo("devanture-bourg.jpg"), name="devanture-bourg.jpg"))
    b["lease"] = Document.objects.create(title="Bail de Bourg", collection=collection, uploaded_by_user=b["bea"],
                                         file=ContentFile(b"%PDF-1.4 bail", name="bail-bourg.pdf"))
    page = b["bakery"]
    b["revision"] = page.save_revision(user=b["bea"], log_action=True)
    b["workflow_state"] = page.get_workflow().start(page, b["bea"])
    return b


def refused(response):
    """Not found, forbidden, or Wagtail's refusal (back to the admin's home with « Sorry,
    you do not have permission »)."""
    return response.status_code in (403, 404) or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home"))


def leaks(client, urls, secrets=B_SECRETS):
    """(url, secret) for each of town B's words a page shows; (url, status) for server errors."""
    found = []
    for url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            found.append((url, response.status_code))
            continue
        content = (b"".join(response.streaming_content) if response.streaming else response.content)
        if response.get("Content-Type", "").startswith(("image/jpeg", "image/png", "application/pdf",
                                                         "application/octet-stream")):
            found += [(url, "a file of town B")] if response.status_code == 200 and content else []
            continue
        text = content.decode(errors="replace").lower()
        found += [(url, secret) for secret in secrets if secret.lower() in text]
    return found


def state_of(b):
    """What town B would miss if town A's staff changed or deleted it."""
    part = ShopOrder.objects.get(pk=b["part"].pk)
    record = StockRecord.objects.get(product=b["bread"])
    return {
        "part": part.status,
        "product": (b["bread"].__class__.objects.filter(pk=b["bread"].pk).values_list("title", flat=True).first(),
                    record.price, record.num_in_stock),
        "application": ShopApplication.objects.filter(pk=b["application"].pk).values_list("status", flat=True).first(),
        "pages": list(Page.objects.descendant_of(b["home"], inclusive=True)
                      .order_by("path").values_list("title", "live", "path")),
        "bea": User.objects.filter(pk=b["bea"].pk).values_list("username", "email", "is_active").first(),
        "customer": User.objects.filter(pk=b["customer"].pk).values_list("username", "email", "is_active").first(),
        "settings": TownSettings.objects.filter(site=b["site"]).values_list("name", "association_name").first(),
        "order": Order.objects.filter(pk=b["order"].pk).values_list("customer_name", "guest_email", "customer_phone")
        .first(),
    }


def object_urls(b):
    """(method, url, data): town B's objects in the back office and Wagtail's screens."""
    part, product, page, article = b["part"].pk, b["bread"].pk, b["bakery"].pk, b["article"].pk
    partner = b["bakery"].partner_id
    forged = {"status": "annulee", f"p{product}-price": "1", f"p{product}-stock": "0", "title": "Piraté",
              "price": "1", "stock": "0", "approve": "1", "reason": "Piraté", "username": "pirate",
              "email": "pirate@example.org", "first_name": "Pi", "last_name": "Rate", "name": "Piraté"}
    settings_url = reverse("wagtailsettings:edit", args=["townmarket", "townsettings", b["site"].pk])
    return [
        ("get", reverse("backoffice_order", args=[part]), None),
        ("post", reverse("backoffice_order_status", args=[part]), forged),
        ("get", reverse("backoffice_order_slip", args=[part]), None),
        ("get", reverse("backoffice_product_edit", args=[product]), None),
        ("post", reverse("backoffice_product_edit", args=[product]), forged),
        ("post", reverse("backoffice_product_quick", args=[product]), forged),
        ("get", reverse("backoffice_product_delete", args=[product]), None),
        ("post", reverse("backoffice_product_delete", args=[product]), forged),
        ("get", reverse("backoffice_application", args=[b["application"].pk]), None),
        ("post", reverse("backoffice_application", args=[b["application"].pk]), forged),
        ("get", reverse("backoffice_poster", args=[page]), None),
        ("get", reverse("backoffice_legal_identity") + f"?shop={partner}", None),
        ("get", f"/admin/pages/{page}/edit/", None),
        ("post", f"/admin/pages/{page}/edit/", forged),
        ("get", f"/admin/pages/{article}/edit/", None),
        ("post", f"/admin/pages/{article}/edit/", forged),
        ("post", f"/admin/pages/{article}/unpublish/", forged),
        ("post", f"/admin/pages/{article}/delete/", forged),
        ("get", f"/admin/pages/{b['home'].pk}/add_subpage/", None),
        ("get", reverse("wagtailusers_users:edit", args=[b["bea"].pk]), None),
        ("post", reverse("wagtailusers_users:edit", args=[b["bea"].pk]), forged),
        ("get", reverse("wagtailusers_users:edit", args=[b["customer"].pk]), None),
        ("post", reverse("wagtailusers_users:delete", args=[b["customer"].pk]), forged),
        ("get", settings_url, None),
        ("post", settings_url, forged),
        ("post", reverse("backoffice_phone_order"), {"action": "choose", "customer": f"user:{b['customer'].pk}"}),
        ("post", reverse("backoffice_phone_order"), {"action": "choose", "customer": f"order:{b['order'].pk}"}),
        ("get", reverse("backoffice_personal_data_export") + "?q=06 99 88 77 66", None),
        ("post", reverse("backoffice_personal_data_erase"), {"q": "06 99 88 77 66", "identity_checked": "on"}),
    ]


def test_town_a_staff_open_no_object_of_town_b(client, towns):
    lara = User.objects.get(username="lara")
    before = state_of(towns)
    client.force_login(lara)
    for method, url, data in object_urls(towns):
        response = client.post(url, data) if method == "post" else client.get(url)
        assert refused(response), (method, url, response.status_code)
    assert state_of(towns) == before


def test_town_a_staff_lists_show_nothing_of_town_b(client, towns):
    client.force_login(User.objects.get(username="lara"))
    lists = [reverse("backoffice_orders"), reverse("backoffice_orders") + "?q=Bourdon", reverse("backoffice_products"),
             reverse("backoffice_applications"), reverse("backoffice_sales") + "?periode=annee",
             reverse("backoffice_sales_report"), reverse("backoffice_orders_export") + "?periode=annee",
             reverse("backoffice_phone_order") + "?q=Bourdon", reverse("backoffice_phone_order") + "?q=06 99 88 77 66",
             reverse("backoffice_personal_data") + "?q=berenice@example.org",
             "/admin/users/", "/admin/users/?q=bourg", "/admin/users/?q=Bourdon", "/admin/pages/",
             f"/admin/pages/{Page.get_first_root_node().pk}/", "/admin/pages/search/?q=Bourg",
             "/admin/", reverse("wagtailsettings:edit", args=["townmarket", "townsettings",
                                                               Site.objects.get(is_default_site=True).pk])]
    found = leaks(client, lists)
    assert found == [], "\n".join(map(str, found))


def test_walking_the_wagtail_admin_town_a_staff_find_nothing_of_town_b(client, towns):
    """Every Wagtail admin URL aimed at town B's vitrine, picture, document, user, group."""
    b = {"page": towns["bakery"], "image": towns["image"], "lease": towns["lease"],
         "collection": towns["image"].collection, "revision": towns["revision"],
         "workflow_state": towns["workflow_state"], "user": towns["bea"],
         "group": roles.merchant_group(towns["bakery"].partner)}
    client.force_login(User.objects.get(username="lara"))
    found = leaks(client, admin_urls(b))
    assert found == [], "\n".join(map(str, found))


def test_with_wagtail_s_default_workflow_disabled_a_new_town_hands_no_town_b_moderation_to_town_a(client, towns):
    """The platform administrator disabled « Moderators approval » (Wagtail's workflow on
    the root); adding a town refreshes every town's roles: town A gets a workflow of its
    own, never town B's, so town A's staff are not asked to review town B's vitrine."""
    admin = User.objects.create_superuser("plateforme", "plateforme@example.org", "pw-admin-2026")
    Workflow.objects.get(workflow_pages__page=Page.get_first_root_node()).deactivate(user=admin)
    cluny = Page.get_first_root_node().add_child(instance=HomePage(title="Le marché de Cluny", slug="cluny"))
    Site.objects.create(hostname="cluny.localhost", port=80, root_page=cluny, site_name="Cluny")

    town_b_task = towns["workflow_state"].current_task_state.task.specific
    assert [group.name for group in town_b_task.groups.all()] == ["Association · Bourg"]
    client.force_login(User.objects.get(username="lara"))
    assert "Boulangerie de Bourg" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_each_town_has_its_own_role_groups(towns):
    lara, bastien = User.objects.get(username="lara"), towns["staff"]
    default = Site.objects.get(is_default_site=True)
    assert list(roles.managed_towns(lara)) == [default]
    assert list(roles.managed_towns(bastien)) == [towns["site"]]
    assert list(roles.managed_towns(towns["bea"])) == [towns["site"]]
    assert sorted(roles.managed_partners(lara).values_list("name", flat=True)) == ["Fromagerie Test", "Librairie Test"]
    assert list(roles.managed_partners(bastien).values_list("name", flat=True)) == ["Boulangerie de Bourg"]
    assert sorted(g.name for g in bastien.groups.all()) == ["Association · Bourg"]
    assert roles.ensure_town_roles(towns["site"])[roles.ASSOCIATION].name == "Association · Bourg"
    assert roles.ensure_roles()[roles.ASSOCIATION].name == "Association"


def test_town_b_staff_work_on_town_b(client, towns):
    client.force_login(towns["staff"])
    assert client.get(reverse("backoffice_order", args=[towns["part"].pk])).status_code == 200
    assert client.get(f"/admin/pages/{towns['article'].pk}/edit/").status_code == 200
    assert client.get(reverse("backoffice_application", args=[towns["application"].pk])).status_code == 200
    orders = client.get(reverse("backoffice_orders")).content.decode()
    assert "Bourdon" in orders and "Fromagerie Test" not in orders
    settings_url = reverse("wagtailsettings:edit", args=["townmarket", "townsettings", towns["site"].pk])
    assert client.get(settings_url).status_code == 200
    default = Site.objects.get(is_default_site=True)
    assert refused(client.get(reverse("wagtailsettings:edit", args=["townmarket", "townsettings", default.pk])))


def test_the_platform_administrator_sees_both_towns(client, towns):
    admin = User.objects.create_superuser("plateforme", "plateforme@example.org", "pw-admin-2026")
    client.force_login(admin)
    assert client.get(reverse("backoffice_order", args=[towns["part"].pk])).status_code == 200
    products = client.get(reverse("backoffice_products")).content.decode()
    assert "Pain de seigle bourguignon" in products and "Comté 18 mois" in products
    applications = client.get(reverse("backoffice_applications")).content.decode()
    assert "Épicerie candidate de Bourg" in applications


def test_an_application_sent_on_town_b_s_site_is_town_b_s(client, towns):
    data = {"shop_name": "Fleuriste de Bourg", "kind": ShopKind.objects.get(slug="boulangerie").pk,
            "siret": "732 829 320 00074", "street": "4 rue Neuve", "postcode": "01000", "city": "Bourg",
            "contact_name": "Flore Fleur", "phone": "06 11 22 33 44", "email": "flore@example.org", "message": "",
            "website": ""}
    assert client.post(reverse("shop_application"), data, HTTP_HOST="bourg.localhost").status_code == 302
    application = ShopApplication.objects.get(shop_name="Fleuriste de Bourg")
    assert application.town == towns["site"]
    client.force_login(User.objects.get(username="lara"))
    assert "Fleuriste de Bourg" not in client.get(reverse("backoffice_applications")).content.decode()
    client.force_login(towns["staff"])
    assert "Fleuriste de Bourg" in client.get(reverse("backoffice_applications")).content.decode()
    response = client.post(reverse("backoffice_application", args=[application.pk]), {"approve": "1"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.shop_page.partner.town == towns["site"]
    assert application.shop_page.get_parent().specific == towns["shops"]


def test_a_shop_approved_in_a_town_without_directory_opens_in_a_directory_of_its_own(client, town, team):
    """Town B's home page has no « Les commerces » yet: approving a shop makes one there,
    the vitrine is never filed in town A's directory."""
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Le marché de Cluny", slug="cluny"))
    site = Site.objects.create(hostname="cluny.localhost", port=80, root_page=home, site_name="Cluny")
    groups = roles.ensure_town_roles(site)
    staff = User.objects.create_user("clement", "clement@example.org", "pw-role-2026")
    staff.groups.add(groups[roles.ASSOCIATION])
    volunteer = User.objects.create_user("celine", "celine@example.org", "pw-role-2026")
    volunteer.groups.add(groups[roles.VOLUNTEERS])
    application = ShopApplication.objects.create(
        town=site, shop_name="Épicerie de Cluny", siret="73282932000074", street="5 rue Neuve", postcode="71250",
        city="Cluny", contact_name="Claire Candidat", phone="+33385000001", email="claire@example.org")
    client.force_login(staff)
    client.defaults["HTTP_HOST"] = "cluny.localhost"

    response = client.post(reverse("backoffice_application", args=[application.pk]), {"approve": "1"}, follow=True)

    assert response.redirect_chain == [(reverse("backoffice_applications"), 302)]
    assert "« Épicerie de Cluny » est inscrit" in response.content.decode()
    application.refresh_from_db()
    page = application.shop_page
    directory = page.get_parent().specific
    assert isinstance(directory, ShopIndexPage) and directory.get_parent().pk == home.pk
    assert page.partner.town == site
    assert page.permissions_for_user(volunteer).can_edit()  # the town's volunteers help on its directory
    page.save_revision().publish()
    town_a = Site.objects.get(is_default_site=True)
    town_a_directory = client.get(town["cheese"].get_parent().url, HTTP_HOST=town_a.hostname).content.decode()
    assert "Fromagerie Test" in town_a_directory and "Épicerie de Cluny" not in town_a_directory
    assert "Épicerie de Cluny" in client.get(directory.url).content.decode()


def test_a_town_s_association_is_offered_no_screen_it_cannot_open(client, towns):
    """With several towns, Wagtail's site-wide screens (reports, groups) are the platform
    administrator's: a town's association finds no menu entry leading to a refusal."""
    client.force_login(towns["staff"])
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    for dead_end in ("/admin/reports/", "/admin/groups/"):
        assert dead_end not in menu, dead_end
    admin = User.objects.create_superuser("plateforme", "plateforme@example.org", "pw-admin-2026")
    client.force_login(admin)
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "/admin/reports/" in menu and "/admin/groups/" in menu


def test_town_a_staff_cannot_take_over_a_town_b_account_that_once_ordered_in_town_a(client, town, towns):
    """Béa (town B's baker) and Bastien (town B's association) shopped once in town A,
    and so did the platform administrator: town A's staff may not open, edit or delete
    their accounts (an e-mail or password changed there is the account taken)."""
    admin = User.objects.create_superuser("plateforme", "plateforme@example.org", "pw-admin-2026")
    town_a = Site.objects.get(is_default_site=True)
    comte = factories.product(town["cheese"], title="Tomme de passage", price="9.50", stock=10)
    for user in (towns["bea"], towns["staff"], admin):
        order = place_order(client, [(comte, 1)], first_name="Client", last_name="De passage",
                            email=f"{user.username}@example.org", phone="06 11 11 11 11")
        Order.objects.filter(pk=order.pk).update(town=town_a, user=user)
    client.logout()
    before = list(User.objects.filter(pk__in=[towns["bea"].pk, towns["staff"].pk, admin.pk])
                  .order_by("pk").values_list("username", "email", "password", "is_active"))
    client.force_login(User.objects.get(username="lara"))
    for user in (towns["bea"], towns["staff"], admin):
        for method, url in (("get", reverse("wagtailusers_users:edit", args=[user.pk])),
                            ("post", reverse("wagtailusers_users:edit", args=[user.pk])),
                            ("post", reverse("wagtailusers_users:delete", args=[user.pk]))):
            data = {"username": user.username, "email": "pirate@example.org", "first_name": "Pi",
                    "last_name": "Rate", "password1": "Pirate-2026-xyz", "password2": "Pirate-2026-xyz"}
            response = client.post(url, data) if method == "post" else client.get(url)
            assert refused(response), (user.username, method, url, response.status_code)
    users = client.get("/admin/users/?q=example.org").content.decode()
    assert "bea-bourg" not in users and "bastien" not in users and "plateforme" not in users
    after = list(User.objects.filter(pk__in=[towns["bea"].pk, towns["staff"].pk, admin.pk])
                 .order_by("pk").values_list("username", "email", "password", "is_active"))
    assert after == before


def test_town_a_staff_owning_a_shop_in_town_b_see_no_association_screen_of_town_b(client, towns):
    """Lara works for town A's association and also runs a shop in town B: in town B she
    is a merchant, her shop's things only: not its applications, its customers' accounts,
    its failed e-mails nor its settings."""
    lara = User.objects.get(username="lara")
    towns["bakery"].partner.users.add(lara)
    client.force_login(lara)
    b_settings = reverse("wagtailsettings:edit", args=["townmarket", "townsettings", towns["site"].pk])
    assert refused(client.get(reverse("backoffice_application", args=[towns["application"].pk])))
    assert refused(client.get(reverse("wagtailusers_users:edit", args=[towns["customer"].pk])))
    assert refused(client.get(b_settings))
    found = leaks(client, [reverse("backoffice_applications"), "/admin/users/?q=Bourdon", "/admin/"],
                  secrets=["Épicerie candidate de Bourg", "Bérénice Bourdon", "berenice"])
    assert found == [], "\n".join(map(str, found))
    # her own shop in town B stays hers
    assert client.get(reverse("backoffice_product_edit", args=[towns["bread"].pk])).status_code == 200


def test_town_a_staff_cannot_give_a_group_of_town_b_by_a_bulk_action(client, towns):
    """Wagtail's bulk « Attribuer un rôle » offers every group: town A's staff may not put
    themselves (or anyone) in town B's association or town B's shop."""
    lara = User.objects.get(username="lara")
    client.force_login(lara)
    url = reverse("wagtail_bulk_action", args=["auth", "user", "assign_role"]) + f"?id={lara.pk}"
    answers = []
    for group in (towns["staff"].groups.get(), roles.merchant_group(towns["bakery"].partner)):
        response = client.post(url, {"role": group.pk})
        answers.append((group.name, response.status_code in (403, 404) or refused(response)))
    assert sorted(lara.groups.values_list("name", flat=True)) == ["Association"]
    assert all(refusal for _name, refusal in answers), answers


def test_an_account_with_permissions_of_its_own_is_no_plain_customer(client, town, towns):
    """An account given a permission directly (by the platform administrator) that once
    ordered in town A is not town A's staff's to edit."""
    from django.contrib.auth.models import Permission

    helper = User.objects.create_user("hugo", "hugo@example.org", "pw-hugo-2026")
    helper.user_permissions.add(Permission.objects.get(codename="change_user"))
    order = place_order(client, [(factories.product(town["cheese"], title="Tomme", price="9.50", stock=5), 1)],
                        first_name="Hugo", last_name="Aide", email="hugo@example.org", phone="06 22 22 22 22")
    Order.objects.filter(pk=order.pk).update(town=Site.objects.get(is_default_site=True), user=helper)
    client.force_login(User.objects.get(username="lara"))
    assert refused(client.get(reverse("wagtailusers_users:edit", args=[helper.pk])))
