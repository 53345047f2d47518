"""« Prendre une commande par téléphone » (issue 17, item 1): association staff, or a
merchant for their own shop, take an order for a customer who phones: the customer
found or created with a name and a phone, a basket across shops, each shop's
fulfilment and the payment, the order placed through the checkout's own placement."""
import html
import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from oscar.core.loading import get_model
from pypdf import PdfReader

from oscar_apps.customer import registration
from tests import factories
from townmarket import extensions
from townmarket.town import town as town_identity

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")
StockRecord = get_model("partner", "StockRecord")

NO_EMAIL = {"first_name": "Jeanne", "last_name": "Martin", "phone": "06 11 22 33 44", "email": ""}


def new_customer(client, **customer):
    return client.post(reverse("backoffice_phone_order"), {"action": "new", **customer})


def add(client, product, quantity=1):
    return client.post(reverse("backoffice_phone_order_basket"), {"action": "add", "product": product.pk,
                                                                   "quantity": quantity})


def checkout_data(client, **overrides):
    page = client.get(reverse("backoffice_phone_order_checkout"))
    assert page.status_code == 200, page
    data = {"payment_method": "pay_at_pickup", "shown_amounts": page.context["shown_amounts"],
            "basket": page.context["basket"].pk}
    for group in page.context["shop_groups"]:
        data[group.field_name] = group.options[0].code
    if "accept_terms" in page.context["form"].fields:  # the CGV, told over the phone
        data["accept_terms"] = "on"
    data.update(overrides)
    return data


def take_order(client, customer, lines, **overrides):
    response = new_customer(client, **customer)
    assert response.status_code == 302, response.context["form"].errors
    for product, quantity in lines:
        assert add(client, product, quantity).status_code == 302
    response = client.post(reverse("backoffice_phone_order_checkout"), checkout_data(client, **overrides))
    assert response.status_code == 302, response.context["form"].errors
    return Order.objects.order_by("-pk").first(), response


def page_text(response):
    return html.unescape(response.content.decode())


def mails_to(address):
    return [message for message in mail.outbox if address in message.to]


class TestAnOrderTakenByPhone:
    def test_staff_take_an_order_of_two_shops_for_a_customer_without_email(self, client, town, team):
        client.force_login(team["staff"])
        assert reverse("backoffice_phone_order") in page_text(client.get("/admin/"))  # the menu entry
        order, response = take_order(client, NO_EMAIL, [(town["comte"], 2), (town["novel"], 1)])

        assert response["Location"] == reverse("backoffice_phone_order_done", args=[order.pk])
        assert order.channel == Order.Channel.PHONE and order.taken_by == team["staff"]
        assert order.customer_name == "Jeanne Martin" and order.customer_phone == "+33611223344"
        assert order.guest_email == "" and order.user is None
        assert sorted(part.partner.name for part in order.shop_orders.all()) == ["Fromagerie Test", "Librairie Test"]
        # Nothing e-mailed to a customer without an address; each shop told as for any order.
        assert all(set(message.to) <= {"fromagerie-test@example.org", "librairie-test@example.org",
                                       "alice@example.org", "bob@example.org"} for message in mail.outbox)
        cheese_mail = mails_to("fromagerie-test@example.org")
        assert len(cheese_mail) == 1 and "Commande téléphonique, prise par lara" in cheese_mail[0].body
        assert "Comté 18 mois" in cheese_mail[0].body and "Roman policier" not in cheese_mail[0].body

        done = page_text(client.get(response["Location"]))
        assert order.number in done and "Commande téléphonique, prise par lara" in done
        # The staff member's next order starts from an empty basket and no customer.
        assert client.get(reverse("backoffice_phone_order_basket")).status_code == 302
        shop_order = order.shop_orders.get(partner=town["cheese"].partner)
        client.force_login(team["alice"])
        detail = page_text(client.get(reverse("backoffice_order", args=[shop_order.pk])))
        assert "Commande téléphonique, prise par lara" in detail
        assert "par téléphone" in page_text(client.get(reverse("backoffice_orders")))
        # Nobody can tell her by e-mail: the shop is not promised it will be done for them.
        assert "le client est prévenu" not in detail and "prévenu par e-mail" not in detail
        assert "pas d'e-mail : appelez le client" in detail

    def test_the_staff_member_own_basket_is_untouched(self, client, town, team):
        client.force_login(team["staff"])
        new_customer(client, **NO_EMAIL)
        add(client, town["comte"], 1)
        basket = Basket.objects.get(pk=client.session["phone_order_basket"])
        assert basket.owner is None and basket.num_items == 1
        assert not Basket.objects.filter(owner=team["staff"], lines__isnull=False).exists()

    def test_a_customer_with_email_gets_the_confirmation(self, client, town, team):
        client.force_login(team["staff"])
        order, _response = take_order(client, {**NO_EMAIL, "email": "jeanne@example.org"}, [(town["comte"], 1)])
        assert order.guest_email == "jeanne@example.org"
        assert len(mails_to("jeanne@example.org")) == 1 and order.number in mails_to("jeanne@example.org")[0].subject

    def test_an_earlier_customer_is_found_by_name_or_phone(self, client, town, team):
        client.force_login(team["staff"])
        take_order(client, NO_EMAIL, [(town["comte"], 1)])
        for query in ("martin", "06 11 22 33 44", "+33611223344"):
            page = page_text(client.get(reverse("backoffice_phone_order"), {"q": query}))
            assert "Jeanne Martin" in page, query
        assert "Jeanne Martin" not in page_text(client.get(reverse("backoffice_phone_order"), {"q": "Durand"}))

    def test_a_registered_customer_is_chosen_and_the_order_joins_their_account(self, client, town, team):
        customer = get_user_model().objects.create_user("odile", "odile@example.org", "pw-client-2026",
                                                         first_name="Odile", last_name="Roux")
        client.force_login(team["staff"])
        page = client.get(reverse("backoffice_phone_order"), {"q": "roux"})
        assert "Odile Roux" in page.content.decode()
        response = client.post(reverse("backoffice_phone_order"), {"action": "choose", "customer": f"user:{customer.pk}",
                                                                   "phone": "06 99 88 77 66"})
        assert response.status_code == 302
        add(client, town["comte"], 1)
        client.post(reverse("backoffice_phone_order_checkout"), checkout_data(client))
        order = Order.objects.get()
        assert order.user == customer and order.customer_name == "Odile Roux"
        assert mails_to("odile@example.org")

    def test_the_printable_summary(self, client, town, team):
        identity = town_identity()
        identity.phone = "04 66 22 11 00"
        identity.save()
        client.force_login(team["staff"])
        order, _response = take_order(client, NO_EMAIL, [(town["comte"], 2), (town["novel"], 1)])
        response = client.get(reverse("backoffice_phone_order_summary", args=[order.pk]))
        assert response["Content-Type"] == "application/pdf"
        text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())
        for expected in (order.number, "Jeanne Martin", "06 11 22 33 44", "Fromagerie Test", "Librairie Test",
                         "Comté 18 mois", "Roman policier", "24,80", "8,90", "À payer au retrait",
                         "Retrait en magasin", "04 66 22 11 00", "prise par lara"):
            assert expected in text, expected


class TestBadInput:
    def test_no_phone(self, client, town, team):
        client.force_login(team["staff"])
        response = new_customer(client, first_name="Jeanne", last_name="Martin", phone="", email="")
        assert response.status_code == 200
        assert "Indiquez le numéro de téléphone du client" in page_text(response)
        assert "phone_order_customer" not in client.session
        assert client.get(reverse("backoffice_phone_order_basket")).status_code == 302  # back to the customer

    def test_a_bad_phone_or_email(self, client, town, team):
        client.force_login(team["staff"])
        page = page_text(new_customer(client, **{**NO_EMAIL, "phone": "12", "email": "pas-une-adresse"}))
        assert "Saisissez un numéro de téléphone valide" in page and "Saisissez une adresse e-mail valide" in page

    def test_an_unknown_product_a_bad_quantity_or_too_many(self, client, town, team):
        client.force_login(team["staff"])
        new_customer(client, **NO_EMAIL)
        for product_id, quantity, message in [
            (999999, 1, "Ce produit n'est pas proposé ici."),
            ("abc", 1, "Ce produit n'est pas proposé ici."),
            (town["comte"].pk, 0, "Indiquez une quantité entre 1 et 99."),
            (town["comte"].pk, "deux", "Indiquez une quantité entre 1 et 99."),
            (town["comte"].pk, 6, "Il ne reste que 5"),
        ]:
            response = client.post(reverse("backoffice_phone_order_basket"),
                                   {"action": "add", "product": product_id, "quantity": quantity}, follow=True)
            assert response.status_code == 200
            assert message in page_text(response), (product_id, quantity)
        assert not Basket.objects.filter(lines__isnull=False).exists()

    def test_hostile_values_never_make_a_server_error(self, client, town, team):
        client.force_login(team["staff"])
        for data in [{"action": "choose", "customer": "user:abc"}, {"action": "choose", "customer": "order:99999999"},
                     {"action": "new", "last_name": "x" * 500, "phone": "0" * 300}]:
            assert client.post(reverse("backoffice_phone_order"), data).status_code in (200, 404)
        new_customer(client, **NO_EMAIL)
        for data in [{"action": "add", "product": town["comte"].pk, "quantity": "1", "q": "a\r\nLocation: x&y=1"},
                     {"action": "set", "line": "1e9", "quantity": "2"}, {"action": "remove", "line": "-1"},
                     {"action": "add", "product": "9" * 40, "quantity": "9" * 40}]:
            assert client.post(reverse("backoffice_phone_order_basket"), data).status_code == 302
        for query in ["é" * 300, "%00", "' OR 1=1 --", "*"]:
            assert client.get(reverse("backoffice_phone_order_basket"), {"q": query}).status_code == 200
            assert client.get(reverse("backoffice_phone_order"), {"q": query}).status_code == 200
        for pk in ["0", "99999999"]:
            assert client.get(f"/admin/commerce/telephone/{pk}/").status_code == 404

    def test_an_empty_basket_is_not_ordered(self, client, town, team):
        client.force_login(team["staff"])
        new_customer(client, **NO_EMAIL)
        response = client.get(reverse("backoffice_phone_order_checkout"), follow=True)
        assert "Le panier est vide : ajoutez au moins un article." in page_text(response)
        response = client.post(reverse("backoffice_phone_order_checkout"), {"payment_method": "pay_at_pickup"},
                               follow=True)
        assert "Le panier est vide" in page_text(response)
        assert not Order.objects.exists()

    def test_a_delivery_needs_an_address(self, client, town, team):
        def delivers(partner, lines, checkout):
            return [extensions.FulfilmentOption(code="porte", label="Livraison à domicile", needs_delivery_address=True)]

        client.force_login(team["staff"])
        with extensions.register_temporarily(extensions.FULFILMENT_OPTIONS, delivers):
            new_customer(client, **NO_EMAIL)
            add(client, town["comte"], 1)
            data = checkout_data(client)
            data[next(key for key in data if key.startswith("fulfilment"))] = "porte"
            response = client.post(reverse("backoffice_phone_order_checkout"), data)
        assert response.status_code == 200
        assert "Indiquez le numéro et la rue où vous livrer." in page_text(response)
        assert not Order.objects.exists()

    def test_a_payment_link_needs_an_email(self, client, town, team):
        links = []

        def online(basket, checkout):
            return [extensions.PaymentMethod(code="en_ligne", label="Carte en ligne", awaits_payment=True,
                                             payment_link=lambda order, request: links.append(order) or
                                             f"https://paiement.example.org/{order.number}")]

        client.force_login(team["staff"])
        with extensions.register_temporarily(extensions.PAYMENT_METHODS, online):
            new_customer(client, **NO_EMAIL)
            add(client, town["comte"], 1)
            page = page_text(client.get(reverse("backoffice_phone_order_checkout")))
            assert "Carte en ligne" not in page and "sans adresse e-mail" in page
            response = client.post(reverse("backoffice_phone_order_checkout"),
                                   checkout_data(client, payment_method="en_ligne"))
            assert response.status_code == 200 and "Ce moyen de paiement n'est pas disponible." in page_text(response)
            assert not Order.objects.exists()

            client.post(reverse("backoffice_phone_order_restart"))
            order, _response = take_order(client, {**NO_EMAIL, "email": "jeanne@example.org"}, [(town["comte"], 1)],
                                          payment_method="en_ligne")
        assert links == [order]
        to_customer = mails_to("jeanne@example.org")
        assert len(to_customer) == 1 and f"https://paiement.example.org/{order.number}" in to_customer[0].body
        assert not mails_to("fromagerie-test@example.org")  # the shop is told once it is paid


class TestMerchants:
    def test_a_merchant_sees_and_orders_only_their_own_products(self, client, town, team):
        client.force_login(team["alice"])
        new_customer(client, **NO_EMAIL)
        page = page_text(client.get(reverse("backoffice_phone_order_basket"), {"q": "roman"}))
        assert "Roman policier" not in page
        assert "Comté 18 mois" in page_text(client.get(reverse("backoffice_phone_order_basket"), {"q": "comte"}))
        response = add(client, town["novel"], 1)  # another shop's product, its id typed in
        assert "Ce produit n'est pas proposé ici." in page_text(client.get(response["Location"]))
        assert not Basket.objects.filter(lines__isnull=False).exists()

    def test_a_merchant_cannot_open_another_shop_phone_order(self, client, town, team):
        client.force_login(team["bob"])
        order, _response = take_order(client, NO_EMAIL, [(town["novel"], 1)])
        assert order.taken_by == team["bob"]
        client.force_login(team["alice"])
        assert client.get(reverse("backoffice_phone_order_done", args=[order.pk])).status_code == 404
        assert client.get(reverse("backoffice_phone_order_summary", args=[order.pk])).status_code == 404
        # nor find its customer
        assert "Jeanne Martin" not in page_text(client.get(reverse("backoffice_phone_order"), {"q": "martin"}))

    def test_volunteers_and_customers_cannot_take_phone_orders(self, client, town, team):
        client.force_login(team["volunteer"])
        assert client.get(reverse("backoffice_phone_order")).status_code in (302, 403)


class TestTheOrderJoinsTheAccount:
    def register(self, client, email, phone="", order_number="", expect=302):
        client.logout()
        client.post(reverse("customer:register"), {"email": email, "redirect_url": ""})
        link = next(line for line in mail.outbox[-1].body.split() if "/inscription/" in line or "confirm" in line)
        token = [part for part in link.rstrip("/").split("/") if part][-1]
        data = registration.read(token)
        assert data["email"] == email
        response = client.post(reverse("customer:register-confirm", args=[token]),
                               {"new_password1": "Un-mot-de-passe-2026", "new_password2": "Un-mot-de-passe-2026",
                                "phone": phone, "order_number": order_number})
        assert response.status_code == expect
        if expect != 302:
            return response
        return get_user_model().objects.get(email=email)

    def test_registering_with_the_same_phone(self, client, town, team):
        client.force_login(team["staff"])
        order, _response = take_order(client, NO_EMAIL, [(town["comte"], 1)])
        other, _response = take_order(client, {**NO_EMAIL, "phone": "06 11 22 33 45"}, [(town["comte"], 1)])
        user = self.register(client, "jeanne@example.org", phone="06 11 22 33 44", order_number=order.number)
        assert list(Order.objects.filter(user=user)) == [order]
        assert order.number in page_text(client.get(reverse("customer:order-list")))

    def test_someone_else_phone_alone_shows_none_of_their_orders(self, client, town, team):
        """A number is easy to know (a neighbour's, a relative's): it takes the number of one
        of those orders too, printed on the summary handed over with it."""
        client.force_login(team["staff"])
        order, _response = take_order(client, NO_EMAIL, [(town["comte"], 1)])
        response = self.register(client, "voisin@example.org", phone="06 11 22 33 44", expect=400)
        assert "numéro d'une de ces commandes" in page_text(response)
        response = self.register(client, "voisin@example.org", phone="06 11 22 33 44",
                                 order_number=str(int(order.number) + 1), expect=400)
        assert "Aucune commande téléphonique" in page_text(response)
        assert not get_user_model().objects.filter(email="voisin@example.org").exists()
        order.refresh_from_db()
        assert order.user is None

    def test_guessing_order_numbers_is_stopped(self, client, town, team):
        client.force_login(team["staff"])
        order, _response = take_order(client, NO_EMAIL, [(town["comte"], 1)])
        for guess in range(1, 6):
            self.register(client, "voisin@example.org", phone="06 11 22 33 44",
                          order_number=str(int(order.number) + guess), expect=400)
        response = self.register(client, "voisin@example.org", phone="06 11 22 33 44", order_number=order.number,
                                 expect=429)
        assert "Trop d'essais" in page_text(response)
        order.refresh_from_db()
        assert order.user is None

    def test_registering_with_the_same_email(self, client, town, team):
        client.force_login(team["staff"])
        order, _response = take_order(client, {**NO_EMAIL, "email": "jeanne@example.org"}, [(town["comte"], 1)])
        user = self.register(client, "jeanne@example.org")
        assert list(Order.objects.filter(user=user)) == [order]


    def test_an_email_of_an_account_joins_it(self, client, town, team):
        """The customer already has an account: they find the order when they sign in."""
        customer = get_user_model().objects.create_user("jeanne", "jeanne@example.org", "pw-client-2026")
        client.force_login(team["staff"])
        order, _response = take_order(client, {**NO_EMAIL, "email": "Jeanne@Example.org"}, [(town["comte"], 1)])
        assert order.user == customer and order.guest_email == ""
        client.force_login(customer)
        assert order.number in page_text(client.get(reverse("customer:order-list")))


class TestQueryCounts:
    @pytest.mark.parametrize("products", [2, 12])
    def test_the_search_and_basket_pages_make_a_fixed_number_of_queries(self, client, town, team, products,
                                                                        django_assert_max_num_queries):
        for product in factories.products(town["cheese"], products, category_name="Fromages"):
            title = product.title
        client.force_login(team["staff"])
        new_customer(client, **NO_EMAIL)
        for product in get_model("catalogue", "Product").objects.filter(title__startswith="Produit")[:products]:
            add(client, product, 1)
        # 27 and 16: Wagtail's admin menu looks up the page the association's explorer
        # starts at (its town's home page, since each town has its own: explorable_root_instance)
        with django_assert_max_num_queries(27):
            page = client.get(reverse("backoffice_phone_order_basket"), {"q": "produit"})
        assert title in page.content.decode()
        with django_assert_max_num_queries(16):
            client.get(reverse("backoffice_phone_order"), {"q": "martin"})


class TestAlcoholAndTerms:
    def test_alcohol_needs_the_customer_to_be_18_and_the_terms_are_recorded(self, client, town, team):
        Category = get_model("catalogue", "Category")
        wine = factories.product(town["cheese"], title="Marsannay", price="22.00", category_name="Vins")
        Category.objects.filter(name="Vins").update(contains_alcohol=True)
        client.force_login(team["staff"])
        new_customer(client, **NO_EMAIL)
        add(client, wine, 1)
        data = checkout_data(client)
        response = client.post(reverse("backoffice_phone_order_checkout"), data)
        assert "le client doit confirmer avoir 18 ans ou plus" in page_text(response)
        assert not Order.objects.exists()
        data.pop("accept_terms", None)
        response = client.post(reverse("backoffice_phone_order_checkout"), {**data, "adult_confirmed": "on"})
        assert "Informez le client des conditions générales de vente" in page_text(response)
        assert not Order.objects.exists()
        client.post(reverse("backoffice_phone_order_checkout"), {**data, "adult_confirmed": "on", "accept_terms": "on"})
        order = Order.objects.get()
        assert order.adult_confirmed_at is not None and order.terms_accepted_at is not None


def test_the_shop_packing_slip_says_who_took_the_order(client, town, team):
    client.force_login(team["staff"])
    order, _response = take_order(client, NO_EMAIL, [(town["comte"], 1)])
    client.force_login(team["alice"])
    slip = client.get(reverse("backoffice_order_slip", args=[order.shop_orders.get().pk]))
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(slip.content)).pages).split())
    assert "Commande téléphonique, prise par lara" in text
