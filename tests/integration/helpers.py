from django.urls import reverse


def add_to_basket(client, product, quantity=1):
    return client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity})


def checkout_data(client, **overrides):
    """The checkout form as a customer fills it: every shop's first offered method."""
    page = client.get(reverse("checkout:index"))
    data = {
        "first_name": "Hélène", "last_name": "Jourdan", "email": "helene@example.org",
        "phone": "06 12 34 56 78", "payment_method": "pay_at_pickup",
        "shown_amounts": page.context["shown_amounts"],  # what the page showed, as a browser sends it
    }
    for group in page.context["shop_groups"]:
        data[group.field_name] = group.options[0].code
    for field in page.context["form"].consent_fields():  # the CGV box; the age box when alcohol is ordered
        data[field.name] = "on"
    data.update(overrides)
    return data


def place_order(client, lines, **overrides):
    """Place an order over HTTP as a guest; `lines` is [(product, quantity)]."""
    from oscar.core.loading import get_model

    for product, quantity in lines:
        add_to_basket(client, product, quantity)
    response = client.post(reverse("checkout:index"), checkout_data(client, **overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    return get_model("order", "Order").objects.order_by("-pk").first()
