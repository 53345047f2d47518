"""A customer's personal data: « Mes données » shows and downloads it (theirs only),
« Effacer mon compte » erases it after the password (orders and their amounts stay, the
person is in no table any more), the association's tool does the same for guests, and
the nightly purge removes what is older than its retention, harmlessly twice."""
import datetime as dt
import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from backoffice.models import ShopApplication
from oscar_apps.order import workflow
from tests import factories
from tests.integration.helpers import add_to_basket, place_order
from townmarket.signals import payment_collected

Order = get_model("order", "Order")
ShopOrder = get_model("order", "ShopOrder")
Basket = get_model("basket", "Basket")
UserAddress = get_model("address", "UserAddress")
Country = get_model("address", "Country")
Partner = get_model("partner", "Partner")

HELENE = {"first_name": "Hélène", "last_name": "Jourdan", "email": "helene.jourdan@example.org",
          "phone": "06 12 34 56 78"}
MARC = {"first_name": "Marc", "last_name": "Lefebvre", "email": "marc.lefebvre@example.org",
        "phone": "07 98 76 54 32"}
PASSWORD = "pw-client-2026"
# What must be found nowhere once Hélène is erased (invoices excepted: the law keeps her name there).
HELENE_TRACES = ["Jourdan", "helene.jourdan@example.org", "612345678", "06 12 34 56 78", "Tilleuls"]


def database_text(skip_apps=("invoicing",)):
    """Every row of every table as text (JSON's \\u escapes undone), but the tables of
    `skip_apps`: what a copy of the database would let someone read."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table.split("_")[0] in skip_apps:
                continue
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                text = " ".join(str(value) for value in row)
                chunks.append(text)
                if "\\u" in text:
                    chunks.append(text.encode("latin-1", "backslashreplace").decode("unicode_escape", "ignore"))
    return "\n".join(chunks)


def traces_of(needles, text=None):
    text = database_text() if text is None else text
    return [needle for needle in needles if needle.lower() in text.lower()]


def customer(person, address_line):
    user = get_user_model().objects.create_user(person["email"].split("@")[0], person["email"], PASSWORD,
                                                first_name=person["first_name"], last_name=person["last_name"])
    france, _ = Country.objects.get_or_create(iso_3166_1_a2="FR", defaults={"name": "France", "printable_name": "France"})
    UserAddress.objects.create(user=user, first_name=person["first_name"], last_name=person["last_name"],
                               line1=address_line, line4="Val-sur-Ouche", postcode="21130", country=france,
                               phone_number=person["phone"])
    return user


def finish(order, status=ShopOrder.Status.COLLECTED):
    """Each shop hands the order over and is paid at its counter."""
    for part in order.shop_orders.all():
        for step in (ShopOrder.Status.PREPARING, ShopOrder.Status.READY, status):
            workflow.change_status(part, step)
        payment_collected.send(sender=None, shop_order=part, amount=part.amount_due, means="especes")


def accounts_of(order):
    """What accounting keeps of an order: its invoices (frozen, buyer's name included) and
    each shop's settlement for the day (when those apps are installed)."""
    kept = {}
    if apps.is_installed("invoicing"):
        kept["invoices"] = sorted(apps.get_model("invoicing", "Document").objects.filter(shop_order__order=order)
                                  .values_list("number", "total_incl_tax", "content"), key=str)
    if apps.is_installed("plugins.payments"):
        from plugins.payments.settlement import settlements

        day = timezone.localdate()
        kept["settlements"] = [(row.partner.pk, row.orders, row.sales, row.in_store, row.net, row.commission)
                               for row in settlements(Partner.objects.all(), day, day)]
    return kept


@pytest.fixture
def outbox(settings):
    """E-mails recorded in the outbox table, as in production."""
    settings.EMAIL_BACKEND = "townmarket.outbox.OutboxBackend"


@pytest.fixture
def people(client, town, outbox, django_user_model):
    """Hélène and Marc, each with an account, an address and a finished order in two shops."""
    helene = customer(HELENE, "12 rue des Tilleuls")
    marc = customer(MARC, "5 chemin des Vignes")
    orders = {}
    for user, person in ((helene, HELENE), (marc, MARC)):
        client.force_login(user)
        orders[user.username] = place_order(client, [(town["comte"], 1), (town["novel"], 2)], **person)
        finish(orders[user.username])
        client.logout()
    return {"helene": helene, "marc": marc, "helene_order": orders[helene.username],
            "marc_order": orders[marc.username]}


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.django_db
class TestDownloadMyData:
    def test_the_file_holds_my_account_addresses_and_orders_and_nothing_of_another_customer(self, client, people):
        response = signed_in(client, people["helene"]).get(reverse("customer:personal-data-download"))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        assert "attachment" in response["Content-Disposition"]
        data = json.loads(response.content)
        text = response.content.decode()
        assert data["compte"]["éléments"][0]["E-mail"] == HELENE["email"]
        assert "12 rue des Tilleuls" in text
        order = people["helene_order"]
        exported = data["commandes"]["éléments"]
        assert [item["Numéro"] for item in exported] == [order.number]
        assert {line["Article"] for line in exported[0]["Articles"]} == {"Comté 18 mois", "Roman policier"}
        assert {part["Commerce"] for part in exported[0]["Commerces"]} == {"Fromagerie Test", "Librairie Test"}
        assert exported[0]["Téléphone"] == "+33612345678"
        assert data["e-mails"]["éléments"], "the order's confirmation e-mail is listed"
        for trace in ("Lefebvre", MARC["email"], "Vignes", "798765432", people["marc_order"].number):
            assert trace not in text

    def test_the_page_shows_the_same_data_readably(self, client, people):
        page = signed_in(client, people["helene"]).get(reverse("customer:personal-data"))
        html = page.content.decode()
        assert page.status_code == 200
        assert "Vos commandes" in html and people["helene_order"].number in html and "12 rue des Tilleuls" in html
        assert "Lefebvre" not in html and people["marc_order"].number not in html
        assert reverse("customer:personal-data") in signed_in(client, people["helene"]).get(
            reverse("customer:order-list")).content.decode()  # « Mes données » in the account's menu

    def test_the_page_costs_the_same_queries_whatever_the_number_of_orders(self, client, town, people):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def queries():
            """The page's queries, but the rate limiter's (the shared cache, a table here)."""
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse("customer:personal-data")).status_code == 200
            return [q["sql"] for q in captured.captured_queries
                    if "townmarket_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]]

        signed_in(client, people["helene"])
        with_one = len(queries())
        for _ in range(3):
            finish(place_order(client, [(town["epoisses"], 1), (town["novel"], 1)], **HELENE))
        assert len(queries()) == with_one <= 30

    def test_a_forged_id_in_the_url_still_gives_only_my_own_data(self, client, people):
        url = reverse("customer:personal-data-download") + f"?user={people['marc'].pk}&email={MARC['email']}"
        text = signed_in(client, people["helene"]).get(url).content.decode()
        assert HELENE["email"] in text and MARC["email"] not in text and "Lefebvre" not in text
        assert client.get(f"/boutique/accounts/mes-donnees/{people['marc'].pk}/").status_code == 404

    def test_signed_out_it_asks_to_sign_in(self, client, people):
        response = client.get(reverse("customer:personal-data-download"))
        assert response.status_code == 302 and "login" in response["Location"]

    def test_downloads_are_rate_limited(self, client, people, settings):
        settings.PERSONAL_DATA_EXPORTS_PER_HOUR = 2
        signed_in(client, people["helene"])
        answers = [client.get(reverse("customer:personal-data-download")).status_code for _ in range(3)]
        assert answers == [200, 200, 429]
        assert "réessayez un peu plus tard" in client.get(reverse("customer:personal-data")).content.decode()


@pytest.mark.django_db
class TestEraseMyAccount:
    def test_erasure_keeps_the_orders_and_their_amounts_and_leaves_no_trace_of_the_person(self, client, town, people):
        # Signed out, she ordered once more with her account's e-mail: that order is hers too.
        as_guest = place_order(client.__class__(), [(town["epoisses"], 1)], **HELENE)
        finish(as_guest)
        order = people["helene_order"]
        totals = (order.total_incl_tax, order.total_excl_tax,
                  sorted((p.partner_id, p.subtotal, p.fulfilment_fee, p.prepaid) for p in order.shop_orders.all()))
        lines = sorted(order.lines.values_list("partner_id", "quantity", "line_price_incl_tax"))
        kept = accounts_of(order)
        assert all(kept.values()), kept  # invoices issued, sales settled
        assert traces_of(HELENE_TRACES) == HELENE_TRACES  # there before

        signed_in(client, people["helene"])
        page = client.get(reverse("customer:profile-delete"))
        assert "Ce qui reste" in page.content.decode()
        response = client.post(reverse("customer:profile-delete"), {"password": PASSWORD})
        assert response.status_code == 302

        assert traces_of(HELENE_TRACES) == []
        order = Order.objects.get(pk=order.pk)
        assert (order.total_incl_tax, order.total_excl_tax,
                sorted((p.partner_id, p.subtotal, p.fulfilment_fee, p.prepaid) for p in order.shop_orders.all())) == totals
        assert sorted(order.lines.values_list("partner_id", "quantity", "line_price_incl_tax")) == lines
        assert accounts_of(order) == kept
        assert not get_user_model().objects.filter(email=HELENE["email"]).exists()
        # Marc is untouched.
        assert traces_of(["Lefebvre", MARC["email"], "Vignes"]) == ["Lefebvre", MARC["email"], "Vignes"]
        assert Order.objects.get(pk=people["marc_order"].pk).customer_name == "Marc Lefebvre"
        # Signed out, and the old e-mail and password open nothing.
        assert client.get(reverse("customer:personal-data")).status_code == 302
        login = client.post(reverse("customer:login"), {"login_submit": "1", "login-username": HELENE["email"],
                                                        "login-password": PASSWORD})
        assert login.status_code == 200 and "_auth_user_id" not in client.session

    def test_a_wrong_password_says_so_in_french_and_erases_nothing(self, client, people):
        signed_in(client, people["helene"])
        response = client.post(reverse("customer:profile-delete"), {"password": "pas-le-bon"})
        assert response.status_code == 400
        assert "Ce mot de passe n'est pas le bon" in response.content.decode().replace("&#x27;", "'")
        assert traces_of(HELENE_TRACES) == HELENE_TRACES

    def test_a_forged_post_for_another_account_changes_nothing(self, client, people):
        signed_in(client, people["helene"])
        response = client.post(reverse("customer:profile-delete"),
                               {"password": PASSWORD + "x", "user": people["marc"].pk, "email": MARC["email"]})
        assert response.status_code == 400
        assert client.post(f"/boutique/accounts/profile/delete/{people['marc'].pk}/",
                           {"password": PASSWORD}).status_code == 404
        assert traces_of(HELENE_TRACES + ["Lefebvre", MARC["email"]]) == HELENE_TRACES + ["Lefebvre", MARC["email"]]

    def test_an_order_in_progress_postpones_the_erasure_with_a_french_message(self, client, town, people):
        signed_in(client, people["helene"])
        waiting = place_order(client, [(town["epoisses"], 1)], **HELENE)
        page = client.get(reverse("customer:profile-delete")).content.decode()
        assert f"Votre commande n° {waiting.number} est en cours" in page
        assert "dès qu'elle sera retirée, livrée ou annulée" in page.replace("&#x27;", "'")
        response = client.post(reverse("customer:profile-delete"), {"password": PASSWORD})
        assert response.status_code == 409
        assert traces_of(HELENE_TRACES) == HELENE_TRACES
        finish(waiting)
        assert client.post(reverse("customer:profile-delete"), {"password": PASSWORD}).status_code == 302

    def test_a_back_office_account_is_not_erased_from_the_shop(self, client, town, people):
        merchant = factories.merchant(town["cheese"], "fabienne", password=PASSWORD)
        signed_in(client, merchant)
        response = client.post(reverse("customer:profile-delete"), {"password": PASSWORD})
        assert response.status_code == 409
        assert "demandez à l'association" in response.content.decode().replace("&#x27;", "'")
        assert get_user_model().objects.filter(pk=merchant.pk, is_active=True).exists()


@pytest.mark.django_db
class TestGuestsThroughTheAssociation:
    @pytest.fixture
    def guest_order(self, client, town, outbox):
        order = place_order(client, [(town["comte"], 1)], first_name="Odile", last_name="Marchetti",
                            email="odile.marchetti@example.org", phone="06 55 44 33 22")
        finish(order)
        return order

    def test_staff_find_export_and_erase_a_guests_orders(self, client, team, guest_order,
                                                         django_assert_max_num_queries):
        signed_in(client, team["staff"])
        url = reverse("backoffice_personal_data")
        # whatever the number of orders found (prefetched); 18 since Wagtail's admin menu
        # looks up the association's explorer root, its town's home page
        with django_assert_max_num_queries(18):
            page = client.get(url, {"q": "06 55 44 33 22"})
        assert page.status_code == 200 and guest_order.number in page.content.decode()
        exported = client.get(reverse("backoffice_personal_data_export"), {"q": "ODILE.marchetti@example.org"})
        assert exported.status_code == 200
        assert json.loads(exported.content)["commandes"]["éléments"][0]["Numéro"] == guest_order.number

        refused = client.post(reverse("backoffice_personal_data_erase"), {"q": "odile.marchetti@example.org"},
                              follow=True)
        assert "Cochez" in refused.content.decode()  # the identity check box
        assert traces_of(["Marchetti"]) == ["Marchetti"]
        done = client.post(reverse("backoffice_personal_data_erase"),
                           {"q": "odile.marchetti@example.org", "identity_checked": "on"}, follow=True)
        assert "1 commande" in done.content.decode()
        assert traces_of(["Marchetti", "odile.marchetti", "655443322", "06 55 44 33 22"]) == []
        assert Order.objects.get(pk=guest_order.pk).total_incl_tax == guest_order.total_incl_tax

    def test_an_unknown_guest_or_an_account_holder_is_a_404(self, client, team, guest_order, people):
        signed_in(client, team["staff"])
        for q in ("personne@example.org", HELENE["email"], ""):
            assert client.get(reverse("backoffice_personal_data_export"), {"q": q}).status_code == 404
            assert client.post(reverse("backoffice_personal_data_erase"),
                               {"q": q, "identity_checked": "on"}).status_code == 404
        assert traces_of(HELENE_TRACES) == HELENE_TRACES

    @pytest.mark.parametrize("who", ["alice", "volunteer"])
    def test_merchants_and_volunteers_cannot_use_it(self, client, team, guest_order, who):
        signed_in(client, team[who])
        assert client.get(reverse("backoffice_personal_data"), {"q": "odile.marchetti@example.org"}).status_code in (302, 403)
        assert client.get(reverse("backoffice_personal_data_export"),
                          {"q": "odile.marchetti@example.org"}).status_code in (302, 403)
        assert client.post(reverse("backoffice_personal_data_erase"),
                           {"q": "odile.marchetti@example.org", "identity_checked": "on"}).status_code in (302, 403)
        assert traces_of(["Marchetti"]) == ["Marchetti"]


def aged(model, days, field, **filters):
    model.objects.filter(**filters).update(**{field: timezone.now() - dt.timedelta(days=days)})


def purge():
    from io import StringIO

    out = StringIO()
    call_command("purge_personal_data", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
class TestRetentionPurge:
    def test_it_deletes_old_data_only_and_twice_is_harmless(self, client, town, team, outbox):
        # An abandoned basket (100 days) and a fresh one.
        add_to_basket(client, town["comte"], 1)
        old_basket = Basket.objects.get()
        aged(Basket, 100, "date_created", pk=old_basket.pk)
        get_model("basket", "Line").objects.filter(basket=old_basket).update(
            date_updated=timezone.now() - dt.timedelta(days=100))
        fresh_client = client.__class__()
        add_to_basket(fresh_client, town["novel"], 1)
        # Shop applications refused 2 years and a month ago, and one accepted long ago.
        common = {"kind": None, "siret": "73282932000074", "street": "1 rue", "postcode": "21130", "city": "Val",
                  "phone": "+33380000000", "email": "x@example.org"}
        ShopApplication.objects.create(shop_name="Vieux refus", contact_name="Ancien Refusé",
                                       status=ShopApplication.Status.REJECTED, **common)
        ShopApplication.objects.create(shop_name="Refus récent", contact_name="Récent Refusé",
                                       status=ShopApplication.Status.REJECTED, **common)
        ShopApplication.objects.create(shop_name="Acceptée", contact_name="Accepté Longtemps",
                                       status=ShopApplication.Status.APPROVED, **common)
        aged(ShopApplication, 800, "decided_at", shop_name__in=["Vieux refus", "Acceptée"])
        aged(ShopApplication, 30, "decided_at", shop_name="Refus récent")
        # A guest who last ordered 4 years ago, another who ordered again last month.
        old_guest = place_order(client.__class__(), [(town["comte"], 1)], first_name="Ancien", last_name="Clientlointain",
                                email="ancien@example.org", phone="06 11 11 11 11")
        finish(old_guest)
        aged(Order, 4 * 365, "date_placed", pk=old_guest.pk)
        faithful_old = place_order(client.__class__(), [(town["comte"], 1)], first_name="Fidèle",
                                   last_name="Habitué", email="fidele@example.org", phone="06 22 22 22 22")
        finish(faithful_old)
        aged(Order, 4 * 365, "date_placed", pk=faithful_old.pk)
        faithful_new = place_order(client.__class__(), [(town["novel"], 1)], first_name="Fidèle",
                                   last_name="Habitué", email="FIDELE@example.org", phone="06 22 22 22 22")
        finish(faithful_new)

        first = purge()
        assert "Paniers abandonnés depuis plus de 90 jours supprimés : 1" in first
        assert "Demandes d'inscription refusées depuis plus de 365 jours supprimées : 1" in first
        assert "coordonnées effacées : 1" in first
        assert not Basket.objects.filter(pk=old_basket.pk).exists() and Basket.objects.filter(status="Open").count() == 1
        assert set(ShopApplication.objects.values_list("shop_name", flat=True)) == {"Refus récent", "Acceptée"}
        assert traces_of(["Clientlointain", "ancien@example.org", "611111111"]) == []
        assert Order.objects.get(pk=old_guest.pk).total_incl_tax == Decimal("12.40")
        # The faithful guest ordered last month: both orders keep their contact data.
        assert Order.objects.filter(customer_name="Fidèle Habitué").count() == 2

        before = database_text()
        second = purge()
        assert "supprimés : 0" in second and "coordonnées effacées : 0" in second
        assert database_text() == before


@pytest.mark.django_db
class TestInactiveAccounts:
    """An account nobody signed in to for RETENTION_INACTIVE_ACCOUNTS_DAYS (3 years, the
    CNIL's usual term) is closed by the nightly purge: a customer who left is not kept
    on file for ever. Back-office accounts and orders still in progress are not."""

    def account(self, username, days_since_login=None, days_since_joined=None):
        user = get_user_model().objects.create_user(username, f"{username}@example.org", "motdepasse-2026",
                                                    first_name=username.capitalize(), last_name="Dormeur")
        now = timezone.now()
        get_user_model().objects.filter(pk=user.pk).update(
            last_login=None if days_since_login is None else now - dt.timedelta(days=days_since_login),
            date_joined=now - dt.timedelta(days=days_since_joined or days_since_login or 0))
        return user

    def test_it_closes_accounts_asleep_for_three_years_only(self, town, team):
        self.account("ancienne", days_since_login=4 * 365)
        self.account("jamais", days_since_joined=4 * 365)  # created, never signed in
        self.account("recente", days_since_login=30)
        get_user_model().objects.filter(username="alice").update(
            last_login=timezone.now() - dt.timedelta(days=5 * 365))  # a merchant: closed by the association

        first = purge()

        assert "Comptes sans connexion depuis plus de 1095 jours fermés : 2" in first
        left = set(get_user_model().objects.values_list("username", flat=True))
        assert {"ancienne", "jamais"}.isdisjoint(left)
        assert {"recente", "alice"} <= left
        assert "Comptes sans connexion depuis plus de 1095 jours fermés : 0" in purge()

    def test_an_order_in_progress_keeps_the_account_until_it_is_done(self, client, town):
        sleeper = self.account("patiente", days_since_login=30)
        order = place_order(signed_in(client, sleeper), [(town["comte"], 1)], email="patiente@example.org")
        get_user_model().objects.filter(pk=sleeper.pk).update(last_login=timezone.now() - dt.timedelta(days=4 * 365))

        assert "fermés : 0" in purge()
        assert get_user_model().objects.filter(pk=sleeper.pk).exists()
        finish(order)
        assert "fermés : 1" in purge()
        assert not get_user_model().objects.filter(pk=sleeper.pk).exists()
        assert Order.objects.get(pk=order.pk).total_incl_tax == Decimal("12.40")


def test_the_purge_is_scheduled_each_night():
    from pathlib import Path

    from django.core.management import get_commands

    crontab = (Path(__file__).resolve().parents[2] / "site" / "deploy" / "crontab").read_text(encoding="utf-8")
    (line,) = [line for line in crontab.splitlines() if line.endswith("manage_production.sh purge_personal_data")]
    minute, hour, *every_day = line.split()[:5]
    assert every_day == ["*", "*", "*"] and hour.isdigit()
    assert "purge_personal_data" in get_commands()
