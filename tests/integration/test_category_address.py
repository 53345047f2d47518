"""A renamed or moved category's links follow at once (Oscar caches each category's
address and never forgot it: oscar_apps/catalogue/receivers.py)."""
import pytest
from django.urls import reverse
from oscar.core.loading import get_model

Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")


@pytest.mark.django_db
def test_a_renamed_category_is_linked_at_its_new_address_with_its_children(client, town):
    cheeses = Category.objects.get(name="Fromages")
    pressed = cheeses.add_child(name="Pâtes pressées", slug="pates-pressees", is_public=True)
    ProductCategory.objects.filter(product=town["comte"]).update(category=pressed)
    page = client.get(town["comte"].get_absolute_url()).content.decode()
    assert 'href="/boutique/catalogue/category/fromages/pates-pressees_%d/"' % pressed.pk in page

    cheeses.name, cheeses.slug = "Crèmerie", "cremerie"  # the parent: the child's address changes too
    cheeses.save()
    pressed.refresh_from_db()
    pressed.slug = "pate-pressee"
    pressed.save()

    new_address = reverse("catalogue:category", kwargs={"category_slug": "cremerie/pate-pressee", "pk": pressed.pk})
    page = client.get(town["comte"].get_absolute_url()).content.decode()
    assert f'href="{new_address}"' in page
    assert client.get(new_address).status_code == 200  # not sent back to the old address
    assert client.get(cheeses.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_a_parent_renamed_alone_moves_its_childrens_addresses(client, town):
    cheeses = Category.objects.get(name="Fromages")
    pressed = cheeses.add_child(name="Pâtes pressées", slug="pates-pressees", is_public=True)
    assert "/fromages/pates-pressees_" in pressed.get_absolute_url()
    cheeses.slug = "cremerie"
    cheeses.save()
    pressed = Category.objects.get(pk=pressed.pk)
    assert "/cremerie/pates-pressees_" in pressed.get_absolute_url()
    assert client.get(pressed.get_absolute_url()).status_code == 200
