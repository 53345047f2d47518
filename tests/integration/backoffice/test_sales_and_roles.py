"""Sales figures for a shop and the whole market; roles: moderation of vitrines,
scheduled news, volunteers' limits."""
import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model
from wagtail.models import Page

from shops_pages.models import NewsIndexPage, NewsPage
from tests.integration.helpers import place_order

pytestmark = pytest.mark.django_db
ShopOrder = get_model("order", "ShopOrder")


def fresh(user):
    """The user as a new request would load them (permissions are cached per object)."""
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def sales(client, town, team):
    """Orders of November 2026 (and one in July), placed at fixed moments."""
    def order(lines, day, status=None):
        placed = place_order(client, lines)
        client.cookies.clear()
        moment = datetime.datetime(2026, day[1], day[0], 10, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
        ShopOrder.objects.filter(order=placed).update(date_created=moment, **({"status": status} if status else {}))
        return placed

    order([(town["comte"], 2)], (30, 11))                       # 24,80
    order([(town["epoisses"], 1), (town["novel"], 1)], (30, 11))  # 9,80 cheese + 8,90 books
    order([(town["comte"], 1)], (20, 11))                       # 12,40
    order([(town["epoisses"], 1)], (30, 11), status="annulee")  # cancelled: not counted
    order([(town["comte"], 1)], (15, 7))                        # another month
    return town


NOVEMBER = {"periode": "mois", "du": "2026-11-02"}


def test_a_merchant_sees_revenue_by_day_and_week_and_top_products(client, team, sales):
    client.force_login(team["alice"])
    context = client.get(reverse("backoffice_sales"), NOVEMBER).context
    assert (context["total"].orders, context["total"].revenue) == (3, Decimal("47.00"))
    bars = context["daily_chart"].bars
    assert len(bars) == 30
    assert bars[-1].value == Decimal("34.60") and bars[-11].value == Decimal("12.40")
    assert sum(bar.value for bar in bars) == Decimal("47.00")
    assert sum(week.revenue for week in context["weeks"]) == Decimal("47.00")
    assert [(p["title"], p["quantity"]) for p in context["top_products"]] == [("Comté 18 mois", 3), ("Époisses", 1)]
    assert "shops" not in context  # the per-shop table is the association's
    body = client.get(reverse("backoffice_sales"), NOVEMBER).content.decode()
    assert "<svg" in body and "47,00\u00a0€" in body


def test_the_association_compares_shops_and_can_focus_on_one(client, team, sales):
    client.force_login(team["staff"])
    context = client.get(reverse("backoffice_sales"), NOVEMBER).context
    assert [(p.label, p.revenue) for p, _ in context["shops"]] == [
        ("Fromagerie Test", Decimal("47.00")), ("Librairie Test", Decimal("8.90"))]
    focused = client.get(reverse("backoffice_sales"), {**NOVEMBER, "boutique": sales["books"].partner.pk}).context
    assert focused["total"].revenue == Decimal("8.90") and "shops" not in focused


def test_the_export_is_a_french_csv(client, team, sales):
    client.force_login(team["alice"])
    response = client.get(reverse("backoffice_orders_export"))
    assert response["Content-Disposition"].startswith('attachment; filename="commandes-')
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "Date;Commande;Commerce;Retrait ou livraison;Statut;Montant TTC;Frais de livraison"
    assert len(lines) == 1 + 5 and any(line.endswith(";Annulée;9,80;0,00") for line in lines)


def test_a_moderated_vitrine_is_submitted_instead_of_published(client, town, team):
    page = town["cheese"]
    client.force_login(team["alice"])
    assert "action-publish" in client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    page.moderation_required = True
    page.save_revision().publish()
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "action-publish" not in editor and "action-submit" in editor
    # Wagtail's own check, which its edit view applies to a forged "publish" too
    assert not Page.objects.get(pk=page.pk).permissions_for_user(fresh(team["alice"])).can_publish()
    page.moderation_required = False
    page.save_revision().publish()
    assert Page.objects.get(pk=page.pk).permissions_for_user(fresh(team["alice"])).can_publish()


def test_only_the_association_can_switch_moderation_or_relink_a_vitrine(client, town, team):
    client.force_login(team["alice"])
    assert "moderation_required" not in client.get(reverse("wagtailadmin_pages:edit", args=[town["cheese"].pk])).content.decode()
    client.force_login(team["staff"])
    assert "moderation_required" in client.get(reverse("wagtailadmin_pages:edit", args=[town["cheese"].pk])).content.decode()


def test_news_published_at_a_set_time(client, town, team):
    news_index = NewsIndexPage.objects.get()
    later = timezone.now() + datetime.timedelta(hours=2)
    news = news_index.add_child(instance=NewsPage(title="Marché de Noël", slug="marche-de-noel", live=False,
                                                  date=datetime.date.today(), introduction="Le 20 décembre."))
    news.go_live_at = later
    news.save_revision(user=team["staff"], approved_go_live_at=later)
    assert client.get(news_index.url).content.decode().count("Marché de Noël") == 0
    call_command("publish_scheduled")
    assert not NewsPage.objects.get(pk=news.pk).live
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later + datetime.timedelta(minutes=1))
        call_command("publish_scheduled")
    assert NewsPage.objects.get(pk=news.pk).live
    assert "Marché de Noël" in client.get(news_index.url).content.decode()


def test_volunteers_edit_any_vitrine_but_see_no_orders_or_users(client, town, team):
    client.force_login(team["volunteer"])
    for page in [town["cheese"], town["books"]]:
        assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200
    for url in [reverse("backoffice_orders"), reverse("backoffice_sales"), reverse("backoffice_orders_export"),
                "/admin/users/"]:
        assert client.get(url)["Location"] == reverse("wagtailadmin_home"), url
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Produits" in menu and "Ventes" not in menu


def test_staff_manage_users_and_roles(client, team):
    client.force_login(team["staff"])
    assert client.get("/admin/users/").status_code == 200
    assert "Bénévoles" in client.get(reverse("wagtailusers_users:edit", args=[team["volunteer"].pk])).content.decode()


def test_staff_open_a_shop_from_the_page_tree_and_it_can_sell(client, town, team):
    from oscar.core.loading import get_model as model
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    from backoffice import roles
    from shops_pages.models import ShopPage

    client.force_login(team["staff"])
    shop_index = town["cheese"].get_parent()
    response = client.post(reverse("wagtailadmin_pages:add", args=["shops_pages", "shoppage", shop_index.pk]),
                           nested_form_data({"title": "Chausseur Martin", "slug": "chausseur-martin",
                                             "body": streamfield([]), "services": streamfield([]),
                                             "opening_hours": inline_formset([])}))
    assert response.status_code == 302, response.content.decode()[:3000]
    page = ShopPage.objects.get(slug="chausseur-martin")
    assert page.partner.name == "Chausseur Martin"
    assert page.partner.team.group.name == "Commerce · Chausseur Martin"
    assert model("partner", "Partner").objects.filter(name="Chausseur Martin").count() == 1
    assert roles.managed_partners(team["staff"]).filter(pk=page.partner.pk).exists()
